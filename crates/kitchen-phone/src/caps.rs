//! The shop's caps on what callers can cost (settings `max_concurrent_ai_calls`,
//! `max_calls_per_caller_per_hour`, `daily_ai_budget_minutes`), checked when a call rings:
//! a call beyond any of them goes to the shop's phone (the TwiML of paused answering) and
//! opens no AI session. The cap on a call's length (`max_call_minutes`) is the session's
//! ([`crate::session::CallLimits::call_cap_ms`]); each response's token usage is priced
//! here ([`usage_update`]).
//!
//! Withheld numbers are not counted per caller: in Pakistan many real customers call from
//! numbers that show as private, and lumping them together would send the seventh of them
//! in an hour to the shop's phone. They stay bounded by the concurrent and daily caps.
//!
//! The per-caller count lives in memory (it resets when the server restarts, which costs at
//! most one more hour's worth of a looping number's calls); the daily budget is counted
//! from the call log, so a restart does not reset it.

use crate::CallService;
use chrono::{DateTime, Duration, Utc};
use kitchen_domain::settings::{AiPrices, BudgetState, TokenUse};
use kitchen_domain::{CallUpdate, PhoneNumber};
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use voice_protocol::realtime::server::{TokenDetails, Usage};

/// Why a call was not given to the AI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// This many calls are with the AI already.
    Concurrent(u32),
    /// This number called the AI this many times in the last hour already.
    CallerHourly(u32),
    /// Today's AI minutes (this many) are used up.
    Budget(u32),
}

impl Refusal {
    /// Why, as the call log's code.
    pub fn code(self) -> kitchen_domain::CallEndReason {
        match self {
            Refusal::Concurrent(_) => kitchen_domain::CallEndReason::ConcurrentCap,
            Refusal::CallerHourly(_) => kitchen_domain::CallEndReason::CallerHourlyCap,
            Refusal::Budget(_) => kitchen_domain::CallEndReason::DailyBudget,
        }
    }

    /// Why, for the call log.
    pub fn reason(self) -> String {
        match self {
            Refusal::Concurrent(n) => {
                format!("{n} calls were already with the AI (the shop's cap on calls at once)")
            }
            Refusal::CallerHourly(n) => format!(
                "this number already called {n} times in the last hour (the shop's cap per caller)"
            ),
            Refusal::Budget(n) => {
                format!("today's {n} AI minutes are used up (the shop's daily AI budget)")
            }
        }
    }
}

/// When each number's calls were given to the AI within the last hour. Its lock is also
/// the admission lock: a call is checked against the caps and registered under it, so two
/// calls ringing at once cannot both take the last place.
#[derive(Debug, Default)]
pub(crate) struct CallerBook(Mutex<HashMap<String, VecDeque<DateTime<Utc>>>>);

/// Past this many numbers, every number's old calls are swept when a call rings (a flood of
/// distinct numbers cannot grow the book without bound).
const SWEEP_ABOVE: usize = 1024;

impl CallerBook {
    /// Checks the live caps for `caller` at `now` and, when they allow, calls `register`
    /// (which registers the call with the AI) and counts the call; all under one lock.
    pub(crate) fn admit(
        &self,
        calls: &CallService,
        caller: &PhoneNumber,
        now: DateTime<Utc>,
        register: impl FnOnce() -> String,
    ) -> Result<String, Refusal> {
        let shop = calls.config().settings.clone();
        let mut book = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let hour_ago = now - Duration::hours(1);
        if book.len() > SWEEP_ABOVE {
            book.retain(|_, times| {
                times.retain(|t| *t > hour_ago);
                !times.is_empty()
            });
        }
        let with_ai =
            calls.active_calls() + calls.inner.registry.waiting_at(std::time::Instant::now());
        let cap = shop.max_concurrent_ai_calls;
        if with_ai >= cap as usize {
            return Err(Refusal::Concurrent(cap));
        }
        if let Some(number) = caller.e164() {
            let cap = shop.max_calls_per_caller_per_hour;
            let times = book.entry(number.to_string()).or_default();
            times.retain(|t| *t > hour_ago);
            if times.len() >= cap as usize {
                return Err(Refusal::CallerHourly(cap));
            }
            times.push_back(now);
        }
        Ok(register())
    }
}

/// Checks today's AI minutes against the daily budget. When the call log cannot be read
/// the call is let through (logged): a database hiccup must not turn real callers away,
/// and the concurrent cap still bounds the cost.
pub(crate) async fn check_budget(calls: &CallService) -> Result<BudgetState, Refusal> {
    let budget = calls.config().settings.daily_ai_budget_minutes;
    match calls.inner.kitchen.ai_usage_today().await {
        Ok(used) => {
            let seconds = u64::try_from(used.seconds).unwrap_or(0);
            match BudgetState::of(seconds, budget) {
                BudgetState::Reached => Err(Refusal::Budget(budget)),
                state => Ok(state),
            }
        }
        Err(e) => {
            tracing::error!(error = %e, "could not read today's AI minutes; the daily budget is not checked for this call");
            Ok(BudgetState::Fine)
        }
    }
}

