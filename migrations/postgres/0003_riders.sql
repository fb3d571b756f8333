-- 0003: riders (issue 16). An order that went out for delivery carries the rider it went
-- with as the shop kept it at dispatch (id, name, phone) and when it went out. The new
-- statuses ('out_for_delivery', 'collected', 'returned') fit `status` as it is; a returned
-- order's reason is in `cancel_reason`, like a cancellation's.

ALTER TABLE orders
    ADD COLUMN IF NOT EXISTS rider_id      TEXT,
    ADD COLUMN IF NOT EXISTS rider_name    TEXT,
    ADD COLUMN IF NOT EXISTS rider_phone   TEXT,
    ADD COLUMN IF NOT EXISTS dispatched_at TIMESTAMPTZ;
