//! Nudges (docs/nudges.md): what needs attention now, one line each, most urgent first.
//!
//! Each rule looks for one lapse in the practice (a promise not kept, a manager not heard from
//! for longer than their cadence, a high risk kept quiet, …) and says what to do about it.
//!
//! Order, most urgent first, and why:
//! 1. `overdue` promises, actions and priorities, the most overdue first: a broken commitment
//!    costs trust every day it stays unsaid;
//! 2. `slip`: open priorities that intake's projection shows will miss their due date, the
//!    soonest due first: a slip flagged before the date is a trade-off, after it a surprise;
//! 3. `risk`: high-severity or high-likelihood risks not communicated, then likely risks
//!    with no mitigation: bad news early;
//! 4. `blocker`: blockers open for more than 3 working days without escalation, oldest first;
//! 5. `cadence`: people not met or updated for longer than their cadence, longest first;
//! 6. `feedback`: finished priorities with no feedback requested, before the moment passes;
//! 7. `idea`: ideas open for 30 days and never discussed, the oldest first: once per idea;
//! 8. `career`: goals not discussed for 90 days, never-discussed first;
//! 9. `reflection`: no reflection on a person with a cadence for 30 days, never first.
//!
//! A reader acts on a few at a time: [`shown`] keeps the first [`SHOWN`] and says how many
//! more there are.

use crate::enums::{Owner, RiskState, Status};
use crate::words::day;
use crate::words::{ago, count, one_line};
use crate::workflow::rules::{
    BLOCKER_ESCALATE_AFTER, MILESTONE_FEEDBACK_DAYS, Projected, feedback_requested_since,
    goal_is_stale, item_owner_uuid, open_working_days, projection, reflection_is_due,
    request_awaits_my_manager, risk_to_raise,
};
use crate::{Clock, Item, Kind, Level, Next, Person, Snapshot, days_between};
use jiff::civil::Date;
use serde::Serialize;
use std::cmp::Reverse;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NudgeKind {
    Overdue,
    /// An open priority projected to miss its due date (docs/intake.md's arithmetic).
    Slip,
    /// A priority taken on for someone else that my manager has not placed yet.
    #[serde(rename = "trade_off")]
    TradeOff,
    Risk,
    Blocker,
    Cadence,
    Feedback,
    /// An idea open for [`IDEA_NUDGE_DAYS`] and never discussed: bring it up, once.
    Idea,
    Career,
    Reflection,
}

impl NudgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NudgeKind::Overdue => "overdue",
            NudgeKind::Slip => "slip",
            NudgeKind::TradeOff => "trade_off",
            NudgeKind::Risk => "risk",
            NudgeKind::Blocker => "blocker",
            NudgeKind::Cadence => "cadence",
            NudgeKind::Feedback => "feedback",
            NudgeKind::Idea => "idea",
            NudgeKind::Career => "career",
            NudgeKind::Reflection => "reflection",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Nudge {
    pub kind: NudgeKind,
    /// One line: what is wrong and what to do, in words.
    pub text: String,
    /// The person it concerns, by name (an item with no person counts for my manager).
    pub person: Option<String>,
    /// The item it is about, if any.
    pub id: Option<i64>,
    /// The step that does what the text says, when there is one to take in upward.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<Next>,
}

/// The kinds of item [`nudges`] reads; a snapshot for it may leave out the others (see
/// [`crate::workflow::prep::KINDS`]).
pub const KINDS: &[Kind] = &[
    Kind::Promise,
    Kind::Action,
    Kind::Priority,
    Kind::Risk,
    Kind::Blocker,
    Kind::Goal,
    Kind::Feedback,
    Kind::Idea,
];

/// An idea open this many days without being discussed is nudged (docs/nudges.md#ideas).
pub const IDEA_NUDGE_DAYS: i64 = 30;

/// The kinds of which [`nudges`] reads items that are done: finished priorities (feedback
/// after a milestone) and feedback requested since. Of the others it reads only open items,
/// and it never reads dropped ones (see [`crate::workflow::prep::DONE_KINDS`]).
pub const DONE_KINDS: &[Kind] = &[Kind::Priority, Kind::Feedback];

/// Everything that needs attention as of `clock.today`, most urgent first (see the module
/// docs for the order).
pub fn nudges(snap: &Snapshot, clock: &Clock) -> Vec<Nudge> {
    let today = clock.today;
    let mut found = Vec::new();
    // Someone removed from the lists (`person rm`) is nobody to chase or to tell.
    let archived = |item: &Item| {
        item.person.as_ref().is_some_and(|p| {
            snap.person_by_uuid(p.uuid)
                .is_some_and(|person| person.archived)
        })
    };
    for item in snap.items.iter().filter(|i| !archived(i)) {
        let found_one = match (item.kind, item.status) {
            (Kind::Promise | Kind::Action | Kind::Priority, Status::Open) => {
                overdue(snap, item, today)
            }
            (Kind::Risk, Status::Open) => risk(snap, item),
            (Kind::Blocker, Status::Open) => blocker(snap, item, today),
            (Kind::Priority, Status::Done) => milestone(snap, item, today),
            (Kind::Goal, Status::Open) => career(snap, item, today),
            (Kind::Idea, Status::Open) => idea(snap, item, today),
            _ => None,
        };
        found.extend(found_one);
    }
    found.extend(
        projection(snap, today)
            .iter()
            .filter(|p| !archived(p.item))
            .filter_map(|p| slip(snap, p, today)),
    );
    found.extend(
        snap.items
            .iter()
            .filter(|i| !archived(i) && request_awaits_my_manager(snap, i))
            .filter_map(|i| trade_off(snap, i, today)),
    );
    let people = snap.people.iter().filter(|p| !p.is_me && !p.archived);
    for (index, person) in people.enumerate() {
        found.extend(cadence(snap, person, today, index as i64));
        found.extend(reflection(snap, person, today, index as i64));
    }
    found.sort_by_key(|r| (r.nudge.kind, Reverse(r.urgency), r.tie));
    found.into_iter().map(|r| r.nudge).collect()
}

/// How many nudges a reader is shown at once (`upward nudges`; `--all` shows every one): a
/// day's worth of attention, and the same number a brief agenda holds.
pub const SHOWN: usize = 7;

/// The line under a capped list: how many nudges are not shown, and the step that shows them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct More {
    pub count: usize,
    /// `…and 4 more, less urgent`.
    pub text: String,
    pub next: Next,
}

/// The nudges a reader is shown, most urgent first: the first [`SHOWN`] of `all_nudges`
/// unless `all`, and a [`More`] line when some are left out (docs/nudges.md).
pub fn shown(all_nudges: &[Nudge], all: bool) -> (&[Nudge], Option<More>) {
    if all || all_nudges.len() <= SHOWN {
        return (all_nudges, None);
    }
    let count = all_nudges.len() - SHOWN;
    let more = More {
        count,
        text: format!("…and {count} more, less urgent"),
        next: Next::Nudges { all: true },
    };
    (&all_nudges[..SHOWN], Some(more))
}

