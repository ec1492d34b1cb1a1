//! The calendar feed (docs/calendar.md): the dates a cadence and my commitments live by, as
//! all-day events for a calendar app.
//!
//! - **The next 1:1 with each person on a cadence**, due by the very arithmetic of the cadence
//!   nudge and the web app's Today ([`nudges::next_one_on_ones`]): a cadence after the last
//!   1:1 or update sent; today when none is on record.
//! - **Each open promise and action with a due date**, on that date.
//! - **A review reminder**, every [`REVIEW_EVERY_MONTHS`] months counted from the day this
//!   workspace began (when I said who I am: `me`'s record), the next one on or after today
//!   ([`next_review`]); the review packet covers the 6 months before it.
//!
//! A date already past is shown today, marked overdue, so that what is late is seen rather
//! than left behind in last week. Each event's UID is made of the UUID of its person or item
//! (or of `me` for the review), so a calendar app that reads the feed again moves the event
//! rather than adding a second one.

use crate::workflow::nudges;
use crate::{Clock, Duration, DurationUnit, Item, Kind, Next, Owner, Snapshot};
use jiff::civil::Date;
use serde::Serialize;

/// The kinds the calendar reads (open ones only).
pub const KINDS: &[Kind] = &[Kind::Promise, Kind::Action];

/// How often the review reminder comes back, in months.
pub const REVIEW_EVERY_MONTHS: u32 = 6;

/// What an event is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    OneOnOne,
    Promise,
    Action,
    Review,
}

/// One all-day event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub kind: EventKind,
    /// Stable across runs: `one-on-one-UUID@upward`, `item-UUID@upward`, `review-UUID@upward`.
    pub uid: String,
    /// The day it is shown on: its due date, or today when that has passed.
    pub date: Date,
    /// When it is due.
    pub due: Date,
    pub overdue: bool,
    pub summary: String,
    pub description: String,
    pub person: Option<String>,
    /// The item's id (promises and actions).
    pub id: Option<i64>,
    /// The step that acts on it (prepare the 1:1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<Next>,
}

/// Every event, by date, then kind (1:1s, promises, actions, the review), then summary.
pub fn calendar(snap: &Snapshot, clock: &Clock) -> Vec<Event> {
    let today = clock.today;
    let mut events: Vec<Event> = Vec::new();
    for row in nudges::next_one_on_ones(snap, clock) {
        let Some(person) = snap.people.iter().find(|p| p.name == row.person) else {
            continue;
        };
        let last = match row.last_contact {
            Some(d) => format!("the last 1:1 or update was on {d}"),
            None => "no 1:1 or update is on record yet".to_string(),
        };
        let overdue = row.overdue;
        let mut summary = format!("1:1 with {}", row.person);
        if overdue {
            summary.push_str(if row.last_contact.is_some() {
                " (overdue)"
            } else {
                " (none on record)"
            });
        }
        events.push(Event {
            kind: EventKind::OneOnOne,
            uid: format!("one-on-one-{}@upward", person.uuid),
            date: row.due.max(today),
            due: row.due,
            overdue,
            summary,
            description: format!(
                "Due by your cadence of {} with {}: {last}; due {}. Prepare the agenda.",
                row.cadence, row.person, row.due
            ),
            person: Some(row.person.clone()),
            id: None,
            next: Some(row.next.clone()),
        });
    }
    for item in snap
        .items
        .iter()
        .filter(|i| i.is_open() && KINDS.contains(&i.kind))
    {
        if let Some(e) = item_event(item, today) {
            events.push(e);
        }
    }
    if let Some(me) = snap.me()
        && let Some(due) = next_review(began(me), today)
    {
        events.push(Event {
            kind: EventKind::Review,
            uid: format!("review-{}@upward", me.uuid),
            date: due,
            due,
            overdue: false,
            summary: "Review packet: prepare your performance conversation".into(),
            description: format!(
                "Every {REVIEW_EVERY_MONTHS} months from the day this workspace began ({}): \
                 the wins, expectations, feedback, goals and follow-through of the last \
                 {REVIEW_EVERY_MONTHS} months, to bring to your manager.",
                began(me)
            ),
            person: None,
            id: None,
            next: None,
        });
    }
    events.sort_by(|a, b| {
        (a.date, a.kind, &a.summary, &a.uid).cmp(&(b.date, b.kind, &b.summary, &b.uid))
    });
    events
}

