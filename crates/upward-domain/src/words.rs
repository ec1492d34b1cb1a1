//! The wording every text shares: how counts, dates, names and free text are phrased, so that
//! an agenda, a nudge, an update, a draft, a review and a list all say them the same way.
//!
//! This is the one home of these helpers: a workflow, a renderer or a front end that needs to
//! phrase a date or fold a title calls them from here instead of writing its own.
//!
//! The date phrases differ on purpose, each for where it is read (examples with today
//! Wednesday 2026-11-25):
//!
//! | function | 2026-11-22 | 2026-11-25 | 2026-11-27 | 2026-12-11 |
//! |---|---|---|---|---|
//! | [`day`] (drafts, updates) | Sun 22 Nov | Wed 25 Nov | Fri 27 Nov | Fri 11 Dec |
//! | [`relative`] (drafts) | 3 days ago | today | in 2 days | in 16 days |
//! | [`ago`] (agenda reasons, nudges) | 3 days ago (2026-11-22) | today | on 2026-11-27 | on 2026-12-11 |
//! | [`due_phrase`] (agenda reasons) | overdue by 3 days | due today | due 2026-11-27 | due 2026-12-11 |
//! | [`relative_due`] (lists) | overdue by 3 days | due today | due in 2 days (Fri 27 Nov) | due 2026-12-11 |
//! | [`relative_past`] (lists) | 3 days ago | today | 2026-11-27 | 2026-12-11 |

use crate::{Person, Snapshot, days_between};
use jiff::civil::Date;

// ---- Free text, counts and lists ----

