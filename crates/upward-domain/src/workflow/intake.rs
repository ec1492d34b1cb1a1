//! Intake (docs/intake.md): sees a new request in the context of the existing work, so the
//! trade-off can be made explicit before saying yes.
//!
//! The model is deliberately simple so a user can check it by hand: open priorities are
//! worked in rank order, one at a time; every working day (Monday–Friday, today included when
//! it is one) does one day of effort; a priority without effort takes no time. A priority
//! meets its due date when the effort up to and including it fits in the working days from
//! today through that date: finishing on the due date is meeting it. Ranks are positions in
//! that order (the store keeps open ranks dense, 1..n).

use crate::words::{day, join_and, relative, working_days as wd_words};
use crate::{
    Clock, DomainError, Duration, Item, ItemInput, Kind, Person, Snapshot, working_days_between,
};
use jiff::Span;
use jiff::civil::Date;
use serde::{Serialize, Serializer};

/// What `upward intake` passes in.
#[derive(Debug, Clone, PartialEq)]
pub struct IntakeInput {
    pub title: String,
    /// The requester's name.
    pub from: String,
    pub due: Date,
    pub effort: Duration,
    /// `--accept --rank N`: place it here instead of where it fits.
    pub rank: Option<i64>,
}

/// One row of the plan with the request in place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanRow {
    /// `None` for the request itself.
    pub id: Option<i64>,
    pub rank: i64,
    pub title: String,
    /// Working days of effort.
    pub effort: i64,
    pub due: Option<Date>,
    /// The working day its last day of effort falls on (`None` when it has no effort: the
    /// model gives it no time of its own).
    pub finish: Option<Date>,
    pub misses: bool,
    /// Missed its date already without the request.
    pub late_anyway: bool,
    pub is_request: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Intake {
    /// Nothing misses its due date with the request in place: neither the request, nor a
    /// priority it pushes back, nor one already late without it.
    pub fits: bool,
    /// Working days from today through the request's due date.
    pub working_days: i64,
    /// Working days of effort ranked above the request.
    pub effort_ahead: i64,
    /// Existing priorities the request pushes past their due dates. Priorities that miss
    /// their dates without it are in `already_late` instead: the request is not why they slip.
    #[serde(serialize_with = "items_json")]
    pub would_slip: Vec<Item>,
    /// The draft to send to the requester.
    pub message: String,
    /// Where the request goes: given by `--rank` (kept within 1..=n+1), else the lowest rank
    /// at which it meets its date, else 1.
    pub rank: i64,
    pub rank_forced: bool,
    /// Today, the day the analysis counts from.
    pub date: Date,
    pub title: String,
    pub from: String,
    /// The requester, when they are a person in the workspace.
    #[serde(skip)]
    pub requester: Option<crate::PersonRef>,
    pub due: Date,
    /// The request's effort in working days.
    pub effort: i64,
    pub misses_own_date: bool,
    /// When the request would be finished at `rank`.
    pub finish: Option<Date>,
    /// When it would be finished after all the current priorities: the date to offer instead.
    pub finish_if_last: Option<Date>,
    #[serde(serialize_with = "items_json")]
    pub already_late: Vec<Item>,
    pub plan: Vec<PlanRow>,
}

fn items_json<S: Serializer>(items: &[Item], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(items.iter().map(Item::to_json))
}

/// The kinds of item [`intake`] reads: only priorities (see [`crate::workflow::prep::KINDS`]).
pub const KINDS: &[Kind] = &[Kind::Priority];

