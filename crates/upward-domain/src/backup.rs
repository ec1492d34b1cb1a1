//! Automatic backups as rules over dates: when the first write of a day must first make a
//! backup, which copies to keep, and how a copy is named. The copying itself is the storage
//! backend's; the dates come from the one [`Clock`](crate::Clock). docs/backups.md has the
//! arithmetic with an example.

use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeSet;

/// How many automatic copies to keep: the newest `daily` ones, and before them the newest copy
/// of each of `weekly` earlier weeks. Both 0 turns automatic backups off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Retention {
    pub daily: u32,
    pub weekly: u32,
}

impl Retention {
    /// Seven daily and four weekly copies: the last week day by day, and a month before it.
    pub const DEFAULT: Retention = Retention {
        daily: 7,
        weekly: 4,
    };

    /// Whether automatic backups are off (nothing is made automatically, nothing pruned).
    pub fn is_off(self) -> bool {
        self.daily == 0 && self.weekly == 0
    }
}

impl Default for Retention {
    fn default() -> Self {
        Retention::DEFAULT
    }
}

/// Whether a write today must first make a backup: automatic backups are on, and the newest
/// backup (by the date in its name) is from before today, or there is none. A backup dated
/// after today (a clock set back) counts as today's.
pub fn is_due(newest: Option<Date>, today: Date, retention: Retention) -> bool {
    !retention.is_off() && newest.is_none_or(|d| d < today)
}

/// The Monday that starts a date's week (weeks run Monday to Sunday, across years too).
pub fn week_of(date: Date) -> Date {
    let back = i64::from(date.weekday().to_monday_zero_offset());
    date.checked_sub(jiff::Span::new().days(back))
        .unwrap_or(date)
}

/// Which of the backups (one per date) to keep. Newest first: the first `daily` are kept;
/// then, going back, a backup is kept as a weekly copy when no backup of its week is kept
/// yet, until `weekly` are. With automatic backups off, every backup is kept (nothing is
/// pruned: the copies are the user's to manage).
pub fn keep(dates: &[Date], retention: Retention) -> BTreeSet<Date> {
    let newest_first: Vec<Date> = dates
        .iter()
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .rev()
        .collect();
    if retention.is_off() {
        return newest_first.into_iter().collect();
    }
    let daily = retention.daily as usize;
    let mut kept: BTreeSet<Date> = newest_first.iter().take(daily).copied().collect();
    let mut weeks: BTreeSet<Date> = kept.iter().map(|d| week_of(*d)).collect();
    let mut weekly = 0;
    for &date in newest_first.iter().skip(daily) {
        if weekly == retention.weekly {
            break;
        }
        if weeks.insert(week_of(date)) {
            kept.insert(date);
            weekly += 1;
        }
    }
    kept
}

/// The file name of the backup of the database `stem` (its file name without `.db`) made on
/// `date`: `upward-2026-11-23.db`.
pub fn file_name(stem: &str, date: Date) -> String {
    format!("{stem}-{date}.db")
}

