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
    /// Of them, delivered.
    pub delivered: u32,
    /// Total of the orders not cancelled (delivered and still open), in paisa: what the
    /// customers pay, tax and delivery fees included.
    #[ts(type = "number")]
    pub revenue: i64,
    /// Of `revenue`, the delivered orders' totals (tax and delivery fees included), paisa.
    #[ts(type = "number")]
    pub delivered_revenue: i64,
    /// Of `revenue`, the orders neither delivered nor cancelled yet (new, preparing,
    /// ready), paisa: money still to come in.
    #[ts(type = "number")]
    pub open_revenue: i64,
    /// Mean minutes from taking an order to its last move to ready (orders that got there).
    pub average_minutes_to_ready: Option<f64>,
}
