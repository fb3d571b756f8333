//! Times of day and weekly windows in the shop's local time: when a deal can be ordered,
//! when the shop is open. Windows may cross midnight (`23:00`–`03:00`): a window belongs
//! to the day it starts on.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// A day of the week, as the API writes it: `mon` … `sun`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl Weekday {
    /// Every day, Monday first.
    pub const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    /// The weekday of a date.
    pub fn of(date: NaiveDate) -> Weekday {
        Weekday::ALL[date.weekday().num_days_from_monday() as usize]
    }

    /// `mon` … `sun`.
    pub fn as_str(self) -> &'static str {
        match self {
            Weekday::Mon => "mon",
            Weekday::Tue => "tue",
            Weekday::Wed => "wed",
            Weekday::Thu => "thu",
            Weekday::Fri => "fri",
            Weekday::Sat => "sat",
            Weekday::Sun => "sun",
        }
    }
}

/// A time of day, `HH:MM` (00:00 to 23:59), in the shop's local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeOfDay(u16);

impl TimeOfDay {
    /// `hours:minutes`, if it is a time of day.
    pub fn new(hours: u32, minutes: u32) -> Option<TimeOfDay> {
        (hours < 24 && minutes < 60).then(|| TimeOfDay((hours * 60 + minutes) as u16))
    }

