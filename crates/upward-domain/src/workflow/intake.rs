//! Intake (docs/intake.md): sees a new request in the context of the existing work, so the
//! trade-off can be made explicit before saying yes.
//!
//! The model is deliberately simple so a user can check it by hand: open priorities are
//! worked in rank order, one at a time; every working day (Monday–Friday, today included when
//! it is one) does one day of effort; a priority without effort takes no time. A priority
//! meets its due date when the effort up to and including it fits in the working days from
//! today through that date: finishing on the due date is meeting it. Ranks are positions in
//! that order (the store keeps open ranks dense, 1..n).

use crate::words::{day, first_name, join_and, relative, working_days as wd_words};
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

impl IntakeInput {
    /// The request as typed (the command line's arguments, a page's form, the API's query):
    /// a title, the requester, a due date, an effort and, to accept it at a given place, a
    /// rank. One parser, so every front end accepts and refuses the same things.
    pub fn parse(
        title: &str,
        from: &str,
        due: &str,
        effort: &str,
        rank: Option<&str>,
        today: Date,
    ) -> Result<IntakeInput, DomainError> {
        let rank = rank
            .map(|r| {
                r.trim()
                    .parse::<i64>()
                    .map_err(|_| DomainError::invalid("rank", r, "a whole number from 1 to 100000"))
                    .and_then(crate::item::validate_rank)
            })
            .transpose()?;
        Ok(IntakeInput {
            title: crate::item::validate_title(title)?,
            from: from.to_string(),
            due: crate::parse_date(due, today)?,
            effort: crate::parse_duration(effort)?,
            rank,
        })
    }
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
    /// Working days later it finishes because of the request (0 when ranked above it, or
    /// without effort).
    pub delay: i64,
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
    /// Of `already_late`, those the request pushes back further: late anyway, and later still
    /// with it (each row's `delay` in `plan` says by how much).
    #[serde(serialize_with = "items_json")]
    pub later_still: Vec<Item>,
    /// The largest effort, in working days, with which the request would make its date
    /// without pushing anything else past its date; `None` when it already does, or when no
    /// cut would.
    pub cut_to: Option<i64>,
    /// Who `message` is to: the requester, or my manager when the requester is someone else
    /// and taking the request on would push one of my priorities past its date (my manager
    /// decides what moves).
    pub message_to: String,
    /// When `message` goes to my manager: a short holding reply to the requester.
    pub requester_note: Option<String>,
    pub plan: Vec<PlanRow>,
}

fn items_json<S: Serializer>(items: &[Item], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(items.iter().map(Item::to_json))
}

/// The kinds of item [`intake`] reads: only priorities (see [`crate::workflow::prep::KINDS`]).
pub const KINDS: &[Kind] = &[Kind::Priority];

/// Where the request goes for one effort, and what that does to the open priorities.
struct Placement {
    rank: i64,
    misses_own_date: bool,
    effort_ahead: i64,
    plan: Vec<PlanRow>,
    /// Indices into the open priorities: meet their dates without the request, miss with it.
    would_slip: Vec<usize>,
    /// Miss their dates without it.
    already_late: Vec<usize>,
    /// Of `already_late`, those the request pushes back further (it is ranked above them).
    later_still: Vec<usize>,
}

impl Placement {
    /// The request makes its own date and pushes nothing past its date.
    fn clean(&self) -> bool {
        !self.misses_own_date && self.would_slip.is_empty() && self.later_still.is_empty()
    }
}

