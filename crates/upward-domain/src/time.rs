//! The one clock, and the dates and durations users type.
//!
//! Every "now" in upward comes from a [`Clock`] value built once per command (from
//! `UPWARD_NOW` or the system clock, by the binary), so rules and tests never depend on the
//! real date. Relative dates resolve against the clock's `today`.

use crate::DomainError;
use jiff::civil::{Date, Weekday};
use jiff::{Span, Timestamp};
use std::fmt;
use std::str::FromStr;

/// The earliest and latest dates upward accepts: four-digit years keep every date `YYYY-MM-DD`.
const MIN_YEAR: i16 = 1000;
const MAX_YEAR: i16 = 9999;

/// "Now" for one command: an instant (for change timestamps) and the user's local date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pub now: Timestamp,
    pub today: Date,
}

impl Clock {
    pub fn new(now: Timestamp, today: Date) -> Self {
        Clock { now, today }
    }

    /// A fixed clock from `UPWARD_NOW`: a date (`2026-11-22`, taken as noon UTC) or an
    /// RFC 3339 time (`2026-11-22T09:30:00+01:00`, whose own date is today).
    pub fn fixed(value: &str) -> Result<Clock, DomainError> {
        let value = value.trim();
        let bad = || {
            DomainError::invalid(
                "UPWARD_NOW",
                value,
                "a date such as 2026-11-22 or an RFC 3339 time such as 2026-11-22T09:30:00Z",
            )
        };
        if let Ok(date) = value.parse::<Date>() {
            check_range(date).map_err(|_| bad())?;
            let now = date
                .at(12, 0, 0, 0)
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .map_err(|_| bad())?
                .timestamp();
            return Ok(Clock { now, today: date });
        }
        let ts = value.parse::<Timestamp>().map_err(|_| bad())?;
        // Keep the offset the user wrote so "today" is their date, not UTC's.
        let offset = rfc3339_offset(value).unwrap_or(jiff::tz::Offset::UTC);
        let zoned = ts.to_zoned_datetime(jiff::tz::TimeZone::fixed(offset));
        let today = zoned.date();
        check_range(today).map_err(|_| bad())?;
        Ok(Clock {
            now: zoned.timestamp(),
            today,
        })
    }
}

/// The numeric offset at the end of an RFC 3339 time (`…+01:00`), if it has one.
fn rfc3339_offset(value: &str) -> Option<jiff::tz::Offset> {
    let tail = value.get(value.len().checked_sub(6)?..)?;
    let sign = match tail.as_bytes()[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let hours: i32 = tail.get(1..3)?.parse().ok()?;
    let minutes: i32 = tail.get(4..6)?.parse().ok()?;
    jiff::tz::Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()
}

/// Refuses a date outside the years upward accepts, for dates that come from a file.
pub fn check_date(date: Date) -> Result<Date, DomainError> {
    check_range(date).map_err(|_| {
        DomainError::invalid(
            "date",
            date.to_string(),
            format!("a date from {MIN_YEAR}-01-01 to {MAX_YEAR}-12-31"),
        )
    })
}

fn check_range(date: Date) -> Result<Date, ()> {
    if (MIN_YEAR..=MAX_YEAR).contains(&date.year()) {
        Ok(date)
    } else {
        Err(())
    }
}

/// The unit of a [`Duration`]: days, weeks or months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DurationUnit {
    Day,
    Week,
    Month,
}

/// A duration as users write it (`3d`, `2w`, `1m`): a cadence on the calendar, or an effort
/// in working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Duration {
    pub n: u32,
    pub unit: DurationUnit,
}

/// The largest count accepted, so date arithmetic can never overflow.
const MAX_DURATION: u32 = 3650;

impl Duration {
    pub fn days(n: u32) -> Self {
        Duration {
            n,
            unit: DurationUnit::Day,
        }
    }

    /// Calendar days, with a month counted as 30 (for comparisons and sorting).
    pub fn calendar_days(self) -> i64 {
        i64::from(self.n)
            * match self.unit {
                DurationUnit::Day => 1,
                DurationUnit::Week => 7,
                DurationUnit::Month => 30,
            }
    }

