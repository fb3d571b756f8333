-- 0007: the call log's outcome gains why a call without an order ended: 'status',
-- 'cancelled', 'changed', 'enquiry', 'complaint', 'wrong_number'. SQLite cannot change a
-- CHECK in place, so `calls` is rebuilt; `call_transcript` (which references it) is
-- rebuilt with it, pointing at the new table before the old one is dropped, so no
-- transcript line is cascaded away.

CREATE TABLE calls_new (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    call_sid       TEXT    NOT NULL UNIQUE,  -- Twilio's CA…
    caller         TEXT,                     -- E.164, 'withheld', or NULL
    started_at     TEXT    NOT NULL,         -- the webhook arrived
    answered_at    TEXT,                     -- the media stream started
    ended_at       TEXT,
    outcome        TEXT    NOT NULL DEFAULT 'in_progress'
                   CHECK (outcome IN ('in_progress', 'ordered', 'transferred', 'abandoned', 'failed',
                                      'status', 'cancelled', 'changed', 'enquiry', 'complaint',
                                      'wrong_number')),
    outcome_reason TEXT,                     -- why it failed or was transferred
    order_id       INTEGER REFERENCES orders (id),
    input_tokens   INTEGER NOT NULL DEFAULT 0,
    output_tokens  INTEGER NOT NULL DEFAULT 0,
    audio_input_tokens  INTEGER NOT NULL DEFAULT 0,
    audio_output_tokens INTEGER NOT NULL DEFAULT 0
);
INSERT INTO calls_new (id, call_sid, caller, started_at, answered_at, ended_at, outcome,
                       outcome_reason, order_id, input_tokens, output_tokens,
                       audio_input_tokens, audio_output_tokens)
SELECT id, call_sid, caller, started_at, answered_at, ended_at, outcome,
       outcome_reason, order_id, input_tokens, output_tokens,
       audio_input_tokens, audio_output_tokens
FROM calls;

CREATE TABLE call_transcript_new (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    call_id INTEGER NOT NULL REFERENCES calls_new (id) ON DELETE CASCADE,
    speaker TEXT    NOT NULL CHECK (speaker IN ('caller', 'ai', 'system')),
    text    TEXT    NOT NULL,
    at      TEXT    NOT NULL
);
INSERT INTO call_transcript_new (id, call_id, speaker, text, at)
SELECT id, call_id, speaker, text, at FROM call_transcript;

DROP TABLE call_transcript;
DROP TABLE calls;
-- Renaming rewrites call_transcript_new's reference to `calls`.
ALTER TABLE calls_new RENAME TO calls;
ALTER TABLE call_transcript_new RENAME TO call_transcript;
CREATE INDEX calls_by_start ON calls (started_at);
CREATE INDEX call_transcript_by_call ON call_transcript (call_id, id);
