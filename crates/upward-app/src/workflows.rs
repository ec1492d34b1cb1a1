//! The managing-up workflows as use cases: each decides how much of the workspace its rule
//! needs (its load scope), loads it in the caller's transaction, and calls the pure rule.
//! Workflows that change data (meet, intake `accept`, update `sent`, reflect) write the plan
//! the rule returned through the same transaction.

use crate::{Result, items, people};
use jiff::civil::Date;
use std::collections::BTreeMap;
use upward_domain::workflow::decline::{self, DeclineInput, Draft, decline as decline_rule};
use upward_domain::workflow::intake::{self, Intake, IntakeInput};
use upward_domain::workflow::meet::{MeetInput, meet as meet_rule};
use upward_domain::workflow::nudges::{self, NextOneOnOne, Nudge};
use upward_domain::workflow::prep::{self, Agenda, Audience};
use upward_domain::workflow::reflect::{self, ScorePoint, Trend, reflection, trend};
use upward_domain::workflow::review::{self, Monthly, Review};
use upward_domain::workflow::update::{self, StatusUpdate, UpdateInput, period_start_from};
use upward_domain::{Clock, Decline, Duration, Item, Kind, Meeting, Person, Snapshot, UpdateSent};
use upward_store::{Field, History, ItemsFor, Scope, Transaction};
use uuid::Uuid;

/// How far back the nudges look at closed items: the newest closed-item rule (feedback after
/// a milestone) looks 14 days back.
const NUDGES_CLOSED_DAYS: u32 = 30;

/// The kinds of item review only counts: of actions its follow-through figures read the
/// kind, status, created, due and done dates, owner and the day of the last change (when a
/// dropped one was dropped), and nothing else (`upward_domain::workflow::review`); the
/// `kinds` test of `upward-bench` checks the packet stays the same. Not promises: the packet
/// lists the renegotiated ones, with their titles and people.
const REVIEW_COUNTED_KINDS: &[Kind] = &[Kind::Action];

/// The agenda for the next 1:1 with a person (my manager when `name` is `None`).
pub fn prep(tx: &dyn Transaction, name: Option<&str>, clock: &Clock) -> Result<Agenda> {
    agenda(tx, name, Audience::Private, clock)
}

/// The agenda for the next 1:1 with a person, for `audience`: mine, or the one to share.
pub fn agenda(
    tx: &dyn Transaction,
    name: Option<&str>,
    audience: Audience,
    clock: &Clock,
) -> Result<Agenda> {
    let (snap, person, _) = agenda_snapshot(tx, name)?;
    Ok(prep::agenda(&snap, &person, clock, audience))
}

/// The agenda with what a page shows beside it, from the same reads: the items it lists (by
/// id) and everyone not removed (to open another person's agenda).
pub struct AgendaView {
    pub agenda: Agenda,
    pub items: Vec<upward_domain::Item>,
    pub people: Vec<upward_domain::Person>,
}

/// [`agenda`], with the items it lists and the people (a page's view of it).
pub fn agenda_view(
    tx: &dyn Transaction,
    name: Option<&str>,
    audience: Audience,
    clock: &Clock,
) -> Result<AgendaView> {
    let (snap, person, everyone) = agenda_snapshot(tx, name)?;
    let agenda = prep::agenda(&snap, &person, clock, audience);
    let listed: std::collections::HashSet<i64> = agenda
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .filter_map(|i| i.id)
        .collect();
    let items = snap
        .items
        .into_iter()
        .filter(|i| listed.contains(&i.id))
        .collect();
    let people = everyone.into_iter().filter(|p| !p.archived).collect();
    Ok(AgendaView {
        agenda,
        items,
        people,
    })
}

/// What an agenda reads: the snapshot, the person it is for, and everyone (archived too).
fn agenda_snapshot(
    tx: &dyn Transaction,
    name: Option<&str>,
) -> Result<(Snapshot, upward_domain::Person, Vec<upward_domain::Person>)> {
    let everyone = tx.people(true)?;
    let person = people::person_or_manager_among(&everyone, name)?;
    // Closed items matter only since the last 1:1 with them (wins not yet discussed, a
    // milestone to ask feedback on, feedback asked for since), so a workspace of many years
    // loads only recent ones; the `kinds` test checks the agenda is the same with only those.
    let last = tx.last_meeting(person.uuid)?;
    // And of those only what the rule reads: this person's items (and on my manager's
    // agenda every open priority), the closed ones only if done and of a few kinds, and of
    // meetings and reflections their last.
    let scope = Scope {
        closed_since: last,
        done_kinds: Some(prep::DONE_KINDS),
        items_for: Some(ItemsFor {
            person: person.uuid,
            every_open: prep::everyones_open(&everyone, &person),
        }),
        history: History::LastDayOf(person.uuid),
        counted_kinds: &[],
        unread: &[],
    };
    let snap = tx.snapshot_of(scope, prep::KINDS)?;
    Ok((snap, person, everyone))
}

