//! A phone call as the call log shows it: its outcome, its transcript lines, the quotes read
//! back on it, its call cards and the record the dashboard lists. Plain data: the store
//! writes and reads it, the API and the desktop shell show it.

use crate::call_card::{CallCard, CallQuote};
use crate::money::Money;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// How a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum CallOutcome {
    /// Still going.
    InProgress,
    /// An order was placed.
    Ordered,
    /// Handed to the shop's phone.
    Transferred,
    /// The caller hung up without ordering.
    Abandoned,
    /// The AI could not serve (see the reason).
    Failed,
    /// The caller asked about an order they had placed.
    Status,
    /// The caller's order was cancelled on the call.
    Cancelled,
    /// The caller's order was changed on the call.
    Changed,
    /// The caller asked a question (menu, prices, hours) without ordering.
    Enquiry,
    /// The caller complained.
    Complaint,
    /// The caller dialled the wrong number.
    WrongNumber,
}

impl CallOutcome {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            CallOutcome::InProgress => "in_progress",
            CallOutcome::Ordered => "ordered",
            CallOutcome::Transferred => "transferred",
            CallOutcome::Abandoned => "abandoned",
            CallOutcome::Failed => "failed",
            CallOutcome::Status => "status",
            CallOutcome::Cancelled => "cancelled",
            CallOutcome::Changed => "changed",
            CallOutcome::Enquiry => "enquiry",
            CallOutcome::Complaint => "complaint",
            CallOutcome::WrongNumber => "wrong_number",
        }
    }

    /// The outcome of a stored name (`None` for any other text).
    pub fn parse(s: &str) -> Option<CallOutcome> {
        Some(match s {
            "in_progress" => CallOutcome::InProgress,
            "ordered" => CallOutcome::Ordered,
            "transferred" => CallOutcome::Transferred,
            "abandoned" => CallOutcome::Abandoned,
            "failed" => CallOutcome::Failed,
            "status" => CallOutcome::Status,
            "cancelled" => CallOutcome::Cancelled,
            "changed" => CallOutcome::Changed,
            "enquiry" => CallOutcome::Enquiry,
            "complaint" => CallOutcome::Complaint,
            "wrong_number" => CallOutcome::WrongNumber,
            _ => return None,
        })
    }
}

/// Why a call ended as it did, for the call log to say in the screen's language (the
/// free-text `outcome_reason` beside it keeps any technical detail).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum CallEndReason {
    /// The owner paused AI answering: the call went to the shop's phone.
    AnsweringPaused,
    /// No OpenAI API key is set.
    NoOpenaiKey,
    /// No public address is set for Twilio to reach the server.
    NoPublicUrl,
    /// The shop's cap on calls with the AI at once was reached.
    ConcurrentCap,
    /// This number reached the shop's cap on calls an hour.
    CallerHourlyCap,
    /// Today's AI budget was used up.
    DailyBudget,
    /// The caller asked for a person.
    CallerAskedForPerson,
    /// The AI connection failed or dropped (the detail says how).
    AiFailed,
}

impl CallEndReason {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            CallEndReason::AnsweringPaused => "answering_paused",
            CallEndReason::NoOpenaiKey => "no_openai_key",
            CallEndReason::NoPublicUrl => "no_public_url",
            CallEndReason::ConcurrentCap => "concurrent_cap",
            CallEndReason::CallerHourlyCap => "caller_hourly_cap",
            CallEndReason::DailyBudget => "daily_budget",
            CallEndReason::CallerAskedForPerson => "caller_asked_for_person",
            CallEndReason::AiFailed => "ai_failed",
        }
    }

    /// The reason of a stored name (`None` for any other text).
    pub fn parse(s: &str) -> Option<CallEndReason> {
        Some(match s {
            "answering_paused" => CallEndReason::AnsweringPaused,
            "no_openai_key" => CallEndReason::NoOpenaiKey,
            "no_public_url" => CallEndReason::NoPublicUrl,
            "concurrent_cap" => CallEndReason::ConcurrentCap,
            "caller_hourly_cap" => CallEndReason::CallerHourlyCap,
            "daily_budget" => CallEndReason::DailyBudget,
            "caller_asked_for_person" => CallEndReason::CallerAskedForPerson,
            "ai_failed" => CallEndReason::AiFailed,
            _ => return None,
        })
    }
}

