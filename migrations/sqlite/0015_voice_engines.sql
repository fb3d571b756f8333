-- 0015: voice engines. Which engine answers calls (`realtime-bridge`, `live-bridge`,
-- `sip-live`, `sip-realtime`), the OpenAI project that takes SIP calls, and the GPT-Live
-- models join the stored settings; NULL means the environment's value or the default
-- applies. The webhook secret is a secret: it lives in the secret store, never here.

ALTER TABLE shop_settings ADD COLUMN voice_engine TEXT;
ALTER TABLE shop_settings ADD COLUMN openai_project_id TEXT;
ALTER TABLE shop_settings ADD COLUMN openai_live_model TEXT;
ALTER TABLE shop_settings ADD COLUMN openai_live_backend_model TEXT;