/// Places a request of `effort` working days among `open` (in rank order, with `efforts`)
/// at `forced` (clamped to 1..=n+1), else at the lowest rank at which it meets its date, else
/// at rank 1 (docs/intake.md).
fn place(
    open: &[&Item],
    efforts: &[i64],
    input: &IntakeInput,
    effort: i64,
    today: Date,
) -> Placement {
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
    let rank = match input.rank {
        Some(r) => r.clamp(1, n + 1),
        None => (1..=n + 1).rev().find(|&r| meets_at(r)).unwrap_or(1),
    };
    let misses_own_date = !meets_at(rank);

    let mut placement = Placement {
        rank,
        misses_own_date,
        effort_ahead: ahead(rank),
        plan: Vec::new(),
        would_slip: Vec::new(),
        already_late: Vec::new(),
        later_still: Vec::new(),
    };
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
        delay: 0,
        is_request: true,
    };
    for (index, item) in open.iter().enumerate() {
        if index as i64 + 1 == rank {
            done_with += effort;
            position += 1;
            placement.plan.push(request_row(done_with, position));
        }
        done_without += efforts[index];
        done_with += efforts[index];
        position += 1;
        let (misses, late_anyway) = match item.due {
            Some(due) => (done_with > capacity(due), done_without > capacity(due)),
            None => (false, false),
        };
        let delay = if efforts[index] > 0 {
            done_with - done_without
        } else {
            0
        };
        if late_anyway {
            placement.already_late.push(index);
            if delay > 0 {
                placement.later_still.push(index);
            }
        } else if misses {
            placement.would_slip.push(index);
        }
        placement.plan.push(PlanRow {
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
            delay,
            is_request: false,
        });
    }
    if rank == n + 1 {
        done_with += effort;
        placement.plan.push(request_row(done_with, n + 1));
    }
    placement
}

/// Places the request among the open priorities and drafts the trade-off question.
pub fn intake(snap: &Snapshot, input: &IntakeInput, clock: &Clock) -> Intake {
    let today = clock.today;
    let mut open: Vec<&Item> = snap.open(Kind::Priority).collect();
    open.sort_by_key(|i| (i.rank.unwrap_or(i64::MAX), i.id));
    let efforts: Vec<i64> = open.iter().map(|i| effort_of(i)).collect();
    let effort = input.effort.working_days();
    let own_capacity = if input.due < today {
        -1
    } else {
        working_days_between(today, input.due)
    };
    let at = place(&open, &efforts, input, effort, today);
    // The cut that fits: the largest smaller effort with which the request, placed by the
    // same rule, makes its date and pushes nothing else past its date.
    let cut_to = (!at.clean())
        .then(|| {
            (1..effort.min(own_capacity + 1))
                .rev()
                .find(|&e| place(&open, &efforts, input, e, today).clean())
        })
        .flatten();
    let items =
        |indices: &[usize]| -> Vec<Item> { indices.iter().map(|&i| open[i].clone()).collect() };

    let total: i64 = efforts.iter().sum();
    let requester = snap.person(&input.from).map(Person::to_ref);
    let from = requester
        .as_ref()
        .map_or(input.from.clone(), |p| p.name.clone());
    let manager = snap.manager();
    // My manager owns my priorities: a request from anyone else that would push one of them
    // past its date is theirs to decide, so the draft goes to them.
    let via_manager = manager
        .filter(|m| requester.as_ref().is_none_or(|r| r.uuid != m.uuid))
        .filter(|_| !at.would_slip.is_empty() || !at.later_still.is_empty());
    let requester_is_manager = match (manager, &requester) {
        (Some(m), Some(r)) => m.uuid == r.uuid,
        // Without a manager in the workspace, the requester is who I settle it with.
        (None, _) => true,
        (Some(_), None) => false,
    };
    let mut intake = Intake {
        fits: !at.misses_own_date && at.would_slip.is_empty() && at.already_late.is_empty(),
        working_days: own_capacity.max(0),
        effort_ahead: at.effort_ahead,
        would_slip: items(&at.would_slip),
        message: String::new(),
        rank: at.rank,
        rank_forced: input.rank.is_some(),
        date: today,
        title: input.title.trim().to_string(),
        from,
        requester,
        due: input.due,
        effort,
        misses_own_date: at.misses_own_date,
        finish: finish_date(today, at.effort_ahead + effort),
        finish_if_last: finish_date(today, total + effort),
        already_late: items(&at.already_late),
        later_still: items(&at.later_still),
        cut_to,
        message_to: via_manager.map_or(String::new(), |m| m.name.clone()),
        requester_note: None,
        plan: at.plan,
    };
    if intake.message_to.is_empty() {
        intake.message_to = intake.from.clone();
    }
    intake.message = message(&intake, today, via_manager, requester_is_manager);
    intake.requester_note = via_manager.map(|m| requester_note(&intake, m, today));
    intake
}

