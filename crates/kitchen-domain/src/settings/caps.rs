//! What the phone AI may cost: the caps on calls (how many at once, how long each, how many
//! from one number an hour, how many minutes a business day) and the price table that turns
//! a call's token usage into an estimated cost.
//!
//! Money stays integer: prices are whole rupees per million tokens, and a call's cost is
//! kept in thousandths of a paisa (exact for any token count at those prices) and shown in
//! paisa.

use crate::validation::FieldError;
use serde::{Deserialize, Serialize};

/// The defaults, for one shop with one or two phone lines.
pub mod defaults {
    /// Four calls with the AI at once: a one-shop pizza place rarely has more than two or
    /// three callers at the same moment, even at the Friday-night peak; a fifth is far more
    /// likely a robocaller or a test than a customer, and goes to the shop's phone.
    pub const MAX_CONCURRENT_AI_CALLS: u32 = 4;
    /// Fifteen minutes a call: a phone order takes three to five minutes, a large family
    /// order with changes ten; past fifteen the AI is not getting anywhere and a person
    /// does better (and a stuck or looping call stops costing long before the Realtime
    /// API's own 60-minute end).
    pub const MAX_CALL_MINUTES: u32 = 15;
    /// Six calls an hour from one number: a customer who orders, adds a drink, checks where
    /// the order is and calls twice more to hurry the rider is still served by the AI; a
    /// number that calls more than that in an hour is looping and goes to the shop.
    pub const MAX_CALLS_PER_CALLER_PER_HOUR: u32 = 6;
    /// Three hundred AI minutes a business day: about a hundred orders of three minutes,
    /// more than a busy single shop takes by phone, and at the default prices roughly
    /// Rs 5,000–8,000 of AI a day at most; past it calls go to the shop's phone.
    pub const DAILY_AI_BUDGET_MINUTES: u32 = 300;
}

/// The range of each cap.
pub mod ranges {
    /// Calls with the AI at once (the relay is measured at 200 at once; a central number
    /// for several branches may need dozens).
    pub const MAX_CONCURRENT_AI_CALLS: (u32, u32) = (1, 500);
    /// Minutes one call may last (the session's own wrap-up comes at 55).
    pub const MAX_CALL_MINUTES: (u32, u32) = (1, 55);
    /// Calls an hour from one number.
    pub const MAX_CALLS_PER_CALLER_PER_HOUR: (u32, u32) = (1, 60);
    /// AI minutes a business day.
    pub const DAILY_AI_BUDGET_MINUTES: (u32, u32) = (1, 20_000);
    /// One price, rupees per million tokens.
    pub const PRICE: (u32, u32) = (0, 1_000_000);
}

/// The share of the daily budget at which the board warns, in percent.
pub const BUDGET_WARNING_PERCENT: u32 = 80;

/// What the AI model charges, in whole rupees per million tokens, by kind of token.
///
/// The default is `gpt-realtime-2.1`'s list price (per 1M tokens: audio $32 in, $64 out;
/// text $4 in, $24 out; cached input $0.40) at 280 rupees to the dollar. The owner
/// corrects it when the model, the price or the rate changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct AiPrices {
    /// Audio the AI hears (the caller), not cached.
    pub audio_input: u32,
    /// Audio the AI speaks.
    pub audio_output: u32,
    /// Text the AI reads (instructions, tool results), not cached.
    pub text_input: u32,
    /// Text the AI writes (transcripts, tool calls).
    pub text_output: u32,
    /// Input the API had cached from earlier in the call (text or audio).
    pub cached_input: u32,
}

impl Default for AiPrices {
    fn default() -> Self {
        AiPrices {
            audio_input: 8_960,
            audio_output: 17_920,
            text_input: 1_120,
            text_output: 6_720,
            cached_input: 112,
        }
    }
}

/// The tokens of one response (the Realtime API's `response.done` usage).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TokenUse {
    /// Text input tokens, cached ones included.
    pub text_input: u64,
    /// Audio input tokens, cached ones included.
    pub audio_input: u64,
    /// Of the input, cached tokens.
    pub cached_input: u64,
    /// Of the cached input, text tokens, when the API says (`None`: not split).
    pub cached_text: Option<u64>,
    /// Text output tokens.
    pub text_output: u64,
    /// Audio output tokens.
    pub audio_output: u64,
}