    /// Parses `HH:MM` (`9:30` is accepted too).
    pub fn parse(s: &str) -> Option<TimeOfDay> {
        let (h, m) = s.trim().split_once(':')?;
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return None;
        }
        TimeOfDay::new(h.parse().ok()?, m.parse().ok()?)
    }

    /// Minutes since midnight.
    pub fn minutes(self) -> u16 {
        self.0
    }

    /// The time of day of a local date and time.
    pub fn of(at: NaiveDateTime) -> TimeOfDay {
        TimeOfDay((at.hour() * 60 + at.minute()) as u16)
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl Serialize for TimeOfDay {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TimeOfDay {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        TimeOfDay::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{}` is not a time of day; use HH:MM like 23:30",
                s.chars().take(20).collect::<String>()
            ))
        })
    }
}

/// `from`–`to` within a day; `from` after `to` runs past midnight into the next day, `from`
/// equal to `to` is the whole day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct DayRange {
    /// Start, inclusive.
    #[ts(type = "string")]
    pub from: TimeOfDay,
    /// End, exclusive.
    #[ts(type = "string")]
    pub to: TimeOfDay,
}

impl DayRange {
    /// Whether a range starting on `start_day` covers the local time `at`.
    fn covers(&self, start_day: NaiveDate, at: NaiveDateTime) -> bool {
        let t = TimeOfDay::of(at);
        let day = at.date();
        if self.from < self.to {
            day == start_day && self.from <= t && t < self.to
        } else if self.from > self.to {
            (day == start_day && t >= self.from)
                || (start_day.succ_opt() == Some(day) && t < self.to)
        } else {
            day == start_day
        }
    }
}

impl fmt::Display for DayRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{}", self.from, self.to)
    }
}

/// A window on some days of the week (a deal's hours): `{"days": ["fri","sat"], "from":
/// "00:00", "to": "03:00"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct TimeWindow {
    /// The days the window starts on.
    pub days: Vec<Weekday>,
    /// Start, inclusive.
    #[ts(type = "string")]
    pub from: TimeOfDay,
    /// End, exclusive (before `from`: the next day).
    #[ts(type = "string")]
    pub to: TimeOfDay,
}

impl TimeWindow {
    /// Whether the local time `at` is inside the window.
    pub fn contains(&self, at: NaiveDateTime) -> bool {
        let range = DayRange {
            from: self.from,
            to: self.to,
        };
        let today = at.date();
        let starts = |d: NaiveDate| self.days.contains(&Weekday::of(d));
        (starts(today) && range.covers(today, at))
            || today
                .pred_opt()
                .is_some_and(|y| starts(y) && range.covers(y, at))
    }
}

impl fmt::Display for TimeWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days: Vec<&str> = self.days.iter().map(|d| d.as_str()).collect();
        let days = if self.days.len() == 7 {
            "daily".to_string()
        } else {
            days.join(",")
        };
        write!(f, "{days} {}–{}", self.from, self.to)
    }
}

/// Whether the local time `at` is inside any of `windows` (no windows: always).
pub fn within(windows: &[TimeWindow], at: NaiveDateTime) -> bool {
    windows.is_empty() || windows.iter().any(|w| w.contains(at))
}

/// The shop's opening hours: ranges per weekday (a day left out is closed) and dates closed
/// all day.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
pub struct OpeningHours {
    /// Ranges per weekday, in the shop's time; a range may cross midnight.
    #[ts(as = "BTreeMap<Weekday, Vec<DayRange>>")]
    pub weekly: BTreeMap<Weekday, Vec<DayRange>>,
    /// Dates (`2026-12-25`) closed all day: no range starts on them.
    #[serde(default)]
    #[ts(type = "Array<string>")]
    pub closed_dates: Vec<NaiveDate>,
}

impl OpeningHours {
    /// Whether the shop is open at the local time `at`.
    pub fn is_open(&self, at: NaiveDateTime) -> bool {
        let today = at.date();
        let open_from = |day: NaiveDate| {
            !self.closed_dates.contains(&day)
                && self
                    .weekly
                    .get(&Weekday::of(day))
                    .is_some_and(|ranges| ranges.iter().any(|r| r.covers(day, at)))
        };
        open_from(today) || today.pred_opt().is_some_and(open_from)
    }

    /// When the shop next opens at or after the local time `at`: the start of the first
    /// range (a whole-day range starts at midnight) on a date that is not closed. Meant for
    /// a closed shop; while open, it is the start of the next range. `None` when no range
    /// starts in the coming [`LOOK_AHEAD_DAYS`] (no weekly hours, or every such date closed).
    pub fn next_opening(&self, at: NaiveDateTime) -> Option<NaiveDateTime> {
        let mut day = at.date();
        for _ in 0..=LOOK_AHEAD_DAYS {
            if !self.closed_dates.contains(&day) {
                let first = self
                    .weekly
                    .get(&Weekday::of(day))
                    .into_iter()
                    .flatten()
                    .filter_map(|r| {
                        let start = if r.from == r.to { 0 } else { r.from.minutes() };
                        day.and_hms_opt(u32::from(start / 60), u32::from(start % 60), 0)
                    })
                    .filter(|start| *start >= at)
                    .min();
                if first.is_some() {
                    return first;
                }
            }
            day = day.succ_opt()?;
        }
        None
    }
}

/// How far ahead [`OpeningHours::next_opening`] looks: a year of closed dates and a week.
pub const LOOK_AHEAD_DAYS: u32 = 366 + 7;

#[cfg(test)]
mod tests {
    use super::*;

    fn at(date: &str, time: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(&format!("{date} {time}"), "%Y-%m-%d %H:%M").unwrap()
    }

    fn t(s: &str) -> TimeOfDay {
        TimeOfDay::parse(s).unwrap()
    }

    #[test]
    fn times_parse_and_print_as_hh_mm() {
        assert_eq!(t("09:30").to_string(), "09:30");
        assert_eq!(t("9:30").minutes(), 570);
        for bad in ["24:00", "12:60", "1230", "", "12:5", "aa:bb", "123:00"] {
            assert!(TimeOfDay::parse(bad).is_none(), "{bad}");
        }
        let e = serde_json::from_str::<TimeOfDay>("\"25:00\"").unwrap_err();
        assert!(e.to_string().contains("use HH:MM"), "{e}");
    }

    #[test]
    fn a_midnight_window_belongs_to_the_day_it_starts() {
        // 2026-12-04 is a Friday.
        let w = TimeWindow {
            days: vec![Weekday::Fri],
            from: t("23:00"),
            to: t("03:00"),
        };
        assert!(w.contains(at("2026-12-04", "23:00")));
        assert!(
            w.contains(at("2026-12-05", "02:59")),
            "Saturday small hours"
        );
        assert!(!w.contains(at("2026-12-05", "03:00")));
        assert!(
            !w.contains(at("2026-12-04", "02:00")),
            "Friday small hours belong to Thursday"
        );
        assert!(!w.contains(at("2026-12-04", "22:59")));
        assert_eq!(w.to_string(), "fri 23:00–03:00");
    }

    #[test]
    fn a_same_day_window_and_a_whole_day_window() {
        let lunch = TimeWindow {
            days: Weekday::ALL.to_vec(),
            from: t("12:00"),
            to: t("15:00"),
        };
        assert!(lunch.contains(at("2026-12-03", "12:00")));
        assert!(!lunch.contains(at("2026-12-03", "15:00")));
        assert_eq!(lunch.to_string(), "daily 12:00–15:00");
        let sunday = TimeWindow {
            days: vec![Weekday::Sun],
            from: t("00:00"),
            to: t("00:00"),
        };
        assert!(sunday.contains(at("2026-12-06", "23:59")));
        assert!(!sunday.contains(at("2026-12-07", "00:00")));
        assert!(within(&[], at("2026-12-07", "04:00")));
    }

    #[test]
    fn opening_hours_cross_midnight_and_skip_closed_dates() {
        let hours: OpeningHours = serde_json::from_str(
            r#"{"weekly":{"thu":[{"from":"12:00","to":"02:00"}],"fri":[{"from":"14:00","to":"23:00"}]},"closed_dates":["2026-12-25"]}"#,
        )
        .unwrap();
        assert!(hours.is_open(at("2026-12-03", "12:00")), "Thursday noon");
        assert!(hours.is_open(at("2026-12-04", "01:59")), "Thursday's night");
        assert!(!hours.is_open(at("2026-12-04", "02:00")));
        assert!(!hours.is_open(at("2026-12-04", "13:00")));
        assert!(hours.is_open(at("2026-12-04", "14:00")));
        assert!(
            !hours.is_open(at("2026-12-05", "14:00")),
            "Saturday is not listed"
        );
        // 2026-12-25 is a Friday, closed all day.
        assert!(!hours.is_open(at("2026-12-25", "15:00")));
        assert!(
            hours.is_open(at("2026-12-25", "01:00")),
            "Thursday's range runs into the closed Friday's small hours"
        );
    }

    #[test]
    fn the_next_opening_crosses_midnight_and_skips_closed_dates() {
        let hours: OpeningHours = serde_json::from_str(
            r#"{"weekly":{"thu":[{"from":"12:00","to":"02:00"}],"fri":[{"from":"14:00","to":"23:00"}],"sun":[{"from":"18:00","to":"18:00"}]},"closed_dates":["2026-12-25"]}"#,
        )
        .unwrap();
        let next = |d, t| hours.next_opening(at(d, t));
        // Thursday 2026-12-03 before noon: opens at noon the same day.
        assert_eq!(next("2026-12-03", "09:00"), Some(at("2026-12-03", "12:00")));
        assert_eq!(next("2026-12-03", "12:00"), Some(at("2026-12-03", "12:00")));
        // Friday 02:30, after Thursday's range ran past midnight: Friday 14:00.
        assert!(!hours.is_open(at("2026-12-04", "02:30")));
        assert_eq!(next("2026-12-04", "02:30"), Some(at("2026-12-04", "14:00")));
        // Friday 23:30: Saturday is not listed; Sunday's whole day starts at midnight.
        assert_eq!(next("2026-12-04", "23:30"), Some(at("2026-12-06", "00:00")));
        // Thursday 2026-12-24 late: Friday the 25th is closed, so Sunday the 27th.
        assert_eq!(next("2026-12-24", "03:00"), Some(at("2026-12-24", "12:00")));
        assert_eq!(next("2026-12-25", "02:00"), Some(at("2026-12-27", "00:00")));
        // Every date closed or no weekly hours: never.
        assert_eq!(
            OpeningHours::default().next_opening(at("2026-12-03", "09:00")),
            None
        );
        let mut shut = hours.clone();
        let start = at("2026-12-03", "00:00").date();
        shut.closed_dates = start
            .iter_days()
            .take(LOOK_AHEAD_DAYS as usize + 1)
            .collect();
        assert_eq!(shut.next_opening(at("2026-12-03", "00:00")), None);
    }
}
