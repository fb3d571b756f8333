-- 0013: riders and cash-up.
--
-- The shop's riders are a setting (`riders_json`: [{id, name, phone}]). An order keeps the
-- rider it went out with as it was at dispatch (id, name and phone, so a rider later removed
-- from the settings still shows in that day's cash-up) and when it went out.
--
-- Three statuses join the flow: 'out_for_delivery' (a rider has it), 'collected' (a pickup
-- handed over at the counter) and 'returned' (the rider came back with it; its reason is kept
-- in `cancel_reason`). The seed's values keep their meaning. SQLite cannot change a CHECK
-- constraint in place, so `orders` is rebuilt with the same columns in the same order (this
-- migration runs with foreign keys off, checked afterwards), then its indexes and the sync
-- outbox's triggers are made again.
--
-- `rider_cashups` records each rider's cash counted in at closing: one row per business day
-- and rider, with the amount the server computed, when and by whom; taking it back deletes
-- the row.

ALTER TABLE shop_settings ADD COLUMN riders_json TEXT;

CREATE TABLE orders_v13 (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    flavour           TEXT    NOT NULL,
    size              TEXT    NOT NULL,
    drink             TEXT,
    address           TEXT    NOT NULL,
    customer_name     TEXT,
    customer_phone    TEXT,
    order_time        TEXT    NOT NULL,
    status            TEXT    NOT NULL DEFAULT 'new'
                      CHECK (status IN ('new', 'preparing', 'ready', 'delivered', 'cancelled',
                                        'out_for_delivery', 'collected', 'returned')),
    uuid              TEXT    NOT NULL UNIQUE,
    number            INTEGER NOT NULL,
    business_date     TEXT    NOT NULL,
    landmark          TEXT,
    total_paisa       INTEGER NOT NULL CHECK (total_paisa >= 0),
    source            TEXT    NOT NULL CHECK (source IN ('staff', 'phone')),
    call_sid          TEXT,
    cancel_reason     TEXT,
    idempotency_key   TEXT    UNIQUE,
    request_digest    TEXT,
    updated_at        TEXT    NOT NULL,
    fulfilment_type   TEXT    NOT NULL DEFAULT 'delivery'
                      CHECK (fulfilment_type IN ('delivery', 'pickup')),
    zone_id           TEXT,
    zone_name         TEXT,
    zone_name_ur      TEXT,
    pickup_in_minutes INTEGER,
    payment_method    TEXT    NOT NULL DEFAULT 'cash'
                      CHECK (payment_method IN ('cash', 'card', 'wallet')),
    pays_with_paisa   INTEGER,
    change_paisa      INTEGER,
    note              TEXT,
    eta_minutes       INTEGER,
    bill_json         TEXT,
    changed_at        TEXT,
    changes_json      TEXT,
    rider_id          TEXT,              -- the rider it went out with (NULL: none named)
    rider_name        TEXT,              -- as they were at dispatch
    rider_phone       TEXT,
    dispatched_at     TEXT,              -- when it went out (RFC 3339 UTC)
    UNIQUE (business_date, number)
);
INSERT INTO orders_v13 (id, flavour, size, drink, address, customer_name, customer_phone,
                        order_time, status, uuid, number, business_date, landmark, total_paisa,
                        source, call_sid, cancel_reason, idempotency_key, request_digest,
                        updated_at, fulfilment_type, zone_id, zone_name, zone_name_ur,
                        pickup_in_minutes, payment_method, pays_with_paisa, change_paisa, note,
                        eta_minutes, bill_json, changed_at, changes_json)
SELECT id, flavour, size, drink, address, customer_name, customer_phone, order_time, status,
       uuid, number, business_date, landmark, total_paisa, source, call_sid, cancel_reason,
       idempotency_key, request_digest, updated_at, fulfilment_type, zone_id, zone_name,
       zone_name_ur, pickup_in_minutes, payment_method, pays_with_paisa, change_paisa, note,
       eta_minutes, bill_json, changed_at, changes_json
FROM orders;
-- Ids are never reused: the new table's AUTOINCREMENT counter starts where the old one was.
INSERT INTO sqlite_sequence (name, seq)
SELECT 'orders_v13', seq FROM sqlite_sequence WHERE name = 'orders'
  AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'orders_v13');
UPDATE sqlite_sequence
SET seq = MAX(seq, (SELECT seq FROM sqlite_sequence WHERE name = 'orders'))
WHERE name = 'orders_v13' AND EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'orders');
DROP TABLE orders;
ALTER TABLE orders_v13 RENAME TO orders;

CREATE INDEX orders_by_time ON orders (order_time);
CREATE INDEX orders_by_status ON orders (status);
CREATE INDEX orders_by_phone ON orders (customer_phone);
CREATE INDEX orders_by_rider ON orders (business_date, rider_id);

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

CREATE TABLE rider_cashups (
    business_date TEXT    NOT NULL,  -- YYYY-MM-DD
    rider_id      TEXT    NOT NULL,
    amount_paisa  INTEGER NOT NULL CHECK (amount_paisa >= 0),
    collected_at  TEXT    NOT NULL,  -- RFC 3339 UTC
    collected_by  TEXT    NOT NULL,  -- a staff username
    PRIMARY KEY (business_date, rider_id)
);
