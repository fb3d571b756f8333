-- 0009: an order changed after it was placed (the caller rang back, by phone AI or at the
-- dashboard) says so on the board. Each edit's history row keeps what it changed
-- (`changes_json`: [{"en": "+1 Coke 1.5 L", "ur": "…"}], NULL for status changes), and the
-- order keeps its latest edit that changed something (`changed_at`, `changes_json`), so
-- the board's lists show the CHANGED badge without reading every order's history.

ALTER TABLE order_events ADD COLUMN changes_json TEXT;
ALTER TABLE orders ADD COLUMN changed_at TEXT;
ALTER TABLE orders ADD COLUMN changes_json TEXT;