/// An open promise's or action's event, if it has a due date.
fn item_event(item: &Item, today: Date) -> Option<Event> {
    let due = item.due?;
    let overdue = due < today;
    let person = item.person.as_ref().map(|p| p.name.clone());
    let (kind, what) = match (item.kind, item.owner, &person) {
        (Kind::Promise, _, Some(p)) => (EventKind::Promise, format!("Promise to {p}")),
        (Kind::Promise, _, None) => (EventKind::Promise, "Promise".to_string()),
        (_, Some(Owner::Them), Some(p)) => (EventKind::Action, format!("{p}'s action")),
        (_, Some(Owner::Them), None) => (EventKind::Action, "Their action".to_string()),
        _ => (EventKind::Action, "Action".to_string()),
    };
    let mut summary = format!("{what}: {}", crate::words::one_line(&item.title));
    if overdue {
        summary = format!("Overdue: {summary}");
    }
    let mut description = format!("{} #{} is due {due}", item.kind, item.id);
    if let Some(first) = item.original_due {
        description.push_str(&format!(
            " (first promised for {first}, renegotiated {})",
            crate::words::times(item.renegotiated)
        ));
    }
    description.push('.');
    Some(Event {
        kind,
        uid: format!("item-{}@upward", item.uuid),
        date: due.max(today),
        due,
        overdue,
        summary,
        description,
        person,
        id: Some(item.id),
        next: None,
    })
}

/// The day the workspace began: the day `me` was recorded (UTC).
fn began(me: &crate::Person) -> Date {
    me.created_at
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
}