/// A nudge with what orders it within its kind: the more urgent first, then a stable tie-break
/// (the item id, or the person's place in the list).
struct Ranked {
    nudge: Nudge,
    urgency: i64,
    tie: i64,
}

fn about(item: &Item, kind: NudgeKind, text: String, who: Option<String>, urgency: i64) -> Ranked {
    Ranked {
        nudge: Nudge {
            kind,
            text,
            person: who,
            id: Some(item.id),
            next: None,
        },
        urgency,
        tie: item.id,
    }
}

fn overdue(snap: &Snapshot, item: &Item, today: Date) -> Option<Ranked> {
    let due = item.due.filter(|d| *d < today)?;
    let late = days_between(due, today);
    let who = item_owner(snap, item);
    let text = overdue_text(item, who.as_deref(), late);
    Some(about(item, NudgeKind::Overdue, text, who, late))
}

/// A risk my manager should hear about now (docs/nudges.md#risk): one to raise
/// ([`risk_to_raise`]: never communicated, or occurred or got worse since) that is of high
/// severity or high likelihood, or has occurred ("raise it now"); or one of high likelihood,
/// communicated, still `open` (not mitigated, not occurred) and without a mitigation ("agree
/// one"): told is not handled when it is likely to happen.
///
/// Urgency, higher first: to raise before the rest, then severity, then likelihood (high 3,
/// medium 2, low 1, unset 0), as `raise × 100 + severity × 10 + likelihood`.
fn risk(snap: &Snapshot, item: &Item) -> Option<Ranked> {
    let high = |l: Option<Level>| l == Some(Level::High);
    let mitigated = has_text(&item.mitigation);
    let occurred = item.risk_state() == RiskState::Occurred;
    let raise =
        risk_to_raise(item).filter(|_| high(item.severity) || high(item.likelihood) || occurred);
    let unmitigated = raise.is_none()
        && item.communicated.is_some()
        && item.risk_state() == RiskState::Open
        && high(item.likelihood)
        && !mitigated;
    if raise.is_none() && !unmitigated {
        return None;
    }
    let who = item_owner(snap, item);
    let weight = |l: Option<Level>| l.map_or(0, |l| i64::from(l.weight()));
    let urgency =
        i64::from(raise.is_some()) * 100 + weight(item.severity) * 10 + weight(item.likelihood);
    let l = label(item);
    let to = who
        .as_deref()
        .map(|w| format!(" to {w}"))
        .unwrap_or_default();
    let tell = who.as_deref().unwrap_or("your manager");
    if unmitigated {
        let with = who
            .as_deref()
            .map(|w| format!(" with {w}"))
            .unwrap_or_default();
        let text = format!(
            "Risk {l} is likely to happen and still has no mitigation — decide one and agree \
             it{with}"
        );
        let mut r = about(item, NudgeKind::Risk, text, who, urgency);
        r.nudge.next = Some(Next::edit_item(item.id, "mitigation"));
        return Some(r);
    }
    let with = if mitigated {
        "with your mitigation"
    } else {
        "with a recommended mitigation"
    };
    let what = match (high(item.severity), high(item.likelihood)) {
        (true, true) => "high severity, likely to happen,",
        (true, false) => "high severity",
        (false, true) => "likely to happen",
        (false, false) => "",
    };
    let text = match (item.communicated.is_some(), occurred) {
        (false, false) => {
            format!("Risk {l} is {what} and not yet communicated{to} — raise it now, {with}")
        }
        (false, true) => format!(
            "Risk {l} has occurred and was never communicated{to} — tell {tell} now what it \
             costs and what you will do"
        ),
        (true, true) => format!(
            "Risk {l} has occurred since you communicated it{to} — tell {tell} now what it \
             costs and what you will do"
        ),
        (true, false) => format!(
            "Risk {l} got worse since you communicated it{to} (now {}) — raise it again, {with}",
            what.trim_end_matches(',')
        ),
    };
    Some(about(item, NudgeKind::Risk, text, who, urgency))
}

/// An open priority with a due date still ahead (today included) that intake's projection
/// of the current plan shows will miss it ([`projection`]). One already past its date is
/// `overdue` instead. Urgency: the sooner its date, the more urgent (the negated days left).
fn slip(snap: &Snapshot, p: &Projected, today: Date) -> Option<Ranked> {
    let item = p.item;
    let due = item.due.filter(|d| *d >= today && p.misses)?;
    let who = item_owner(snap, item);
    let tell = who.as_deref().unwrap_or("your manager");
    let when = match p.finish {
        Some(f) => format!("in rank order it finishes {}", day(f, today)),
        None => format!(
            "the {} of effort ranked above it do not fit before then",
            count(p.effort_through, "working day")
        ),
    };
    let text = format!(
        "Priority {} is projected to miss its due date ({}): {when} — tell {tell} now and \
         agree a new date or a trade-off",
        label(item),
        day(due, today),
    );
    let mut r = about(item, NudgeKind::Slip, text, who, -days_between(today, due));
    r.nudge.next = Some(Next::edit_item(item.id, "due"));
    Some(r)
}

/// A priority taken on for someone other than my manager that my manager has not placed
/// among mine yet ([`request_awaits_my_manager`]): my priorities are theirs to order, so they
/// hear of it before the trade-off is made for them. Urgency: days since it was taken on.
fn trade_off(snap: &Snapshot, item: &Item, today: Date) -> Option<Ranked> {
    let manager = snap.manager()?;
    let asked_by = item_owner(snap, item)?;
    let text = format!(
        "You took on priority {} for {asked_by}: tell {} where it goes among your priorities \
         and what moves — they have not confirmed it yet",
        label(item),
        manager.name
    );
    let mut r = about(
        item,
        NudgeKind::TradeOff,
        text,
        Some(manager.name.clone()),
        days_between(item.created, today),
    );
    r.nudge.next = Some(Next::prep(&manager.name));
    Some(r)
}

fn blocker(snap: &Snapshot, item: &Item, today: Date) -> Option<Ranked> {
    let open = open_working_days(item.created, today);
    if item.escalated.is_some() || open <= BLOCKER_ESCALATE_AFTER {
        return None;
    }
    let who = item_owner(snap, item);
    let to = who.as_deref().unwrap_or("your manager");
    let todo = if has_text(&item.ask) {
        format!("take it to {to} with your ask")
    } else {
        format!("decide what you need and take it to {to}")
    };
    let text = format!(
        "Blocker {} has been open for {} without escalation — {todo}",
        label(item),
        count(open, "working day")
    );
    Some(about(item, NudgeKind::Blocker, text, who, open))
}

