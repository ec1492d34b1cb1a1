//! The warnings that teach the practice (docs/hints.md): one-line hints when an added item
//! falls short of it — a risk without a mitigation, a blocker without an ask, a promise due in
//! a week that is already full. They are advice, not errors: the item is added all the same.

use crate::enums::{Kind, Status};
use crate::{Clock, Item, Next, Snapshot};
use jiff::Span;
use jiff::civil::Date;
use serde::Serialize;

/// A week (Monday–Sunday) holding this many open promises is full.
pub const PROMISES_PER_WEEK: usize = 5;

/// One hint: what falls short and what to do, in words, and the step that does it when there
/// is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hint {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<Next>,
}

/// The hints for `item`, just added and not yet in `snap`. Each is one line without a prefix;
/// the front end decides how to show them (the command line: on stderr). A step about `item`
/// carries its id (0 when it is not stored yet).
pub fn on_add(snap: &Snapshot, item: &Item, _clock: &Clock) -> Vec<Hint> {
    let id = item.id;
    let blank = |t: &Option<String>| t.as_deref().is_none_or(|t| t.trim().is_empty());
    let mut hints = Vec::new();
    match item.kind {
        Kind::Risk if blank(&item.mitigation) => hints.push(Hint {
            text: "This risk has no mitigation — a risk lands better with a recommended \
                   mitigation"
                .into(),
            next: Some(Next::edit_item(id, "mitigation")),
        }),
        Kind::Blocker if blank(&item.ask) => hints.push(Hint {
            text: "This blocker has no ask — recommend a solution when you raise it".into(),
            next: Some(Next::edit_item(id, "ask")),
        }),
        Kind::Promise => {
            if let Some(due) = item.due {
                let monday = week_start(due);
                let same_week = |d: Date| week_start(d) == monday;
                let already = snap
                    .items
                    .iter()
                    .filter(|p| p.kind == Kind::Promise && p.status == Status::Open)
                    .filter(|p| p.uuid != item.uuid && p.due.is_some_and(same_week))
                    .count();
                if already >= PROMISES_PER_WEEK {
                    hints.push(Hint {
                        text: format!(
                            "You already have {already} open promises due the week of {monday} \
                             — make promises you can keep: renegotiate a date or say no"
                        ),
                        next: None,
                    });
                }
            }
        }
        _ => {}
    }
    hints
}