    /// Working days of effort: a week is 5, a month 20.
    pub fn working_days(self) -> i64 {
        i64::from(self.n)
            * match self.unit {
                DurationUnit::Day => 1,
                DurationUnit::Week => 5,
                DurationUnit::Month => 20,
            }
    }

    fn span(self) -> Span {
        let n = i64::from(self.n);
        match self.unit {
            DurationUnit::Day => Span::new().days(n),
            DurationUnit::Week => Span::new().weeks(n),
            DurationUnit::Month => Span::new().months(n),
        }
    }

    /// The date this long after `date` on the calendar (saturating at the last accepted date).
    pub fn after(self, date: Date) -> Date {
        date.checked_add(self.span())
            .ok()
            .filter(|d| d.year() <= MAX_YEAR)
            .unwrap_or_else(|| jiff::civil::date(MAX_YEAR, 12, 31))
    }

    /// The date this long before `date` on the calendar (saturating at the first accepted date).
    pub fn before(self, date: Date) -> Date {
        date.checked_sub(self.span())
            .ok()
            .filter(|d| d.year() >= MIN_YEAR)
            .unwrap_or_else(|| jiff::civil::date(MIN_YEAR, 1, 1))
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            DurationUnit::Day => 'd',
            DurationUnit::Week => 'w',
            DurationUnit::Month => 'm',
        };
        write!(f, "{}{}", self.n, unit)
    }
}

impl FromStr for Duration {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, DomainError> {
        parse_duration(s)
    }
}

impl serde::Serialize for Duration {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Duration {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <String as serde::Deserialize>::deserialize(d)?;
        parse_duration(&s).map_err(serde::de::Error::custom)
    }
}

/// Parses `3d`, `2w`, `1m` (also `3 days`, `2 weeks`, `1 month`). Zero is allowed (no effort).
pub fn parse_duration(input: &str) -> Result<Duration, DomainError> {
    let err = || DomainError::Duration(input.to_string());
    let s = input.trim().to_lowercase();
    let digits_end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    if digits_end == 0 {
        return Err(err());
    }
    let n: u32 = s[..digits_end].parse().map_err(|_| err())?;
    let unit = match s[digits_end..].trim() {
        "d" | "day" | "days" => DurationUnit::Day,
        "w" | "week" | "weeks" => DurationUnit::Week,
        "m" | "mo" | "month" | "months" => DurationUnit::Month,
        _ => return Err(err()),
    };
    // About ten years in each unit, exactly as the message says.
    let most = match unit {
        DurationUnit::Day => MAX_DURATION,
        DurationUnit::Week => MAX_DURATION / 7,
        DurationUnit::Month => MAX_DURATION / 30,
    };
    if n > most {
        return Err(DomainError::invalid(
            "duration",
            input,
            format!(
                "at most {MAX_DURATION}d, {}w or {}m",
                MAX_DURATION / 7,
                MAX_DURATION / 30
            ),
        ));
    }
    let d = Duration { n, unit };
    Ok(d)
}

fn weekday(word: &str) -> Option<Weekday> {
    Some(match word {
        "mon" | "monday" => Weekday::Monday,
        "tue" | "tues" | "tuesday" => Weekday::Tuesday,
        "wed" | "weds" | "wednesday" => Weekday::Wednesday,
        "thu" | "thur" | "thurs" | "thursday" => Weekday::Thursday,
        "fri" | "friday" => Weekday::Friday,
        "sat" | "saturday" => Weekday::Saturday,
        "sun" | "sunday" => Weekday::Sunday,
        _ => return None,
    })
}

/// The next `day` strictly after `today` (so `fri` on a Friday is a week ahead).
fn next_weekday(today: Date, day: Weekday) -> Date {
    let ahead = (day.to_monday_zero_offset() - today.weekday().to_monday_zero_offset() + 7) % 7;
    let ahead = if ahead == 0 { 7 } else { ahead };
    today
        .checked_add(Span::new().days(i64::from(ahead)))
        .unwrap_or(today)
}

