-- 0011: what the phone AI may cost. The shop's caps on AI calls (how many at once, how long
-- each, how many from one number an hour, how many minutes a business day) and the price
-- table (`ai_prices_json`: whole rupees per million tokens by kind) join the stored
-- settings; NULL means the environment's value or the default applies.
--
-- Each call keeps its cached input tokens and its estimated cost in thousandths of a paisa
-- (`ai_cost_millipaisa`, summed response by response at the prices in effect then), so
-- the call log and the day summary show what the AI cost without re-pricing old calls.

ALTER TABLE shop_settings ADD COLUMN max_concurrent_ai_calls INTEGER;
ALTER TABLE shop_settings ADD COLUMN max_call_minutes INTEGER;
ALTER TABLE shop_settings ADD COLUMN max_calls_per_caller_per_hour INTEGER;
ALTER TABLE shop_settings ADD COLUMN daily_ai_budget_minutes INTEGER;
ALTER TABLE shop_settings ADD COLUMN ai_prices_json TEXT;

ALTER TABLE calls ADD COLUMN cached_input_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE calls ADD COLUMN ai_cost_millipaisa INTEGER NOT NULL DEFAULT 0;
CREATE INDEX calls_by_answer ON calls (answered_at);
