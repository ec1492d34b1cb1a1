//! The managing-up rules more than one workflow applies, and their thresholds: whose ranked
//! list a priority is on, when a blocker should be escalated, when feedback is worth asking
//! for after a milestone, when a career goal is forgotten, when a relationship is due a
//! reflection, when an open priority is projected to miss its due date (docs/nudges.md,
//! docs/prep.md, docs/intake.md). The agenda (`prep`), the nudges and intake read them from
//! here, so they always agree, and no workflow depends on another.

use crate::enums::{Direction, Level, RiskState, Status};
use crate::{Item, Kind, Person, Snapshot, days_between, working_days_between};
use jiff::civil::Date;
use uuid::Uuid;

/// A career goal not discussed for this many days is forgotten.
pub const CAREER_STALE_DAYS: i64 = 90;
/// A relationship with a cadence deserves a reflection at least this often.
pub const REFLECTION_DUE_DAYS: i64 = 30;
/// A blocker open for more working days than this should be escalated.
pub const BLOCKER_ESCALATE_AFTER: i64 = 3;
/// Feedback is worth asking for up to this many days after a priority is finished.
pub const MILESTONE_FEEDBACK_DAYS: i64 = 14;

/// The UUID of the person an item belongs with, as the workflows count it: its own person, else my manager
/// (as [`Snapshot::is_for`] does).
pub fn item_owner_uuid(snap: &Snapshot, item: &Item) -> Option<Uuid> {
    match &item.person {
        Some(p) => Some(p.uuid),
        None => snap.manager().map(|m| m.uuid),
    }
}

/// Whether a priority is on `person`'s ranked list (docs/prep.md, docs/update.md). My manager
/// owns the one ranked list, so every priority is on theirs, whoever asked for it (an accepted
/// intake is the requester's); anyone else's list holds the priorities that are theirs.
pub fn on_ranked_list(snap: &Snapshot, priority: &Item, person: &Person) -> bool {
    priority.kind == Kind::Priority
        && (snap.is_for(priority, person) || snap.manager().is_some_and(|m| m.uuid == person.uuid))
}

/// Whether a priority was taken on for someone other than my manager and my manager has not
/// confirmed it yet (docs/intake.md): their note from intake ("Sam asked me to take on …") is
/// still to be sent, or answered. An open priority whose person is neither my manager nor me,
/// not confirmed by my manager (a confirmation by its own person does not count; one from
/// before upward recorded who confirmed does); `meet --discussed` with my manager confirms it. The `trade_off` nudge fires on it.
pub fn request_awaits_my_manager(snap: &Snapshot, priority: &Item) -> bool {
    let Some(manager) = snap.manager() else {
        return false;
    };
    let confirmed_by_manager =
        priority.confirmed.is_some() && priority.confirmed_by.is_none_or(|who| who == manager.uuid);
    priority.kind == Kind::Priority
        && priority.is_open()
        && !confirmed_by_manager
        && priority
            .person
            .as_ref()
            .is_some_and(|p| p.uuid != manager.uuid && snap.me().is_none_or(|me| me.uuid != p.uuid))
}

/// Whether feedback was requested from `who` on or after `since`, or has come from them since
/// anyway: a `requested` or `received` feedback item for them (received feedback answering a
/// request is for the request's person), not dropped, created, done or discussed since then.
pub fn feedback_requested_since(snap: &Snapshot, who: Option<Uuid>, since: Date) -> bool {
    snap.items
        .iter()
        .filter(|f| {
            f.kind == Kind::Feedback
                && matches!(
                    f.direction,
                    Some(Direction::Requested | Direction::Received)
                )
        })
        .filter(|f| f.status != Status::Dropped)
        .filter(|f| item_owner_uuid(snap, f) == who)
        .any(|f| {
            [Some(f.created), f.done, f.discussed]
                .into_iter()
                .flatten()
                .any(|d| d >= since)
        })
}