/// Parses a date in the forms docs/dates.md lists, relative ones against `today`.
pub fn parse_date(input: &str, today: Date) -> Result<Date, DomainError> {
    let err = || DomainError::Date(input.to_string());
    let s = input.trim().to_lowercase();
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let date = match s.as_str() {
        "today" | "now" => today,
        "tomorrow" => today.tomorrow().map_err(|_| err())?,
        "yesterday" => today.yesterday().map_err(|_| err())?,
        "next week" => Duration {
            n: 1,
            unit: DurationUnit::Week,
        }
        .after(today),
        "next month" => Duration {
            n: 1,
            unit: DurationUnit::Month,
        }
        .after(today),
        _ => {
            if s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-' {
                s.parse::<Date>().map_err(|_| err())?
            } else if let Some(day) = weekday(s.strip_prefix("next ").unwrap_or(&s)) {
                next_weekday(today, day)
            } else if let Some(rest) = s.strip_prefix('+') {
                shifted(today, rest, 1).ok_or_else(err)?
            } else if let Some(rest) = s.strip_prefix('-') {
                shifted(today, rest, -1).ok_or_else(err)?
            } else if let Some(rest) = s.strip_prefix("in ") {
                shifted(today, rest, 1).ok_or_else(err)?
            } else if let Some(rest) = s.strip_suffix(" ago") {
                shifted(today, rest, -1).ok_or_else(err)?
            } else if s.starts_with(|c: char| c.is_ascii_digit()) {
                shifted(today, &s, 1).ok_or_else(err)?
            } else {
                return Err(err());
            }
        }
    };
    check_range(date).map_err(|_| {
        DomainError::invalid(
            "date",
            input,
            format!("a date from {MIN_YEAR}-01-01 to {MAX_YEAR}-12-31"),
        )
    })
}

fn shifted(today: Date, duration: &str, sign: i64) -> Option<Date> {
    let duration = match duration.trim() {
        "a day" => "1d",
        "a week" => "1w",
        "a month" => "1m",
        other => other,
    };
    let d = parse_duration(duration).ok()?;
    let span = match d.unit {
        DurationUnit::Day => Span::new().days(sign * i64::from(d.n)),
        DurationUnit::Week => Span::new().weeks(sign * i64::from(d.n)),
        DurationUnit::Month => Span::new().months(sign * i64::from(d.n)),
    };
    today.checked_add(span).ok()
}