/// The Monday of `date`'s week.
fn week_start(date: Date) -> Date {
    let back = i64::from(date.weekday().to_monday_zero_offset());
    date.checked_sub(Span::new().days(back)).unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::fixture::World;
    use crate::{ItemInput, parse_date};

    // 2026-11-25 is a Wednesday; its week runs Mon 23 to Sun 29 November.
    const TODAY: &str = "2026-11-25";

    fn new_item(w: &World, kind: Kind, f: impl FnOnce(&mut Item)) -> Item {
        let input = ItemInput {
            title: Some("New one".into()),
            ..Default::default()
        };
        let mut item = Item::new(kind, input, &w.clock, 1).unwrap();
        f(&mut item);
        item
    }

    #[test]
    fn a_risk_without_mitigation() {
        let w = World::at(TODAY);
        let risk = new_item(&w, Kind::Risk, |_| {});
        let hints = on_add(&w.snap, &risk, &w.clock);
        assert_eq!(
            hints,
            [Hint {
                text: "This risk has no mitigation — a risk lands better with a recommended \
                       mitigation"
                    .into(),
                next: Some(Next::edit_item(0, "mitigation")),
            }]
        );
        let risk = new_item(&w, Kind::Risk, |r| {
            r.id = 12;
            r.mitigation = Some("   ".into());
        });
        assert_eq!(
            on_add(&w.snap, &risk, &w.clock)[0].next,
            Some(Next::edit_item(12, "mitigation"))
        );
        let risk = new_item(&w, Kind::Risk, |r| {
            r.mitigation = Some("second vendor".into())
        });
        assert!(on_add(&w.snap, &risk, &w.clock).is_empty());
    }

    #[test]
    fn a_blocker_without_ask() {
        let w = World::at(TODAY);
        let blocker = new_item(&w, Kind::Blocker, |_| {});
        let hints = on_add(&w.snap, &blocker, &w.clock);
        assert_eq!(hints.len(), 1);
        assert!(hints[0].text.contains("no ask"), "{}", hints[0].text);
        assert_eq!(hints[0].next, Some(Next::edit_item(0, "ask")));
        let blocker = new_item(&w, Kind::Blocker, |b| b.ask = Some("approve it".into()));
        assert!(on_add(&w.snap, &blocker, &w.clock).is_empty());
    }

    /// Hints for a promise due `due` when `existing` open promises are due on `on`.
    fn promise_hints(existing: usize, on: &str, due: &str) -> Vec<Hint> {
        let mut w = World::at(TODAY);
        let on = w.day(on);
        for n in 0..existing {
            w.add(Kind::Promise, &format!("Promise {n}")).due = Some(on);
        }
        let due = w.day(due);
        let promise = new_item(&w, Kind::Promise, |p| p.due = Some(due));
        on_add(&w.snap, &promise, &w.clock)
    }

    #[test]
    fn a_promise_in_a_week_already_holding_five() {
        assert!(promise_hints(4, "fri", "thu").is_empty());
        let hints = promise_hints(5, "fri", "thu");
        assert_eq!(
            hints,
            [Hint {
                text: "You already have 5 open promises due the week of 2026-11-23 — make \
                       promises you can keep: renegotiate a date or say no"
                    .into(),
                next: None
            }]
        );
        assert_eq!(
            promise_hints(6, "2026-11-23", "2026-11-29").len(),
            1,
            "Monday and Sunday are one week"
        );
    }

    #[test]
    fn the_week_runs_monday_to_sunday() {
        assert!(
            promise_hints(5, "2026-11-29", "2026-11-30").is_empty(),
            "Sunday, then Monday"
        );
        assert!(
            promise_hints(5, "2026-11-22", "2026-11-23").is_empty(),
            "Sunday before"
        );
    }

    #[test]
    fn only_open_dated_promises_count() {
        let mut w = World::at(TODAY);
        let fri = w.day("fri");
        for n in 0..5 {
            let p = w.add(Kind::Promise, &format!("Promise {n}"));
            p.due = Some(fri);
            if n == 0 {
                p.status = Status::Done;
            }
        }
        w.add(Kind::Action, "An action, not a promise").due = Some(fri);
        let promise = new_item(&w, Kind::Promise, |p| p.due = Some(fri));
        assert!(on_add(&w.snap, &promise, &w.clock).is_empty());
        let undated = new_item(&w, Kind::Promise, |_| {});
        assert!(on_add(&w.snap, &undated, &w.clock).is_empty());
    }

    #[test]
    fn the_new_promise_itself_is_not_counted_if_already_stored() {
        let mut w = World::at(TODAY);
        let fri = w.day("fri");
        for n in 0..5 {
            w.add(Kind::Promise, &format!("Promise {n}")).due = Some(fri);
        }
        let stored = w.snap.items[4].clone();
        assert!(on_add(&w.snap, &stored, &w.clock).is_empty());
    }

    #[test]
    fn other_kinds_get_no_hint() {
        let w = World::at(TODAY);
        for kind in [Kind::Win, Kind::Note, Kind::Action, Kind::Priority] {
            let item = new_item(&w, kind, |_| {});
            assert!(on_add(&w.snap, &item, &w.clock).is_empty(), "{kind}");
        }
        assert_eq!(
            week_start(parse_date("2026-11-29", w.clock.today).unwrap()).to_string(),
            "2026-11-23"
        );
    }
}