/// The plan as it stands without the request: the same open priorities in the same order,
/// ranked 1..n, each finishing when the work ahead of it is done (its `delay` undone). Shown
/// beside [`Intake::plan`] so the reader sees what the request changes.
pub fn plan_before(intake: &Intake) -> Vec<PlanRow> {
    let mut done = 0;
    intake
        .plan
        .iter()
        .filter(|r| !r.is_request)
        .enumerate()
        .map(|(i, r)| {
            done += r.effort;
            PlanRow {
                rank: i as i64 + 1,
                finish: (r.effort > 0)
                    .then(|| finish_date(intake.date, done))
                    .flatten(),
                misses: r.late_anyway,
                delay: 0,
                ..r.clone()
            }
        })
        .collect()
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

/// The working days a priority still needs: its remaining effort when recorded, else its
/// estimate ([`Item::effort_left`]); none takes no time.
pub fn effort_of(item: &Item) -> i64 {
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

/// "push "A" (due Tue 24 Nov), already late, 2 working days later still".
fn later_phrase(i: &Intake, today: Date) -> Option<String> {
    if i.later_still.is_empty() {
        return None;
    }
    let titles: Vec<String> = i.later_still.iter().map(|it| titled(it, today)).collect();
    let by = i
        .plan
        .iter()
        .filter(|r| {
            r.id.is_some_and(|id| i.later_still.iter().any(|l| l.id == id))
        })
        .map(|r| r.delay)
        .max()
        .unwrap_or(0);
    Some(format!(
        "push {}, already late, {} later still",
        join_and(&titles),
        wd_words(by)
    ))
}

/// The draft (docs/intake.md): to the requester, or to my manager (`via`) when the
/// requester is someone else and the request would push one of my priorities past its date.
/// Only my manager is asked whether we are aligned on my priorities.
fn message(i: &Intake, today: Date, via: Option<&Person>, to_manager: bool) -> String {
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
    let late: Vec<String> = i
        .already_late
        .iter()
        .filter(|it| !i.later_still.iter().any(|l| l.id == it.id))
        .map(|it| titled(it, today))
        .collect();
    let later = later_phrase(i, today);
    let cut = i.cut_to.map(|c| {
        format!(
            "cut the scope to {} so that it fits without making anything else late",
            wd_words(c)
        )
    });
    let mut parts: Vec<String> = Vec::new();
    if via.is_some() {
        parts.push(format!(
            "{} asked me to take on \"{}\" by {due}.",
            first_name(&i.from),
            i.title
        ));
    }
    let mut options = Vec::new();

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
        match (slip.is_empty(), &later) {
            (false, Some(later)) => parts.push(format!(
                "Taking it on would also push back {} and {later}.",
                join_and(&slip)
            )),
            (false, None) => parts.push(format!(
                "Taking it on would also push back {}.",
                join_and(&slip)
            )),
            (true, Some(later)) => parts.push(format!("Taking it on would also {later}.")),
            (true, None) => {}
        }
        if let Some(f) = i.finish {
            options.push(format!("move the date to {}", day(f, today)));
        }
        if let Some(f) = i.finish_if_last.filter(|f| Some(*f) != i.finish) {
            options.push(format!(
                "take it after my current priorities and finish by {}",
                day(f, today)
            ));
        }
        options.extend(cut);
    } else if !slip.is_empty() || later.is_some() {
        let mut pushed = Vec::new();
        if !slip.is_empty() {
            pushed.push(format!(
                "I would have to deprioritize {}, which would then miss {}",
                join_and(&slip),
                if slip.len() == 1 {
                    "its date"
                } else {
                    "their dates"
                }
            ));
        }
        if let Some(later) = &later {
            pushed.push(if slip.is_empty() {
                format!("taking it on would {later}")
            } else {
                later.clone()
            });
        }
        parts.push(format!(
            "Given the {due} deadline for \"{}\" ({size}) and my current workload, {}.",
            i.title,
            pushed.join(", and ")
        ));
        if let Some(f) = i.finish_if_last {
            let wait = format!(
                "If \"{}\" can wait until my current priorities are done, I can finish it by {}.",
                i.title,
                day(f, today)
            );
            if via.is_some() {
                options.push(format!(
                    "take it after my current priorities and finish by {}",
                    day(f, today)
                ));
            } else {
                parts.push(wait);
            }
        }
        match (&cut, via) {
            (Some(c), Some(_)) => options.push(c.clone()),
            (Some(_), None) => parts.push(format!(
                "Or, cut to {}, it would fit without making anything else late.",
                wd_words(i.cut_to.unwrap_or_default())
            )),
            _ => {}
        }
    } else {
        let place = match ahead.len() {
            0 => "as my top priority".to_string(),
            1 | 2 => format!("as priority {}, after {}", i.rank, join_and(&ahead)),
            n => format!("as priority {}, after my {n} current priorities", i.rank),
        };
        // Said as the table shows it: nothing with effort after the request means nothing
        // moves; otherwise what moves still makes its date.
        let moves = i
            .plan
            .iter()
            .skip_while(|r| !r.is_request)
            .any(|r| !r.is_request && r.effort > 0);
        let effect = if moves {
            "and everything else still meets its date"
        } else {
            "without delaying anything else"
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
            "I can take on \"{}\" by {due}. It fits {place}, {effect}{finish}.",
            i.title
        ));
    }
    if !late.is_empty() {
        parts.push(format!(
            "Already at risk with my current load, with or without this: {}.",
            join_and(&late)
        ));
    }
    if via.is_some() {
        options.push("let it come first and move the others".to_string());
        parts.push(format!("Which would you prefer: {}?", join_or(&options)));
    } else if !options.is_empty() {
        parts.push(format!("Could we {}?", join_or(&options)));
    }
    if to_manager || via.is_some() {
        parts.push("Are we aligned on the top priorities?".to_string());
    }
    parts.join(" ")
}