/// Whether `date` is a working day (Monday–Friday).
pub fn is_working_day(date: Date) -> bool {
    !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// Working days from `from` to `to`, both included (0 when `to` is before `from`).
pub fn working_days_between(from: Date, to: Date) -> i64 {
    if to < from {
        return 0;
    }
    let days = (to - from).get_days() as i64 + 1;
    let full_weeks = days / 7;
    let mut count = full_weeks * 5;
    let mut d = from
        .checked_add(Span::new().days(full_weeks * 7))
        .unwrap_or(to);
    while d <= to {
        if is_working_day(d) {
            count += 1;
        }
        match d.tomorrow() {
            Ok(next) => d = next,
            Err(_) => break,
        }
    }
    count
}

/// Whole calendar days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: Date, to: Date) -> i64 {
    (to - from).get_days() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_unit_stops_where_its_error_says() {
        for ok in ["3650d", "521w", "121m", "0d"] {
            assert!(parse_duration(ok).is_ok(), "{ok}");
        }
        for too_long in ["3651d", "522w", "122m", "1042w", "243m"] {
            let e = parse_duration(too_long).unwrap_err().to_string();
            assert!(e.contains("at most 3650d, 521w or 121m"), "{too_long}: {e}");
        }
    }
    use jiff::civil::date;
    use proptest::prelude::*;

    // 2026-11-22 is a Sunday.
    const TODAY: Date = date(2026, 11, 22);

    fn p(s: &str) -> Date {
        parse_date(s, TODAY).unwrap()
    }

    #[test]
    fn every_documented_form_resolves() {
        assert_eq!(p("2026-12-01"), date(2026, 12, 1));
        assert_eq!(p("today"), TODAY);
        assert_eq!(p("tomorrow"), date(2026, 11, 23));
        assert_eq!(p("yesterday"), date(2026, 11, 21));
        assert_eq!(p("fri"), date(2026, 11, 27));
        assert_eq!(p("Friday"), date(2026, 11, 27));
        assert_eq!(
            p("sun"),
            date(2026, 11, 29),
            "a weekday is strictly after today"
        );
        assert_eq!(p("next monday"), date(2026, 11, 23));
        assert_eq!(p("+3d"), date(2026, 11, 25));
        assert_eq!(p("2w"), date(2026, 12, 6));
        assert_eq!(p("in 3 days"), date(2026, 11, 25));
        assert_eq!(p("in 1 month"), date(2026, 12, 22));
        assert_eq!(p("-2d"), date(2026, 11, 20));
        assert_eq!(p("3 days ago"), date(2026, 11, 19));
    }

    #[test]
    fn bad_dates_are_refused_with_the_accepted_forms() {
        for bad in [
            "2026-02-30",
            "0000-01-01",
            "+99999d",
            "someday",
            "",
            "13/01/2026",
            "-",
        ] {
            let e = parse_date(bad, TODAY).unwrap_err().to_string();
            assert!(e.contains(bad) || bad.is_empty(), "{bad}: {e}");
            assert!(e.contains("accepted"), "{bad}: {e}");
        }
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("3d").unwrap().working_days(), 3);
        assert_eq!(parse_duration("2w").unwrap().working_days(), 10);
        assert_eq!(parse_duration("2w").unwrap().calendar_days(), 14);
        assert_eq!(parse_duration("1m").unwrap().to_string(), "1m");
        for bad in ["-3d", "3", "d", "3x", "1.5d", "99999999999d", ""] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn working_days_count_monday_to_friday() {
        // Mon 23 .. Sun 29 Nov 2026: five working days.
        assert_eq!(
            working_days_between(date(2026, 11, 23), date(2026, 11, 29)),
            5
        );
        assert_eq!(working_days_between(TODAY, TODAY), 0);
        assert_eq!(
            working_days_between(date(2026, 11, 23), date(2026, 11, 23)),
            1
        );
        assert_eq!(
            working_days_between(date(2026, 11, 23), date(2026, 12, 4)),
            10
        );
        assert_eq!(
            working_days_between(date(2026, 11, 24), date(2026, 11, 23)),
            0
        );
    }

    #[test]
    fn fixed_clock_keeps_the_users_date() {
        let c = Clock::fixed("2026-11-22").unwrap();
        assert_eq!(c.today, TODAY);
        let c = Clock::fixed("2026-11-22T23:30:00-05:00").unwrap();
        assert_eq!(c.today, TODAY);
        assert!(Clock::fixed("soon").is_err());
    }

    proptest! {
        #[test]
        fn any_input_parses_or_errors_without_panicking(s in "\\PC{0,40}") {
            let _ = parse_date(&s, TODAY);
            let _ = parse_duration(&s);
        }

        #[test]
        fn iso_dates_round_trip(y in 1000i16..=9999, m in 1i8..=12, d in 1i8..=28) {
            let want = date(y, m, d);
            prop_assert_eq!(parse_date(&want.to_string(), TODAY).unwrap(), want);
        }

        #[test]
        fn relative_days_move_by_that_many_days(n in 0u32..3000) {
            let got = parse_date(&format!("+{n}d"), TODAY).unwrap();
            prop_assert_eq!(days_between(TODAY, got), i64::from(n));
            let got = parse_date(&format!("in {n} days"), TODAY).unwrap();
            prop_assert_eq!(days_between(TODAY, got), i64::from(n));
        }

        #[test]
        fn working_days_match_a_day_by_day_count(start in 0i64..4000, len in 0i64..60) {
            let from = date(2020, 1, 1).checked_add(Span::new().days(start)).unwrap();
            let to = from.checked_add(Span::new().days(len)).unwrap();
            let mut n = 0;
            let mut d = from;
            while d <= to { if is_working_day(d) { n += 1; } d = d.tomorrow().unwrap(); }
            prop_assert_eq!(working_days_between(from, to), n);
        }
    }
}
