-- 0005: menus the way Pakistani pizza shops sell (option groups, half-and-half, deals) and
-- orders with options, halves, deal lines, delivery or pickup, payment and a bill.
--
-- The menu becomes one JSON document (`menu_document`, one row), the shape `GET /api/menu`
-- sends and `PUT /api/menu` takes, checked as a whole by the domain before it is written.
-- Items, sizes, option groups and deals refer to each other by id, so one document
-- replaced in one statement is simpler and safer than six tables kept in step. Existing
-- shops' items and sizes move over unchanged (no options, no deals).
--
-- Orders gain typed columns for how they are fulfilled and paid, the order's note and
-- promised minutes, and `bill_json` (the bill as computed when the order was placed: lines,
-- savings, fee, tax, total, the total in Urdu words). Orders placed before this migration
-- have `bill_json` NULL: their bill is their lines with no fee and no tax, as it was.
-- `order_items` gains `detail_json` (options, half, note, a deal's contents) and new kinds.

CREATE TABLE menu_document (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    json TEXT    NOT NULL
);

INSERT INTO menu_document (id, json)
SELECT 1, json_object('items', json_group_array(json(item)), 'option_groups', json('[]'),
                      'deals', json('[]'))
FROM (
    SELECT json_object(
               'id', i.id, 'name', i.name, 'name_ur', i.name_ur, 'kind', i.kind,
               'available', json(CASE WHEN i.available THEN 'true' ELSE 'false' END),
               'sizes', (SELECT json_group_array(json_object('id', s.id, 'label', s.label,
                                                             'price', s.price_paisa))
                         FROM (SELECT * FROM menu_sizes
                               WHERE item_id = i.id ORDER BY position) AS s)
           ) AS item
    FROM menu_items AS i
    ORDER BY i.position
)
HAVING COUNT(*) > 0;

DROP TABLE menu_sizes;
DROP TABLE menu_items;

ALTER TABLE orders ADD COLUMN fulfilment_type TEXT NOT NULL DEFAULT 'delivery'
    CHECK (fulfilment_type IN ('delivery', 'pickup'));
ALTER TABLE orders ADD COLUMN zone_id TEXT;
ALTER TABLE orders ADD COLUMN zone_name TEXT;
ALTER TABLE orders ADD COLUMN zone_name_ur TEXT;
ALTER TABLE orders ADD COLUMN pickup_in_minutes INTEGER;
ALTER TABLE orders ADD COLUMN payment_method TEXT NOT NULL DEFAULT 'cash'
    CHECK (payment_method IN ('cash', 'card', 'wallet'));
ALTER TABLE orders ADD COLUMN pays_with_paisa INTEGER;
ALTER TABLE orders ADD COLUMN change_paisa INTEGER;
ALTER TABLE orders ADD COLUMN note TEXT;
ALTER TABLE orders ADD COLUMN eta_minutes INTEGER;
ALTER TABLE orders ADD COLUMN bill_json TEXT;

-- SQLite cannot change a CHECK constraint in place: the items table is rebuilt.
CREATE TABLE order_items_v5 (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id         INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    item_id          TEXT    NOT NULL,  -- a deal line's deal id
    name             TEXT    NOT NULL,  -- names and prices as they were when ordered
    name_ur          TEXT,
    kind             TEXT    NOT NULL CHECK (kind IN ('pizza', 'side', 'drink', 'dip', 'dessert',
                                                      'pasta', 'other', 'deal')),
    size_id          TEXT    NOT NULL,  -- '' for a deal line
    size_label       TEXT    NOT NULL,
    quantity         INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 20),
    unit_price_paisa INTEGER NOT NULL,
    line_total_paisa INTEGER NOT NULL,
    detail_json      TEXT,              -- {options, half, note, deal}; NULL: none of them
    UNIQUE (order_id, position)
);
INSERT INTO order_items_v5 (id, order_id, position, item_id, name, name_ur, kind, size_id,
                            size_label, quantity, unit_price_paisa, line_total_paisa)
SELECT id, order_id, position, item_id, name, name_ur, kind, size_id, size_label, quantity,
       unit_price_paisa, line_total_paisa
FROM order_items;
DROP TABLE order_items;
ALTER TABLE order_items_v5 RENAME TO order_items;

ALTER TABLE shop_settings ADD COLUMN delivery_zones_json TEXT;
ALTER TABLE shop_settings ADD COLUMN pickup_json TEXT;
ALTER TABLE shop_settings ADD COLUMN tax_json TEXT;
ALTER TABLE shop_settings ADD COLUMN payment_methods_json TEXT;
ALTER TABLE shop_settings ADD COLUMN hours_json TEXT;