/// Free text folded onto one line, so it cannot break a list item, a one-line nudge or the
/// line of an update.
pub fn one_line(text: &str) -> String {
    // Written word by word: no vector of the words first (this runs for most lines of the
    // agenda, the nudges and the update).
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `1 day`, `3 days`, `1 working day`, `0 blockers`: a count with its noun, plural with `s`.
/// "once", "twice", "3 times".
pub fn times(n: u32) -> String {
    match n {
        1 => "once".to_string(),
        2 => "twice".to_string(),
        n => format!("{n} times"),
    }
}

pub fn count(n: i64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// [`count`] of a length or a number of things: `1 blocker`, `2 blockers`.
pub fn plural(n: usize, noun: &str) -> String {
    count(i64::try_from(n).unwrap_or(i64::MAX), noun)
}

/// `1 working day`, `3 working days`.
pub fn working_days(n: i64) -> String {
    count(n, "working day")
}

/// `A`, `A and B`, `A, B and C`.
pub fn join_and(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The text with its first letter in upper case.
pub fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

// ---- People ----

/// The first word of a name: how a message addresses someone.
pub fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}

/// The greeting of a written message to `person`.
pub fn greeting(person: &Person) -> String {
    format!("Hi {},", first_name(&person.name))
}

/// The sign-off of a written message, signed with my first name when I am known.
pub fn sign_off(snap: &Snapshot) -> String {
    match snap.me() {
        Some(me) => format!("Thanks,\n{}", first_name(&me.name)),
        None => "Thanks,".to_string(),
    }
}

// ---- Dates ----

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A date as people say it, without the year: `Fri 27 Nov`.
pub fn short_day(date: Date) -> String {
    let weekday = WEEKDAYS[date.weekday().to_monday_zero_offset() as usize];
    let month = MONTHS[(date.month() - 1) as usize];
    format!("{weekday} {} {month}", date.day())
}

/// A date as people say it: `Fri 27 Nov`, with the year when it is not this year's.
pub fn day(date: Date, today: Date) -> String {
    if date.year() == today.year() {
        short_day(date)
    } else {
        long_day(date)
    }
}

/// A date with its year, for records that outlive the year: `Mon 23 Nov 2026`.
pub fn long_day(date: Date) -> String {
    format!("{} {}", short_day(date), date.year())
}

/// A date relative to today: `today`, `tomorrow`, `in 4 days`, `yesterday`, `3 days ago`.
pub fn relative(date: Date, today: Date) -> String {
    match days_between(today, date) {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        -1 => "yesterday".to_string(),
        n if n > 0 => format!("in {n} days"),
        n => format!("{} days ago", -n),
    }
}

/// A past date relative to today, with the date when it is further back: `today`,
/// `yesterday`, `3 days ago (2026-11-22)`; a future date as `on 2026-11-27`.
pub fn ago(date: Date, today: Date) -> String {
    match days_between(date, today) {
        0 => "today".to_string(),
        1 => "yesterday".to_string(),
        d if d > 1 => format!("{} ago ({date})", count(d, "day")),
        _ => format!("on {date}"),
    }
}

/// A due date relative to today where that reads better: `overdue by 2 days`, `due today`,
/// `due tomorrow`, else `due 2026-12-04`.
pub fn due_phrase(due: Date, today: Date) -> String {
    match days_between(today, due) {
        d if d < 0 => format!("overdue by {}", count(-d, "day")),
        0 => "due today".to_string(),
        1 => "due tomorrow".to_string(),
        _ => format!("due {due}"),
    }
}

/// A due date as a list shows it: `due today`, `due tomorrow`, `due in 3 days (Fri 27 Nov)`
/// within two weeks, `overdue by 2 days`, else `due 2026-12-11`.
pub fn relative_due(due: Date, today: Date) -> String {
    match days_between(today, due) {
        0 => "due today".into(),
        1 => "due tomorrow".into(),
        d @ 2..=13 => format!("due in {d} days ({})", short_day(due)),
        d if d < 0 => format!("overdue by {}", count(-d, "day")),
        _ => format!("due {due}"),
    }
}

/// A past date as a list shows it: `today`, `yesterday`, `3 days ago` within a month, else
/// the date.
pub fn relative_past(date: Date, today: Date) -> String {
    match days_between(date, today) {
        0 => "today".into(),
        1 => "yesterday".into(),
        d @ 2..=30 => format!("{d} days ago"),
        _ => date.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    /// Wednesday 25 November 2026.
    const TODAY: Date = date(2026, 11, 25);

    fn on(s: &str) -> Date {
        crate::parse_date(s, TODAY).unwrap()
    }

    #[test]
    fn text_and_counts() {
        assert_eq!(one_line(" a\n b\t c "), "a b c");
        assert_eq!(count(1, "day"), "1 day");
        assert_eq!(count(0, "day"), "0 days");
        assert_eq!(count(-2, "day"), "-2 days");
        assert_eq!(plural(2, "blocker"), "2 blockers");
        assert_eq!(working_days(1), "1 working day");
        assert_eq!(working_days(4), "4 working days");
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(join_and(&s(&[])), "");
        assert_eq!(join_and(&s(&["A"])), "A");
        assert_eq!(join_and(&s(&["A", "B", "C"])), "A, B and C");
        assert_eq!(capitalize("ça va"), "Ça va");
        assert_eq!(first_name("Dana Whitfield"), "Dana");
    }

    #[test]
    fn the_date_phrases_of_the_table() {
        let (past, future, far) = (on("2026-11-22"), on("2026-11-27"), on("2026-12-11"));
        assert_eq!(
            [day(past, TODAY), day(TODAY, TODAY), day(future, TODAY)],
            ["Sun 22 Nov", "Wed 25 Nov", "Fri 27 Nov"]
        );
        assert_eq!(day(on("2027-01-02"), TODAY), "Sat 2 Jan 2027");
        assert_eq!(long_day(TODAY), "Wed 25 Nov 2026");
        assert_eq!(
            [
                relative(past, TODAY),
                relative(on("-1d"), TODAY),
                relative(TODAY, TODAY),
                relative(on("+1d"), TODAY),
                relative(far, TODAY),
            ],
            ["3 days ago", "yesterday", "today", "tomorrow", "in 16 days"]
        );
        assert_eq!(
            [
                ago(past, TODAY),
                ago(on("-1d"), TODAY),
                ago(TODAY, TODAY),
                ago(future, TODAY)
            ],
            [
                "3 days ago (2026-11-22)",
                "yesterday",
                "today",
                "on 2026-11-27"
            ]
        );
        assert_eq!(
            [
                due_phrase(on("-1d"), TODAY),
                due_phrase(past, TODAY),
                due_phrase(TODAY, TODAY),
                due_phrase(on("+1d"), TODAY),
                due_phrase(future, TODAY),
            ],
            [
                "overdue by 1 day",
                "overdue by 3 days",
                "due today",
                "due tomorrow",
                "due 2026-11-27"
            ]
        );
        assert_eq!(
            [
                relative_due(on("-1d"), TODAY),
                relative_due(past, TODAY),
                relative_due(TODAY, TODAY),
                relative_due(on("+1d"), TODAY),
                relative_due(future, TODAY),
                relative_due(on("+13d"), TODAY),
                relative_due(on("+14d"), TODAY),
            ],
            [
                "overdue by 1 day",
                "overdue by 3 days",
                "due today",
                "due tomorrow",
                "due in 2 days (Fri 27 Nov)",
                "due in 13 days (Tue 8 Dec)",
                "due 2026-12-09"
            ]
        );
        assert_eq!(
            [
                relative_past(TODAY, TODAY),
                relative_past(on("-1d"), TODAY),
                relative_past(on("-30d"), TODAY),
                relative_past(on("-31d"), TODAY),
                relative_past(future, TODAY),
            ],
            [
                "today",
                "yesterday",
                "30 days ago",
                "2026-10-25",
                "2026-11-27"
            ]
        );
    }

    #[test]
    fn short_day_is_the_weekday_day_and_month_strftime_writes() {
        let mut d = date(2025, 12, 20);
        for _ in 0..400 {
            assert_eq!(short_day(d), d.strftime("%a %-d %b").to_string());
            d = d.tomorrow().unwrap();
        }
    }

    #[test]
    fn the_wording_updates_use() {
        let today = date(2026, 11, 23);
        assert_eq!(day(date(2026, 11, 27), today), "Fri 27 Nov");
        assert_eq!(day(date(2027, 1, 4), today), "Mon 4 Jan 2027");
        assert_eq!(long_day(today), "Mon 23 Nov 2026");
        assert_eq!(relative(date(2026, 11, 27), today), "in 4 days");
        assert_eq!(relative(date(2026, 11, 24), today), "tomorrow");
        assert_eq!(relative(date(2026, 11, 20), today), "3 days ago");
        assert_eq!(
            join_and(&["a".into(), "b".into(), "c".into()]),
            "a, b and c"
        );
        assert_eq!(one_line("a\n  b"), "a b");
    }
}