/// Places the request among the open priorities and drafts the trade-off question.
pub fn intake(snap: &Snapshot, input: &IntakeInput, clock: &Clock) -> Intake {
    let today = clock.today;
    let mut open: Vec<&Item> = snap.open(Kind::Priority).collect();
    open.sort_by_key(|i| (i.rank.unwrap_or(i64::MAX), i.id));
    let efforts: Vec<i64> = open.iter().map(|i| effort_of(i)).collect();
    let effort = input.effort.working_days();
    let capacity = |due: Date| {
        if due < today {
            -1
        } else {
            working_days_between(today, due)
        }
    };
    let own_capacity = capacity(input.due);
    let n = open.len() as i64;

    // Effort ahead of the request when it goes at rank r: the sum of the first r-1 efforts.
    let ahead = |r: i64| efforts.iter().take((r - 1) as usize).sum::<i64>();
    let meets_at = |r: i64| ahead(r) + effort <= own_capacity;
    let best = (1..=n + 1).rev().find(|&r| meets_at(r));
    let (rank, rank_forced) = match input.rank {
        Some(r) => (r.clamp(1, n + 1), true),
        None => (best.unwrap_or(1), false),
    };
    let effort_ahead = ahead(rank);
    let misses_own_date = !meets_at(rank);

    let mut plan = Vec::new();
    let mut would_slip = Vec::new();
    let mut already_late = Vec::new();
    let mut done_without = 0;
    let mut done_with = 0;
    let mut position = 0;
    let request_row = |done_with: i64, position: i64| PlanRow {
        id: None,
        rank: position,
        title: input.title.clone(),
        effort,
        due: Some(input.due),
        finish: (effort > 0)
            .then(|| finish_date(today, done_with))
            .flatten(),
        misses: misses_own_date,
        late_anyway: false,
        is_request: true,
    };
    for (index, item) in open.iter().enumerate() {
        if index as i64 + 1 == rank {
            done_with += effort;
            position += 1;
            plan.push(request_row(done_with, position));
        }
        done_without += efforts[index];
        done_with += efforts[index];
        position += 1;
        let (misses, late_anyway) = match item.due {
            Some(due) => (done_with > capacity(due), done_without > capacity(due)),
            None => (false, false),
        };
        if late_anyway {
            already_late.push((*item).clone());
        } else if misses {
            would_slip.push((*item).clone());
        }
        plan.push(PlanRow {
            id: Some(item.id),
            rank: position,
            title: item.title.clone(),
            effort: efforts[index],
            due: item.due,
            finish: (efforts[index] > 0)
                .then(|| finish_date(today, done_with))
                .flatten(),
            misses,
            late_anyway,
            is_request: false,
        });
    }
    if rank == n + 1 {
        done_with += effort;
        plan.push(request_row(done_with, n + 1));
    }

    let total: i64 = efforts.iter().sum();
    let requester = snap.person(&input.from).map(Person::to_ref);
    let from = requester
        .as_ref()
        .map_or(input.from.clone(), |p| p.name.clone());
    let mut intake = Intake {
        fits: !misses_own_date && would_slip.is_empty() && already_late.is_empty(),
        working_days: own_capacity.max(0),
        effort_ahead,
        would_slip,
        message: String::new(),
        rank,
        rank_forced,
        date: today,
        title: input.title.trim().to_string(),
        from,
        requester,
        due: input.due,
        effort,
        misses_own_date,
        finish: finish_date(today, effort_ahead + effort),
        finish_if_last: finish_date(today, total + effort),
        already_late,
        plan,
    };
    intake.message = message(&intake, today);
    intake
}

/// The request as a new open priority at `intake.rank` (which already honours `--rank`, kept
/// within 1..=n+1). The store then moves the open priorities at or below that rank down one.
pub fn accept(intake: &Intake, input: &IntakeInput, clock: &Clock) -> Result<Item, DomainError> {
    if let Some(r) = input.rank {
        crate::item::validate_rank(r)?;
    }
    let rank = crate::item::validate_rank(intake.rank)?;
    let fields = ItemInput {
        title: Some(input.title.clone()),
        person: intake.requester.clone(),
        due: Some(input.due),
        effort: Some(input.effort),
        rank: Some(rank),
        ..Default::default()
    };
    Item::new(Kind::Priority, fields, clock, rank)
}

/// The effort still to do on a priority, in working days: what is left when the user said
/// (`--remaining`), else its whole effort.
fn effort_of(item: &Item) -> i64 {
    item.effort_left().map_or(0, Duration::working_days)
}

