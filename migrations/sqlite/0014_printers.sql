-- 0013: printing. The shop's printers (`printers_json`: each printer's id, name, kind,
-- address, paper width, documents, copies, auto print), the address printed on the bill and
-- the tickets' language join the stored settings; NULL means the environment's value or the
-- default applies.
--
-- `print_jobs` is the print queue: one row a document to print on one printer, with the
-- ESC/POS bytes rendered when it was queued (so what prints is what was queued, even after a
-- restart or a settings change). Each printer prints its `queued` jobs oldest first; a job
-- becomes `done` only once its bytes were written and the connection closed cleanly.
-- `attempts` and `last_error` tell what went wrong meanwhile.

ALTER TABLE shop_settings ADD COLUMN printers_json TEXT;
ALTER TABLE shop_settings ADD COLUMN shop_address TEXT;
ALTER TABLE shop_settings ADD COLUMN ticket_language TEXT;

CREATE TABLE print_jobs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    printer_id  TEXT NOT NULL,
    order_id    INTEGER REFERENCES orders (id) ON DELETE CASCADE,
    document    TEXT NOT NULL CHECK (document IN ('kot', 'bill', 'test')),
    reprint     INTEGER NOT NULL DEFAULT 0 CHECK (reprint IN (0, 1)),
    copies      INTEGER NOT NULL DEFAULT 1 CHECK (copies BETWEEN 1 AND 5),
    auto        INTEGER NOT NULL DEFAULT 0 CHECK (auto IN (0, 1)),
    bytes       BLOB NOT NULL,
    status      TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'done')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    created_at  TEXT NOT NULL,
    printed_at  TEXT
);
CREATE INDEX print_jobs_queued ON print_jobs (printer_id, status, id);
CREATE INDEX print_jobs_by_order ON print_jobs (order_id, document);