/// The next review day: `began` plus a whole number (at least one) of
/// [`REVIEW_EVERY_MONTHS`] months, the first on or after `today`. Each is counted from
/// `began` (not from the one before), so a month end stays a month end: from 31 Aug, 28 Feb
/// (29 in a leap year), then 31 Aug again.
pub fn next_review(began: Date, today: Date) -> Option<Date> {
    let mut k = 1;
    loop {
        let n = REVIEW_EVERY_MONTHS.checked_mul(k)?;
        let day = Duration {
            n,
            unit: DurationUnit::Month,
        }
        .after(began);
        if day.year() >= 9999 {
            return None;
        }
        if day >= today {
            return Some(day);
        }
        k += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::fixture::World;
    use crate::{Relation, Status};
    use jiff::civil::date;

    /// Monday 23 November 2026, Dana on a weekly cadence.
    fn world() -> World {
        let mut w = World::at("2026-11-23");
        w.snap.people[1].cadence = Some(Duration::days(7));
        w
    }

    fn of(w: &World, kind: EventKind) -> Vec<Event> {
        calendar(&w.snap, &w.clock)
            .into_iter()
            .filter(|e| e.kind == kind)
            .collect()
    }

    #[test]
    fn the_next_one_on_one_is_the_cadence_after_the_last_contact() {
        let mut w = world();
        w.meeting("Dana", "-3d");
        let e = &of(&w, EventKind::OneOnOne)[0];
        assert_eq!(
            (e.date, e.due, e.overdue),
            (date(2026, 11, 27), date(2026, 11, 27), false)
        );
        assert_eq!(e.summary, "1:1 with Dana");
        assert_eq!(e.uid, format!("one-on-one-{}@upward", w.dana().uuid));
        assert_eq!(e.next, Some(Next::prep("Dana")));
        // The same date as Today's "next 1:1s".
        assert_eq!(e.due, nudges::next_one_on_ones(&w.snap, &w.clock)[0].due);
    }

    #[test]
    fn a_one_on_one_due_yesterday_is_shown_today_and_one_due_today_is_not_overdue() {
        let mut w = world();
        w.meeting("Dana", "-7d");
        let e = &of(&w, EventKind::OneOnOne)[0];
        assert_eq!((e.date, e.overdue), (w.clock.today, false));
        let mut w = world();
        w.meeting("Dana", "-8d");
        let e = &of(&w, EventKind::OneOnOne)[0];
        assert_eq!(
            (e.date, e.due, e.overdue),
            (w.clock.today, date(2026, 11, 22), true)
        );
        assert_eq!(e.summary, "1:1 with Dana (overdue)");
        // Never met: due now.
        let e = &of(&world(), EventKind::OneOnOne)[0];
        assert_eq!(
            (e.date, e.summary.as_str()),
            (w.clock.today, "1:1 with Dana (none on record)")
        );
    }

    #[test]
    fn nobody_without_a_cadence_gets_a_one_on_one() {
        let mut w = world();
        w.person("Sam", Relation::Peer);
        assert_eq!(of(&w, EventKind::OneOnOne).len(), 1);
    }

    #[test]
    fn open_promises_and_actions_with_a_due_date_are_events_on_it() {
        let mut w = world();
        let sam = w.person("Sam", Relation::Peer).to_ref();
        let due = w.day("+4d");
        let p = w.add(Kind::Promise, "Send the design doc");
        p.person = Some(sam);
        p.due = Some(due);
        let uuid = p.uuid;
        let late = w.day("-2d");
        w.add(Kind::Action, "Approve RDS").due = Some(late);
        w.snap.items[1].owner = Some(Owner::Them);
        w.snap.items[1].person = Some(w.dana().to_ref());
        // Near misses: no due date, done, another kind.
        w.add(Kind::Action, "Someday");
        let done = w.add(Kind::Promise, "Kept");
        done.due = Some(due);
        done.status = Status::Done;
        w.add(Kind::Priority, "Billing").due = Some(due);
        let promises = of(&w, EventKind::Promise);
        assert_eq!(promises.len(), 1);
        assert_eq!(promises[0].summary, "Promise to Sam: Send the design doc");
        assert_eq!((promises[0].date, promises[0].overdue), (due, false));
        assert_eq!(promises[0].uid, format!("item-{uuid}@upward"));
        let actions = of(&w, EventKind::Action);
        assert_eq!(actions.len(), 1);
        assert_eq!(actions[0].summary, "Overdue: Dana's action: Approve RDS");
        assert_eq!((actions[0].date, actions[0].due), (w.clock.today, late));
    }

    #[test]
    fn the_review_comes_every_six_months_from_the_day_the_workspace_began() {
        let began = date(2026, 5, 23);
        assert_eq!(
            next_review(began, date(2026, 11, 23)),
            Some(date(2026, 11, 23))
        );
        assert_eq!(
            next_review(began, date(2026, 11, 24)),
            Some(date(2027, 5, 23))
        );
        assert_eq!(
            next_review(began, date(2026, 11, 22)),
            Some(date(2026, 11, 23))
        );
        // Not on the day it began: the first is six months later.
        assert_eq!(next_review(began, began), Some(date(2026, 11, 23)));
        // A month end stays a month end.
        let end = date(2026, 8, 31);
        assert_eq!(next_review(end, date(2026, 9, 1)), Some(date(2027, 2, 28)));
        assert_eq!(next_review(end, date(2027, 3, 1)), Some(date(2027, 8, 31)));
        assert_eq!(next_review(end, date(2027, 9, 1)), Some(date(2028, 2, 29)));
    }

    #[test]
    fn the_review_event_is_mine_and_needs_me() {
        let w = world();
        let e = &of(&w, EventKind::Review)[0];
        assert_eq!(e.date, date(2027, 5, 23));
        let me = w.snap.me().unwrap().uuid;
        assert_eq!(e.uid, format!("review-{me}@upward"));
        let mut w = world();
        w.snap.people.retain(|p| !p.is_me);
        assert!(of(&w, EventKind::Review).is_empty());
    }
}