/// One line of a call's transcript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct TranscriptLine {
    /// `caller`, `ai` or `system`.
    pub speaker: String,
    /// What was said.
    pub text: String,
    /// When (RFC 3339).
    pub at: String,
}

/// A call as the log shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct CallRecord {
    /// Twilio's CallSid.
    pub call_sid: String,
    /// The caller's number (E.164 or `withheld`).
    pub caller: Option<String>,
    /// When the call came in.
    pub started_at: String,
    /// When the audio stream began.
    pub answered_at: Option<String>,
    /// When it ended.
    pub ended_at: Option<String>,
    /// Seconds from start to end.
    #[ts(type = "number | null")]
    pub duration_seconds: Option<i64>,
    /// How it ended.
    pub outcome: CallOutcome,
    /// Why it failed or was transferred, in words (English; technical detail included).
    pub outcome_reason: Option<String>,
    /// The same as a code, for the dashboard to say in its language (`None` on calls
    /// without one).
    pub outcome_reason_code: Option<CallEndReason>,
    /// The order placed on it.
    #[ts(type = "number | null")]
    pub order_id: Option<i64>,
    /// Tokens used (for cost).
    #[ts(type = "number")]
    pub input_tokens: i64,
    /// Tokens produced.
    #[ts(type = "number")]
    pub output_tokens: i64,
    /// What the AI's tokens on this call cost, estimated at the shop's price table as it
    /// was during the call, in paisa (rounded to the nearest).
    #[ts(type = "number")]
    pub ai_cost_paisa: i64,
    /// Transcript lines (only on single-call reads).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub transcript: Option<Vec<TranscriptLine>>,
    /// The drafts read back on the call, oldest first (only on single-call reads).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub quotes: Option<Vec<CallQuote>>,
    /// The call cards it made, open or done, oldest first (only on single-call reads).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub cards: Option<Vec<CallCard>>,
}

/// A change to a call's log entry: what the phone side records, the store writes.
#[derive(Debug, Clone)]
pub enum CallUpdate {
    /// The webhook arrived.
    Started {
        /// Twilio's CallSid.
        call_sid: String,
        /// The caller (E.164, `withheld`).
        caller: Option<String>,
        /// When.
        at: DateTime<Utc>,
    },
    /// The media stream started.
    Answered {
        /// Twilio's CallSid.
        call_sid: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// A transcript line.
    Said {
        /// Twilio's CallSid.
        call_sid: String,
        /// `caller`, `ai` or `system`.
        speaker: &'static str,
        /// The text.
        text: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// Tokens of one response.
    Usage {
        /// Twilio's CallSid.
        call_sid: String,
        /// Input tokens.
        input: u64,
        /// Output tokens.
        output: u64,
        /// Of which audio in.
        audio_in: u64,
        /// Of which audio out.
        audio_out: u64,
        /// Of the input, tokens the API had cached.
        cached_in: u64,
        /// The response's estimated cost, in thousandths of a paisa
        /// ([`crate::settings::AiPrices::cost_millipaisa`]).
        cost_millipaisa: u64,
    },
    /// An order was placed on the call.
    Ordered {
        /// Twilio's CallSid.
        call_sid: String,
        /// The order.
        order_id: i64,
    },
    /// A priced draft was read back (an `update_order` answer): kept so the call log shows
    /// what the caller heard, quote by quote.
    Quoted {
        /// Twilio's CallSid.
        call_sid: String,
        /// The quote's id within the call (`Q3`).
        quote_id: String,
        /// The bill's lines as read back.
        lines: Vec<String>,
        /// The total.
        total: Money,
        /// What was still missing before it could be placed.
        missing: Vec<String>,
        /// When.
        at: DateTime<Utc>,
    },
    /// The call ended.
    Ended {
        /// Twilio's CallSid.
        call_sid: String,
        /// How (an order placed earlier makes `Abandoned` into `Ordered`).
        outcome: CallOutcome,
        /// Why, for failures and transfers, in words.
        reason: Option<String>,
        /// Why, as a code.
        code: Option<CallEndReason>,
        /// When.
        at: DateTime<Utc>,
    },
}