fn milestone(snap: &Snapshot, item: &Item, today: Date) -> Option<Ranked> {
    let done = item.done?;
    let since = days_between(done, today);
    let who = item_owner(snap, item);
    if !(0..=MILESTONE_FEEDBACK_DAYS).contains(&since)
        || feedback_requested_since(snap, item_owner_uuid(snap, item), done)
    {
        return None;
    }
    let ask = match &who {
        Some(w) => format!("ask {w} for feedback"),
        None => "ask for feedback".to_string(),
    };
    let text = format!(
        "Priority {} was finished {} — {ask} while it is fresh: what went well, what could be \
         better?",
        label(item),
        ago(done, today)
    );
    Some(about(item, NudgeKind::Feedback, text, who, since))
}

fn career(snap: &Snapshot, item: &Item, today: Date) -> Option<Ranked> {
    if !goal_is_stale(item, today) {
        return None;
    }
    let who = item_owner(snap, item);
    let todo = match &who {
        Some(w) => format!("bring it to your next 1:1 with {w}"),
        None => "bring it to your next 1:1".to_string(),
    };
    let l = label(item);
    let (text, urgency) = match item.last_discussed {
        None => (
            format!(
                "Career goal {l} has never been discussed — {todo}; goals left unsaid get forgotten"
            ),
            i64::MAX,
        ),
        Some(d) => {
            let days = days_between(d, today);
            let text = format!(
                "Career goal {l} has not been discussed for {} — {todo}",
                count(days, "day")
            );
            (text, days)
        }
    };
    Some(about(item, NudgeKind::Career, text, who, urgency))
}

/// An idea open for [`IDEA_NUDGE_DAYS`] or more that was never discussed (docs/nudges.md#ideas):
/// being proactive is bringing it to the person it could help. Once per idea: from day 30
/// until it is discussed (`meet` then closes it), done or dropped; an idea discussed once is
/// never nudged again, even when reopened. Urgency: days open, the oldest first.
fn idea(snap: &Snapshot, item: &Item, today: Date) -> Option<Ranked> {
    let open = days_between(item.created, today);
    if open < IDEA_NUDGE_DAYS || item.discussed.is_some() {
        return None;
    }
    let who = item_owner(snap, item);
    let todo = match &who {
        Some(w) => format!("bring it to your next 1:1 with {w}, or drop it if it no longer fits"),
        None => "bring it to your next 1:1, or drop it if it no longer fits".to_string(),
    };
    let text = format!(
        "Idea {} has waited {} without being discussed — {todo}",
        label(item),
        count(open, "day")
    );
    let mut r = about(item, NudgeKind::Idea, text, who.clone(), open);
    r.nudge.next = who.as_deref().map(Next::prep);
    Some(r)
}

/// A nudge about a person, with the step that answers it.
fn for_person(
    person: &Person,
    kind: NudgeKind,
    text: String,
    next: Next,
    urgency: i64,
    tie: i64,
) -> Ranked {
    Ranked {
        nudge: Nudge {
            kind,
            text,
            person: Some(person.name.clone()),
            id: None,
            next: Some(next),
        },
        urgency,
        tie,
    }
}

fn cadence(snap: &Snapshot, person: &Person, today: Date, tie: i64) -> Option<Ranked> {
    let cadence = person.cadence?;
    let name = &person.name;
    let todo = "book a 1:1 or send an update";
    let (text, urgency) = match snap.last_contact(person.uuid) {
        None => (
            format!("No 1:1 or update with {name} on record (cadence {cadence}) — {todo}"),
            i64::MAX,
        ),
        Some(last) if cadence.after(last) < today => {
            let days = count(days_between(last, today), "day");
            let text =
                format!("No 1:1 or update with {name} for {days} (cadence {cadence}) — {todo}");
            (text, days_between(cadence.after(last), today))
        }
        Some(_) => return None,
    };
    let next = Next::prep(name);
    Some(for_person(
        person,
        NudgeKind::Cadence,
        text,
        next,
        urgency,
        tie,
    ))
}

/// The next 1:1 with someone worked with on a rhythm, and when it is due by their cadence
/// (the web app's Today). Counted as the cadence nudge counts: from the last 1:1 or update
/// sent, never from the calendar, so a row is overdue exactly when that nudge is shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NextOneOnOne {
    pub person: String,
    pub cadence: crate::Duration,
    /// The last 1:1 or update sent to them; `None`: none on record.
    pub last_contact: Option<Date>,
    /// The last contact plus the cadence; today when there is none on record.
    pub due: Date,
    /// Days from today to `due`: negative when overdue.
    pub in_days: i64,
    /// Whether the cadence nudge is shown for them (due before today, or never met).
    pub overdue: bool,
    /// When, in words: `overdue by 3 days`, `due today`, `due in 4 days (Fri 27 Nov)`, or
    /// `due now — no 1:1 or update on record`.
    pub when: String,
    /// The step: prepare the 1:1 with them.
    pub next: Next,
}

/// The next 1:1 with each person not removed who has a cadence (not me), never met first, then
/// the soonest due (the most overdue first), then in the order of the people.
pub fn next_one_on_ones(snap: &Snapshot, clock: &Clock) -> Vec<NextOneOnOne> {
    let today = clock.today;
    let mut rows: Vec<(usize, NextOneOnOne)> = snap
        .people
        .iter()
        .filter(|p| !p.is_me && !p.archived)
        .enumerate()
        .filter_map(|(index, person)| {
            let cadence = person.cadence?;
            let last_contact = snap.last_contact(person.uuid);
            let (due, when) = match last_contact {
                None => (today, "due now — no 1:1 or update on record".to_string()),
                Some(last) => {
                    let due = cadence.after(last);
                    (due, crate::words::relative_due(due, today))
                }
            };
            let in_days = days_between(today, due);
            Some((
                index,
                NextOneOnOne {
                    person: person.name.clone(),
                    cadence,
                    last_contact,
                    due,
                    in_days,
                    overdue: last_contact.is_none() || in_days < 0,
                    when,
                    next: Next::prep(&person.name),
                },
            ))
        })
        .collect();
    rows.sort_by_key(|(index, r)| (r.last_contact.is_some(), r.in_days, *index));
    rows.into_iter().map(|(_, r)| r).collect()
}

fn reflection(snap: &Snapshot, person: &Person, today: Date, tie: i64) -> Option<Ranked> {
    // Only relationships worked at on a rhythm call for a regular review.
    person.cadence?;
    let name = &person.name;
    if !reflection_is_due(snap, person.uuid, today) {
        return None;
    }
    let todo = "take five minutes";
    let (text, urgency) = match snap.last_reflection(person.uuid) {
        None => (
            format!("You have not reflected on your relationship with {name} yet — {todo}"),
            i64::MAX,
        ),
        Some(d) => {
            let days = days_between(d, today);
            let text = format!(
                "No reflection on your relationship with {name} for {} — {todo}",
                count(days, "day")
            );
            (text, days)
        }
    };
    let next = Next::reflect(name);
    Some(for_person(
        person,
        NudgeKind::Reflection,
        text,
        next,
        urgency,
        tie,
    ))
}