/// The working day on which `effort` days of work starting today are done: the `effort`-th
/// working day counting today when it is one. `None` for no effort (or beyond the calendar).
pub fn finish_date(today: Date, effort: i64) -> Option<Date> {
    if effort <= 0 {
        return None;
    }
    let mut start = today;
    while !crate::is_working_day(start) {
        start = start.tomorrow().ok()?;
    }
    let k = effort - 1;
    let weekday = i64::from(start.weekday().to_monday_zero_offset());
    let mut days = (k / 5) * 7 + k % 5;
    if weekday + k % 5 >= 5 {
        days += 2;
    }
    start.checked_add(Span::new().days(days)).ok()
}

/// `Billing migration (due Fri 4 Dec)`.
fn titled(item: &Item, today: Date) -> String {
    match item.due {
        Some(due) => format!("\"{}\" (due {})", item.title, day(due, today)),
        None => format!("\"{}\"", item.title),
    }
}

fn message(i: &Intake, today: Date) -> String {
    let due = day(i.due, today);
    let size = if i.effort > 0 {
        format!("about {}", wd_words(i.effort))
    } else {
        "no effort estimate yet".to_string()
    };
    let ahead: Vec<String> = i
        .plan
        .iter()
        .take_while(|r| !r.is_request)
        .map(|r| format!("\"{}\"", r.title))
        .collect();
    let slip: Vec<String> = i.would_slip.iter().map(|it| titled(it, today)).collect();
    let late: Vec<String> = i.already_late.iter().map(|it| titled(it, today)).collect();
    let mut parts: Vec<String> = Vec::new();

    if i.misses_own_date {
        let room = if i.working_days == 0 {
            format!("there is no working day left before {due}")
        } else {
            format!("there are only {} until {due}", wd_words(i.working_days))
        };
        let place = if i.rank == 1 {
            "even as my top priority".to_string()
        } else {
            format!("at priority {}", i.rank)
        };
        let finish = match i.finish {
            Some(f) if i.rank == 1 => {
                format!(" The earliest I could finish it is {}.", day(f, today))
            }
            Some(f) => format!(" There I would finish it on {}.", day(f, today)),
            None => String::new(),
        };
        parts.push(format!(
            "\"{}\" needs {size} and {room}, so I can't meet that date {place}.{finish}",
            i.title
        ));
        if !slip.is_empty() {
            parts.push(format!(
                "Taking it on would also push back {}.",
                join_and(&slip)
            ));
        }
        let mut options = Vec::new();
        if let Some(f) = i.finish {
            options.push(format!("move the date to {}", day(f, today)));
        }
        if let Some(f) = i.finish_if_last.filter(|f| Some(*f) != i.finish) {
            options.push(format!(
                "take it after my current priorities and finish by {}",
                day(f, today)
            ));
        }
        if i.working_days > 0 {
            options.push(format!("cut the scope to fit {}", wd_words(i.working_days)));
        }
        if !options.is_empty() {
            parts.push(format!("Could we {}?", join_or(&options)));
        }
    } else if !slip.is_empty() {
        parts.push(format!(
            "Given the {due} deadline for \"{}\" ({size}) and my current workload, I would have to deprioritize {}, which would then miss {}.",
            i.title,
            join_and(&slip),
            if slip.len() == 1 { "its date" } else { "their dates" }
        ));
        if let Some(f) = i.finish_if_last {
            parts.push(format!(
                "If \"{}\" can wait until my current priorities are done, I can finish it by {}.",
                i.title,
                day(f, today)
            ));
        }
    } else {
        let place = match ahead.len() {
            0 => "as my top priority".to_string(),
            1 | 2 => format!("as priority {}, after {}", i.rank, join_and(&ahead)),
            n => format!("as priority {}, after my {n} current priorities", i.rank),
        };
        let finish = i
            .finish
            .map(|f| {
                format!(
                    "; I expect to finish it on {} ({})",
                    day(f, today),
                    relative(f, today)
                )
            })
            .unwrap_or_default();
        parts.push(format!(
            "I can take on \"{}\" by {due}. It fits {place}, without delaying anything else{finish}.",
            i.title
        ));
    }
    if !late.is_empty() {
        parts.push(format!(
            "Already at risk with my current load, with or without this: {}.",
            join_and(&late)
        ));
    }
    parts.push("Are we aligned on the top priorities?".to_string());
    parts.join(" ")
}

