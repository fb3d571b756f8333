-- 0008: call cards, the quotes read back on each call, and the catering-size setting.
--
-- A call card is a call the kitchen must do something about (ring back an unfinished order,
-- a transfer's summary, a promised call back); the board shows the open ones until someone
-- marks them done. `done_by` is a username, or 'system' when a later order from the same
-- phone resolved an unfinished order. Cards and quotes keep the CallSid as text (not a
-- reference to `calls`): a card must survive whatever happens to the call log's row.

CREATE TABLE call_cards (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT    NOT NULL CHECK (kind IN ('unfinished_order', 'transfer', 'call_back')),
    call_sid   TEXT    NOT NULL,
    phone      TEXT,                    -- E.164, NULL when unknown
    reason     TEXT,
    summary    TEXT    NOT NULL,
    total_paisa INTEGER,               -- the draft's total, for unfinished orders
    created_at TEXT    NOT NULL,
    done_at    TEXT,                    -- NULL while open
    done_by    TEXT
);
CREATE INDEX call_cards_open ON call_cards (done_at, created_at);
CREATE INDEX call_cards_by_call ON call_cards (call_sid, id);
CREATE INDEX call_cards_by_phone ON call_cards (phone) WHERE done_at IS NULL;

-- Each priced draft read back on a call (an `update_order` answer).
CREATE TABLE call_quotes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    call_sid     TEXT    NOT NULL,
    quote_id     TEXT    NOT NULL,       -- 'Q3', unique within its call
    lines_json   TEXT    NOT NULL,       -- JSON array of the bill's lines as read back
    total_paisa  INTEGER NOT NULL,
    missing_json TEXT    NOT NULL,       -- JSON array of what was still missing
    at           TEXT    NOT NULL,
    UNIQUE (call_sid, quote_id)
);

--   catering_min_items  an order with at least this many items needs a person (0 to 500,
--                       0: off; NULL: not set here)
ALTER TABLE shop_settings ADD COLUMN catering_min_items INTEGER;