/// What needs attention now, most urgent first.
pub fn nudges(tx: &dyn Transaction, clock: &Clock) -> Result<Vec<Nudge>> {
    let snap = tx.snapshot_of(
        Scope {
            closed_since: Some(Duration::days(NUDGES_CLOSED_DAYS).before(clock.today)),
            // Closed items only if done and of a few kinds; of meetings, updates and
            // reflections only the last with each person it may nudge about.
            done_kinds: Some(nudges::DONE_KINDS),
            history: History::LastDayOnACadence,
            ..Default::default()
        },
        nudges::KINDS,
    )?;
    Ok(nudges::nudges(&snap, clock))
}

/// The next 1:1 with each person on a cadence and when it is due (the web app's Today).
pub fn next_one_on_ones(tx: &dyn Transaction, clock: &Clock) -> Result<Vec<NextOneOnOne>> {
    // No items: of meetings and updates only the last day with each person on a cadence.
    let snap = tx.snapshot_of(
        Scope {
            done_kinds: Some(&[]),
            history: History::LastDayOnACadence,
            ..Default::default()
        },
        &[],
    )?;
    Ok(nudges::next_one_on_ones(&snap, clock))
}

/// A status update for a person (my manager by default), over the period since the last one.
pub fn update(
    tx: &dyn Transaction,
    name: Option<&str>,
    input: UpdateInput,
    clock: &Clock,
) -> Result<StatusUpdate> {
    let person = people::person_or_manager(tx, name)?;
    // The period is decided from the last update and the last meeting alone (two indexed
    // lookups); then only items closed within it are loaded (of those, only what the rule
    // reads), and of meetings and updates the last day with each person, so a workspace of
    // many years stays instant.
    let (since, _) = period_start_from(
        tx.last_update(person.uuid)?,
        tx.last_meeting(person.uuid)?,
        &person,
        input.since,
        clock.today,
    );
    let snap = tx.snapshot_of(
        Scope {
            closed_since: Some(since),
            done_kinds: Some(update::DONE_KINDS),
            history: History::LastDay,
            ..Default::default()
        },
        update::KINDS,
    )?;
    Ok(update::update(&snap, &person, input, clock))
}

/// Records that an update went out to the person it was written for, with its text.
pub fn record_update_sent(
    tx: &dyn Transaction,
    su: &StatusUpdate,
    text: &str,
    clock: &Clock,
) -> Result<UpdateSent> {
    let person = people::resolve(tx, &su.person)?;
    Ok(tx.insert_update(&UpdateSent {
        id: 0,
        uuid: Uuid::new_v4(),
        person: person.to_ref(),
        date: clock.today,
        channel: su.channel,
        text: Some(text.to_string()),
        created_at: clock.now,
    })?)
}

/// Places a request among the open priorities; with `accept`, adds it where it goes and
/// returns the stored priority too.
pub fn intake(
    tx: &dyn Transaction,
    from: &str,
    mut input: IntakeInput,
    accept: bool,
    clock: &Clock,
) -> Result<(Intake, Option<Item>)> {
    let person = people::resolve(tx, from)?;
    input.from = person.name.clone();
    let snap = tx.snapshot_of(
        Scope {
            closed_since: Some(clock.today),
            // The rule reads no meetings, updates or reflections.
            history: History::Omitted,
            ..Default::default()
        },
        intake::KINDS,
    )?;
    let analysis = intake::intake(&snap, &input, clock);
    if !accept {
        return Ok((analysis, None));
    }
    let item = intake::accept(&analysis, &input, clock)?;
    let stored = tx.insert_item(&item)?;
    items::place_priority(
        tx,
        stored.uuid,
        item.rank.unwrap_or(analysis.rank),
        clock.today,
    )?;
    let stored = items::get(tx, stored.id)?;
    Ok((analysis, Some(stored)))
}