fn overdue_text(item: &Item, who: Option<&str>, late: i64) -> String {
    let by = format!("overdue by {}", count(late, "day"));
    let l = label(item);
    match item.kind {
        Kind::Promise => match who {
            Some(w) => format!(
                "Promise {l} to {w} is {by} — deliver it, or tell {w} now when it will land"
            ),
            None => format!("Promise {l} is {by} — deliver it, or say now when it will land"),
        },
        Kind::Action if item.owner == Some(Owner::Them) => {
            let whose = who.map_or("Their".to_string(), |w| format!("{w}'s"));
            format!("{whose} action {l} is {by} — follow up kindly in your next 1:1")
        }
        Kind::Action => match who {
            Some(w) => format!("Your action {l} is {by} — finish it, or agree a new date with {w}"),
            None => format!("Your action {l} is {by} — finish it, or agree a new date"),
        },
        _ => {
            let tell = who.unwrap_or("your manager");
            format!("Priority {l} is {by} — tell {tell} now and propose a new date or a trade-off")
        }
    }
}

/// `#12 "Ship the exporter"`.
fn label(item: &Item) -> String {
    format!("#{} \"{}\"", item.id, one_line(&item.title))
}

fn has_text(text: &Option<String>) -> bool {
    text.as_deref().is_some_and(|t| !t.trim().is_empty())
}

