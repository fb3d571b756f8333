-- 0001: a chain's shared database: every shop's orders, their items and status history.
--
-- `orders` is the original Melt 8 system's table, columns and types unchanged, so the
-- chain's existing reports keep working; if the chain already has it (from the original
-- system), it is kept with its rows and only gains the new columns. A synced order is
-- identified by (shop_id, uuid); `number` is the shop's daily number, so two shops each
-- have an order #1 every day. `order_time` is UTC, as the original hosted server wrote it.
-- The sync worker cuts the seed's VARCHAR columns to their limits (the full text is in
-- order_items).
--
-- Items and history are keyed by (shop_id, order_uuid, position/seq): the sync sends an
-- order's whole state every time, and upserts on these keys make sending twice harmless.

CREATE TABLE IF NOT EXISTS orders (
    id             SERIAL PRIMARY KEY,
    flavour        VARCHAR(100) NOT NULL,
    size           VARCHAR(20) NOT NULL,
    drink          VARCHAR(50),
    address        TEXT NOT NULL,
    customer_name  VARCHAR(100),
    customer_phone VARCHAR(20),
    order_time     TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    status         VARCHAR(20) DEFAULT 'new'
);

CREATE TABLE shops (
    shop_id       TEXT PRIMARY KEY,
    first_sync_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_sync_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

ALTER TABLE orders
    ADD COLUMN shop_id       TEXT REFERENCES shops (shop_id),
    ADD COLUMN uuid          UUID,
    ADD COLUMN shop_order_id BIGINT,       -- the order's id in the shop's own database
    ADD COLUMN number        INTEGER,      -- the shop's daily number (#17)
    ADD COLUMN business_date DATE,         -- the shop's local day the number counts in
    ADD COLUMN landmark      TEXT,
    ADD COLUMN total_paisa   BIGINT,
    ADD COLUMN source        TEXT,         -- 'staff' or 'phone'
    ADD COLUMN call_sid      TEXT,
    ADD COLUMN cancel_reason TEXT,
    ADD COLUMN updated_at    TIMESTAMPTZ,  -- the shop's last change to the order
    ADD COLUMN synced_at     TIMESTAMPTZ;  -- when the sync last wrote it

-- Rows of the original system have no shop_id or uuid (NULLs never conflict).
CREATE UNIQUE INDEX orders_shop_uuid ON orders (shop_id, uuid);
CREATE INDEX orders_shop_day ON orders (shop_id, business_date, number);

CREATE TABLE order_items (
    shop_id          TEXT    NOT NULL,
    order_uuid       UUID    NOT NULL,
    position         INTEGER NOT NULL,
    item_id          TEXT    NOT NULL,
    name             TEXT    NOT NULL,
    name_ur          TEXT,
    kind             TEXT    NOT NULL,
    size_id          TEXT    NOT NULL,
    size_label       TEXT    NOT NULL,
    quantity         INTEGER NOT NULL,
    unit_price_paisa BIGINT  NOT NULL,
    line_total_paisa BIGINT  NOT NULL,
    PRIMARY KEY (shop_id, order_uuid, position),
    FOREIGN KEY (shop_id, order_uuid) REFERENCES orders (shop_id, uuid) ON DELETE CASCADE
);

CREATE TABLE order_events (
    shop_id     TEXT        NOT NULL,
    order_uuid  UUID        NOT NULL,
    seq         INTEGER     NOT NULL,  -- 0: the order was taken; then each change
    from_status TEXT,
    to_status   TEXT        NOT NULL,
    reason      TEXT,
    actor       TEXT        NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (shop_id, order_uuid, seq),
    FOREIGN KEY (shop_id, order_uuid) REFERENCES orders (shop_id, uuid) ON DELETE CASCADE
);
