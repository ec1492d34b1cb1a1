//! Update (docs/update.md): what to tell a person since they last heard from me, chosen and
//! worded for their style.
//!
//! The domain decides *what* is said (the period, which items, in what order, how much fits a
//! `brief` reader, whether a metric leads its line); `upward_render::update` decides how it is
//! laid out for the channel (an email with a subject, a compact chat message, talking points).
//!
//! Dates, counts and free text are phrased by [`crate::words`], as in every other text.

use crate::enums::{Channel, DecidesBy, Length, Owner, Status};
use crate::words::{capitalize, day, greeting, one_line, plural, relative, sign_off, working_days};
use crate::{Clock, Duration, Item, Kind, Person, Snapshot};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

/// The most item lines a `brief` update holds (docs/update.md).
pub const BRIEF_LINES: usize = 8;

/// What `upward update` passes in besides the person.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UpdateInput {
    /// `--since`: overrides the period's start.
    pub since: Option<Date>,
    /// `--channel`: overrides the person's channel.
    pub channel: Option<Channel>,
}

/// Why the period starts where it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SinceReason {
    /// `--since` was given.
    Flag,
    /// The last update sent to the person.
    LastUpdate,
    /// No update was sent; the last meeting with them.
    LastMeeting,
    /// No contact recorded: one cadence back (7 days without a cadence).
    Cadence,
}

/// The sections of an update, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKey {
    Done,
    InProgress,
    Risks,
    Next,
}

impl SectionKey {
    pub const ALL: [SectionKey; 4] = [
        SectionKey::Done,
        SectionKey::InProgress,
        SectionKey::Risks,
        SectionKey::Next,
    ];
}