/// The date of a backup of the database `stem`, if `name` is the name of one.
pub fn parse_file_name(stem: &str, name: &str) -> Option<Date> {
    let date = name
        .strip_prefix(stem)?
        .strip_prefix('-')?
        .strip_suffix(".db")?;
    // Exactly YYYY-MM-DD, so `upward-old-2026-11-23.db` is not `upward`'s.
    if date.len() != 10 {
        return None;
    }
    date.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn days(from: Date, to: Date) -> Vec<Date> {
        from.series(jiff::Span::new().days(1))
            .take_while(|d| *d <= to)
            .collect()
    }

    fn r(daily: u32, weekly: u32) -> Retention {
        Retention { daily, weekly }
    }

    #[test]
    fn due_when_the_newest_backup_is_from_before_today() {
        let today = date(2026, 11, 23);
        let on = Retention::DEFAULT;
        assert!(is_due(None, today, on));
        assert!(is_due(Some(date(2026, 11, 22)), today, on));
        assert!(is_due(Some(date(2025, 1, 1)), today, on));
        assert!(!is_due(Some(today), today, on));
        // A clock set back: the backup "from the future" is taken as today's.
        assert!(!is_due(Some(date(2026, 11, 24)), today, on));
        // Off: never due.
        assert!(!is_due(None, today, r(0, 0)));
        // Either count alone keeps them on.
        assert!(is_due(None, today, r(0, 1)));
        assert!(is_due(None, today, r(1, 0)));
    }

    #[test]
    fn weeks_start_on_monday_across_years() {
        // Monday 2026-11-23 and Sunday 2026-11-29.
        assert_eq!(week_of(date(2026, 11, 23)), date(2026, 11, 23));
        assert_eq!(week_of(date(2026, 11, 29)), date(2026, 11, 23));
        assert_eq!(week_of(date(2026, 11, 30)), date(2026, 11, 30));
        // Thursday 2026-12-31 and Sunday 2027-01-03 share the week of Monday 2026-12-28.
        assert_eq!(week_of(date(2026, 12, 31)), date(2026, 12, 28));
        assert_eq!(week_of(date(2027, 1, 3)), date(2026, 12, 28));
    }

    #[test]
    fn fewer_backups_than_daily_copies_are_all_kept() {
        let d = days(date(2026, 11, 17), date(2026, 11, 23));
        assert_eq!(keep(&d, Retention::DEFAULT).len(), 7);
        assert_eq!(keep(&d[..3], Retention::DEFAULT).len(), 3);
        assert!(keep(&[], Retention::DEFAULT).is_empty());
    }

    #[test]
    fn the_eighth_day_goes_when_its_week_already_has_a_copy() {
        // Mon 16 .. Mon 23 November: the daily copies are 17..23; the 16th's week (16..22)
        // already has copies kept, so no weekly copy is taken from it.
        let d = days(date(2026, 11, 16), date(2026, 11, 23));
        let kept = keep(&d, Retention::DEFAULT);
        assert_eq!(kept.len(), 7);
        assert!(!kept.contains(&date(2026, 11, 16)));
        // Without weekly copies, the same.
        assert_eq!(keep(&d, r(7, 0)), kept);
    }

    #[test]
    fn sixty_days_keep_seven_days_and_four_weeks_before_them() {
        // The example in docs/backups.md: a backup every day up to Monday 2026-11-23.
        let d = days(date(2026, 9, 25), date(2026, 11, 23));
        let kept: Vec<Date> = keep(&d, Retention::DEFAULT).into_iter().rev().collect();
        assert_eq!(
            kept,
            [
                date(2026, 11, 23),
                date(2026, 11, 22),
                date(2026, 11, 21),
                date(2026, 11, 20),
                date(2026, 11, 19),
                date(2026, 11, 18),
                date(2026, 11, 17),
                // The newest of each earlier week: Sundays.
                date(2026, 11, 15),
                date(2026, 11, 8),
                date(2026, 11, 1),
                date(2026, 10, 25),
            ]
        );
    }

    #[test]
    fn gaps_count_backups_not_calendar_days() {
        // Written on a few days only: the seven newest backups are the daily copies however
        // far apart, and each older week gives its newest.
        let d = [
            date(2026, 8, 3),
            date(2026, 8, 5),
            date(2026, 9, 1),
            date(2026, 9, 2),
            date(2026, 10, 1),
            date(2026, 10, 14),
            date(2026, 10, 15),
            date(2026, 11, 2),
            date(2026, 11, 9),
            date(2026, 11, 10),
            date(2026, 11, 20),
        ];
        let kept = keep(&d, Retention::DEFAULT);
        // Daily: 11-20, 11-10, 11-09, 11-02, 10-15, 10-14, 10-01. Then weeks not yet
        // covered: 09-02 (week of 08-31, with 09-01 older in it), 08-05 (week of 08-03).
        let expect: BTreeSet<Date> = [
            date(2026, 11, 20),
            date(2026, 11, 10),
            date(2026, 11, 9),
            date(2026, 11, 2),
            date(2026, 10, 15),
            date(2026, 10, 14),
            date(2026, 10, 1),
            date(2026, 9, 2),
            date(2026, 8, 5),
        ]
        .into();
        assert_eq!(kept, expect);
    }

    #[test]
    fn weekly_only_keeps_the_newest_of_each_week() {
        let d = days(date(2026, 10, 1), date(2026, 11, 23));
        let kept: Vec<Date> = keep(&d, r(0, 4)).into_iter().rev().collect();
        assert_eq!(
            kept,
            [
                date(2026, 11, 23),
                date(2026, 11, 22),
                date(2026, 11, 15),
                date(2026, 11, 8),
            ]
        );
        // One daily copy, one weekly: today, and the week before today's week.
        let kept: Vec<Date> = keep(&d, r(1, 1)).into_iter().rev().collect();
        assert_eq!(kept, [date(2026, 11, 23), date(2026, 11, 22)]);
    }

    #[test]
    fn a_week_across_the_new_year_is_one_week() {
        let d = days(date(2026, 12, 28), date(2027, 1, 6));
        let kept: Vec<Date> = keep(&d, r(2, 4)).into_iter().rev().collect();
        // Daily: 01-06, 01-05 (week of 01-04). Weekly: 01-03 for the week of 12-28.
        assert_eq!(kept, [date(2027, 1, 6), date(2027, 1, 5), date(2027, 1, 3)]);
    }

    #[test]
    fn off_prunes_nothing() {
        let d = days(date(2026, 1, 1), date(2026, 11, 23));
        assert_eq!(keep(&d, r(0, 0)).len(), d.len());
    }

    #[test]
    fn names_carry_the_database_and_the_date() {
        let day = date(2026, 11, 23);
        assert_eq!(file_name("upward", day), "upward-2026-11-23.db");
        assert_eq!(parse_file_name("upward", "upward-2026-11-23.db"), Some(day));
        assert_eq!(
            parse_file_name("my-notes", "my-notes-2026-11-23.db"),
            Some(day)
        );
        for other in [
            "upward-2026-11-23.db-wal",
            "upward-2026-13-01.db",
            "upward-old-2026-11-23.db",
            "work-2026-11-23.db",
            "upward-2026-11-23.db.tmp",
            "upward.db",
            ".upward-2026-11-23.db.tmp-12",
        ] {
            assert_eq!(parse_file_name("upward", other), None, "{other}");
        }
    }
}
