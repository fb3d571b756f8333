-- 0004: the shop's settings get a typed table of their own.
--
-- Until now every setting was a text row in `settings` (key, value): numbers as decimal
-- text, yes/no as 'true'/'false'. The settings the owner edits (dashboard, setup wizard,
-- pause answering) now live in ONE row of `shop_settings`, a typed column each; NULL means
-- "not set here" (the environment's value or the default applies). Secrets are never
-- here: they live in the secret store (keychain or secrets.json).
--
-- Existing shops' values move over: numbers that do not parse and yes/no values other than
-- 'true'/'false' are dropped (they were ignored before too), then the old rows are deleted.
-- `settings` keeps the server's own values (password hash, shop id, sync target).

CREATE TABLE shop_settings (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    shop_name           TEXT,
    greeting            TEXT,
    eta_minutes         INTEGER,
    amber_after_minutes INTEGER,
    red_after_minutes   INTEGER,
    shop_phone          TEXT,
    twilio_account_sid  TEXT,
    twilio_phone_number TEXT,
    openai_model        TEXT,
    ngrok_domain        TEXT,
    start_at_login      INTEGER CHECK (start_at_login IN (0, 1)),
    setup_done          INTEGER CHECK (setup_done IN (0, 1)),
    answering_paused    INTEGER CHECK (answering_paused IN (0, 1))
);

INSERT INTO shop_settings (
    id, shop_name, greeting, eta_minutes, amber_after_minutes, red_after_minutes, shop_phone,
    twilio_account_sid, twilio_phone_number, openai_model, ngrok_domain, start_at_login,
    setup_done, answering_paused
) VALUES (
    1,
    (SELECT value FROM settings WHERE key = 'shop_name'),
    (SELECT value FROM settings WHERE key = 'greeting'),
    (SELECT CAST(value AS INTEGER) FROM settings
      WHERE key = 'eta_minutes' AND value <> '' AND value NOT GLOB '*[^0-9]*'),
    (SELECT CAST(value AS INTEGER) FROM settings
      WHERE key = 'amber_after_minutes' AND value <> '' AND value NOT GLOB '*[^0-9]*'),
    (SELECT CAST(value AS INTEGER) FROM settings
      WHERE key = 'red_after_minutes' AND value <> '' AND value NOT GLOB '*[^0-9]*'),
    (SELECT value FROM settings WHERE key = 'shop_phone'),
    (SELECT value FROM settings WHERE key = 'twilio_account_sid'),
    (SELECT value FROM settings WHERE key = 'twilio_phone_number'),
    (SELECT value FROM settings WHERE key = 'openai_model'),
    (SELECT value FROM settings WHERE key = 'ngrok_domain'),
    (SELECT CASE value WHEN 'true' THEN 1 WHEN 'false' THEN 0 END FROM settings
      WHERE key = 'start_at_login'),
    (SELECT CASE value WHEN 'true' THEN 1 END FROM settings WHERE key = 'setup_done'),
    (SELECT CASE value WHEN 'true' THEN 1 WHEN 'false' THEN 0 END FROM settings
      WHERE key = 'answering_paused')
);

DELETE FROM settings WHERE key IN (
    'shop_name', 'greeting', 'eta_minutes', 'amber_after_minutes', 'red_after_minutes',
    'shop_phone', 'twilio_account_sid', 'twilio_phone_number', 'openai_model',
    'ngrok_domain', 'start_at_login', 'setup_done', 'answering_paused'
);