/// One item line, already worded for the person's length and `decides_by`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UpdateLine {
    pub id: i64,
    pub kind: Kind,
    pub text: String,
    pub metric: Option<String>,
    /// Bodies and context, for a `detailed` reader only (empty for `brief`).
    pub details: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UpdateSection {
    pub key: SectionKey,
    pub lines: Vec<UpdateLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusUpdate {
    pub person: String,
    pub channel: Channel,
    pub length: Length,
    /// `decides_by=data`: metrics lead their lines.
    pub data_first: bool,
    /// The first day of the period (included).
    pub since: Date,
    pub since_reason: SinceReason,
    /// Today: the last day of the period.
    pub date: Date,
    pub subject: String,
    pub greeting: String,
    pub sign_off: String,
    /// Non-empty sections only, in [`SectionKey::ALL`] order.
    pub sections: Vec<UpdateSection>,
    /// Item lines left out to keep a `brief` update within [`BRIEF_LINES`].
    pub omitted: usize,
}

impl StatusUpdate {
    pub fn section(&self, key: SectionKey) -> Option<&UpdateSection> {
        self.sections.iter().find(|s| s.key == key)
    }

    pub fn line_count(&self) -> usize {
        self.sections.iter().map(|s| s.lines.len()).sum()
    }
}

/// The kinds of item [`update`] reads; a snapshot for it may leave out the others (see
/// [`crate::workflow::prep::KINDS`]).
pub const KINDS: &[Kind] = &[
    Kind::Win,
    Kind::Priority,
    Kind::Promise,
    Kind::Action,
    Kind::Blocker,
    Kind::Risk,
];

/// Builds the update for `person`. The channel is `--channel`, else the person's channel,
/// else `chat` (the least formal form, and the one most updates between engineers take); the
/// length is the person's, else `brief` (updates are concise: docs/update.md).
pub fn update(snap: &Snapshot, person: &Person, input: UpdateInput, clock: &Clock) -> StatusUpdate {
    let today = clock.today;
    let (since, since_reason) = period_start(snap, person, input.since, today);
    let channel = input.channel.or(person.channel).unwrap_or(Channel::Chat);
    let length = person.length.unwrap_or(Length::Brief);
    let words = Words {
        detailed: length == Length::Detailed,
        data_first: person.decides_by == Some(DecidesBy::Data),
        today,
    };
    // My manager owns the one ranked list, so they hear about every priority, also those
    // requested by someone else (an accepted intake carries its requester); everything else
    // goes to the person it is for.
    // On the day the last update went out, what was already recorded when it was sent was
    // in it: counting from that moment, not the calendar day, avoids telling it twice.
    let told_at = (since_reason == SinceReason::LastUpdate)
        .then(|| {
            snap.updates
                .iter()
                .filter(|u| u.person.uuid == person.uuid && u.date == since)
                .map(|u| u.created_at)
                .max()
        })
        .flatten();
    let is_manager = snap.manager().is_some_and(|m| m.uuid == person.uuid);
    let theirs: Vec<&Item> = snap
        .items
        .iter()
        .filter(|i| snap.is_for(i, person) || (is_manager && i.kind == Kind::Priority))
        .collect();

    let mut sections: Vec<UpdateSection> = SectionKey::ALL
        .iter()
        .map(|&key| UpdateSection {
            key,
            lines: match key {
                SectionKey::Done => done(&theirs, since, told_at, &words),
                SectionKey::InProgress => in_progress(&theirs, &words),
                SectionKey::Risks => risks(&theirs, &words),
                SectionKey::Next => next(&theirs, &words),
            },
        })
        .collect();
    // The subject counts everything, also what a brief update leaves out.
    let subject = subject(&sections, since, today);
    let omitted = if words.detailed {
        0
    } else {
        cap(&mut sections, BRIEF_LINES)
    };
    sections.retain(|s| !s.lines.is_empty());
    StatusUpdate {
        person: person.name.clone(),
        channel,
        length,
        data_first: words.data_first,
        since,
        since_reason,
        date: today,
        subject,
        greeting: greeting(person),
        sign_off: sign_off(snap),
        sections,
        omitted,
    }
}

/// The period's start (docs/update.md): `--since`, else the last update sent, else the last
/// meeting, else one cadence back. The boundary day is included: repeating one line is
/// cheaper than losing news.
pub fn period_start(
    snap: &Snapshot,
    person: &Person,
    flag: Option<Date>,
    today: Date,
) -> (Date, SinceReason) {
    if let Some(d) = flag {
        return (d, SinceReason::Flag);
    }
    if let Some(d) = snap.last_update(person.uuid) {
        return (d, SinceReason::LastUpdate);
    }
    if let Some(d) = snap.last_meeting(person.uuid) {
        return (d, SinceReason::LastMeeting);
    }
    let cadence = person.cadence.unwrap_or(Duration::days(7));
    (cadence.before(today), SinceReason::Cadence)
}

/// How lines are worded for this reader.
struct Words {
    detailed: bool,
    data_first: bool,
    today: Date,
}

impl Words {
    fn line(&self, item: &Item, text: String, details: Vec<String>) -> UpdateLine {
        let mut details = if self.detailed { details } else { Vec::new() };
        if self.detailed {
            details.extend(body_lines(item));
        }
        UpdateLine {
            id: item.id,
            kind: item.kind,
            text,
            metric: item.metric.clone(),
            details,
        }
    }

    fn due(&self, due: Date, verb: &str) -> String {
        let when = if due < self.today {
            format!("was due {}", day(due, self.today))
        } else {
            format!("{verb} {}", day(due, self.today))
        };
        if self.detailed {
            format!("{when}, {}", relative(due, self.today))
        } else {
            when
        }
    }
}

fn body_lines(item: &Item) -> Vec<String> {
    item.body
        .iter()
        .flat_map(|b| b.lines())
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

fn in_period(date: Option<Date>, since: Date, today: Date) -> bool {
    date.is_some_and(|d| since <= d && d <= today)
}

/// Wins (those with a metric first: they are the specific ones), then finished priorities,
/// then kept promises; newest first within each.
fn done(items: &[&Item], since: Date, told_at: Option<Timestamp>, w: &Words) -> Vec<UpdateLine> {
    let new = |i: &Item, d: Option<Date>| {
        in_period(d, since, w.today)
            && !(d == Some(since) && told_at.is_some_and(|t| i.updated_at <= t))
    };
    let mut wins: Vec<&Item> = items
        .iter()
        .copied()
        .filter(|i| i.kind == Kind::Win && i.status != Status::Dropped)
        .filter(|i| new(i, i.date.or(i.done)))
        .collect();
    wins.sort_by_key(|i| {
        (
            i.metric.is_none(),
            std::cmp::Reverse(i.date.or(i.done)),
            i.id,
        )
    });
    let finished = |kind: Kind| -> Vec<&Item> {
        let mut v: Vec<&Item> = items
            .iter()
            .copied()
            .filter(|i| i.kind == kind && i.status == Status::Done)
            .filter(|i| new(i, i.done))
            .collect();
        v.sort_by_key(|i| (std::cmp::Reverse(i.done), i.id));
        v
    };
    let priorities = finished(Kind::Priority);
    let promises = finished(Kind::Promise);

    let mut lines = Vec::new();
    for win in wins {
        let text = match (&win.metric, w.data_first) {
            (Some(m), true) => format!("{m}: {}", win.title),
            (Some(m), false) => format!("{} ({m})", win.title),
            (None, _) => win.title.clone(),
        };
        let mut details = Vec::new();
        if let Some(impact) = &win.impact {
            details.push(format!("Impact: {impact}"));
        }
        lines.push(w.line(win, text, details));
    }
    for p in priorities {
        let mut details = Vec::new();
        if let Some(done) = p.done {
            let due = p
                .due
                .map(|d| format!(" (due {})", day(d, w.today)))
                .unwrap_or_default();
            details.push(format!("Finished {}{due}", day(done, w.today)));
        }
        lines.push(w.line(p, p.title.clone(), details));
    }
    for p in promises {
        let mut details = Vec::new();
        if let Some(done) = p.done {
            let due = p
                .due
                .map(|d| format!("promised for {}, ", day(d, w.today)))
                .unwrap_or_default();
            details.push(capitalize(&format!("{due}done {}", day(done, w.today))));
        }
        lines.push(w.line(p, p.title.clone(), details));
    }
    lines
}

/// Open priorities by rank, each with its due date.
fn in_progress(items: &[&Item], w: &Words) -> Vec<UpdateLine> {
    let mut open: Vec<&Item> = items
        .iter()
        .copied()
        .filter(|i| i.kind == Kind::Priority && i.is_open())
        .collect();
    open.sort_by_key(|i| (i.rank.unwrap_or(i64::MAX), i.id));
    open.into_iter()
        .map(|p| {
            let text = match p.due {
                Some(due) => format!("{} ({})", p.title, w.due(due, "due")),
                None => p.title.clone(),
            };
            let mut details = Vec::new();
            if let Some(e) = p.effort.filter(|e| e.working_days() > 0) {
                details.push(format!("Effort: about {}", working_days(e.working_days())));
            }
            details.push(match p.confirmed {
                Some(c) => format!("Priority confirmed with you on {}", day(c, w.today)),
                None => "Priority not yet confirmed with you".to_string(),
            });
            w.line(p, text, details)
        })
        .collect()
}

/// Blockers first (they need the reader now), then risks by severity and likelihood, the
/// ones not yet raised before those already known.
fn risks(items: &[&Item], w: &Words) -> Vec<UpdateLine> {
    let mut blockers: Vec<&Item> = items
        .iter()
        .copied()
        .filter(|i| i.kind == Kind::Blocker && i.is_open())
        .collect();
    blockers.sort_by_key(|i| (i.created, i.id));
    let mut risks: Vec<&Item> = items
        .iter()
        .copied()
        .filter(|i| i.kind == Kind::Risk && i.is_open())
        .collect();
    risks.sort_by_key(|i| {
        (
            std::cmp::Reverse(i.severity.map(|l| l.weight())),
            std::cmp::Reverse(i.likelihood.map(|l| l.weight())),
            i.communicated.is_some(),
            i.id,
        )
    });

    let mut lines = Vec::new();
    for b in blockers {
        let ask = match &b.ask {
            Some(ask) => format!("ask: {}", one_line(ask)),
            None => "I need your help to decide how to unblock it".to_string(),
        };
        let mut details = Vec::new();
        if let Some(data) = &b.data {
            details.push(format!("Data: {}", one_line(data)));
        }
        details.push(match b.escalated {
            Some(e) => format!("Escalated {}", day(e, w.today)),
            None => format!("Blocked since {}", day(b.created, w.today)),
        });
        lines.push(w.line(b, format!("Blocked: {} — {ask}", b.title), details));
    }
    for r in risks {
        let severity = r.severity.map(|s| format!(" ({s})")).unwrap_or_default();
        let mitigation = match &r.mitigation {
            Some(m) => format!("mitigation: {}", one_line(m)),
            None => "no mitigation yet; can we agree one?".to_string(),
        };
        let mut details = Vec::new();
        if let (Some(l), Some(s)) = (r.likelihood, r.severity) {
            details.push(format!("Likelihood {l}, severity {s}"));
        }
        details.push(match r.communicated {
            Some(c) => format!("First raised {}", day(c, w.today)),
            None => "New: not raised with you before".to_string(),
        });
        lines.push(w.line(
            r,
            format!("Risk{severity}: {} — {mitigation}", r.title),
            details,
        ));
    }
    lines
}

/// What I owe next: open promises and my open actions, soonest due first.
fn next(items: &[&Item], w: &Words) -> Vec<UpdateLine> {
    let mut owed: Vec<&Item> = items
        .iter()
        .copied()
        .filter(|i| i.is_open())
        .filter(|i| {
            i.kind == Kind::Promise
                || (i.kind == Kind::Action && i.owner.unwrap_or(Owner::Me) == Owner::Me)
        })
        .collect();
    owed.sort_by_key(|i| (i.due.is_none(), i.due, i.id));
    owed.into_iter()
        .map(|i| {
            let text = match i.due {
                Some(due) => format!("{} ({})", i.title, w.due(due, "by")),
                None => i.title.clone(),
            };
            let what = if i.kind == Kind::Promise {
                "Promised"
            } else {
                "Agreed"
            };
            let details = vec![format!("{what} {}", day(i.created, w.today))];
            w.line(i, text, details)
        })
        .collect()
}

/// Keeps at most `max` lines, taking one line from each section in turn, risks and blockers
/// first, so a short update still carries the bad news and every kind of news. Returns how
/// many were left out.
fn cap(sections: &mut [UpdateSection], max: usize) -> usize {
    let total: usize = sections.iter().map(|s| s.lines.len()).sum();
    if total <= max {
        return 0;
    }
    let turn = [
        SectionKey::Risks,
        SectionKey::Done,
        SectionKey::InProgress,
        SectionKey::Next,
    ];
    let mut keep = [0usize; 4];
    let mut left = max;
    while left > 0 {
        let mut took = false;
        for (slot, key) in turn.iter().enumerate() {
            let available = sections
                .iter()
                .find(|s| s.key == *key)
                .map_or(0, |s| s.lines.len());
            if left > 0 && keep[slot] < available {
                keep[slot] += 1;
                left -= 1;
                took = true;
            }
        }
        if !took {
            break;
        }
    }
    for (slot, key) in turn.iter().enumerate() {
        if let Some(s) = sections.iter_mut().find(|s| s.key == *key) {
            s.lines.truncate(keep[slot]);
        }
    }
    total - max
}

fn subject(sections: &[UpdateSection], since: Date, today: Date) -> String {
    let count = |key: SectionKey, kind: Option<Kind>| {
        sections
            .iter()
            .filter(|s| s.key == key)
            .flat_map(|s| &s.lines)
            .filter(|l| kind.is_none_or(|k| l.kind == k))
            .count()
    };
    let mut parts = Vec::new();
    let done = count(SectionKey::Done, None);
    if done > 0 {
        parts.push(format!("{done} done"));
    }
    let progress = count(SectionKey::InProgress, None);
    if progress > 0 {
        parts.push(format!("{progress} in progress"));
    }
    let blockers = count(SectionKey::Risks, Some(Kind::Blocker));
    if blockers > 0 {
        parts.push(plural(blockers, "blocker"));
    }
    let risks = count(SectionKey::Risks, Some(Kind::Risk));
    if risks > 0 {
        parts.push(plural(risks, "risk"));
    }
    let summary = if parts.is_empty() {
        "nothing new".to_string()
    } else {
        parts.join(", ")
    };
    format!("Status update since {}: {summary}", day(since, today))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enums::{Level, Relation};
    use crate::{ItemInput, Meeting, UpdateSent};
    use jiff::civil::date;
    use uuid::Uuid;

    // Mon 23 Nov 2026.
    fn clock() -> Clock {
        Clock::fixed("2026-11-23").unwrap()
    }

    fn person(name: &str, relation: Relation) -> Person {
        Person::new(name, relation, clock().now).unwrap()
    }

    fn snap() -> Snapshot {
        let mut me = person("Sam Rivera", Relation::Myself);
        me.is_me = true;
        Snapshot {
            people: vec![
                me,
                person("Dana Whitfield", Relation::Manager),
                person("Priya", Relation::Peer),
            ],
            ..Default::default()
        }
    }

    fn add(snap: &mut Snapshot, kind: Kind, title: &str, input: ItemInput) -> i64 {
        let id = snap.items.len() as i64 + 1;
        let mut item = Item::new(
            kind,
            ItemInput {
                title: Some(title.into()),
                ..input
            },
            &clock(),
            id,
        )
        .unwrap();
        item.id = id;
        snap.items.push(item);
        id
    }

    fn win(snap: &mut Snapshot, title: &str, on: Date, metric: Option<&str>) -> i64 {
        let input = ItemInput {
            date: Some(on),
            metric: metric.map(String::from),
            ..Default::default()
        };
        add(snap, Kind::Win, title, input)
    }

    fn meeting(snap: &mut Snapshot, who: &str, on: Date) {
        snap.meetings.push(Meeting {
            id: snap.meetings.len() as i64 + 1,
            uuid: Uuid::new_v4(),
            person: who.into(),
            date: on,
            notes: None,
            discussed: vec![],
            created_at: clock().now,
        });
    }

    fn sent(snap: &mut Snapshot, who: &str, on: Date) {
        snap.updates.push(UpdateSent {
            id: snap.updates.len() as i64 + 1,
            uuid: Uuid::new_v4(),
            person: who.into(),
            date: on,
            channel: Channel::Email,
            text: None,
            // Sent at noon that day: items recorded earlier that day were in it.
            created_at: on
                .at(12, 0, 0, 0)
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .unwrap()
                .timestamp(),
        });
    }

    fn dana(s: &Snapshot) -> Person {
        s.person("Dana Whitfield").unwrap().clone()
    }

    fn run(s: &Snapshot, p: &Person) -> StatusUpdate {
        update(s, p, UpdateInput::default(), &clock())
    }

    fn texts(u: &StatusUpdate, key: SectionKey) -> Vec<String> {
        u.section(key)
            .map(|s| s.lines.iter().map(|l| l.text.clone()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn period_starts_at_the_last_update_before_the_last_meeting() {
        let mut s = snap();
        meeting(&mut s, "Dana Whitfield", date(2026, 11, 18));
        sent(&mut s, "dana whitfield", date(2026, 11, 16));
        let u = run(&s, &dana(&s));
        assert_eq!(
            (u.since, u.since_reason),
            (date(2026, 11, 16), SinceReason::LastUpdate)
        );
    }

    #[test]
    fn period_falls_back_to_the_last_meeting_then_one_cadence() {
        let mut s = snap();
        let mut d = dana(&s);
        assert_eq!(
            (run(&s, &d).since, run(&s, &d).since_reason),
            (date(2026, 11, 16), SinceReason::Cadence)
        );
        d.cadence = Some("2w".parse().unwrap());
        assert_eq!(run(&s, &d).since, date(2026, 11, 9));
        d.cadence = None;
        assert_eq!(
            run(&s, &d).since,
            date(2026, 11, 16),
            "7 days without a cadence"
        );
        meeting(&mut s, "Dana Whitfield", date(2026, 11, 12));
        assert_eq!(
            (run(&s, &d).since, run(&s, &d).since_reason),
            (date(2026, 11, 12), SinceReason::LastMeeting)
        );
    }

    #[test]
    fn since_flag_beats_everything() {
        let mut s = snap();
        sent(&mut s, "Dana Whitfield", date(2026, 11, 20));
        let input = UpdateInput {
            since: Some(date(2026, 11, 1)),
            channel: None,
        };
        let u = update(&s, &dana(&s), input, &clock());
        assert_eq!(
            (u.since, u.since_reason),
            (date(2026, 11, 1), SinceReason::Flag)
        );
    }

    #[test]
    fn done_holds_wins_finished_priorities_and_kept_promises_of_the_period_only() {
        let mut s = snap();
        sent(&mut s, "Dana Whitfield", date(2026, 11, 16));
        win(&mut s, "Old win", date(2026, 11, 13), None);
        win(&mut s, "Boundary win", date(2026, 11, 16), None);
        let p = add(
            &mut s,
            Kind::Priority,
            "Finished priority",
            ItemInput::default(),
        );
        s.items[p as usize - 1].status = Status::Done;
        s.items[p as usize - 1].done = Some(date(2026, 11, 19));
        let pr = add(
            &mut s,
            Kind::Promise,
            "Kept promise",
            ItemInput {
                person: Some("Dana Whitfield".into()),
                ..Default::default()
            },
        );
        s.items[pr as usize - 1].status = Status::Done;
        s.items[pr as usize - 1].done = Some(date(2026, 11, 20));
        let peer = win(&mut s, "Priya's win", date(2026, 11, 20), None);
        s.items[peer as usize - 1].person = Some("Priya".into());
        let u = run(&s, &dana(&s));
        assert_eq!(
            texts(&u, SectionKey::Done),
            ["Boundary win", "Finished priority", "Kept promise"]
        );
        let u = run(&s, s.person("Priya").unwrap());
        assert_eq!(
            texts(&u, SectionKey::Done),
            ["Priya's win"],
            "items with no person are for the manager only"
        );
        // A win of the boundary day recorded before that update went out was in it.
        let told = win(&mut s, "Told that morning", date(2026, 11, 16), None);
        s.items[told as usize - 1].updated_at = "2026-11-16T09:00:00Z".parse().unwrap();
        let u = run(&s, &dana(&s));
        assert!(!texts(&u, SectionKey::Done).contains(&"Told that morning".to_string()));
    }

    #[test]
    fn in_progress_is_by_rank_with_due_dates() {
        let mut s = snap();
        add(
            &mut s,
            Kind::Priority,
            "Second",
            ItemInput {
                rank: Some(2),
                ..Default::default()
            },
        );
        add(
            &mut s,
            Kind::Priority,
            "First",
            ItemInput {
                rank: Some(1),
                due: Some(date(2026, 11, 27)),
                ..Default::default()
            },
        );
        add(
            &mut s,
            Kind::Priority,
            "Late",
            ItemInput {
                rank: Some(3),
                due: Some(date(2026, 11, 20)),
                ..Default::default()
            },
        );
        let u = run(&s, &dana(&s));
        assert_eq!(
            texts(&u, SectionKey::InProgress),
            [
                "First (due Fri 27 Nov)",
                "Second",
                "Late (was due Fri 20 Nov)"
            ]
        );
    }

    #[test]
    fn the_manager_hears_of_every_priority_others_of_theirs_only() {
        let mut s = snap();
        add(
            &mut s,
            Kind::Priority,
            "Mine",
            ItemInput {
                rank: Some(1),
                ..Default::default()
            },
        );
        let asked = ItemInput {
            rank: Some(2),
            person: Some("Priya".into()),
            ..Default::default()
        };
        add(&mut s, Kind::Priority, "Asked by Priya", asked);
        let peer_win = ItemInput {
            person: Some("Priya".into()),
            ..Default::default()
        };
        add(&mut s, Kind::Win, "Helped Priya", peer_win);
        let u = run(&s, &dana(&s));
        assert_eq!(
            texts(&u, SectionKey::InProgress),
            ["Mine", "Asked by Priya"]
        );
        assert!(
            u.section(SectionKey::Done).is_none(),
            "wins stay with their person"
        );
        let u = run(&s, s.person("Priya").unwrap());
        assert_eq!(texts(&u, SectionKey::InProgress), ["Asked by Priya"]);
        assert_eq!(texts(&u, SectionKey::Done), ["Helped Priya"]);
    }

    #[test]
    fn every_risk_and_blocker_carries_a_recommendation() {
        let mut s = snap();
        add(
            &mut s,
            Kind::Risk,
            "Vendor slips",
            ItemInput {
                severity: Some(Level::High),
                ..Default::default()
            },
        );
        add(
            &mut s,
            Kind::Risk,
            "On-call load",
            ItemInput {
                mitigation: Some("swap shifts".into()),
                ..Default::default()
            },
        );
        add(
            &mut s,
            Kind::Blocker,
            "No staging access",
            ItemInput {
                ask: Some("approve INFRA-1".into()),
                ..Default::default()
            },
        );
        add(&mut s, Kind::Blocker, "Unclear owner", ItemInput::default());
        let u = run(&s, &dana(&s));
        assert_eq!(
            texts(&u, SectionKey::Risks),
            [
                "Blocked: No staging access — ask: approve INFRA-1",
                "Blocked: Unclear owner — I need your help to decide how to unblock it",
                "Risk (high): Vendor slips — no mitigation yet; can we agree one?",
                "Risk (medium): On-call load — mitigation: swap shifts",
            ]
        );
    }

    #[test]
    fn next_holds_promises_and_my_actions_by_due_date() {
        let mut s = snap();
        add(
            &mut s,
            Kind::Action,
            "Their action",
            ItemInput {
                owner: Some(Owner::Them),
                ..Default::default()
            },
        );
        add(
            &mut s,
            Kind::Action,
            "My action",
            ItemInput {
                due: Some(date(2026, 11, 26)),
                ..Default::default()
            },
        );
        add(
            &mut s,
            Kind::Promise,
            "A promise",
            ItemInput {
                due: Some(date(2026, 11, 25)),
                ..Default::default()
            },
        );
        add(&mut s, Kind::Promise, "Someday", ItemInput::default());
        let u = run(&s, &dana(&s));
        assert_eq!(
            texts(&u, SectionKey::Next),
            [
                "A promise (by Wed 25 Nov)",
                "My action (by Thu 26 Nov)",
                "Someday"
            ]
        );
    }

    fn busy() -> Snapshot {
        let mut s = snap();
        for n in 0..5 {
            win(
                &mut s,
                &format!("Win {n}"),
                date(2026, 11, 20),
                Some(&format!("+{n}%")),
            );
        }
        for n in 1..=5 {
            add(
                &mut s,
                Kind::Priority,
                &format!("Priority {n}"),
                ItemInput {
                    rank: Some(n),
                    body: Some("context".into()),
                    ..Default::default()
                },
            );
        }
        add(
            &mut s,
            Kind::Blocker,
            "Blocked thing",
            ItemInput {
                ask: Some("approve it".into()),
                ..Default::default()
            },
        );
        add(&mut s, Kind::Promise, "Promise", ItemInput::default());
        s
    }

    #[test]
    fn brief_keeps_eight_lines_and_every_section_with_metric_and_ask_on_the_line() {
        let s = busy();
        let mut d = dana(&s);
        d.length = Some(Length::Brief);
        let u = run(&s, &d);
        assert_eq!(u.line_count(), BRIEF_LINES);
        assert_eq!(u.omitted, 12 - BRIEF_LINES);
        assert_eq!(u.sections.len(), 4, "round-robin keeps every section");
        assert_eq!(
            texts(&u, SectionKey::Risks),
            ["Blocked: Blocked thing — ask: approve it"]
        );
        assert!(
            texts(&u, SectionKey::Done)
                .iter()
                .all(|t| t.ends_with("%)")),
            "metrics kept"
        );
        assert!(
            u.sections
                .iter()
                .flat_map(|s| &s.lines)
                .all(|l| l.details.is_empty()),
            "no bodies"
        );
    }

    #[test]
    fn detailed_keeps_every_line_with_bodies_and_context() {
        let s = busy();
        let mut d = dana(&s);
        d.length = Some(Length::Detailed);
        let u = run(&s, &d);
        assert_eq!((u.line_count(), u.omitted), (12, 0));
        let first = &u.section(SectionKey::InProgress).unwrap().lines[0];
        assert_eq!(
            first.details,
            ["Priority not yet confirmed with you", "context"]
        );
    }

    #[test]
    fn data_first_puts_the_metric_at_the_front() {
        let mut s = snap();
        win(&mut s, "Cut latency", date(2026, 11, 20), Some("p99 -38%"));
        win(&mut s, "Helped a peer", date(2026, 11, 20), None);
        let mut d = dana(&s);
        assert_eq!(
            texts(&run(&s, &d), SectionKey::Done),
            ["Cut latency (p99 -38%)", "Helped a peer"]
        );
        d.decides_by = Some(DecidesBy::Data);
        assert_eq!(
            texts(&run(&s, &d), SectionKey::Done),
            ["p99 -38%: Cut latency", "Helped a peer"]
        );
    }

    #[test]
    fn channel_comes_from_the_flag_then_the_person_then_chat() {
        let s = snap();
        let mut d = dana(&s);
        assert_eq!(run(&s, &d).channel, Channel::Chat);
        d.channel = Some(Channel::Email);
        assert_eq!(run(&s, &d).channel, Channel::Email);
        let input = UpdateInput {
            channel: Some(Channel::InPerson),
            since: None,
        };
        assert_eq!(update(&s, &d, input, &clock()).channel, Channel::InPerson);
    }

    #[test]
    fn subject_greeting_and_sign_off_name_the_people() {
        let mut s = busy();
        let u = run(&s, &dana(&s));
        assert_eq!(
            u.subject,
            "Status update since Mon 16 Nov: 5 done, 5 in progress, 1 blocker"
        );
        assert_eq!(u.greeting, "Hi Dana,");
        assert_eq!(u.sign_off, "Thanks,\nSam");
        s.people.retain(|p| !p.is_me);
        assert_eq!(run(&s, &dana(&s)).sign_off, "Thanks,");
        assert_eq!(
            run(&snap(), &dana(&s)).subject,
            "Status update since Mon 16 Nov: nothing new"
        );
    }
}
