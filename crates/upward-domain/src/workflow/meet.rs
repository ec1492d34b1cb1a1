//! Meet (docs/meet.md): recording a 1:1 that took place.
//!
//! Discussing an item in a 1:1 is what the practice asks for, so it moves the item along:
//! a topic or an idea is closed, a risk is communicated, a blocker escalated, a priority or an
//! expectation confirmed, a goal discussed, feedback given or requested. The result is a plan
//! of changes ([`MeetPlan`]) that the store applies in one transaction; nothing is written here.

use crate::enums::{Direction, Kind, Owner, Status, Visibility};
use crate::item::validate_text;
use crate::{Clock, DomainError, Effect, Item, ItemInput, Meeting, Person, Snapshot, parse_date};
use jiff::civil::Date;
use std::collections::BTreeSet;
use uuid::Uuid;

/// What `meet` was told.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetInput {
    pub date: Date,
    /// Ids of the items discussed.
    pub discussed: Vec<i64>,
    pub notes: Option<String>,
    /// Notes shared with the other member of the space (`--shared-notes`, docs/sync.md).
    pub shared_notes: Option<String>,
    pub actions: Vec<ActionSpec>,
    /// Ids of the feedback items given in the 1:1 after asking whether the person was open to
    /// it (`--consent-asked`); each also counts as discussed.
    pub consent_asked: Vec<i64>,
}

/// An action agreed in the 1:1 (`--action "TEXT@me|them[:DUE]"`).
#[derive(Debug, Clone, PartialEq)]
pub struct ActionSpec {
    pub title: String,
    pub owner: Owner,
    pub due: Option<Date>,
}

/// The changes a 1:1 makes, for the store to apply in one transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetPlan {
    /// The meeting, with id 0 and `discussed` the ids discussed (each once, in the order given).
    pub meeting: Meeting,
    /// Full updated copies of the discussed items.
    pub changed: Vec<Item>,
    /// The new actions, with id 0 and no meeting: the store assigns both.
    pub actions: Vec<Item>,
    /// Ids of the feedback items given in the 1:1 without consent asked first: the 1:1
    /// records them as given, and the front end says so.
    pub given_without_consent: Vec<i64>,
    /// What the meeting changed in the discussed items, field by field, so that
    /// `meeting undo` can take it back ([`super::meeting::undo`]).
    pub effects: Vec<Effect>,
}

const ACTION_FORM: &str = "TEXT@me or TEXT@them, optionally followed by :DUE, such as \
                           \"Send the migration plan@me:fri\" (DUE in any date form: 2026-11-27, \
                           tomorrow, fri, +3d, in 2 weeks)";

/// Parses `TEXT@me|them[:DUE]`. The owner is taken after the last `@`, so the text may hold
/// an `@` of its own; without any `@` the action is mine, as `add action` defaults to.
pub fn parse_action(spec: &str, today: Date) -> Result<ActionSpec, DomainError> {
    let bad = || DomainError::invalid("action", spec, ACTION_FORM);
    let (text, owner, due) = match spec.rfind('@') {
        None => (spec, Owner::Me, None),
        Some(at) => {
            let (text, rest) = (&spec[..at], &spec[at + 1..]);
            let (owner, due) = match rest.split_once(':') {
                Some((owner, due)) => (owner, Some(due)),
                None => (rest, None),
            };
            let owner: Owner = owner.parse().map_err(|_| bad())?;
            let due = match due.map(str::trim) {
                None => None,
                Some("") => return Err(bad()),
                Some(d) => Some(parse_date(d, today)?),
            };
            (text, owner, due)
        }
    };
    let title = crate::item::validate_title(text).map_err(|_| bad())?;
    Ok(ActionSpec { title, owner, due })
}

