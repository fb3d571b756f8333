-- 0003: the sync outbox. One row for every change to an order that the optional PostgreSQL
-- sync still has to send.
--
-- Written by triggers, so an outbox row commits in the very transaction that created or
-- changed the order: no code path can forget it, and a crash leaves both or neither.
-- A row names the order, not its content: the sync worker sends the order's state as it is
-- when the row is drained (order, items, whole status history), so sending twice is harmless.
-- Without DATABASE_URL the server empties the table (see kitchen-sync), and the first sync
-- to a new target enqueues every order ('backfill').

CREATE TABLE outbox (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    kind     TEXT    NOT NULL CHECK (kind IN ('created', 'updated', 'backfill')),
    at       TEXT    NOT NULL   -- when the row was queued (RFC 3339 UTC)
);

CREATE TRIGGER outbox_order_created AFTER INSERT ON orders
BEGIN
    INSERT INTO outbox (order_id, kind, at)
    VALUES (NEW.id, 'created', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER outbox_order_updated AFTER UPDATE ON orders
BEGIN
    INSERT INTO outbox (order_id, kind, at)
    VALUES (NEW.id, 'updated', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