fn join_or(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{}, or {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enums::Status;
    use jiff::civil::date;

    // Mon 23 Nov 2026; Sat 21 Nov; Fri 27 Nov; Mon 30 Nov.
    fn clock(day: &str) -> Clock {
        Clock::fixed(day).unwrap()
    }

    fn priority(snap: &mut Snapshot, rank: i64, effort: &str, due: Option<Date>) -> i64 {
        let id = snap.items.len() as i64 + 1;
        let input = ItemInput {
            title: Some(format!("P{rank}")),
            effort: Some(effort.parse().unwrap()),
            due,
            rank: Some(rank),
            ..Default::default()
        };
        let mut item = Item::new(Kind::Priority, input, &clock("2026-11-01"), rank).unwrap();
        item.id = id;
        snap.items.push(item);
        id
    }

    fn request(due: Date, effort: &str) -> IntakeInput {
        IntakeInput {
            title: "Audit export".into(),
            from: "Dana".into(),
            due,
            effort: effort.parse().unwrap(),
            rank: None,
        }
    }

    fn slip_ids(i: &Intake) -> Vec<i64> {
        i.would_slip.iter().map(|x| x.id).collect()
    }

    #[test]
    fn finish_dates_skip_weekends() {
        let mon = date(2026, 11, 23);
        assert_eq!(finish_date(mon, 1), Some(mon));
        assert_eq!(finish_date(mon, 5), Some(date(2026, 11, 27)));
        assert_eq!(finish_date(mon, 6), Some(date(2026, 11, 30)));
        assert_eq!(
            finish_date(date(2026, 11, 26), 3),
            Some(date(2026, 11, 30)),
            "Thu + 3 = Mon"
        );
        assert_eq!(
            finish_date(date(2026, 11, 21), 1),
            Some(mon),
            "Saturday starts on Monday"
        );
        assert_eq!(finish_date(mon, 0), None);
        for n in 1..40 {
            let f = finish_date(mon, n).unwrap();
            assert!(crate::is_working_day(f));
            assert_eq!(working_days_between(mon, f), n);
        }
    }

    #[test]
    fn exact_fit_after_the_effort_ahead_is_meeting_the_date() {
        // P1 3d due Wed 25 finishes Wed 25 (exactly); the request 2d due Fri 27 fits behind
        // it: 3 + 2 = 5 working days Mon..Fri.
        let mut s = Snapshot::default();
        priority(&mut s, 1, "3d", Some(date(2026, 11, 25)));
        let i = intake(&s, &request(date(2026, 11, 27), "2d"), &clock("2026-11-23"));
        assert_eq!(
            (i.rank, i.working_days, i.effort_ahead, i.fits),
            (2, 5, 3, true)
        );
        assert_eq!(i.finish, Some(date(2026, 11, 27)));
        assert!(
            i.message.starts_with(
                "I can take on \"Audit export\" by Fri 27 Nov. It fits as priority 2, after \"P1\", without delaying anything else; I expect to finish it on Fri 27 Nov (in 4 days)."
            ),
            "{}",
            i.message
        );
    }

    #[test]
    fn one_day_more_goes_ahead_and_pushes_the_other_back() {
        let mut s = Snapshot::default();
        let p1 = priority(&mut s, 1, "3d", Some(date(2026, 11, 25)));
        let i = intake(&s, &request(date(2026, 11, 27), "3d"), &clock("2026-11-23"));
        assert_eq!(
            (i.rank, i.effort_ahead, i.fits, i.misses_own_date),
            (1, 0, false, false)
        );
        assert_eq!(slip_ids(&i), [p1]);
        assert_eq!(i.finish_if_last, Some(date(2026, 11, 30)));
        assert!(i.message.contains("I would have to deprioritize \"P1\" (due Wed 25 Nov), which would then miss its date."), "{}", i.message);
        assert!(
            i.message.contains("I can finish it by Mon 30 Nov."),
            "{}",
            i.message
        );
        assert!(i.message.ends_with("Are we aligned on the top priorities?"));
    }

    #[test]
    fn weekends_do_not_count_and_the_lowest_meeting_rank_wins() {
        // Efforts 2, 2, 2 by rank. The request (3d, due Mon 30 Nov: 6 working days) meets at
        // rank 2 (2 + 3 = 5) but not at rank 3 (4 + 3 = 7).
        let mut s = Snapshot::default();
        priority(&mut s, 1, "2d", None);
        let p2 = priority(&mut s, 2, "2d", Some(date(2026, 12, 1)));
        let p3 = priority(&mut s, 3, "2d", Some(date(2026, 12, 3)));
        let i = intake(&s, &request(date(2026, 11, 30), "3d"), &clock("2026-11-23"));
        assert_eq!((i.rank, i.working_days, i.effort_ahead), (2, 6, 2));
        // Pushed back by 3 days, P2 ends on working day 7 (Tue 1 Dec) and P3 on day 9 (Thu 3
        // Dec): both exactly on their dates.
        assert!(slip_ids(&i).is_empty(), "{:?}", i.plan);
        assert!(i.fits);
        let rows: Vec<(Option<i64>, i64, Option<Date>, bool)> = i
            .plan
            .iter()
            .map(|r| (r.id, r.rank, r.finish, r.misses))
            .collect();
        assert_eq!(
            rows,
            [
                (Some(1), 1, Some(date(2026, 11, 24)), false),
                (None, 2, Some(date(2026, 11, 27)), false),
                (Some(p2), 3, Some(date(2026, 12, 1)), false),
                (Some(p3), 4, Some(date(2026, 12, 3)), false),
            ]
        );
    }

    #[test]
    fn a_request_that_cannot_make_it_goes_first_and_says_so() {
        let mut s = Snapshot::default();
        let p1 = priority(&mut s, 1, "1d", Some(date(2026, 11, 24)));
        let i = intake(&s, &request(date(2026, 11, 24), "3d"), &clock("2026-11-23"));
        assert_eq!(
            (i.rank, i.working_days, i.misses_own_date, i.fits),
            (1, 2, true, false)
        );
        assert_eq!(i.finish, Some(date(2026, 11, 25)));
        assert_eq!(slip_ids(&i), [p1]);
        assert!(i.message.starts_with("\"Audit export\" needs about 3 working days and there are only 2 working days until Tue 24 Nov, so I can't meet that date even as my top priority."), "{}", i.message);
        assert!(i.message.contains("Could we move the date to Wed 25 Nov, take it after my current priorities and finish by Thu 26 Nov, or cut the scope to fit 2 working days?"), "{}", i.message);
    }

    #[test]
    fn today_a_saturday_counts_from_monday() {
        // Sat 21 Nov: Mon..Fri is 5 working days to Fri 27 Nov; 5d fits exactly.
        let s = Snapshot::default();
        let c = clock("2026-11-21");
        let i = intake(&s, &request(date(2026, 11, 27), "5d"), &c);
        assert_eq!(
            (i.working_days, i.fits, i.finish),
            (5, true, Some(date(2026, 11, 27)))
        );
        // Due Sunday: no working day at all.
        let i = intake(&s, &request(date(2026, 11, 22), "1d"), &c);
        assert_eq!((i.working_days, i.misses_own_date), (0, true));
        assert!(
            i.message
                .contains("there is no working day left before Sun 22 Nov"),
            "{}",
            i.message
        );
        // A week's effort (1w = 5 working days) behaves like 5d.
        let i = intake(&s, &request(date(2026, 11, 27), "1w"), &c);
        assert_eq!((i.effort, i.fits), (5, true));
    }

    #[test]
    fn forced_rank_is_analysed_where_it_is_put_and_clamped() {
        let mut s = Snapshot::default();
        priority(&mut s, 1, "3d", None);
        let p2 = priority(&mut s, 2, "2d", Some(date(2026, 11, 27)));
        let mut input = request(date(2026, 12, 31), "2d");
        assert_eq!(
            intake(&s, &input, &clock("2026-11-23")).rank,
            3,
            "fits last"
        );
        input.rank = Some(1);
        let i = intake(&s, &input, &clock("2026-11-23"));
        assert_eq!((i.rank, i.rank_forced, i.effort_ahead), (1, true, 0));
        assert_eq!(
            slip_ids(&i),
            [p2],
            "2 + 3 + 2 = 7 > 5 working days to Fri 27 Nov"
        );
        input.rank = Some(99);
        assert_eq!(intake(&s, &input, &clock("2026-11-23")).rank, 3);
    }

    #[test]
    fn priorities_late_anyway_are_not_blamed_on_the_request_but_it_does_not_fit() {
        let mut s = Snapshot::default();
        let late = priority(&mut s, 1, "5d", Some(date(2026, 11, 24)));
        let i = intake(&s, &request(date(2026, 12, 31), "1d"), &clock("2026-11-23"));
        assert_eq!(i.rank, 2);
        assert!(i.would_slip.is_empty());
        assert_eq!(
            i.already_late.iter().map(|x| x.id).collect::<Vec<_>>(),
            [late]
        );
        assert!(!i.fits);
        assert!(i.message.contains("Already at risk with my current load, with or without this: \"P1\" (due Tue 24 Nov)."), "{}", i.message);
    }

    #[test]
    fn no_effort_takes_no_time_and_done_priorities_are_ignored() {
        let mut s = Snapshot::default();
        priority(&mut s, 1, "0d", Some(date(2026, 11, 23)));
        let done = priority(&mut s, 2, "10d", None);
        s.items[done as usize - 1].status = Status::Done;
        let i = intake(&s, &request(date(2026, 11, 23), "1d"), &clock("2026-11-23"));
        assert_eq!((i.rank, i.fits, i.effort_ahead), (2, true, 0));
        assert_eq!(i.plan.len(), 2);
    }

    #[test]
    fn a_past_due_date_is_missed() {
        let i = intake(
            &Snapshot::default(),
            &request(date(2026, 11, 20), "0d"),
            &clock("2026-11-23"),
        );
        assert!(i.misses_own_date && !i.fits);
    }

    #[test]
    fn accept_makes_an_open_priority_from_the_requester() {
        let mut s = Snapshot::default();
        priority(&mut s, 1, "3d", None);
        let c = clock("2026-11-23");
        s.people
            .push(crate::Person::new("Dana", crate::Relation::Manager, c.now).unwrap());
        let mut input = request(date(2026, 12, 4), "2d");
        let i = intake(&s, &input, &c);
        let item = accept(&i, &input, &c).unwrap();
        assert_eq!(
            (item.kind, item.status, item.rank),
            (Kind::Priority, Status::Open, Some(2))
        );
        assert_eq!(
            (
                item.person.as_ref().map(|p| p.name.as_str()),
                item.due,
                item.effort
            ),
            (Some("Dana"), Some(input.due), Some(input.effort))
        );
        input.rank = Some(0);
        assert!(accept(&intake(&s, &input, &c), &input, &c).is_err());
    }

    #[test]
    fn json_has_the_spec_keys_first_and_items_in_item_shape() {
        let mut s = Snapshot::default();
        priority(&mut s, 1, "3d", Some(date(2026, 11, 25)));
        let i = intake(&s, &request(date(2026, 11, 27), "3d"), &clock("2026-11-23"));
        let v = serde_json::to_value(&i).unwrap();
        let keys: Vec<&String> = v.as_object().unwrap().keys().take(5).collect();
        assert_eq!(
            keys,
            [
                "fits",
                "working_days",
                "effort_ahead",
                "would_slip",
                "message"
            ]
        );
        assert_eq!(v["would_slip"][0]["rank"], 1);
        assert!(v["would_slip"][0].get("severity").is_none());
    }
}