/// Plans the record of a 1:1 with `person`. Refuses an unknown discussed id (naming it), a
/// date after today (a meeting is recorded once it happened) and notes that are not text.
pub fn meet(
    snap: &Snapshot,
    person: &Person,
    input: MeetInput,
    clock: &Clock,
) -> Result<MeetPlan, DomainError> {
    let date = input.date;
    if date > clock.today {
        return Err(DomainError::Rule(format!(
            "the 1:1 date {date} is in the future — record a 1:1 once it has happened (--date \
             today or earlier)"
        )));
    }
    let notes = match input.notes {
        Some(n) => validate_text("notes", &n)?,
        None => None,
    };
    let shared_notes = match input.shared_notes {
        Some(n) => validate_text("shared notes", &n)?,
        None => None,
    };

    for &id in &input.consent_asked {
        let item = snap.item(id).ok_or(DomainError::UnknownItem { id })?;
        if item.kind != Kind::Feedback || item.direction != Some(Direction::Given) {
            return Err(DomainError::invalid(
                "--consent-asked",
                format!("#{id} (a {})", describe_kind(item)),
                "ids of feedback given in this 1:1 (direction given)",
            ));
        }
    }
    let mut seen = BTreeSet::new();
    let ids: Vec<i64> = input
        .discussed
        .into_iter()
        .chain(input.consent_asked.iter().copied())
        .filter(|id| seen.insert(*id))
        .collect();
    let meeting_uuid = Uuid::new_v4();
    let mut changed = Vec::with_capacity(ids.len());
    let mut given_without_consent = Vec::new();
    let mut effects = Vec::new();
    for &id in &ids {
        let before = snap.item(id).ok_or(DomainError::UnknownItem { id })?;
        let mut item = before.clone();
        if item.kind == Kind::Feedback && item.direction == Some(Direction::Given) {
            if input.consent_asked.contains(&id) {
                item.consent = Some(true);
            } else if item.consent != Some(true) {
                item.consent = Some(false);
                if item.is_open() {
                    given_without_consent.push(id);
                }
            }
        }
        let after = discuss(snap, item, person, date, clock);
        effects.extend(super::meeting::changes(meeting_uuid, before, &after));
        changed.push(after);
    }

    // A 1:1 recorded with shared notes shares what it agreed: its actions are shared with
    // the person too (docs/meet.md), as the shared notes are.
    let shared = shared_notes.is_some();
    let actions = input
        .actions
        .into_iter()
        .map(|a| {
            let input = ItemInput {
                title: Some(a.title),
                person: Some(person.to_ref()),
                owner: Some(a.owner),
                due: a.due,
                visibility: shared.then_some(Visibility::Shared),
                ..ItemInput::default()
            };
            Item::new(Kind::Action, input, clock, 0)
        })
        .collect::<Result<Vec<_>, _>>()?;

    let meeting = Meeting {
        id: 0,
        uuid: meeting_uuid,
        person: person.to_ref(),
        date,
        notes,
        shared_notes,
        their_notes: None,
        discussed: changed.iter().map(|i| i.uuid).collect(),
        created_at: clock.now,
    };
    Ok(MeetPlan {
        meeting,
        changed,
        actions,
        given_without_consent,
        effects,
    })
}

/// "feedback requested", "priority": an item's kind as the consent error names it.
fn describe_kind(item: &Item) -> String {
    match (item.kind, item.direction) {
        (Kind::Feedback, Some(d)) => format!("feedback {d}"),
        (kind, _) => kind.to_string(),
    }
}

/// Whether discussing `item` with `person` confirms it (docs/meet.md#who-confirms): a
/// priority is confirmed by someone whose ranked list it is on (my manager, who owns the one
/// order, or the priority's own person); an expectation by the person who holds it (its
/// person, else my manager). A peer who hears about my manager's priority has not confirmed
/// it: the 1:1 only marks it discussed.
pub fn confirms(snap: &Snapshot, item: &Item, person: &Person) -> bool {
    match item.kind {
        Kind::Priority => crate::workflow::rules::on_ranked_list(snap, item, person),
        Kind::Expectation => snap.is_for(item, person),
        _ => false,
    }
}