/// A goal not discussed for [`CAREER_STALE_DAYS`] or more, or never.
pub fn goal_is_stale(goal: &Item, today: Date) -> bool {
    goal.last_discussed
        .is_none_or(|d| days_between(d, today) >= CAREER_STALE_DAYS)
}

/// No reflection on `person` for [`REFLECTION_DUE_DAYS`] or more, or never.
pub fn reflection_is_due(snap: &Snapshot, person: Uuid, today: Date) -> bool {
    snap.last_reflection(person)
        .is_none_or(|d| days_between(d, today) >= REFLECTION_DUE_DAYS)
}

/// Working days a thing has been open: the days after `created`, up to and including today.
pub fn open_working_days(created: Date, today: Date) -> i64 {
    match created.tomorrow() {
        Ok(next) => working_days_between(next, today),
        Err(_) => 0,
    }
}

/// Why an open risk belongs on the agenda, if it does (docs/prep.md#risks): it was never
/// communicated, or it was and has since occurred or got worse (a higher severity or
/// likelihood than when it was communicated). Communicating it again settles it.
pub fn risk_to_raise(risk: &Item) -> Option<&'static str> {
    if risk.kind != Kind::Risk || !risk.is_open() {
        return None;
    }
    if risk.communicated.is_none() {
        return Some("not yet communicated");
    }
    if risk.risk_state() == RiskState::Occurred
        && risk.communicated_state != Some(RiskState::Occurred)
    {
        return Some("it occurred since you communicated it");
    }
    let worse = |now: Option<Level>, then: Option<Level>| matches!((now, then), (Some(n), Some(t)) if n.weight() > t.weight());
    (worse(risk.severity, risk.communicated_severity)
        || worse(risk.likelihood, risk.communicated_likelihood))
    .then_some("it got worse since you communicated it")
}

/// What became of a risk that occurred, on its line wherever it is told (the agenda, the
/// shared agenda, an update): "it occurred: OUTCOME", or "it occurred" with no outcome on
/// record; `None` for any other state (docs/items.md#risks-lifecycle).
pub fn risk_occurred(risk: &Item) -> Option<String> {
    if risk.risk_state() != RiskState::Occurred {
        return None;
    }
    let outcome = risk.outcome.as_deref().map(crate::words::one_line);
    Some(match outcome.filter(|o| !o.is_empty()) {
        Some(o) => format!("it occurred: {o}"),
        None => "it occurred".to_string(),
    })
}

/// A priority's effort in working days, as intake's capacity model counts it: what is left
/// of it ([`Item::effort_left`]), `3d` = 3, `1w` = 5, none = 0 (it takes no time of its own)
/// (docs/intake.md).
pub fn effort_days(priority: &Item) -> i64 {
    super::intake::effort_of(priority)
}

/// The working days from `today` through `due`, both included: the effort that can be done
/// by then. −1 (never enough) for a date already past (docs/intake.md).
pub fn capacity(today: Date, due: Date) -> i64 {
    if due < today {
        -1
    } else {
        working_days_between(today, due)
    }
}

/// The open priorities in the order they are worked: by rank (unranked last), then id.
pub fn open_priorities_in_rank_order(snap: &Snapshot) -> Vec<&Item> {
    let mut open: Vec<&Item> = snap.open(Kind::Priority).collect();
    open.sort_by_key(|i| (i.rank.unwrap_or(i64::MAX), i.id));
    open
}

/// One open priority in intake's projection of the current plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Projected<'a> {
    pub item: &'a Item,
    /// Working days of effort up to and including this priority, in rank order.
    pub effort_through: i64,
    /// The working day its last day of effort falls on (`None` without effort of its own).
    pub finish: Option<Date>,
    /// It has a due date, and `effort_through` does not fit in the working days up to it.
    pub misses: bool,
}

