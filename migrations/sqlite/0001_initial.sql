-- 0001: the shop database's first schema.
--
-- `orders` keeps the original system's columns (id, flavour, size, drink, address,
-- customer_name, customer_phone, order_time, status) with their meaning, so existing reports
-- keep working; flavour/size/drink are filled from the first pizza and the first drink.
-- Times are RFC 3339 UTC text with milliseconds ("2026-11-24T18:05:00.123Z"): they sort as
-- text. Money is integer paisa.

CREATE TABLE orders (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    flavour         TEXT    NOT NULL,
    size            TEXT    NOT NULL,
    drink           TEXT,
    address         TEXT    NOT NULL,
    customer_name   TEXT,
    customer_phone  TEXT,              -- E.164, 'withheld', or NULL when not given
    order_time      TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'new'
                    CHECK (status IN ('new', 'preparing', 'ready', 'delivered', 'cancelled')),
    uuid            TEXT    NOT NULL UNIQUE,
    number          INTEGER NOT NULL,  -- short daily number (#17), per business_date
    business_date   TEXT    NOT NULL,  -- the shop's local day, YYYY-MM-DD
    landmark        TEXT,
    total_paisa     INTEGER NOT NULL CHECK (total_paisa >= 0),
    source          TEXT    NOT NULL CHECK (source IN ('staff', 'phone')),
    call_sid        TEXT,
    cancel_reason   TEXT,
    idempotency_key TEXT    UNIQUE,    -- a retried request with the same key finds this order
    request_digest  TEXT,              -- what was asked for under that key
    updated_at      TEXT    NOT NULL,
    UNIQUE (business_date, number)
);
CREATE INDEX orders_by_time ON orders (order_time);
CREATE INDEX orders_by_status ON orders (status);
CREATE INDEX orders_by_phone ON orders (customer_phone);

CREATE TABLE order_items (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id         INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    item_id          TEXT    NOT NULL,
    name             TEXT    NOT NULL,  -- names and prices as they were when ordered
    name_ur          TEXT,
    kind             TEXT    NOT NULL CHECK (kind IN ('pizza', 'drink', 'side')),
    size_id          TEXT    NOT NULL,
    size_label       TEXT    NOT NULL,
    quantity         INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 20),
    unit_price_paisa INTEGER NOT NULL,
    line_total_paisa INTEGER NOT NULL,
    UNIQUE (order_id, position)
);

-- Every status change: from (NULL when the order was taken), to, why, who, when.
CREATE TABLE order_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id    INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    from_status TEXT,
    to_status   TEXT    NOT NULL,
    reason      TEXT,
    actor       TEXT    NOT NULL,
    at          TEXT    NOT NULL
);
CREATE INDEX order_events_by_order ON order_events (order_id, id);

CREATE TABLE menu_items (
    id        TEXT    PRIMARY KEY,
    position  INTEGER NOT NULL,
    name      TEXT    NOT NULL,
    name_ur   TEXT,
    kind      TEXT    NOT NULL CHECK (kind IN ('pizza', 'drink', 'side')),
    available INTEGER NOT NULL DEFAULT 1 CHECK (available IN (0, 1))
);

CREATE TABLE menu_sizes (
    item_id     TEXT    NOT NULL REFERENCES menu_items (id) ON DELETE CASCADE,
    id          TEXT    NOT NULL,
    position    INTEGER NOT NULL,
    label       TEXT    NOT NULL,
    price_paisa INTEGER NOT NULL CHECK (price_paisa > 0),
    PRIMARY KEY (item_id, id)
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Login sessions of the dashboard. Only a SHA-256 of the cookie's token is stored.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    username   TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