/// One response's token usage as a call-log update, priced at `prices`. Tokens the API does
/// not break down by kind are priced as audio (the dearer kind: the estimate errs high).
pub fn usage_update(call_sid: &str, u: &Usage, prices: &AiPrices) -> CallUpdate {
    let all_audio = |tokens| TokenDetails {
        audio_tokens: tokens,
        ..TokenDetails::default()
    };
    let input = u
        .input_token_details
        .clone()
        .unwrap_or_else(|| all_audio(u.input_tokens));
    let output = u
        .output_token_details
        .clone()
        .unwrap_or_else(|| all_audio(u.output_tokens));
    let tokens = TokenUse {
        text_input: input.text_tokens,
        audio_input: input.audio_tokens,
        cached_input: input.cached_tokens.unwrap_or(0),
        cached_text: input.cached_tokens_details.as_ref().map(|d| d.text_tokens),
        text_output: output.text_tokens,
        audio_output: output.audio_tokens,
    };
    CallUpdate::Usage {
        call_sid: call_sid.to_string(),
        input: u.input_tokens,
        output: u.output_tokens,
        audio_in: tokens.audio_input,
        audio_out: tokens.audio_output,
        cached_in: tokens.cached_input,
        cost_millipaisa: prices.cost_millipaisa(&tokens),
    }
}

/// What `seconds` of GPT-Live session cost at `paisa_per_minute`
/// (`OPENAI_LIVE_PAISA_PER_MINUTE`), in thousandths of a paisa (the call log's unit). GPT-Live
/// reports usage as cumulative seconds: price the latest total and log the growth.
pub fn live_session_cost_millipaisa(seconds: f64, paisa_per_minute: u32) -> u64 {
    // Anything beyond a day is a malformed report, not a call.
    let seconds = seconds.clamp(0.0, 86_400.0);
    (seconds * f64::from(paisa_per_minute) * 1000.0 / 60.0).round() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use voice_protocol::realtime::server::CachedTokenDetails;

    #[test]
    fn a_responses_usage_is_priced_by_kind() {
        let u = Usage {
            total_tokens: 1700,
            input_tokens: 1200,
            output_tokens: 500,
            input_token_details: Some(TokenDetails {
                text_tokens: 1000,
                audio_tokens: 200,
                cached_tokens: Some(800),
                cached_tokens_details: Some(CachedTokenDetails {
                    text_tokens: 800,
                    audio_tokens: 0,
                }),
            }),
            output_token_details: Some(TokenDetails {
                text_tokens: 100,
                audio_tokens: 400,
                cached_tokens: None,
                cached_tokens_details: None,
            }),
        };
        let CallUpdate::Usage {
            input,
            output,
            audio_in,
            audio_out,
            cached_in,
            cost_millipaisa,
            ..
        } = usage_update("CA1", &u, &AiPrices::default())
        else {
            panic!("not a usage update");
        };
        assert_eq!(
            (input, output, audio_in, audio_out, cached_in),
            (1200, 500, 200, 400, 800)
        );
        let want = (200 * 1120 + 200 * 8960 + 800 * 112 + 100 * 6720 + 400 * 17920) / 10;
        assert_eq!(cost_millipaisa, want);
    }

    #[test]
    fn usage_without_details_is_priced_as_audio() {
        let u = Usage {
            total_tokens: 30,
            input_tokens: 20,
            output_tokens: 10,
            input_token_details: None,
            output_token_details: None,
        };
        let CallUpdate::Usage {
            cost_millipaisa, ..
        } = usage_update("CA1", &u, &AiPrices::default())
        else {
            panic!("not a usage update");
        };
        assert_eq!(cost_millipaisa, (20 * 8960 + 10 * 17920) / 10);
    }

    #[test]
    fn a_live_minute_costs_fourteen_rupees_billed_per_second() {
        assert_eq!(live_session_cost_millipaisa(60.0, 1_400), 1_400_000);
        assert_eq!(live_session_cost_millipaisa(1.5, 1_400), 35_000);
        assert_eq!(live_session_cost_millipaisa(-3.0, 1_400), 0);
        assert_eq!(live_session_cost_millipaisa(f64::NAN, 1_400), 0);
    }

    #[test]
    fn refusals_say_why_for_the_call_log() {
        assert!(Refusal::Concurrent(4).reason().contains("4 calls"));
        assert!(Refusal::CallerHourly(6).reason().contains("6 times"));
        assert!(Refusal::Budget(300).reason().contains("300 AI minutes"));
    }
}