/// The holding reply to a requester whose request goes to my manager first.
fn requester_note(i: &Intake, manager: &Person, today: Date) -> String {
    let mut next = today.tomorrow().unwrap_or(today);
    while !crate::is_working_day(next) {
        next = next.tomorrow().unwrap_or(next);
    }
    format!(
        "Thanks for thinking of me for \"{}\". Taking it on by {} would push back work {} has prioritised, so I am checking with {} first; I will get back to you by {}.",
        i.title,
        day(i.due, today),
        first_name(&manager.name),
        first_name(&manager.name),
        day(next, today)
    )
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
    fn the_plan_before_is_the_plan_without_the_request_and_its_delays() {
        let mut s = Snapshot::default();
        priority(&mut s, 1, "3d", Some(date(2026, 11, 25)));
        priority(&mut s, 2, "2d", Some(date(2026, 11, 27)));
        priority(&mut s, 3, "1d", None);
        // 4d due Thu 26 goes first and pushes both dated priorities past their dates.
        let i = intake(&s, &request(date(2026, 11, 26), "4d"), &clock("2026-11-23"));
        assert_eq!(i.rank, 1);
        let before = plan_before(&i);
        assert_eq!(before.len(), 3);
        assert!(before.iter().all(|r| !r.is_request && r.delay == 0));
        assert_eq!(before.iter().map(|r| r.rank).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(before[0].finish, Some(date(2026, 11, 25)));
        assert_eq!(before[1].finish, Some(date(2026, 11, 27)));
        assert_eq!(before[2].finish, Some(date(2026, 11, 30)));
        assert!(before.iter().all(|r| !r.misses), "all on time without it");
        assert!(i.plan.iter().any(|r| r.misses && !r.is_request));
    }

    #[test]
    fn parse_takes_the_typed_request_and_refuses_bad_parts() {
        let today = date(2026, 11, 23);
        let i = IntakeInput::parse(" Audit ", "Dana", "fri", "2d", Some(" 3 "), today).unwrap();
        assert_eq!(
            (i.title.as_str(), i.due, i.effort.working_days(), i.rank),
            ("Audit", date(2026, 11, 27), 2, Some(3))
        );
        assert!(IntakeInput::parse("", "Dana", "fri", "2d", None, today).is_err());
        assert!(IntakeInput::parse("A", "Dana", "someday", "2d", None, today).is_err());
        assert!(IntakeInput::parse("A", "Dana", "fri", "lots", None, today).is_err());
        for rank in ["0", "-1", "x", "100001", "99999999999999999999"] {
            assert!(
                IntakeInput::parse("A", "Dana", "fri", "2d", Some(rank), today).is_err(),
                "{rank}"
            );
        }
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
        assert!(i.message.contains("Could we move the date to Wed 25 Nov, take it after my current priorities and finish by Thu 26 Nov, or cut the scope to 1 working day so that it fits without making anything else late?"), "{}", i.message);
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

    #[test]
    fn already_late_priorities_the_request_pushes_back_are_said_to_be_later_still() {
        // Five priorities, each 5d due Tue 24 Nov (capacity 2): late anyway. The request, 2d
        // due Wed 25 Nov (capacity 3), meets its date only first, pushing all five 2 days.
        let mut s = Snapshot::default();
        for rank in 1..=5 {
            priority(&mut s, rank, "5d", Some(date(2026, 11, 24)));
        }
        let i = intake(&s, &request(date(2026, 11, 25), "2d"), &clock("2026-11-23"));
        assert_eq!((i.rank, i.misses_own_date, i.fits), (1, false, false));
        assert_eq!((i.already_late.len(), i.later_still.len()), (5, 5));
        assert!(
            i.plan
                .iter()
                .filter(|r| !r.is_request)
                .all(|r| r.delay == 2)
        );
        assert!(!i.message.contains("without delaying"), "{}", i.message);
        assert!(!i.message.contains("It fits"), "{}", i.message);
        assert!(
            i.message
                .contains("already late, 2 working days later still."),
            "{}",
            i.message
        );
        assert!(
            !i.message.contains("Already at risk"),
            "said once: {}",
            i.message
        );
        assert_eq!(i.cut_to, None, "no smaller request avoids pushing them");
    }

    #[test]
    fn late_priorities_ranked_above_the_request_are_not_delayed_by_it() {
        let mut s = Snapshot::default();
        priority(&mut s, 1, "5d", Some(date(2026, 11, 24)));
        let i = intake(&s, &request(date(2026, 12, 31), "1d"), &clock("2026-11-23"));
        assert!(i.later_still.is_empty() && i.plan[0].delay == 0);
        assert!(
            i.message
                .contains("It fits as priority 2, after \"P1\", without delaying anything else"),
            "{}",
            i.message
        );
    }

    #[test]
    fn the_cut_offered_is_the_one_that_fits() {
        // P1 4d due Mon 30 Nov (capacity 6). A request of 8d due Mon 30 Nov misses at any
        // rank; cut to 6 it would make its date only first, and push P1 (6 + 4 = 10 > 6).
        // Cut to 2 it goes after P1: 4 + 2 = 6, and nothing moves.
        let mut s = Snapshot::default();
        priority(&mut s, 1, "4d", Some(date(2026, 11, 30)));
        let i = intake(&s, &request(date(2026, 11, 30), "8d"), &clock("2026-11-23"));
        assert!(i.misses_own_date);
        assert_eq!((i.working_days, i.cut_to), (6, Some(2)));
        assert!(
            i.message.contains("or cut the scope to 2 working days so that it fits without making anything else late?"),
            "{}",
            i.message
        );
        assert!(!i.message.contains("fit 6"), "{}", i.message);
        // 5d makes its date first, but pushes P1: the same cut is offered.
        let i = intake(&s, &request(date(2026, 11, 30), "5d"), &clock("2026-11-23"));
        assert_eq!((i.misses_own_date, i.cut_to), (false, Some(2)));
        assert!(
            i.message.contains(
                "Or, cut to 2 working days, it would fit without making anything else late."
            ),
            "{}",
            i.message
        );
        // 3d: 4 + 3 = 7 > 6 after P1, so first, pushing P1 to day 7: a cut to 2 fits.
        let i = intake(&s, &request(date(2026, 11, 30), "3d"), &clock("2026-11-23"));
        assert_eq!(i.cut_to, Some(2));
        // 2d fits as it is: no cut.
        let i = intake(&s, &request(date(2026, 11, 30), "2d"), &clock("2026-11-23"));
        assert_eq!((i.fits, i.cut_to), (true, None));
    }

    #[test]
    fn the_fit_sentence_says_what_the_table_shows() {
        // The request goes first (due Tue 24 Nov) and P1 (due in December) still meets its
        // date: something moves, so not "without delaying anything else".
        let mut s = Snapshot::default();
        priority(&mut s, 1, "3d", Some(date(2026, 12, 18)));
        let i = intake(&s, &request(date(2026, 11, 24), "1d"), &clock("2026-11-23"));
        assert!(i.fits);
        assert!(
            i.message
                .contains("It fits as my top priority, and everything else still meets its date;"),
            "{}",
            i.message
        );
    }

    fn with_people(s: &mut Snapshot) {
        use crate::enums::Relation;
        let now = clock("2026-11-23").now;
        let mut me = Person::new("Alex Kim", Relation::Myself, now).unwrap();
        me.is_me = true;
        s.people = vec![
            me,
            Person::new("Dana Whitfield", Relation::Manager, now).unwrap(),
            Person::new("Sam Ortiz", Relation::Peer, now).unwrap(),
        ];
    }

    #[test]
    fn a_peers_request_that_would_push_my_managers_priorities_goes_to_my_manager() {
        let mut s = Snapshot::default();
        with_people(&mut s);
        priority(&mut s, 1, "3d", Some(date(2026, 11, 25)));
        let mut input = request(date(2026, 11, 27), "3d");
        input.from = "Sam Ortiz".into();
        let i = intake(&s, &input, &clock("2026-11-23"));
        assert_eq!(i.would_slip.len(), 1);
        assert_eq!(i.message_to, "Dana Whitfield");
        assert!(
            i.message.starts_with("Sam asked me to take on \"Audit export\" by Fri 27 Nov. Given the Fri 27 Nov deadline"),
            "{}",
            i.message
        );
        assert!(
            i.message.contains("Which would you prefer: take it after my current priorities and finish by Mon 30 Nov, cut the scope to 2 working days so that it fits without making anything else late, or let it come first and move the others?"),
            "{}",
            i.message
        );
        assert!(i.message.ends_with("Are we aligned on the top priorities?"));
        assert_eq!(
            i.requester_note.as_deref(),
            Some(
                "Thanks for thinking of me for \"Audit export\". Taking it on by Fri 27 Nov would push back work Dana has prioritised, so I am checking with Dana first; I will get back to you by Tue 24 Nov."
            )
        );
        // When it fits, Sam gets the answer, and is not asked about my priorities.
        let mut input = request(date(2026, 12, 31), "1d");
        input.from = "Sam Ortiz".into();
        let i = intake(&s, &input, &clock("2026-11-23"));
        assert_eq!(
            (i.message_to.as_str(), i.requester_note.clone()),
            ("Sam Ortiz", None)
        );
        assert!(!i.message.contains("aligned"), "{}", i.message);
        // My manager's own request: the trade-off goes to her, as before.
        let mut input = request(date(2026, 11, 27), "3d");
        input.from = "Dana Whitfield".into();
        let i = intake(&s, &input, &clock("2026-11-23"));
        assert_eq!(
            (i.message_to.as_str(), i.requester_note.clone()),
            ("Dana Whitfield", None)
        );
        assert!(i.message.starts_with("Given the"), "{}", i.message);
        assert!(i.message.ends_with("Are we aligned on the top priorities?"));
    }

    #[test]
    fn the_schedule_reads_the_effort_left() {
        let mut s = Snapshot::default();
        priority(&mut s, 1, "3d", None);
        assert_eq!(effort_of(&s.items[0]), 3);
        assert_eq!(s.items[0].effort_left(), s.items[0].effort);
    }
}