/// Drafts a respectful no to a request from a person.
pub fn decline(
    tx: &dyn Transaction,
    from: &str,
    input: &DeclineInput,
    clock: &Clock,
) -> Result<Draft> {
    let person = people::resolve(tx, from)?;
    let snap = tx.snapshot_of(
        Scope {
            closed_since: Some(clock.today),
            // The rule reads no meetings, updates or reflections.
            history: History::Omitted,
            ..Default::default()
        },
        decline::KINDS,
    )?;
    Ok(decline_rule(&snap, &person, input, clock)?)
}

/// Records a decline that went out (`decline --sent`): what was declined, to whom, why, the
/// alternatives offered (those the draft kept) and the date the plan offered.
pub fn record_decline(
    tx: &dyn Transaction,
    input: &DeclineInput,
    draft: &Draft,
    text: &str,
    clock: &Clock,
) -> Result<Decline> {
    let person = people::resolve(tx, &draft.person)?;
    Ok(tx.insert_decline(&Decline {
        id: 0,
        uuid: Uuid::new_v4(),
        person: person.to_ref(),
        date: clock.today,
        title: input.title.clone(),
        reason: input.reason.clone(),
        alternatives: input
            .alternatives
            .iter()
            .filter(|a| !draft.left_out.contains(a))
            .cloned()
            .collect(),
        after: draft.plan.as_ref().map(|p| p.date),
        text: Some(text.to_string()),
        created_at: clock.now,
    })?)
}

/// The requests declined, oldest first; with a name, those from that person only.
pub fn declines(tx: &dyn Transaction, name: Option<&str>) -> Result<Vec<Decline>> {
    let person = name.map(|n| people::resolve(tx, n)).transpose()?;
    let mut all = tx.declines()?;
    if let Some(p) = person {
        all.retain(|d| d.person.uuid == p.uuid);
    }
    Ok(all)
}

/// The review packet for a period.
pub fn review(tx: &dyn Transaction, from: Date, to: Date, clock: &Clock) -> Result<Review> {
    let snap = review_snapshot(tx, from)?;
    Ok(review::review(&snap, from, to, clock))
}

/// The review packet with what its charts show (the web app's review page): the figures by
/// month ([`review::monthly`]) and my manager's reflection scores over the period.
#[derive(Debug, Clone)]
pub struct ReviewCharts {
    pub monthly: Monthly,
    /// Whose reflections `scores` are: my manager, when there is one.
    pub person: Option<String>,
    pub scores: Vec<ScorePoint>,
}

/// The packet for a period and its charts, from one snapshot.
pub fn review_charts(
    tx: &dyn Transaction,
    from: Date,
    to: Date,
    clock: &Clock,
) -> Result<(Review, ReviewCharts)> {
    let mut snap = review_snapshot(tx, from)?;
    snap.people = tx.people(true)?;
    let manager = snap.manager().cloned();
    let scores = match &manager {
        Some(m) => reflect::scores_over_time(&tx.reflections()?, m.uuid, Some(from), Some(to)),
        None => Vec::new(),
    };
    // The packet once: the charts slice it by month.
    let packet = review::review(&snap, from, to, clock);
    let charts = ReviewCharts {
        monthly: review::monthly_of(&snap, &packet),
        person: manager.map(|m| m.name),
        scores,
    };
    Ok((packet, charts))
}

/// What a review reads: every item of its kinds closed since `from` or open.
fn review_snapshot(tx: &dyn Transaction, from: Date) -> Result<Snapshot> {
    Ok(tx.snapshot_of(
        Scope {
            closed_since: Some(from),
            // Every closed item of its kinds: a promise or an action dropped after its due
            // date counts as not kept. No meetings, updates or reflections.
            done_kinds: None,
            history: History::Omitted,
            // And of actions, only what counting them needs.
            counted_kinds: REVIEW_COUNTED_KINDS,
            // And of every item, only the fields the packet reads.
            unread: Field::REVIEW_UNREAD,
            ..Default::default()
        },
        review::KINDS,
    )?)
}