/// What discussing `item` with `person` on `date` does to it.
fn discuss(snap: &Snapshot, mut item: Item, person: &Person, date: Date, clock: &Clock) -> Item {
    // Communicating and escalating happen once: keep the first date. Confirming and
    // discussing are what go stale: keep the latest.
    let first = |old: Option<Date>| Some(old.map_or(date, |d| d.min(date)));
    let latest = |old: Option<Date>| Some(old.map_or(date, |d| d.max(date)));
    let close = |item: &mut Item| {
        if item.status == Status::Open {
            item.status = Status::Done;
            item.done = Some(date);
        }
    };
    match item.kind {
        // A topic raised is settled; an idea brought up has done its job (docs/meet.md):
        // taken up, it becomes a priority or an action of its own.
        Kind::Topic | Kind::Idea => close(&mut item),
        Kind::Risk => {
            item.communicated = first(item.communicated);
            // What was said is the risk as it stands now.
            item.record_communicated();
        }
        Kind::Blocker => item.escalated = first(item.escalated),
        Kind::Priority | Kind::Expectation if confirms(snap, &item, person) => {
            // The later confirmation is the one that counts, with who gave it.
            if item.confirmed.is_none_or(|c| c <= date) {
                item.confirmed = Some(date);
                item.confirmed_by = Some(person.uuid);
            }
        }
        Kind::Priority | Kind::Expectation => {}
        Kind::Goal => item.last_discussed = latest(item.last_discussed),
        Kind::Feedback => match item.direction {
            // Feedback given or asked for in the 1:1 has happened: it leaves the agenda.
            Some(Direction::Given) => close(&mut item),
            Some(Direction::Requested) => {
                if item.person.is_none() {
                    item.person = Some(person.to_ref());
                }
                close(&mut item);
            }
            _ => {}
        },
        Kind::Win | Kind::Promise | Kind::Action | Kind::Note => {}
    }
    item.discussed = latest(item.discussed);
    item.updated_at = clock.now;
    item
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::fixture::World;
    use crate::{Level, Relation};

    // 2026-11-25 is a Wednesday.
    const TODAY: &str = "2026-11-25";

    fn input(w: &World, discussed: &[i64]) -> MeetInput {
        MeetInput {
            date: w.day("-1d"),
            discussed: discussed.to_vec(),
            notes: None,
            shared_notes: None,
            actions: vec![],
            consent_asked: vec![],
        }
    }

    /// Meets Dana yesterday discussing `ids`, and returns the changed items by id.
    fn discussed(w: &World, ids: &[i64]) -> Vec<Item> {
        let later = Clock::fixed("2026-11-25T18:00:00Z").unwrap();
        let plan = meet(&w.snap, &w.dana(), input(w, ids), &later).unwrap();
        assert_eq!(plan.changed.len(), ids.len());
        for item in &plan.changed {
            assert_eq!(item.discussed, Some(w.day("-1d")), "#{}", item.id);
            assert_eq!(item.updated_at, later.now, "#{}", item.id);
        }
        plan.changed
    }

    #[test]
    fn records_the_meeting() {
        let mut w = World::at(TODAY);
        w.add(Kind::Note, "n");
        let mut i = input(&w, &[1, 1]);
        i.notes = Some("Talked about the offsite".into());
        let plan = meet(&w.snap, &w.dana(), i, &w.clock).unwrap();
        let m = &plan.meeting;
        assert_eq!(
            (m.id, m.person.name.as_str(), m.date),
            (0, "Dana", w.day("-1d"))
        );
        assert_eq!(m.discussed, [plan.changed[0].uuid], "each id once");
        assert_eq!(m.notes.as_deref(), Some("Talked about the offsite"));
        assert_eq!(m.created_at, w.clock.now);
        assert_eq!(plan.changed.len(), 1);
    }

    #[test]
    fn closes_topics_on_the_meeting_date() {
        let mut w = World::at(TODAY);
        w.add(Kind::Topic, "Offsite");
        let t = &discussed(&w, &[1])[0];
        assert_eq!((t.status, t.done), (Status::Done, Some(w.day("-1d"))));
    }

    #[test]
    fn closes_ideas_on_the_meeting_date_and_keeps_a_closed_ones_date() {
        let mut w = World::at(TODAY);
        w.add(Kind::Idea, "Automate the cost report");
        let earlier = w.day("-20d");
        let dropped = w.add(Kind::Idea, "Dropped one");
        dropped.status = Status::Dropped;
        let done = w.add(Kind::Idea, "Done one");
        done.status = Status::Done;
        done.done = Some(earlier);
        let c = discussed(&w, &[1, 2, 3]);
        let y = Some(w.day("-1d"));
        assert_eq!(
            (c[0].status, c[0].done, c[0].discussed),
            (Status::Done, y, y)
        );
        assert_eq!((c[1].status, c[1].done), (Status::Dropped, None));
        assert_eq!((c[2].status, c[2].done), (Status::Done, Some(earlier)));
    }

    #[test]
    fn marks_wins_discussed_and_keeps_them_done() {
        let mut w = World::at(TODAY);
        let date = w.day("-9d");
        w.add(Kind::Win, "Shipped").date = Some(date);
        let win = &discussed(&w, &[1])[0];
        assert_eq!(
            (win.status, win.date, win.discussed),
            (Status::Done, Some(date), Some(w.day("-1d")))
        );
    }

    #[test]
    fn risks_are_communicated_and_blockers_escalated_once() {
        let mut w = World::at(TODAY);
        w.add(Kind::Risk, "Vendor").severity = Some(Level::High);
        w.add(Kind::Blocker, "Staging");
        let earlier = w.day("-10d");
        w.add(Kind::Risk, "Told before").communicated = Some(earlier);
        let changed = discussed(&w, &[1, 2, 3]);
        assert_eq!(changed[0].communicated, Some(w.day("-1d")));
        assert_eq!(
            changed[0].status,
            Status::Open,
            "communicating a risk does not close it"
        );
        assert_eq!(changed[1].escalated, Some(w.day("-1d")));
        assert_eq!(changed[1].status, Status::Open);
        assert_eq!(
            changed[2].communicated,
            Some(earlier),
            "the first date is kept"
        );
    }

    #[test]
    fn priorities_and_expectations_are_confirmed_goals_discussed() {
        let mut w = World::at(TODAY);
        let old = w.day("-30d");
        w.add(Kind::Priority, "Exporter").confirmed = Some(old);
        w.add(Kind::Expectation, "On-call");
        w.add(Kind::Goal, "Lead a project").last_discussed = Some(old);
        let changed = discussed(&w, &[1, 2, 3]);
        let y = Some(w.day("-1d"));
        assert_eq!((changed[0].confirmed, changed[0].status), (y, Status::Open));
        assert_eq!(changed[1].confirmed, y);
        assert_eq!(
            (changed[2].last_discussed, changed[2].status),
            (y, Status::Open)
        );
    }

    /// Issue #15: `meet Tom --discussed 1` confirmed my manager's priority #1.
    #[test]
    fn only_whoever_holds_a_priority_or_an_expectation_confirms_it() {
        let mut w = World::at(TODAY);
        w.person("Sam", Relation::Peer);
        w.add(Kind::Priority, "Dana's order");
        w.add(Kind::Priority, "Sam's cache").person = Some("Sam".into());
        w.add(Kind::Expectation, "On-call");
        let later = Clock::fixed("2026-11-25T18:00:00Z").unwrap();
        let with_sam = meet(&w.snap, &w.get("Sam"), input(&w, &[1, 2, 3]), &later).unwrap();
        let c = &with_sam.changed;
        assert_eq!((c[0].confirmed, c[0].confirmed_by), (None, None));
        assert_eq!(c[0].discussed, Some(w.day("-1d")), "discussed all the same");
        assert_eq!(
            (c[1].confirmed, c[1].confirmed_by),
            (Some(w.day("-1d")), Some(w.get("Sam").uuid))
        );
        assert_eq!(c[2].confirmed, None, "my manager's expectation");
        let with_dana = discussed(&w, &[1, 2, 3]);
        for i in &with_dana {
            assert_eq!(
                (i.confirmed, i.confirmed_by),
                (Some(w.day("-1d")), Some(w.dana().uuid)),
                "{}",
                i.title
            );
        }
    }

    #[test]
    fn an_older_1on1_keeps_the_later_confirmation_and_who_gave_it() {
        let mut w = World::at(TODAY);
        let today = w.day("today");
        let p = w.add(Kind::Priority, "Exporter");
        p.confirmed = Some(today);
        p.confirmed_by = Some(uuid::Uuid::from_u128(7));
        let c = &discussed(&w, &[1])[0];
        assert_eq!(
            (c.confirmed, c.confirmed_by),
            (Some(w.day("today")), Some(uuid::Uuid::from_u128(7)))
        );
    }

    #[test]
    fn feedback_given_records_whether_consent_was_asked() {
        let mut w = World::at(TODAY);
        w.add(Kind::Feedback, "Great demo");
        w.add(Kind::Feedback, "Estimates").tone = Some(crate::Tone::Constructive);
        w.add(Kind::Feedback, "Asked before").consent = Some(true);
        w.add(Kind::Feedback, "Ask Dana").direction = Some(Direction::Requested);
        let mut i = input(&w, &[1, 3]);
        i.consent_asked = vec![2];
        let plan = meet(&w.snap, &w.dana(), i, &w.clock).unwrap();
        let consent: Vec<(i64, Option<bool>)> =
            plan.changed.iter().map(|i| (i.id, i.consent)).collect();
        assert_eq!(
            consent,
            [(1, Some(false)), (3, Some(true)), (2, Some(true))]
        );
        assert_eq!(plan.given_without_consent, [1]);
        let mut i = input(&w, &[]);
        i.consent_asked = vec![4];
        let e = meet(&w.snap, &w.dana(), i, &w.clock)
            .unwrap_err()
            .to_string();
        assert!(e.contains("#4 (a feedback requested)"), "{e}");
    }

    #[test]
    fn a_risk_records_what_was_communicated() {
        let mut w = World::at(TODAY);
        let r = w.add(Kind::Risk, "Vendor");
        r.severity = Some(Level::High);
        r.state = Some(crate::RiskState::Occurred);
        let r = &discussed(&w, &[1])[0];
        assert_eq!(
            (
                r.communicated_severity,
                r.communicated_likelihood,
                r.communicated_state
            ),
            (
                Some(Level::High),
                Some(Level::Medium),
                Some(crate::RiskState::Occurred)
            )
        );
    }

    #[test]
    fn feedback_given_or_requested_in_the_1on1_is_done() {
        let mut w = World::at(TODAY);
        w.add(Kind::Feedback, "Great demo");
        w.add(Kind::Feedback, "How was my review?").direction = Some(Direction::Requested);
        let sam = w.add(Kind::Feedback, "Asked Sam");
        sam.direction = Some(Direction::Requested);
        sam.person = Some("Sam".into());
        w.add(Kind::Feedback, "Heard this").direction = Some(Direction::Received);
        let changed = discussed(&w, &[1, 2, 3, 4]);
        let y = Some(w.day("-1d"));
        assert_eq!((changed[0].status, changed[0].done), (Status::Done, y));
        assert_eq!(changed[0].person, None, "given feedback keeps its person");
        assert_eq!(
            (
                changed[1].status,
                changed[1].person.as_ref().map(|p| p.name.as_str())
            ),
            (Status::Done, Some("Dana"))
        );
        assert_eq!(
            changed[2].person.as_ref().map(|p| p.name.as_str()),
            Some("Sam"),
            "a person already set is kept"
        );
        assert_eq!((changed[3].status, changed[3].discussed), (Status::Open, y));
    }

    #[test]
    fn other_kinds_are_only_marked_discussed() {
        let mut w = World::at(TODAY);
        for kind in [Kind::Action, Kind::Promise, Kind::Note] {
            w.add(kind, "x");
        }
        for item in discussed(&w, &[1, 2, 3]) {
            assert_eq!(item.status, Status::Open, "{}", item.kind);
            let mut before = w.snap.item(item.id).unwrap().clone();
            before.discussed = item.discussed;
            before.updated_at = item.updated_at;
            assert_eq!(item, before, "{}", item.kind);
        }
    }

    #[test]
    fn a_topic_already_closed_keeps_its_done_date() {
        let mut w = World::at(TODAY);
        let earlier = w.day("-20d");
        let t = w.add(Kind::Topic, "Old");
        t.status = Status::Done;
        t.done = Some(earlier);
        assert_eq!(discussed(&w, &[1])[0].done, Some(earlier));
    }

    #[test]
    fn an_unknown_id_is_refused_by_name() {
        let mut w = World::at(TODAY);
        w.add(Kind::Topic, "Offsite");
        let e = meet(&w.snap, &w.dana(), input(&w, &[1, 42]), &w.clock).unwrap_err();
        assert_eq!(e, DomainError::UnknownItem { id: 42 });
        assert!(e.to_string().starts_with("item #42 does not exist"), "{e}");
    }

    #[test]
    fn a_future_date_is_refused() {
        let w = World::at(TODAY);
        let mut i = input(&w, &[]);
        i.date = w.day("tomorrow");
        let e = meet(&w.snap, &w.dana(), i, &w.clock).unwrap_err();
        assert!(e.to_string().contains("in the future"), "{e}");
        let mut i = input(&w, &[]);
        i.date = w.day("today");
        assert!(meet(&w.snap, &w.dana(), i, &w.clock).is_ok());
    }

    #[test]
    fn actions_are_new_items_for_the_person() {
        let mut w = World::at(TODAY);
        w.person("Sam", Relation::Peer);
        let fri = w.day("fri");
        let mut i = input(&w, &[]);
        i.actions = vec![
            ActionSpec {
                title: "Send the plan".into(),
                owner: Owner::Me,
                due: Some(fri),
            },
            ActionSpec {
                title: "Intro to infra".into(),
                owner: Owner::Them,
                due: None,
            },
        ];
        let plan = meet(&w.snap, &w.get("Sam"), i, &w.clock).unwrap();
        assert_eq!(plan.actions.len(), 2);
        let a = &plan.actions[0];
        assert_eq!((a.id, a.kind, a.meeting), (0, Kind::Action, None));
        assert_eq!(
            (a.person.as_ref().map(|p| p.name.as_str()), a.owner, a.due),
            (Some("Sam"), Some(Owner::Me), Some(fri))
        );
        assert_eq!((a.created, a.status), (w.clock.today, Status::Open));
        assert_eq!(plan.actions[1].owner, Some(Owner::Them));
        assert_ne!(plan.actions[0].uuid, plan.actions[1].uuid);
        assert!(
            plan.actions
                .iter()
                .all(|a| a.visibility == Visibility::Private),
            "private notes only: the actions stay private"
        );
    }

    #[test]
    fn a_1_1_with_shared_notes_shares_the_actions_it_agreed() {
        let mut w = World::at(TODAY);
        w.person("Sam", Relation::Peer);
        let mut i = input(&w, &[]);
        i.shared_notes = Some("Agreed the plan".into());
        i.actions = vec![ActionSpec {
            title: "Send the plan".into(),
            owner: Owner::Me,
            due: None,
        }];
        let plan = meet(&w.snap, &w.get("Sam"), i, &w.clock).unwrap();
        assert_eq!(plan.actions[0].visibility, Visibility::Shared);
    }

    #[test]
    fn parse_action_forms() {
        let today = jiff::civil::date(2026, 11, 25);
        let p = |s| parse_action(s, today).unwrap();
        let spec = |t: &str, owner, due: Option<&str>| ActionSpec {
            title: t.into(),
            owner,
            due: due.map(|d| parse_date(d, today).unwrap()),
        };
        assert_eq!(
            p("Send the plan@me"),
            spec("Send the plan", Owner::Me, None)
        );
        assert_eq!(
            p("Review budget@them"),
            spec("Review budget", Owner::Them, None)
        );
        assert_eq!(
            p("Send the plan @ Them : fri"),
            spec("Send the plan", Owner::Them, Some("2026-11-27"))
        );
        assert_eq!(
            p("Draft@me:2026-12-01"),
            spec("Draft", Owner::Me, Some("2026-12-01"))
        );
        assert_eq!(
            p("Draft@me:in 3 days"),
            spec("Draft", Owner::Me, Some("2026-11-28"))
        );
        assert_eq!(
            p("Draft@me:+1w"),
            spec("Draft", Owner::Me, Some("2026-12-02"))
        );
        assert_eq!(
            p("Mail bob@example.com@them"),
            spec("Mail bob@example.com", Owner::Them, None)
        );
        assert_eq!(p("Just a thing"), spec("Just a thing", Owner::Me, None));
    }

    #[test]
    fn parse_action_errors_name_the_accepted_form() {
        let today = jiff::civil::date(2026, 11, 25);
        for bad in [
            "Send@you",
            "@me",
            "   @them:fri",
            "Send@me:",
            "Mail bob@example.com",
            "",
        ] {
            let e = parse_action(bad, today).unwrap_err().to_string();
            assert!(e.contains("TEXT@me or TEXT@them"), "{bad}: {e}");
        }
        let e = parse_action("Send@me:someday", today)
            .unwrap_err()
            .to_string();
        assert!(e.contains("`someday`") && e.contains("accepted"), "{e}");
    }
}
