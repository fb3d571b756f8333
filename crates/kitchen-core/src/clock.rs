//! Time comes in from outside: handlers ask the [`Clock`], so tests can fix the time.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use std::sync::Arc;

/// The source of "now".
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current time.
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A shared clock.
pub type SharedClock = Arc<dyn Clock>;

/// The shop's day: its UTC offset and the hour its business day starts. A pizza shop open
/// until 3 AM keeps counting orders #41, #42 … past midnight; the daily number restarts at
/// `starts_at_hour` local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BusinessDay {
    /// The shop's offset from UTC (Pakistan: +05:00, no daylight saving).
    pub utc_offset: FixedOffset,
    /// Local hour (0–23) at which a new business day begins.
    pub starts_at_hour: u32,
}

impl BusinessDay {
    /// The business date an instant belongs to.
    pub fn date_of(&self, t: DateTime<Utc>) -> NaiveDate {
        (t.with_timezone(&self.utc_offset) - Duration::hours(i64::from(self.starts_at_hour)))
            .date_naive()
    }

    /// The instant a business date begins.
    pub fn start_of(&self, date: NaiveDate) -> DateTime<Utc> {
        let local = date
            .and_hms_opt(self.starts_at_hour.min(23), 0, 0)
            .unwrap_or_default();
        (local - self.utc_offset).and_utc()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn pk(starts: u32) -> BusinessDay {
        BusinessDay {
            utc_offset: FixedOffset::east_opt(5 * 3600).unwrap(),
            starts_at_hour: starts,
        }
    }

    #[test]
    fn orders_after_midnight_belong_to_the_evening_before() {
        let day = pk(5);
        // 01:30 in Lahore on the 25th is 20:30 UTC on the 24th.
        let late = Utc.with_ymd_and_hms(2026, 11, 24, 20, 30, 0).unwrap();
        assert_eq!(
            day.date_of(late),
            NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
        );
        // 05:00 in Lahore on the 25th starts the 25th.
        let morning = Utc.with_ymd_and_hms(2026, 11, 25, 0, 0, 0).unwrap();
        assert_eq!(
            day.date_of(morning),
            NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
        );
    }

    #[test]
    fn start_of_is_the_inverse_of_date_of() {
        let day = pk(5);
        let d = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let start = day.start_of(d);
        assert_eq!(start, Utc.with_ymd_and_hms(2026, 11, 24, 0, 0, 0).unwrap());
        assert_eq!(day.date_of(start), d);
        assert_eq!(
            day.date_of(start - Duration::seconds(1)),
            d.pred_opt().unwrap()
        );
        assert_eq!(
            pk(0).start_of(d),
            Utc.with_ymd_and_hms(2026, 11, 23, 19, 0, 0).unwrap()
        );
    }
}