/// The current plan as intake projects it (docs/intake.md): every open priority, whoever it
/// is for, worked in rank order one at a time, one day of effort per working day (Monday to
/// Friday) from today (or the next Monday). A priority misses its date when the effort up to
/// and including it is more than [`capacity`] to its date; finishing on the day is meeting
/// it. Intake checks a request against the same plan; the nudges flag the priorities that
/// miss before their date comes ([`crate::workflow::nudges`]).
pub fn projection(snap: &Snapshot, today: Date) -> Vec<Projected<'_>> {
    let mut effort_through = 0;
    open_priorities_in_rank_order(snap)
        .into_iter()
        .map(|item| {
            let own = effort_days(item);
            effort_through += own;
            Projected {
                item,
                effort_through,
                finish: (own > 0)
                    .then(|| super::intake::finish_date(today, effort_through))
                    .flatten(),
                misses: item
                    .due
                    .is_some_and(|due| effort_through > capacity(today, due)),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enums::Relation;
    use crate::{Clock, ItemInput};

    fn risk() -> Item {
        let input = ItemInput {
            title: Some("Vendor".into()),
            ..Default::default()
        };
        Item::new(Kind::Risk, input, &Clock::fixed("2026-11-23").unwrap(), 1).unwrap()
    }

    #[test]
    fn a_risk_comes_back_when_it_occurred_or_got_worse() {
        let mut r = risk();
        assert_eq!(risk_to_raise(&r), Some("not yet communicated"));
        r.communicated = Some(jiff::civil::date(2026, 11, 20));
        r.record_communicated();
        assert_eq!(risk_to_raise(&r), None);
        r.state = Some(RiskState::Mitigated);
        assert_eq!(risk_to_raise(&r), None, "better is not news");
        r.likelihood = Some(Level::Low);
        assert_eq!(risk_to_raise(&r), None);
        r.severity = Some(Level::High);
        assert_eq!(
            risk_to_raise(&r),
            Some("it got worse since you communicated it")
        );
        r.record_communicated();
        assert_eq!(risk_to_raise(&r), None);
        r.likelihood = Some(Level::Medium);
        assert_eq!(
            risk_to_raise(&r),
            Some("it got worse since you communicated it")
        );
        r.state = Some(RiskState::Occurred);
        assert_eq!(
            risk_to_raise(&r),
            Some("it occurred since you communicated it")
        );
        r.record_communicated();
        assert_eq!(risk_to_raise(&r), None, "told it occurred");
        r.status = Status::Done;
        r.communicated_state = None;
        assert_eq!(risk_to_raise(&r), None, "a closed risk never comes back");
    }

    #[test]
    fn a_peers_request_awaits_my_manager_until_confirmed() {
        let clock = Clock::fixed("2026-11-23").unwrap();
        let mut me = Person::new("Alex", Relation::Myself, clock.now).unwrap();
        me.is_me = true;
        let dana = Person::new("Dana", Relation::Manager, clock.now).unwrap();
        let sam = Person::new("Sam", Relation::Peer, clock.now).unwrap();
        let priority = |who: Option<&Person>| {
            let input = ItemInput {
                title: Some("Audit export".into()),
                person: who.map(Person::to_ref),
                ..Default::default()
            };
            Item::new(Kind::Priority, input, &clock, 1).unwrap()
        };
        let snap = Snapshot {
            people: vec![me.clone(), dana.clone(), sam.clone()],
            ..Default::default()
        };
        let mut for_sam = priority(Some(&sam));
        assert!(request_awaits_my_manager(&snap, &for_sam));
        for_sam.confirmed = Some(clock.today);
        assert!(!request_awaits_my_manager(&snap, &for_sam));
        assert!(!request_awaits_my_manager(&snap, &priority(Some(&dana))));
        assert!(!request_awaits_my_manager(&snap, &priority(None)));
        assert!(!request_awaits_my_manager(&snap, &priority(Some(&me))));
    }
}
