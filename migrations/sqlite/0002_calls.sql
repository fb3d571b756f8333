-- 0002: the call log. One row a phone call, its transcript lines, and its outcome.

CREATE TABLE calls (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    call_sid       TEXT    NOT NULL UNIQUE,  -- Twilio's CA…
    caller         TEXT,                     -- E.164, 'withheld', or NULL
    started_at     TEXT    NOT NULL,         -- the webhook arrived
    answered_at    TEXT,                     -- the media stream started
    ended_at       TEXT,
    outcome        TEXT    NOT NULL DEFAULT 'in_progress'
                   CHECK (outcome IN ('in_progress', 'ordered', 'transferred', 'abandoned', 'failed')),
    outcome_reason TEXT,                     -- why it failed or was transferred
    order_id       INTEGER REFERENCES orders (id),
    input_tokens   INTEGER NOT NULL DEFAULT 0,
    output_tokens  INTEGER NOT NULL DEFAULT 0,
    audio_input_tokens  INTEGER NOT NULL DEFAULT 0,
    audio_output_tokens INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX calls_by_start ON calls (started_at);

-- What was said: the caller (advisory transcription) and the AI (its own transcript).
CREATE TABLE call_transcript (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    call_id INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    speaker TEXT    NOT NULL CHECK (speaker IN ('caller', 'ai', 'system')),
    text    TEXT    NOT NULL,
    at      TEXT    NOT NULL
);
CREATE INDEX call_transcript_by_call ON call_transcript (call_id, id);
