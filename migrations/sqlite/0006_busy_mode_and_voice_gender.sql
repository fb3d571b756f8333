-- 0006: two phone settings in `shop_settings` (NULL: not set here).
--   busy_minutes_per_order  minutes added to every promised time per open order (0 to 30)
--   ai_voice_gender         'female' or 'male': the grammatical gender the phone AI speaks of
--                           itself in (NULL: the configured voice's)

ALTER TABLE shop_settings ADD COLUMN busy_minutes_per_order INTEGER;
ALTER TABLE shop_settings ADD COLUMN ai_voice_gender TEXT;