/// The name of the person an item belongs with: its own person (spelled as recorded for
/// them), else my manager, as [`Snapshot::is_for`] counts it.
pub(crate) fn item_owner(snap: &Snapshot, item: &Item) -> Option<String> {
    match &item.person {
        Some(p) => Some(
            snap.person_by_uuid(p.uuid)
                .map_or_else(|| p.name.clone(), |p| p.name.clone()),
        ),
        None => snap.manager().map(|m| m.name.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enums::Direction;
    use crate::workflow::fixture::World;
    use crate::{PersonRef, Relation};
    use jiff::civil::date;

    // 2026-11-25 is a Wednesday.
    const TODAY: &str = "2026-11-25";

    /// Nothing due: Dana was met and reflected on yesterday.
    fn quiet() -> World {
        let mut w = World::at(TODAY);
        w.meeting("Dana", "-1d");
        w.reflection("Dana", "-1d", &[("rapport", 4)]);
        w
    }

    fn run(w: &World) -> Vec<Nudge> {
        nudges(&w.snap, &w.clock)
    }

    fn kinds(n: &[Nudge]) -> Vec<NudgeKind> {
        n.iter().map(|n| n.kind).collect()
    }

    #[test]
    fn a_priority_taken_on_for_a_peer_waits_for_my_manager() {
        let mut w = quiet();
        w.person("Sam", Relation::Peer);
        let sam = w.get("Sam").to_ref();
        let dana = w.dana().uuid;
        let four_days_ago = w.day("-4d");
        let p = w.add(Kind::Priority, "Audit export");
        p.person = Some(sam.clone());
        p.created = four_days_ago;
        let n = run(&w);
        assert_eq!(kinds(&n), [NudgeKind::TradeOff]);
        assert_eq!(
            n[0].text,
            "You took on priority #1 \"Audit export\" for Sam: tell Dana where it goes among your \
             priorities and what moves — they have not confirmed it yet"
        );
        assert_eq!(n[0].person.as_deref(), Some("Dana"));
        assert_eq!(n[0].next, Some(Next::prep("Dana")));
        // Confirmed by Sam, it still waits for Dana; confirmed by Dana, it is placed.
        let today = w.clock.today;
        let p = w.snap.items.last_mut().unwrap();
        p.confirmed = Some(today);
        p.confirmed_by = Some(sam.uuid);
        assert_eq!(kinds(&run(&w)), [NudgeKind::TradeOff]);
        w.snap.items.last_mut().unwrap().confirmed_by = Some(dana);
        assert_eq!(run(&w), vec![]);
    }

    #[test]
    fn nobody_removed_is_chased_or_told() {
        let mut w = quiet();
        w.person("Sam", Relation::Peer).archived = true;
        let sam = w.get("Sam").to_ref();
        let overdue = w.day("-3d");
        let p = w.add(Kind::Promise, "Review the RFC");
        p.person = Some(sam);
        p.due = Some(overdue);
        assert_eq!(run(&w), vec![]);
        w.snap.people.last_mut().unwrap().archived = false;
        assert_eq!(kinds(&run(&w)), [NudgeKind::Overdue]);
    }

    #[test]
    fn nothing_to_nudge_in_a_quiet_world() {
        assert_eq!(run(&quiet()), vec![]);
    }

    fn due(kind: Kind, when: &str) -> Vec<Nudge> {
        let mut w = quiet();
        let d = w.day(when);
        w.add(kind, "Send the plan").due = Some(d);
        run(&w)
    }

    #[test]
    fn overdue_means_due_before_today() {
        for kind in [Kind::Promise, Kind::Action, Kind::Priority] {
            assert_eq!(due(kind, "today"), vec![], "{kind}");
            let n = due(kind, "-1d");
            assert_eq!(kinds(&n), [NudgeKind::Overdue], "{kind}");
            let t = &n[0].text;
            assert!(
                t.contains("#1 \"Send the plan\"") && t.contains("overdue by 1 day"),
                "{t}"
            );
            assert_eq!(n[0].person.as_deref(), Some("Dana"));
            assert_eq!(n[0].id, Some(1));
        }
        assert_eq!(
            due(Kind::Topic, "-5d"),
            vec![],
            "only promises, actions and priorities"
        );
    }

    #[test]
    fn overdue_texts_recommend_the_next_step() {
        let mut w = quiet();
        w.person("Sam", Relation::Peer).cadence = None;
        let yesterday = w.day("-1d");
        let p = w.add(Kind::Promise, "Review the doc");
        p.person = Some("sam".into());
        p.due = Some(yesterday);
        let a = w.add(Kind::Action, "Approve budget");
        a.owner = Some(Owner::Them);
        a.due = Some(yesterday);
        w.add(Kind::Action, "Draft RFC").due = Some(yesterday);
        w.add(Kind::Priority, "Exporter").due = Some(yesterday);
        let texts: Vec<String> = run(&w).into_iter().map(|n| n.text).collect();
        assert_eq!(
            texts,
            [
                "Promise #1 \"Review the doc\" to Sam is overdue by 1 day — deliver it, or tell \
                 Sam now when it will land",
                "Dana's action #2 \"Approve budget\" is overdue by 1 day — follow up kindly in \
                 your next 1:1",
                "Your action #3 \"Draft RFC\" is overdue by 1 day — finish it, or agree a new date \
                 with Dana",
                "Priority #4 \"Exporter\" is overdue by 1 day — tell Dana now and propose a new \
                 date or a trade-off",
            ]
        );
    }

    #[test]
    fn done_items_are_never_overdue() {
        let mut w = quiet();
        let d = w.day("-3d");
        let p = w.add(Kind::Promise, "Kept");
        p.due = Some(d);
        p.status = Status::Done;
        assert_eq!(run(&w), vec![]);
    }

    #[test]
    fn the_most_overdue_comes_first() {
        let mut w = quiet();
        let (one, five, three) = (w.day("-1d"), w.day("-5d"), w.day("-3d"));
        w.add(Kind::Promise, "One").due = Some(one);
        w.add(Kind::Action, "Five").due = Some(five);
        w.add(Kind::Priority, "Three").due = Some(three);
        let ids: Vec<_> = run(&w).iter().map(|n| n.id.unwrap()).collect();
        assert_eq!(ids, [2, 3, 1]);
    }

    fn contact(meeting: Option<&str>, update: Option<&str>) -> Vec<Nudge> {
        let mut w = quiet();
        w.snap.meetings.clear();
        if let Some(m) = meeting {
            w.meeting("Dana", m);
        }
        if let Some(u) = update {
            w.update("Dana", u);
        }
        run(&w)
    }

    #[test]
    fn cadence_counts_from_the_last_meeting() {
        assert_eq!(contact(Some("-6d"), None), vec![]);
        assert_eq!(contact(Some("-7d"), None), vec![]);
        let n = contact(Some("-8d"), None);
        assert_eq!(kinds(&n), [NudgeKind::Cadence]);
        assert_eq!(
            n[0].text,
            "No 1:1 or update with Dana for 8 days (cadence 7d) — book a 1:1 or send an update"
        );
        assert_eq!((n[0].person.as_deref(), n[0].id), (Some("Dana"), None));
        assert_eq!(n[0].next, Some(Next::prep("Dana")));
    }

    #[test]
    fn an_update_sent_counts_as_contact() {
        assert_eq!(contact(Some("-20d"), Some("-3d")), vec![]);
        assert_eq!(contact(None, Some("-7d")), vec![]);
        assert_eq!(kinds(&contact(None, Some("-8d"))), [NudgeKind::Cadence]);
    }

    #[test]
    fn a_cadence_with_no_contact_recorded_is_due_now() {
        let n = contact(None, None);
        assert_eq!(kinds(&n), [NudgeKind::Cadence]);
        assert!(
            n[0].text
                .starts_with("No 1:1 or update with Dana on record"),
            "{}",
            n[0].text
        );
    }

    #[test]
    fn people_without_a_cadence_me_and_archived_people_get_no_cadence_nudge() {
        let mut w = quiet();
        w.person("Sam", Relation::Peer);
        w.person("Old boss", Relation::Skip).archived = true;
        w.snap.people[0].cadence = Some(Duration::days(1));
        w.snap
            .people
            .iter_mut()
            .find(|p| p.name == "Old boss")
            .unwrap()
            .cadence = Some(Duration::days(7));
        assert_eq!(run(&w), vec![]);
    }

    fn next_with(meeting: Option<&str>, update: Option<&str>) -> Vec<NextOneOnOne> {
        let mut w = quiet();
        w.snap.meetings.clear();
        if let Some(m) = meeting {
            w.meeting("Dana", m);
        }
        if let Some(u) = update {
            w.update("Dana", u);
        }
        next_one_on_ones(&w.snap, &w.clock)
    }

    #[test]
    fn the_next_one_on_one_is_due_a_cadence_after_the_last_contact() {
        let n = next_with(Some("-3d"), None);
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].person, "Dana");
        assert_eq!(n[0].last_contact, Some(date(2026, 11, 22)));
        assert_eq!(n[0].due, date(2026, 11, 29));
        assert_eq!((n[0].in_days, n[0].overdue), (4, false));
        assert_eq!(n[0].when, "due in 4 days (Sun 29 Nov)");
        assert_eq!(n[0].next, Next::prep("Dana"));
        // An update sent later counts as contact, as it does for the nudge.
        let n = next_with(Some("-20d"), Some("-6d"));
        assert_eq!(
            (n[0].due, n[0].when.as_str()),
            (date(2026, 11, 26), "due tomorrow")
        );
    }

    #[test]
    fn due_today_is_not_overdue_and_the_day_after_is_as_the_nudge_says() {
        let n = next_with(Some("-7d"), None);
        assert_eq!((n[0].in_days, n[0].overdue), (0, false));
        assert_eq!(n[0].when, "due today");
        assert_eq!(contact(Some("-7d"), None), vec![], "no nudge either");
        let n = next_with(Some("-8d"), None);
        assert_eq!((n[0].in_days, n[0].overdue), (-1, true));
        assert_eq!(n[0].when, "overdue by 1 day");
        assert_eq!(kinds(&contact(Some("-8d"), None)), [NudgeKind::Cadence]);
    }

    #[test]
    fn never_met_is_due_now_and_comes_first() {
        let mut w = quiet();
        w.person("Ana Ruiz", Relation::Skip).cadence = Some("2w".parse().unwrap());
        let n = next_one_on_ones(&w.snap, &w.clock);
        let names: Vec<&str> = n.iter().map(|r| r.person.as_str()).collect();
        assert_eq!(names, ["Ana Ruiz", "Dana"]);
        assert_eq!(n[0].last_contact, None);
        assert_eq!(
            (n[0].due, n[0].in_days, n[0].overdue),
            (w.clock.today, 0, true)
        );
        assert_eq!(n[0].when, "due now — no 1:1 or update on record");
    }

    #[test]
    fn nobody_without_a_cadence_me_or_removed_has_a_next_one_on_one() {
        let mut w = quiet();
        w.person("Sam", Relation::Peer);
        w.person("Old boss", Relation::Skip).archived = true;
        w.snap.people[0].cadence = Some(Duration::days(1));
        w.snap
            .people
            .iter_mut()
            .find(|p| p.name == "Old boss")
            .unwrap()
            .cadence = Some(Duration::days(7));
        let n = next_one_on_ones(&w.snap, &w.clock);
        let names: Vec<&str> = n.iter().map(|r| r.person.as_str()).collect();
        assert_eq!(names, ["Dana"]);
    }

    #[test]
    fn the_most_overdue_next_one_on_one_comes_first() {
        let mut w = quiet();
        w.person("Ana Ruiz", Relation::Skip).cadence = Some(Duration::days(7));
        w.meeting("Ana Ruiz", "-10d");
        w.person("Bo", Relation::Peer).cadence = Some(Duration::days(7));
        w.meeting("Bo", "-3d");
        let n = next_one_on_ones(&w.snap, &w.clock);
        let names: Vec<&str> = n.iter().map(|r| r.person.as_str()).collect();
        assert_eq!(names, ["Ana Ruiz", "Bo", "Dana"]);
    }

    #[test]
    fn a_skip_level_with_a_cadence_is_nudged_too() {
        let mut w = quiet();
        w.person("Ana Ruiz", Relation::Skip).cadence = Some("1m".parse().unwrap());
        w.reflection("Ana Ruiz", "-1d", &[("rapport", 3)]);
        let n = run(&w);
        assert_eq!(kinds(&n), [NudgeKind::Cadence]);
        assert_eq!(n[0].next, Some(Next::prep("Ana Ruiz")));
    }

    fn goal(discussed: Option<&str>) -> Vec<Nudge> {
        let mut w = quiet();
        let d = discussed.map(|d| w.day(d));
        w.add(Kind::Goal, "Lead a project").last_discussed = d;
        run(&w)
    }

    #[test]
    fn career_goals_not_discussed_for_90_days() {
        assert_eq!(goal(Some("-89d")), vec![]);
        let n = goal(Some("-90d"));
        assert_eq!(kinds(&n), [NudgeKind::Career]);
        assert_eq!(
            n[0].text,
            "Career goal #1 \"Lead a project\" has not been discussed for 90 days — bring it to \
             your next 1:1 with Dana"
        );
        assert_eq!(kinds(&goal(Some("-91d"))), [NudgeKind::Career]);
        let n = goal(None);
        assert!(
            n[0].text.contains("has never been discussed"),
            "{}",
            n[0].text
        );
    }

    fn idea(created: &str, discussed: Option<&str>, status: Status) -> Vec<Nudge> {
        let mut w = quiet();
        let created = w.day(created);
        let discussed = discussed.map(|d| w.day(d));
        let i = w.add(Kind::Idea, "Automate the cost report");
        i.created = created;
        i.discussed = discussed;
        i.status = status;
        run(&w)
    }

    #[test]
    fn an_idea_open_30_days_without_being_discussed_is_nudged() {
        assert_eq!(idea("-29d", None, Status::Open), vec![]);
        let n = idea("-30d", None, Status::Open);
        assert_eq!(kinds(&n), [NudgeKind::Idea]);
        assert_eq!(
            n[0].text,
            "Idea #1 \"Automate the cost report\" has waited 30 days without being discussed \
             — bring it to your next 1:1 with Dana, or drop it if it no longer fits"
        );
        assert_eq!(n[0].next, Some(Next::prep("Dana")));
        assert_eq!(n[0].person.as_deref(), Some("Dana"));
        assert_eq!(kinds(&idea("-31d", None, Status::Open)), [NudgeKind::Idea]);
        // Once: discussed, done or dropped, it is quiet for good (a discussed idea reopened
        // too).
        assert_eq!(idea("-31d", Some("-1d"), Status::Open), vec![]);
        assert_eq!(idea("-31d", None, Status::Done), vec![]);
        assert_eq!(idea("-31d", None, Status::Dropped), vec![]);
    }

    #[test]
    fn older_ideas_come_first_and_after_feedback() {
        let mut w = quiet();
        let young = w.day("-30d");
        let old = w.day("-45d");
        w.add(Kind::Idea, "Young").created = young;
        w.add(Kind::Idea, "Old").created = old;
        let n = run(&w);
        assert_eq!(
            n.iter().map(|n| n.id).collect::<Vec<_>>(),
            [Some(2), Some(1)]
        );
        assert!(NudgeKind::Feedback < NudgeKind::Idea && NudgeKind::Idea < NudgeKind::Career);
    }

    #[test]
    fn achieved_goals_are_not_nudged() {
        let mut w = quiet();
        w.add(Kind::Goal, "Done").status = Status::Done;
        assert_eq!(run(&w), vec![]);
    }

    #[test]
    fn high_risks_not_communicated() {
        let mut w = quiet();
        w.add(Kind::Risk, "Medium");
        let said = w.add(Kind::Risk, "Said");
        said.severity = Some(Level::High);
        said.communicated = Some(said.created);
        let closed = w.add(Kind::Risk, "Closed");
        closed.severity = Some(Level::High);
        closed.status = Status::Done;
        let quiet_one = w.add(Kind::Risk, "Vendor late");
        quiet_one.severity = Some(Level::High);
        quiet_one.mitigation = Some("second vendor".into());
        let bare = w.add(Kind::Risk, "Bare");
        bare.severity = Some(Level::High);
        bare.likelihood = Some(Level::High);
        let n = run(&w);
        assert_eq!(kinds(&n), [NudgeKind::Risk, NudgeKind::Risk]);
        assert_eq!(n[0].id, Some(5), "the likelier one first");
        assert!(
            n[0].text
                .ends_with("raise it now, with a recommended mitigation")
        );
        assert_eq!(
            n[1].text,
            "Risk #4 \"Vendor late\" is high severity and not yet communicated to Dana — raise it \
             now, with your mitigation"
        );
    }

    /// A blocker created on Thursday 2026-11-19, looked at on `today`.
    fn blocker_on(today: &str, escalated: bool) -> Vec<Nudge> {
        let mut w = World::at(today);
        w.meeting("Dana", "-1d");
        w.reflection("Dana", "-1d", &[("rapport", 4)]);
        let b = w.add(Kind::Blocker, "No staging DB");
        b.created = date(2026, 11, 19);
        b.ask = Some("approve an instance".into());
        if escalated {
            b.escalated = Some(date(2026, 11, 20));
        }
        run(&w)
    }

    #[test]
    fn blockers_are_nudged_after_more_than_3_working_days_across_a_weekend() {
        // Fri, Mon: 2 working days; Tue: 3 (six calendar days); Wed: 4.
        assert_eq!(blocker_on("2026-11-23", false), vec![]);
        assert_eq!(blocker_on("2026-11-24", false), vec![]);
        let n = blocker_on("2026-11-25", false);
        assert_eq!(kinds(&n), [NudgeKind::Blocker]);
        assert_eq!(
            n[0].text,
            "Blocker #1 \"No staging DB\" has been open for 4 working days without escalation — \
             take it to Dana with your ask"
        );
        assert_eq!(blocker_on("2026-11-25", true), vec![]);
    }

    fn reflected(who: &str, when: Option<&str>) -> Vec<Nudge> {
        let mut w = quiet();
        w.person("Sam", Relation::Peer);
        w.snap.reflections.clear();
        for name in ["Dana", "Sam"] {
            if name != who {
                w.reflection(name, "-1d", &[("rapport", 4)]);
            }
        }
        if let Some(d) = when {
            w.reflection(who, d, &[("rapport", 4)]);
        }
        run(&w)
    }

    #[test]
    fn reflection_due_after_30_days_for_people_with_a_cadence() {
        assert_eq!(reflected("Dana", Some("-29d")), vec![]);
        let n = reflected("Dana", Some("-30d"));
        assert_eq!(kinds(&n), [NudgeKind::Reflection]);
        assert_eq!(
            n[0].text,
            "No reflection on your relationship with Dana for 30 days — take five minutes"
        );
        assert_eq!(n[0].next, Some(Next::reflect("Dana")));
        assert_eq!(
            kinds(&reflected("Dana", Some("-31d"))),
            [NudgeKind::Reflection]
        );
        let n = reflected("Dana", None);
        assert!(
            n[0].text
                .starts_with("You have not reflected on your relationship with Dana")
        );
        assert_eq!(reflected("Sam", None), vec![], "Sam has no cadence");
    }

    fn finished(days_ago: i64, request: Option<(&str, Option<&str>)>) -> Vec<Nudge> {
        let mut w = quiet();
        let done = w.day(&format!("-{days_ago}d"));
        let p = w.add(Kind::Priority, "Exporter");
        p.status = Status::Done;
        p.done = Some(done);
        if let Some((created, person)) = request {
            let created = w.day(created);
            let f = w.add(Kind::Feedback, "How did the exporter go?");
            f.direction = Some(Direction::Requested);
            f.created = created;
            f.person = person.map(PersonRef::from);
        }
        run(&w)
    }

    #[test]
    fn feedback_after_a_priority_finished_in_the_last_14_days() {
        assert_eq!(kinds(&finished(13, None)), [NudgeKind::Feedback]);
        let n = finished(14, None);
        assert_eq!(kinds(&n), [NudgeKind::Feedback]);
        assert_eq!(
            n[0].text,
            "Priority #1 \"Exporter\" was finished 14 days ago (2026-11-11) — ask Dana for \
             feedback while it is fresh: what went well, what could be better?"
        );
        assert_eq!((n[0].person.as_deref(), n[0].id), (Some("Dana"), Some(1)));
        assert_eq!(finished(15, None), vec![]);
    }

    #[test]
    fn feedback_requested_since_the_completion_silences_the_nudge() {
        assert_eq!(finished(3, Some(("-1d", None))), vec![]);
        assert_eq!(
            finished(3, Some(("-3d", Some("dana")))),
            vec![],
            "same day counts"
        );
        assert_eq!(
            kinds(&finished(3, Some(("-4d", None)))),
            [NudgeKind::Feedback],
            "before"
        );
        assert_eq!(
            kinds(&finished(3, Some(("-1d", Some("Sam"))))),
            [NudgeKind::Feedback],
            "asked someone else"
        );
    }

    #[test]
    fn kinds_are_ordered_by_urgency() {
        let mut w = World::at(TODAY);
        w.add(Kind::Goal, "Goal");
        let long_ago = w.day("-40d");
        w.add(Kind::Idea, "Idea").created = long_ago;
        let done = w.day("-2d");
        let p = w.add(Kind::Priority, "Finished");
        p.status = Status::Done;
        p.done = Some(done);
        let b = w.add(Kind::Blocker, "Blocked");
        b.created = date(2026, 11, 1);
        w.add(Kind::Risk, "Risk").severity = Some(Level::High);
        let tomorrow = w.day("+1d");
        let slipping = w.add(Kind::Priority, "Slipping");
        slipping.due = Some(tomorrow);
        slipping.effort = Some("1w".parse().unwrap());
        let yesterday = w.day("-1d");
        w.add(Kind::Promise, "Promise").due = Some(yesterday);
        let n = run(&w);
        assert_eq!(
            kinds(&n),
            [
                NudgeKind::Overdue,
                NudgeKind::Slip,
                NudgeKind::Risk,
                NudgeKind::Blocker,
                NudgeKind::Cadence,
                NudgeKind::Feedback,
                NudgeKind::Idea,
                NudgeKind::Career,
                NudgeKind::Reflection
            ]
        );
        assert!(n.iter().all(|n| !n.text.contains('\n')));
    }

    #[test]
    fn json_uses_the_spec_kinds_and_null_for_no_person() {
        let mut w = World::at(TODAY);
        w.snap.people.retain(|p| p.is_me);
        let yesterday = w.day("-1d");
        w.add(Kind::Promise, "Unowned").due = Some(yesterday);
        let n = run(&w);
        assert_eq!(
            n[0].text,
            "Promise #1 \"Unowned\" is overdue by 1 day — deliver it, or say now when it will land"
        );
        let json = serde_json::to_value(&n).unwrap();
        assert_eq!(
            json,
            serde_json::json!([{"kind": "overdue", "text": n[0].text, "person": null, "id": 1}])
        );
        for k in [
            NudgeKind::Cadence,
            NudgeKind::Reflection,
            NudgeKind::Feedback,
            NudgeKind::Idea,
        ] {
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
    }

    // ---- slips before the due date (docs/nudges.md#slip) ----

    /// Today Wed 25 Nov: P1 `effort1` due `due1`, then P2 `effort2` due `due2`.
    fn plan(p1: (&str, &str), p2: Option<(&str, &str)>) -> Vec<Nudge> {
        let mut w = quiet();
        for (title, (effort, due)) in [("P1", Some(p1)), ("P2", p2)]
            .into_iter()
            .filter_map(|(t, p)| p.map(|p| (t, p)))
        {
            let due = w.day(due);
            let p = w.add(Kind::Priority, title);
            p.effort = Some(effort.parse().unwrap());
            p.due = Some(due);
        }
        run(&w)
    }

    #[test]
    fn a_priority_projected_to_miss_its_date_is_nudged_before_the_date() {
        // Wed, Thu, Fri: 3 working days through Fri 27.
        assert_eq!(plan(("3d", "2026-11-27"), None), vec![], "done on the day");
        let n = plan(("3d", "2026-11-26"), None);
        assert_eq!(kinds(&n), [NudgeKind::Slip]);
        assert_eq!(
            n[0].text,
            "Priority #1 \"P1\" is projected to miss its due date (Thu 26 Nov): in rank order \
             it finishes Fri 27 Nov — tell Dana now and agree a new date or a trade-off"
        );
        assert_eq!(n[0].next, Some(Next::edit_item(1, "due")));
        // Due today: 1 working day of capacity.
        assert_eq!(plan(("1d", "today"), None), vec![]);
        assert_eq!(kinds(&plan(("2d", "today"), None)), [NudgeKind::Slip]);
        // Weekends do not count: 5 working days through Tue 1 Dec.
        assert_eq!(plan(("5d", "2026-12-01"), None), vec![]);
        assert_eq!(kinds(&plan(("6d", "2026-12-01"), None)), [NudgeKind::Slip]);
    }

    #[test]
    fn a_slip_counts_the_work_ranked_above() {
        // P1 takes Wed–Fri; P2 (2d) then ends Tue 1 Dec, a day after its date.
        let n = plan(("3d", "2026-12-31"), Some(("2d", "2026-11-30")));
        assert_eq!(kinds(&n), [NudgeKind::Slip]);
        assert_eq!(n[0].id, Some(2));
        assert!(n[0].text.contains("finishes Tue 1 Dec"), "{}", n[0].text);
        assert_eq!(
            plan(("3d", "2026-12-31"), Some(("2d", "2026-12-01"))),
            vec![]
        );
        // Without effort of its own, it misses when the work above does not fit.
        let n = plan(("3d", "2026-12-31"), Some(("0d", "2026-11-26")));
        assert!(
            n[0].text
                .contains("the 3 working days of effort ranked above it do not fit before then"),
            "{}",
            n[0].text
        );
    }

    #[test]
    fn a_priority_past_its_date_is_overdue_not_a_slip() {
        assert_eq!(kinds(&plan(("3d", "-1d"), None)), [NudgeKind::Overdue]);
    }

    #[test]
    fn slips_are_the_priorities_intake_counts_as_late_without_the_request() {
        use crate::workflow::intake::{IntakeInput, intake};
        let mut w = quiet();
        for (effort, due) in [("3d", "+1d"), ("1w", "+30d"), ("2d", "+7d"), ("1d", "+8d")] {
            let due = w.day(due);
            let p = w.add(Kind::Priority, "P");
            p.effort = Some(effort.parse().unwrap());
            p.due = Some(due);
        }
        let slips: Vec<Option<i64>> = run(&w)
            .iter()
            .filter(|n| n.kind == NudgeKind::Slip)
            .map(|n| n.id)
            .collect();
        let input = IntakeInput {
            title: "Anything".into(),
            from: "Dana".into(),
            due: w.day("+60d"),
            effort: "1d".parse().unwrap(),
            rank: None,
        };
        let late: Vec<Option<i64>> = intake(&w.snap, &input, &w.clock)
            .already_late
            .iter()
            .map(|i| Some(i.id))
            .collect();
        assert_eq!(slips, late);
        assert_eq!(slips, [Some(1), Some(3), Some(4)], "the soonest due first");
    }

    // ---- likely risks (docs/nudges.md#risk) ----

    #[test]
    fn a_likely_risk_is_nudged_until_told_and_then_until_mitigated() {
        let mut w = quiet();
        let told = w.day("-2d");
        let r = w.add(Kind::Risk, "Likely, not told");
        r.likelihood = Some(Level::High);
        r.severity = Some(Level::Medium);
        let r = w.add(Kind::Risk, "Likely, told, no mitigation");
        r.likelihood = Some(Level::High);
        r.communicated = Some(told);
        let r = w.add(Kind::Risk, "Likely, told, mitigated");
        r.likelihood = Some(Level::High);
        r.communicated = Some(told);
        r.mitigation = Some("second vendor".into());
        let r = w.add(Kind::Risk, "Medium, not told");
        r.likelihood = Some(Level::Medium);
        let r = w.add(Kind::Risk, "Severe, told, no mitigation");
        r.severity = Some(Level::High);
        r.communicated = Some(told);
        let n = run(&w);
        let found: Vec<(Option<i64>, &str)> = n.iter().map(|n| (n.id, n.text.as_str())).collect();
        assert_eq!(
            found,
            [
                (
                    Some(1),
                    "Risk #1 \"Likely, not told\" is likely to happen and not yet communicated to \
                     Dana — raise it now, with a recommended mitigation"
                ),
                (
                    Some(2),
                    "Risk #2 \"Likely, told, no mitigation\" is likely to happen and still has no \
                     mitigation — decide one and agree it with Dana"
                ),
            ]
        );
        assert_eq!(n[1].next, Some(Next::edit_item(2, "mitigation")));
    }

    #[test]
    fn risks_not_told_come_first_then_by_severity_then_likelihood() {
        let mut w = quiet();
        let told = w.day("-2d");
        let r = w.add(Kind::Risk, "Told, likely");
        r.likelihood = Some(Level::High);
        r.severity = Some(Level::High);
        r.communicated = Some(told);
        let r = w.add(Kind::Risk, "Likely, low severity");
        r.likelihood = Some(Level::High);
        r.severity = Some(Level::Low);
        let r = w.add(Kind::Risk, "Severe, unlikely");
        r.likelihood = Some(Level::Low);
        r.severity = Some(Level::High);
        let r = w.add(Kind::Risk, "Severe and likely");
        r.likelihood = Some(Level::High);
        r.severity = Some(Level::High);
        let n = run(&w);
        let ids: Vec<i64> = n.iter().map(|n| n.id.unwrap()).collect();
        assert_eq!(ids, [4, 3, 2, 1]);
        assert!(
            n[0].text
                .contains("is high severity, likely to happen, and not yet communicated"),
            "{}",
            n[0].text
        );
    }

    #[test]
    fn a_risk_that_occurred_or_got_worse_since_it_was_told_is_nudged_again() {
        let mut w = quiet();
        let told = w.day("-2d");
        let r = w.add(Kind::Risk, "Vendor late");
        r.communicated = Some(told);
        r.record_communicated();
        r.state = Some(RiskState::Occurred);
        let r = w.add(Kind::Risk, "Key engineer may leave");
        r.communicated = Some(told);
        r.record_communicated();
        r.severity = Some(Level::High);
        let r = w.add(Kind::Risk, "Told, unchanged, medium");
        r.communicated = Some(told);
        r.record_communicated();
        let r = w.add(Kind::Risk, "Likely, mitigated state");
        r.likelihood = Some(Level::High);
        r.communicated = Some(told);
        r.record_communicated();
        r.state = Some(RiskState::Mitigated);
        r.record_communicated();
        let texts: Vec<String> = run(&w).into_iter().map(|n| n.text).collect();
        assert_eq!(
            texts,
            [
                "Risk #2 \"Key engineer may leave\" got worse since you communicated it to Dana \
                 (now high severity) — raise it again, with a recommended mitigation",
                "Risk #1 \"Vendor late\" has occurred since you communicated it to Dana — tell \
                 Dana now what it costs and what you will do",
            ]
        );
    }

    // ---- the cap (docs/nudges.md#how-many-are-shown) ----

    #[test]
    fn seven_are_shown_and_a_line_counts_the_rest() {
        let mut w = quiet();
        for n in 0..9 {
            w.add(Kind::Goal, &format!("Goal {n}"));
        }
        let list = run(&w);
        assert_eq!(list.len(), 9);
        let (first, more) = shown(&list, false);
        assert_eq!(first, &list[..SHOWN]);
        assert_eq!(
            more,
            Some(More {
                count: 2,
                text: "…and 2 more, less urgent".into(),
                next: Next::Nudges { all: true },
            })
        );
        assert_eq!(shown(&list, true), (&list[..], None));
        assert_eq!(shown(&list[..7], false), (&list[..7], None));
        let (first, more) = shown(&list[..8], false);
        assert_eq!((first.len(), more.unwrap().count), (7, 1));
    }

    use crate::Duration;
}