impl AiPrices {
    /// Checks every price (0 to 1,000,000 rupees per million tokens), each problem under
    /// `ai_prices.<kind>`.
    pub fn check(self) -> Result<AiPrices, Vec<FieldError>> {
        let (lo, hi) = ranges::PRICE;
        let errors: Vec<FieldError> = [
            ("audio_input", self.audio_input),
            ("audio_output", self.audio_output),
            ("text_input", self.text_input),
            ("text_output", self.text_output),
            ("cached_input", self.cached_input),
        ]
        .into_iter()
        .filter(|(_, v)| !(lo..=hi).contains(v))
        .map(|(kind, _)| {
            FieldError::coded(
                format!("ai_prices.{kind}"),
                "out_of_range",
                format!("must be between {lo} and {hi} rupees per million tokens"),
            )
            .with("min", lo)
            .with("max", hi)
        })
        .collect();
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(errors)
        }
    }

    /// The cost of `u` in thousandths of a paisa.
    ///
    /// Cached tokens are priced at the cached rate and taken out of the text input first
    /// when the API does not say how they split: text is the cheaper input, so the
    /// estimate errs high, never low.
    pub fn cost_millipaisa(&self, u: &TokenUse) -> u64 {
        let cached = u.cached_input.min(u.text_input + u.audio_input);
        let cached_text = u
            .cached_text
            .unwrap_or(cached)
            .min(u.text_input)
            .min(cached);
        let cached_audio = (cached - cached_text).min(u.audio_input);
        let rate_sum = (u.text_input - cached_text) * u64::from(self.text_input)
            + (u.audio_input - cached_audio) * u64::from(self.audio_input)
            + (cached_text + cached_audio) * u64::from(self.cached_input)
            + u.text_output * u64::from(self.text_output)
            + u.audio_output * u64::from(self.audio_output);
        // Rupees per million tokens = 100,000 millipaisa per million tokens = 1/10 a token.
        rate_sum / 10
    }
}

/// Thousandths of a paisa as whole paisa, rounded to the nearest.
pub fn paisa_of_millipaisa(m: i64) -> i64 {
    (m + 500).div_euclid(1000)
}

/// Where the day's AI minutes stand against the budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetState {
    /// Under 80 %.
    Fine,
    /// At or over 80 %, under 100 %: the board warns.
    Warning,
    /// Used up: calls go to the shop's phone.
    Reached,
}

impl BudgetState {
    /// Where `used_seconds` of AI time stand against `budget_minutes`.
    pub fn of(used_seconds: u64, budget_minutes: u32) -> BudgetState {
        let budget = u64::from(budget_minutes) * 60;
        if used_seconds >= budget {
            BudgetState::Reached
        } else if used_seconds * 100 >= budget * u64::from(BUDGET_WARNING_PERCENT) {
            BudgetState::Warning
        } else {
            BudgetState::Fine
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_prices_are_the_models_list_price_at_280_rupees() {
        let p = AiPrices::default();
        // $32 per 1M audio input tokens × 280 = Rs 8,960.
        assert_eq!(p.audio_input, 32 * 280);
        assert_eq!(p.audio_output, 64 * 280);
        assert_eq!(p.text_input, 4 * 280);
        assert_eq!(p.text_output, 24 * 280);
        assert_eq!(p.cached_input * 10, 4 * 280);
    }

    #[test]
    fn a_million_audio_tokens_cost_their_price_in_rupees() {
        let p = AiPrices::default();
        let u = TokenUse {
            audio_input: 1_000_000,
            ..TokenUse::default()
        };
        // Rs 8,960 = 896,000 paisa = 896,000,000 millipaisa.
        assert_eq!(p.cost_millipaisa(&u), 896_000_000);
    }

    #[test]
    fn cached_tokens_come_out_of_text_first_unless_the_split_is_known() {
        let p = AiPrices::default();
        let u = TokenUse {
            text_input: 1000,
            audio_input: 2000,
            cached_input: 1500,
            cached_text: None,
            text_output: 100,
            audio_output: 400,
        };
        // 1000 text cached + 500 audio cached; 1500 audio at full price.
        let want = (1500 * 8960 + 1500 * 112 + 100 * 6720 + 400 * 17920) / 10;
        assert_eq!(p.cost_millipaisa(&u), want);
        let split = TokenUse {
            cached_text: Some(200),
            ..u
        };
        let want = (800 * 1120 + 700 * 8960 + 1500 * 112 + 100 * 6720 + 400 * 17920) / 10;
        assert_eq!(p.cost_millipaisa(&split), want);
        // More cached than read (a malformed report) costs no more than all of it cached.
        let odd = TokenUse {
            text_input: 10,
            cached_input: 99,
            ..TokenUse::default()
        };
        assert_eq!(p.cost_millipaisa(&odd), 10 * 112 / 10);
    }

    #[test]
    fn prices_out_of_range_are_named_by_kind() {
        let bad = AiPrices {
            text_output: 2_000_000,
            ..AiPrices::default()
        };
        let errors = bad.check().unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "ai_prices.text_output");
        assert_eq!(errors[0].code, "out_of_range");
        assert!(AiPrices::default().check().is_ok());
    }

    #[test]
    fn the_budget_warns_at_80_percent_and_is_reached_at_100() {
        assert_eq!(BudgetState::of(0, 10), BudgetState::Fine);
        assert_eq!(BudgetState::of(479, 10), BudgetState::Fine);
        assert_eq!(BudgetState::of(480, 10), BudgetState::Warning);
        assert_eq!(BudgetState::of(599, 10), BudgetState::Warning);
        assert_eq!(BudgetState::of(600, 10), BudgetState::Reached);
        assert_eq!(paisa_of_millipaisa(1_499), 1);
        assert_eq!(paisa_of_millipaisa(1_500), 2);
        assert_eq!(paisa_of_millipaisa(0), 0);
    }
}
