-- 0012: why a call ended, as a code the dashboard says in its language (Urdu or English),
-- beside the words (`outcome_reason`, English, with any technical detail). Calls logged
-- before this get their code from the fixed sentences the server wrote then; a reason
-- with no fixed sentence (an AI connection error) stays without a code.

ALTER TABLE calls ADD COLUMN outcome_reason_code TEXT;

UPDATE calls SET outcome_reason_code = CASE
    WHEN outcome_reason = 'AI answering is paused' THEN 'answering_paused'
    WHEN outcome_reason = 'no OpenAI API key is configured' THEN 'no_openai_key'
    WHEN outcome_reason = 'PUBLIC_BASE_URL is not configured' THEN 'no_public_url'
    WHEN outcome_reason = 'the caller asked for a person' THEN 'caller_asked_for_person'
    WHEN outcome_reason LIKE '% calls were already with the AI (the shop''s cap on calls at once)'
        THEN 'concurrent_cap'
    WHEN outcome_reason LIKE 'this number already called % times in the last hour%'
        THEN 'caller_hourly_cap'
    WHEN outcome_reason LIKE 'today''s % AI minutes are used up%' THEN 'daily_budget'
    WHEN outcome = 'failed' AND outcome_reason IS NOT NULL THEN 'ai_failed'
END
WHERE outcome_reason IS NOT NULL;
