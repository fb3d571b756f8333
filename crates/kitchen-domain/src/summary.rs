//! The day summary: a business day in numbers.

use chrono::NaiveDate;
use serde::Serialize;

/// One business day in numbers, for the dashboard's day summary.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct DaySummary {
    /// The business day.
    #[ts(type = "string")]
    pub date: NaiveDate,
    /// Orders taken that day, cancelled ones included.
    pub orders: u32,
    /// Of them, cancelled.
    pub cancelled: u32,
    /// Of them, handed to the customer: delivered, or collected at the counter.
    pub delivered: u32,
    /// Of them, brought back by the rider (no revenue).
    pub returned: u32,
    /// Total of the orders neither cancelled nor returned (handed over and still open), in
    /// paisa: what the customers pay, tax and delivery fees included.
    #[ts(type = "number")]
    pub revenue: i64,
    /// Of `revenue`, the delivered and collected orders' totals (tax and delivery fees
    /// included), paisa.
    #[ts(type = "number")]
    pub delivered_revenue: i64,
    /// Of `revenue`, the orders not finished yet (new, preparing, ready, out for
    /// delivery), paisa: money still to come in.
    #[ts(type = "number")]
    pub open_revenue: i64,
    /// Mean minutes from taking an order to its last move to ready (orders that got there).
    pub average_minutes_to_ready: Option<f64>,
    /// Calls the AI answered that day.
    pub ai_calls: u32,
    /// Seconds the AI spent on calls that day (live calls up to now): what the daily AI
    /// budget counts.
    #[ts(type = "number")]
    pub ai_seconds: i64,
    /// What the AI cost that day, estimated from each call's token usage, in paisa.
    #[ts(type = "number")]
    pub ai_cost_paisa: i64,
}

/// The AI's calls within a span of time: how many, how long, what they cost.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AiUsage {
    /// Calls the AI answered (their media stream started) within the span.
    pub calls: u32,
    /// Seconds from each such call's answer to its end (or to now, or to the span's end,
    /// whichever comes first).
    pub seconds: i64,
    /// Their estimated cost, in thousandths of a paisa.
    pub cost_millipaisa: i64,
}

impl DaySummary {
    /// This summary with the day's AI usage.
    #[must_use]
    pub fn with_ai(self, ai: AiUsage) -> DaySummary {
        DaySummary {
            ai_calls: ai.calls,
            ai_seconds: ai.seconds,
            ai_cost_paisa: crate::settings::caps::paisa_of_millipaisa(ai.cost_millipaisa),
            ..self
        }
    }
}