/// Stores a reflection on the relationship with a person and returns the trend against the
/// earlier ones.
pub fn reflect(
    tx: &dyn Transaction,
    name: Option<&str>,
    scores: BTreeMap<String, u8>,
    answers: BTreeMap<String, String>,
    clock: &Clock,
) -> Result<Trend> {
    let person = people::person_or_manager(tx, name)?;
    let r = reflection(&person, scores, answers, clock)?;
    let snap = trend_snapshot(tx, &person, clock.today)?;
    let t = trend(&snap, &r);
    tx.insert_reflection(&r)?;
    Ok(t)
}

/// The reflections on a person (my manager when `name` is `None`): the trend of the newest
/// one, as `reflect` showed it when it was stored, and the scores of each over time.
#[derive(Debug, Clone)]
pub struct Reflections {
    pub person: Person,
    pub latest: Option<Trend>,
    pub scores: Vec<ScorePoint>,
}

/// The reflections on a person, without storing one (the web app's reflect page).
pub fn reflections(tx: &dyn Transaction, name: Option<&str>, clock: &Clock) -> Result<Reflections> {
    let person = people::person_or_manager(tx, name)?;
    // The trend's follow-through looks back from the newest reflection's day.
    let on = reflect::latest(&tx.reflections()?, person.uuid).map_or(clock.today, |r| r.date);
    let snap = trend_snapshot(tx, &person, on)?;
    let latest = reflect::latest(&snap.reflections, person.uuid).map(|r| trend(&snap, r));
    let scores = reflect::scores_over_time(&snap.reflections, person.uuid, None, None);
    Ok(Reflections {
        person,
        latest,
        scores,
    })
}

/// What a trend of a reflection made `on` a day reads: the people, the reflections, and my
/// commitments to `person` closed in the 90 days before it or still open (the
/// follow-through the advice reads).
fn trend_snapshot(tx: &dyn Transaction, person: &Person, on: Date) -> Result<Snapshot> {
    let commitments = tx.snapshot_of(
        Scope {
            closed_since: Some(Duration::days(reflect::FOLLOW_THROUGH_DAYS as u32).before(on)),
            done_kinds: Some(reflect::DONE_KINDS),
            items_for: Some(ItemsFor {
                person: person.uuid,
                every_open: &[],
            }),
            history: History::Omitted,
            counted_kinds: &[],
            unread: &[],
        },
        reflect::KINDS,
    )?;
    Ok(Snapshot {
        people: tx.people(true)?,
        reflections: tx.reflections()?,
        items: commitments.items,
        ..Default::default()
    })
}

/// What `meet` recorded.
#[derive(Debug, Clone)]
pub struct Met {
    pub meeting: Meeting,
    /// The items discussed, as they are now.
    pub discussed: Vec<Item>,
    /// The actions agreed, as stored.
    pub actions: Vec<Item>,
    /// Ids of the feedback given in the 1:1 without consent asked first.
    pub given_without_consent: Vec<i64>,
}

/// Records a 1:1 with a person (my manager by default) and everything it settles.
pub fn meet(
    tx: &dyn Transaction,
    name: Option<&str>,
    input: MeetInput,
    clock: &Clock,
) -> Result<Met> {
    let person = people::person_or_manager(tx, name)?;
    let mut snap = tx.snapshot_of(
        Scope {
            closed_since: Some(clock.today),
            ..Default::default()
        },
        Kind::ALL,
    )?;
    for id in input.discussed.iter().chain(&input.consent_asked) {
        if snap.item(*id).is_none() {
            snap.items.push(items::get(tx, *id)?);
        }
    }
    let plan = meet_rule(&snap, &person, input, clock)?;
    let meeting = tx.insert_meeting(&plan.meeting)?;
    for item in &plan.changed {
        tx.update_item(item)?;
    }
    tx.insert_effects(&plan.effects)?;
    let mut actions = Vec::new();
    for mut action in plan.actions {
        action.meeting = Some(meeting.uuid);
        actions.push(tx.insert_item(&action)?);
    }
    Ok(Met {
        meeting,
        discussed: plan.changed,
        actions,
        given_without_consent: plan.given_without_consent,
    })
}

impl Met {
    /// As `meet --json` prints it (and the web API answers).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "meeting": self.meeting,
            "discussed": self.discussed.iter().map(Item::to_json).collect::<Vec<_>>(),
            "actions": self.actions.iter().map(Item::to_json).collect::<Vec<_>>(),
            "given_without_consent": self.given_without_consent,
        })
    }
}
