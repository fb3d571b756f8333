-- 0002: orders as shops take them since issue 12: delivery (to a zone) or pickup, how the
-- customer pays and the change to carry, the order's note, the minutes promised, and the
-- bill as computed when the order was placed (lines, deal savings, delivery fee, tax,
-- total, the total in Urdu words). Each item row gains `detail`: its options, the other
-- half of a half-and-half, its note, and a deal's contents (a deal line's `kind` is
-- `deal`; no constraint on `kind` exists here to widen).
--
-- Money is BIGINT paisa like `total_paisa`; `bill` and `detail` are JSONB, so reports can
-- read `bill->>'total'` or `detail->'deal'->'parts'`. `IF NOT EXISTS` keeps this safe on
-- a chain whose own `orders` table already has a column of one of these names.
--
-- Orders synced before this (and the original system's rows) were deliveries paid in
-- cash: the defaults say so. Their bill and detail stay NULL: the bill of such an order is
-- its items, with no fee and no tax.

ALTER TABLE orders
    ADD COLUMN IF NOT EXISTS fulfilment_type   TEXT DEFAULT 'delivery', -- 'delivery' or 'pickup'
    ADD COLUMN IF NOT EXISTS zone_id           TEXT,                    -- the delivery zone
    ADD COLUMN IF NOT EXISTS zone_name         TEXT,
    ADD COLUMN IF NOT EXISTS pickup_in_minutes INTEGER,                 -- when a pickup is collected
    ADD COLUMN IF NOT EXISTS payment_method    TEXT DEFAULT 'cash',     -- 'cash', 'card' or 'wallet'
    ADD COLUMN IF NOT EXISTS pays_with_paisa   BIGINT,                  -- the note paid with
    ADD COLUMN IF NOT EXISTS change_paisa      BIGINT,                  -- change to carry
    ADD COLUMN IF NOT EXISTS note              TEXT,
    ADD COLUMN IF NOT EXISTS eta_minutes       INTEGER,                 -- minutes promised
    ADD COLUMN IF NOT EXISTS bill              JSONB;

ALTER TABLE order_items
    ADD COLUMN IF NOT EXISTS detail JSONB;  -- {options, half, note, deal}; NULL: none
