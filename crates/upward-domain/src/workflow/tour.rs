//! `upward tour`: a realistic sample workspace, so a new user sees every workflow work on
//! data that looks like theirs before typing any of it.
//!
//! Everything is placed relative to the clock, on working days, so the tour reads the same
//! whatever day it runs: a 1:1 with the manager about nine days ago, an update sent since, an
//! overdue action, a stale career goal, and a ranked plan that still fits. Ids run from 1 in
//! each table and uuids are derived from them, so the store can import the sample verbatim and
//! the texts built from it are stable.

use crate::PersonRef;
use crate::enums::{
    Channel, DecidesBy, Direction, Length, Level, Owner, Relation, Status, Tone, Visibility,
};
use crate::{
    Clock, Duration, Item, ItemInput, Kind, Meeting, Person, Reflection, Snapshot, UpdateSent,
};
use jiff::civil::Date;
use jiff::{Span, Timestamp};
use uuid::Uuid;

pub const ME: &str = "Sam Rivera";
pub const MANAGER: &str = "Dana Whitfield";
pub const PEER: &str = "Priya Natarajan";
pub const SKIP: &str = "Marcus Oyelaran";

/// The sample workspace as of `clock`.
pub fn sample(clock: &Clock) -> Snapshot {
    let mut b = Sample {
        clock: *clock,
        snap: Snapshot::default(),
    };
    b.people();

    // Three months of wins; the last one after the latest 1:1 and update.
    b.win(
        "Cut checkout p99 latency",
        84,
        &["perf"],
        Some("p99 -38% (480 to 298 ms)"),
        Some("Checkout is back under the 300 ms SLO at peak"),
        Some("Profiled the cart service and replaced its N+1 queries with one batched read."),
    );
    b.win(
        "Shipped the CSV exporter",
        63,
        &["product"],
        Some("41 accounts in 2 weeks"),
        Some("Closed the top support request of Q3"),
        None,
    );
    b.win(
        "Led the payments incident review",
        47,
        &["reliability", "leadership"],
        None,
        Some("Three follow-ups adopted by every payments team"),
        None,
    );
    b.win(
        "Halved CI build time",
        30,
        &["devex", "perf"],
        Some("CI 22 to 11 min"),
        Some("Saves the team about 6 engineer-hours a week"),
        None,
    );
    b.win(
        "Onboarded two new engineers",
        19,
        &["leadership"],
        None,
        Some("Both shipped to production in their first week"),
        None,
    );
    let flaky = b.win(
        "Fixed the flaky payments test suite",
        12,
        &["devex"],
        Some("flake rate 7% to 0.5%"),
        None,
        None,
    );
    let peer = b.who(PEER);
    b.item_mut(flaky).person = peer;
    b.win(
        "Removed the legacy auth path",
        4,
        &["reliability"],
        Some("-4,200 lines"),
        Some("One login flow to secure instead of two"),
        None,
    );

    // The ranked plan: it fits, with a little slack, whatever weekday today is.
    let limiter = b.priority(
        1,
        "Rate limiter for the public API",
        "3d",
        Some(4),
        &["reliability"],
        Some("Token bucket per API key; the design doc is in review."),
    );
    b.priority(
        2,
        "Billing migration to the new ledger",
        "2w",
        Some(18),
        &["billing"],
        Some("Dual-write first, then backfill; the cut-over needs a two-hour freeze."),
    );
    b.priority(
        3,
        "Checkout observability dashboards",
        "3d",
        Some(25),
        &["perf"],
        None,
    );
    b.priority(
        4,
        "Refresh the on-call runbook for Q1",
        "0d",
        None,
        &[],
        None,
    );
    let postgres = b.priority(
        5,
        "Upgrade Postgres to 16",
        "4d",
        Some(-2),
        &["reliability"],
        None,
    );
    b.finish(postgres, 5);

    b.add(
        Kind::Expectation,
        "Own checkout reliability",
        60,
        ItemInput {
            metric: Some("99.95% monthly availability".into()),
            person: b.who(MANAGER),
            tags: Some(vec!["reliability".into()]),
            confirmed: Some(b.ago(40)),
            ..Default::default()
        },
    );
    b.add(
        Kind::Expectation,
        "Grow as technical lead for the payments team",
        60,
        ItemInput {
            person: b.who(MANAGER),
            tags: Some(vec!["leadership".into()]),
            ..Default::default()
        },
    );

    b.add(
        Kind::Risk,
        "Ledger vendor may not deliver the sandbox before the cut-over",
        3,
        ItemInput {
            likelihood: Some(Level::Medium),
            severity: Some(Level::High),
            tags: Some(vec!["billing".into()]),
            ..Default::default()
        },
    );
    let on_call = b.add(
        Kind::Risk,
        "On-call load during the holiday freeze",
        14,
        ItemInput {
            likelihood: Some(Level::High),
            severity: Some(Level::Medium),
            mitigation: Some(
                "Swap two shifts with Priya's team and freeze non-critical deploys from 18 Dec"
                    .into(),
            ),
            communicated: Some(b.meeting_day()),
            ..Default::default()
        },
    );

    b.add(
        Kind::Blocker,
        "No write access to the staging ledger database",
        5,
        ItemInput {
            ask: Some("Approve access request INFRA-2231 by Wednesday".into()),
            data: Some("Migration rehearsal blocked for 4 days; 2 of 5 dry runs done".into()),
            tags: Some(vec!["billing".into()]),
            ..Default::default()
        },
    );

    // The 1:1s: a skip-level a month ago, the manager about nine days ago.
    let skip_meeting = b.meeting(
        SKIP,
        b.ago(24),
        "Skip-level: the 2027 platform strategy and where I want to grow.",
    );
    let one_on_one = b.meeting(
        MANAGER,
        b.meeting_day(),
        "Agreed the rate limiter comes first; the on-call swap is fine in principle.",
    );
    let agreed = |b: &mut Sample,
                  title: &str,
                  owner: Owner,
                  due: Option<i64>,
                  who: &str,
                  meeting: i64,
                  on: Date| {
        let days = b.days_ago(on);
        let id = b.add(
            Kind::Action,
            title,
            days,
            ItemInput {
                owner: Some(owner),
                due: due.map(|d| b.ahead(d)),
                person: b.who(who),
                ..Default::default()
            },
        );
        let meeting = b.snap.meetings[(meeting - 1) as usize].uuid;
        b.item_mut(id).meeting = Some(meeting);
        id
    };
    let met = b.meeting_day();
    agreed(
        &mut b,
        "Send Dana the rate limiter design doc",
        Owner::Me,
        Some(-2),
        MANAGER,
        one_on_one,
        met,
    );
    agreed(
        &mut b,
        "Ask finance for the ledger vendor's contract terms",
        Owner::Them,
        Some(2),
        MANAGER,
        one_on_one,
        met,
    );
    let shared = agreed(
        &mut b,
        "Share the incident review summary with the team",
        Owner::Me,
        None,
        MANAGER,
        one_on_one,
        met,
    );
    b.finish(shared, 8);
    let skip_day = b.ago(24);
    agreed(
        &mut b,
        "Share the 2027 platform strategy draft",
        Owner::Them,
        None,
        SKIP,
        skip_meeting,
        skip_day,
    );

    let promise = |b: &mut Sample, title: &str, who: &str, days: i64, due: i64| {
        b.add(
            Kind::Promise,
            title,
            days,
            ItemInput {
                person: b.who(who),
                due: Some(b.ahead(due)),
                ..Default::default()
            },
        )
    };
    promise(&mut b, "Rate limiter load-test results", MANAGER, 6, 3);
    promise(&mut b, "Billing migration cut-over plan", MANAGER, 6, 10);
    let review = promise(&mut b, "Review the payments SDK pull request", PEER, 12, -7);
    b.finish(review, 6);
    let roadmap = promise(&mut b, "Draft Q1 roadmap input", MANAGER, 30, -15);
    b.finish(roadmap, 16);

    b.add(
        Kind::Goal,
        "Become a staff engineer by leading a cross-team project",
        150,
        ItemInput {
            person: b.who(MANAGER),
            last_discussed: Some(b.ago(120)),
            body: Some("Candidate: the ledger migration, which spans billing and platform.".into()),
            tags: Some(vec!["career".into()]),
            ..Default::default()
        },
    );

    b.add(
        Kind::Feedback,
        "Thank Dana for shielding the team during the re-org",
        7,
        ItemInput {
            person: b.who(MANAGER),
            ..Default::default()
        },
    );
    b.add(
        Kind::Feedback,
        "Ask Dana how I ran the incident review",
        40,
        ItemInput {
            person: b.who(MANAGER),
            direction: Some(Direction::Requested),
            ..Default::default()
        },
    );
    let praise = b.add(
        Kind::Feedback,
        "The CSV exporter launch note was clear and well timed",
        58,
        ItemInput {
            person: b.who(MANAGER),
            direction: Some(Direction::Received),
            ..Default::default()
        },
    );
    b.finish(praise, 58);
    let earlier = b.add(
        Kind::Feedback,
        "Share design docs before the code is written",
        33,
        ItemInput {
            person: b.who(PEER),
            direction: Some(Direction::Received),
            tone: Some(Tone::Constructive),
            body: Some(
                "Priya found out about the exporter's schema change from the pull request.".into(),
            ),
            ..Default::default()
        },
    );
    b.finish(earlier, 33);

    b.add(
        Kind::Topic,
        "Headcount plan for Q1",
        3,
        ItemInput {
            person: b.who(MANAGER),
            visibility: Some(Visibility::Shared),
            ..Default::default()
        },
    );
    b.add(
        Kind::Topic,
        "Submit a talk on the rate limiter to QCon",
        2,
        ItemInput {
            person: b.who(MANAGER),
            ..Default::default()
        },
    );
    let coverage = b.add(
        Kind::Topic,
        "Holiday on-call coverage",
        16,
        ItemInput {
            person: b.who(MANAGER),
            ..Default::default()
        },
    );
    let days = b.days_ago(met);
    b.finish(coverage, days);

    b.add(
        Kind::Note,
        "Dana reads numbers first and stops after one screen",
        20,
        ItemInput {
            person: b.who(MANAGER),
            ..Default::default()
        },
    );
    b.add(
        Kind::Idea,
        "Automate the weekly cost report for Dana's staff meeting",
        9,
        ItemInput {
            person: b.who(MANAGER),
            body: Some("Dana builds it by hand every Monday; a query and a chart would do.".into()),
            ..Default::default()
        },
    );

    // What the 1:1 with the manager covered, as `meet --discussed` records it.
    for id in [limiter, on_call, coverage] {
        b.item_mut(id).discussed = Some(met);
    }
    b.item_mut(limiter).confirmed = Some(met);
    b.item_mut(limiter).confirmed_by = b.who(MANAGER).map(|p| p.uuid);
    let discussed = [limiter, on_call, coverage].map(|id| b.item_mut(id).uuid);
    b.snap.meetings[(one_on_one - 1) as usize].discussed = discussed.to_vec();

    b.update_sent(MANAGER, b.ago(6), Channel::Email);
    b.reflection(MANAGER, b.ago(50));
    b.snap
}

struct Sample {
    clock: Clock,
    snap: Snapshot,
}

impl Sample {
    /// A working day about `days` ago: that day, or the working day before it.
    fn ago(&self, days: i64) -> Date {
        let mut d = self.shift(-days);
        // At most two steps back: a weekend is two days long.
        for _ in 0..2 {
            if !crate::is_working_day(d) {
                d = d.yesterday().unwrap_or(d);
            }
        }
        d
    }

    /// A working day about `days` ahead (behind when negative).
    fn ahead(&self, days: i64) -> Date {
        if days < 0 {
            return self.ago(-days);
        }
        let mut d = self.shift(days);
        while !crate::is_working_day(d) && d > self.clock.today {
            d = d.yesterday().unwrap_or(d);
        }
        d
    }

    fn shift(&self, days: i64) -> Date {
        self.clock
            .today
            .checked_add(Span::new().days(days))
            .unwrap_or(self.clock.today)
    }

    fn days_ago(&self, date: Date) -> i64 {
        crate::days_between(date, self.clock.today)
    }

    fn meeting_day(&self) -> Date {
        self.ago(9)
    }

    /// The clock as it read on `date` (the same time of day).
    fn at(&self, date: Date) -> Clock {
        let days = self.days_ago(date);
        let now = self
            .clock
            .now
            .checked_sub(Span::new().hours(24 * days))
            .unwrap_or(self.clock.now);
        Clock::new(now, date)
    }

    fn stamp(&self, date: Date) -> Timestamp {
        self.at(date).now
    }

    fn person(&mut self, name: &str, relation: Relation, role: &str) -> &mut Person {
        let created = self.stamp(self.ago(150));
        let mut p = Person::new(name, relation, created).expect("a valid sample name");
        p.id = self.snap.people.len() as i64 + 1;
        p.uuid = uuid(b'p', p.id);
        p.role = Some(role.into());
        self.snap.people.push(p);
        self.snap.people.last_mut().expect("just pushed")
    }

    fn people(&mut self) {
        let me = self.person(ME, Relation::Myself, "Senior Software Engineer, Payments");
        me.goals = Some("Grow into a staff engineer role within a year".into());
        me.strengths = Some("Performance work; clear writing".into());
        me.blind_spots = Some("I say yes too often and find out late".into());
        me.channel = Some(Channel::Chat);
        me.length = Some(Length::Brief);
        me.decides_by = Some(DecidesBy::Mixed);

        let dana = self.person(MANAGER, Relation::Manager, "Engineering Manager, Payments");
        dana.goals = Some("Ship the ledger migration before the Q1 audit".into());
        dana.priorities = Some("Billing reliability; hiring two engineers".into());
        dana.pressures = Some("The Q1 audit date; a headcount freeze".into());
        dana.motivations = Some("Growing engineers into leads".into());
        dana.values = Some("Candour; owning outcomes end to end".into());
        dana.strengths = Some("Shields the team from churn; fast decisions".into());
        dana.blind_spots = Some("Underestimates migration risk".into());
        dana.pet_peeves = Some("Surprises in her staff meeting; updates without numbers".into());
        dana.happiest = Some("When a launch is boring".into());
        dana.channel = Some(Channel::Email);
        dana.length = Some(Length::Brief);
        dana.decides_by = Some(DecidesBy::Data);
        dana.feedback = Some(Level::High);
        dana.cadence = Some(Duration::days(7));
        dana.trust = Some(4);
        dana.technical = Some(true);
        dana.exec = Some(false);

        let priya = self.person(PEER, Relation::Peer, "Staff Engineer, Platform");
        priya.priorities = Some("The platform SDK 2.0 release".into());
        priya.channel = Some(Channel::Chat);
        priya.length = Some(Length::Detailed);
        priya.decides_by = Some(DecidesBy::Mixed);
        priya.feedback = Some(Level::Medium);

        let marcus = self.person(SKIP, Relation::Skip, "Director of Engineering");
        marcus.goals = Some("A platform strategy for 2027".into());
        marcus.channel = Some(Channel::InPerson);
        marcus.length = Some(Length::Brief);
        marcus.decides_by = Some(DecidesBy::Intuition);
        // A director: the three-line brief (docs/update.md#the-three-line-brief).
        marcus.exec = Some(true);
        marcus.cadence = Some(Duration {
            n: 4,
            unit: crate::DurationUnit::Week,
        });
    }

    /// Adds an item recorded about `days` ago; returns its id.
    fn add(&mut self, kind: Kind, title: &str, days: i64, input: ItemInput) -> i64 {
        let id = self.snap.items.len() as i64 + 1;
        let rank = input.rank.unwrap_or(1);
        let clock = self.at(self.ago(days));
        let input = ItemInput {
            title: Some(title.into()),
            ..input
        };
        let mut item = Item::new(kind, input, &clock, rank).expect("a valid sample item");
        // Confirmed by hand, as `add --confirmed` records it: with the item's person.
        if item.confirmed.is_some() {
            item.confirmed_by = item.person.as_ref().map(|p| p.uuid);
        }
        item.id = id;
        item.uuid = uuid(b'i', id);
        self.snap.items.push(item);
        id
    }

    fn item_mut(&mut self, id: i64) -> &mut Item {
        &mut self.snap.items[(id - 1) as usize]
    }

    fn win(
        &mut self,
        title: &str,
        days: i64,
        tags: &[&str],
        metric: Option<&str>,
        impact: Option<&str>,
        body: Option<&str>,
    ) -> i64 {
        let input = ItemInput {
            date: Some(self.ago(days)),
            tags: Some(tags.iter().map(|t| t.to_string()).collect()),
            metric: metric.map(String::from),
            impact: impact.map(String::from),
            body: body.map(String::from),
            ..Default::default()
        };
        self.add(Kind::Win, title, days, input)
    }

    fn priority(
        &mut self,
        rank: i64,
        title: &str,
        effort: &str,
        due: Option<i64>,
        tags: &[&str],
        body: Option<&str>,
    ) -> i64 {
        let input = ItemInput {
            rank: Some(rank),
            effort: Some(effort.parse().expect("a valid sample effort")),
            due: due.map(|d| self.ahead(d)),
            tags: Some(tags.iter().map(|t| t.to_string()).collect()),
            body: body.map(String::from),
            ..Default::default()
        };
        self.add(Kind::Priority, title, 21, input)
    }

    /// Marks an item done about `days` ago.
    fn finish(&mut self, id: i64, days: i64) {
        let on = self.ago(days);
        let at = self.stamp(on);
        let item = self.item_mut(id);
        item.status = Status::Done;
        item.done = Some(on);
        item.updated_at = at;
    }

    /// A reference to a person of the sample, by name.
    fn who(&self, name: &str) -> Option<PersonRef> {
        self.snap.person(name).map(Person::to_ref)
    }

    fn must(&self, name: &str) -> PersonRef {
        self.who(name).expect("the sample's people are added first")
    }

    fn meeting(&mut self, person: &str, date: Date, notes: &str) -> i64 {
        let id = self.snap.meetings.len() as i64 + 1;
        self.snap.meetings.push(Meeting {
            id,
            uuid: uuid(b'm', id),
            person: self.must(person),
            date,
            notes: Some(notes.into()),
            shared_notes: None,
            their_notes: None,
            discussed: Vec::new(),
            created_at: self.stamp(date),
        });
        id
    }

    fn update_sent(&mut self, person: &str, date: Date, channel: Channel) {
        let id = self.snap.updates.len() as i64 + 1;
        self.snap.updates.push(UpdateSent {
            id,
            uuid: uuid(b'u', id),
            person: self.must(person),
            date,
            channel,
            text: None,
            created_at: self.stamp(date),
        });
    }

    fn reflection(&mut self, person: &str, date: Date) {
        let id = self.snap.reflections.len() as i64 + 1;
        let scores = [
            ("priorities", 4),
            ("expectations", 3),
            ("delivery", 4),
            ("visibility", 2),
            ("rapport", 4),
        ];
        self.snap.reflections.push(Reflection {
            id,
            uuid: uuid(b'r', id),
            person: self.must(person),
            date,
            scores: scores.iter().map(|(a, s)| (a.to_string(), *s)).collect(),
            answers: [(
                "visibility".to_string(),
                "Dana heard about the CI speed-up from someone else; send weekly updates."
                    .to_string(),
            )]
            .into_iter()
            .collect(),
            created_at: self.stamp(date),
        });
    }
}

/// A version-4-shaped uuid derived from the table and the id, so the sample is the same on
/// every run.
fn uuid(table: u8, id: i64) -> Uuid {
    let mut bytes = *b"upward-sample\0\0\0";
    bytes[13] = table;
    bytes[14..16].copy_from_slice(&(id as u16).to_be_bytes());
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::item::{validate_text, validate_title};
    use crate::same_name;
    use crate::workflow::intake::{IntakeInput, intake};
    use crate::workflow::review::review;
    use crate::workflow::update::{SectionKey, UpdateInput, update};
    use jiff::civil::date;
    use std::collections::HashSet;

    fn clock() -> Clock {
        Clock::fixed("2026-11-23").unwrap()
    }

    fn unique_sequential(ids: impl Iterator<Item = i64>) -> bool {
        ids.enumerate().all(|(n, id)| id == n as i64 + 1)
    }

    #[test]
    fn ids_are_sequential_and_every_reference_resolves() {
        let s = sample(&clock());
        assert!(unique_sequential(s.items.iter().map(|i| i.id)));
        assert!(unique_sequential(s.meetings.iter().map(|m| m.id)));
        assert!(unique_sequential(s.updates.iter().map(|u| u.id)));
        assert!(unique_sequential(s.reflections.iter().map(|r| r.id)));
        assert!(unique_sequential(s.people.iter().map(|p| p.id)));
        let uuids: HashSet<Uuid> = s
            .items
            .iter()
            .map(|i| i.uuid)
            .chain(s.people.iter().map(|p| p.uuid))
            .chain(s.meetings.iter().map(|m| m.uuid))
            .collect();
        assert_eq!(
            uuids.len(),
            s.items.len() + s.people.len() + s.meetings.len()
        );
        for i in &s.items {
            if let Some(p) = &i.person {
                assert!(s.people.iter().any(|q| p.is(q)), "{p:?} on #{}", i.id);
            }
            if let Some(m) = i.meeting {
                assert!(s.meetings.iter().any(|x| x.uuid == m));
                assert_eq!(i.kind, Kind::Action);
            }
        }
        for m in &s.meetings {
            assert!(s.person_by_uuid(m.person.uuid).is_some());
            assert!(m.discussed.iter().all(|u| s.item_by_uuid(*u).is_some()));
        }
        assert!(
            s.updates
                .iter()
                .all(|u| s.person_by_uuid(u.person.uuid).is_some())
        );
        assert!(
            s.reflections
                .iter()
                .all(|r| s.person_by_uuid(r.person.uuid).is_some())
        );
    }

    #[test]
    fn every_item_passes_validation_and_round_trips_as_json() {
        let c = clock();
        let s = sample(&c);
        for i in &s.items {
            assert_eq!(validate_title(&i.title).unwrap(), i.title);
            for text in [
                &i.body,
                &i.impact,
                &i.metric,
                &i.mitigation,
                &i.ask,
                &i.data,
            ]
            .into_iter()
            .flatten()
            {
                assert_eq!(
                    validate_text("text", text).unwrap().as_deref(),
                    Some(text.as_str())
                );
            }
            // An item's JSON names its person; the export document resolves the name (or
            // `person_uuid`) back to the person, as here.
            let mut back: Item = serde_json::from_value(i.to_json()).unwrap();
            back.person = back.person.map(|p| s.person(&p.name).unwrap().to_ref());
            assert_eq!(&back, i);
            assert!(
                i.created <= c.today && i.done.is_none_or(|d| i.created <= d && d <= c.today),
                "#{}",
                i.id
            );
            assert!(i.created_at <= c.now);
            assert_eq!(i.status == Status::Done, i.done.is_some(), "#{}", i.id);
        }
        let names: Vec<&str> = s.people.iter().map(|p| p.name.as_str()).collect();
        for (n, a) in names.iter().enumerate() {
            assert!(names[n + 1..].iter().all(|b| !same_name(a, b)));
        }
    }

    #[test]
    fn every_kind_and_the_promised_situations_are_present() {
        let c = clock();
        let s = sample(&c);
        for kind in Kind::ALL {
            assert!(s.items.iter().any(|i| i.kind == *kind), "{kind}");
        }
        assert_eq!(s.people.iter().filter(|p| p.is_me).count(), 1);
        assert_eq!(s.me().unwrap().relation, Relation::Myself);
        let dana = s.manager().unwrap();
        assert_eq!(dana.name, MANAGER);
        assert!(
            crate::PROFILE_FIELDS
                .iter()
                .all(|f| dana.profile(f).is_some())
        );
        assert!(crate::STYLE_FIELDS.iter().all(|f| dana.has_style(f)));
        assert_eq!(
            (dana.channel, dana.length, dana.decides_by, dana.trust),
            (
                Some(Channel::Email),
                Some(Length::Brief),
                Some(DecidesBy::Data),
                Some(4)
            )
        );

        let mut ranks: Vec<i64> = s.open(Kind::Priority).map(|p| p.rank.unwrap()).collect();
        ranks.sort();
        assert_eq!(ranks, [1, 2, 3, 4], "open ranks are dense");
        assert!(s.open(Kind::Priority).any(|p| p.confirmed.is_none()));
        assert!(s.open(Kind::Risk).any(|r| r.severity == Some(Level::High)
            && r.mitigation.is_none()
            && r.communicated.is_none()));
        assert!(s.open(Kind::Risk).any(|r| r.communicated.is_some()));
        assert!(
            s.open(Kind::Blocker)
                .any(|b| b.ask.is_some() && b.data.is_some())
        );
        let overdue = s
            .open(Kind::Action)
            .filter(|a| a.due.is_some_and(|d| d < c.today));
        assert_eq!(overdue.count(), 1);
        for owner in [Owner::Me, Owner::Them] {
            assert!(
                s.items
                    .iter()
                    .any(|a| a.kind == Kind::Action && a.owner == Some(owner))
            );
        }
        assert!(
            s.open(Kind::Expectation).any(|e| e.metric.is_some())
                && s.open(Kind::Expectation).any(|e| e.metric.is_none())
        );
        assert!(s.open(Kind::Goal).all(|g| {
            g.last_discussed
                .is_some_and(|d| crate::days_between(d, c.today) > 90)
        }));
        for direction in [Direction::Given, Direction::Requested, Direction::Received] {
            assert!(s.items.iter().any(|f| f.direction == Some(direction)));
        }
        let dana = s.person(MANAGER).unwrap().uuid;
        let met = s.last_meeting(dana).unwrap();
        assert_eq!(met, date(2026, 11, 13), "Sat 14 Nov moves to the Friday");
        let one_on_one = s.meetings.iter().find(|m| m.person.uuid == dana).unwrap();
        assert!(!one_on_one.discussed.is_empty());
        assert!(
            s.items
                .iter()
                .filter(|i| i.meeting == Some(one_on_one.uuid))
                .count()
                >= 3
        );
        assert!(s.last_update(dana).unwrap() > met);
        assert!(
            s.items
                .iter()
                .any(|w| w.kind == Kind::Win && w.date.unwrap() > met)
        );
    }

    #[test]
    fn the_plan_fits_whatever_weekday_the_tour_runs() {
        for day in 16..=22 {
            let c = Clock::fixed(&format!("2026-11-{day}")).unwrap();
            let s = sample(&c);
            let request = IntakeInput {
                title: "Anything".into(),
                from: MANAGER.into(),
                due: date(2027, 6, 1),
                effort: Duration::days(1),
                rank: None,
            };
            let i = intake(&s, &request, &c);
            assert!(i.fits, "{day}: {:?}", i.plan);
            assert_eq!(i.rank, 5);
        }
    }

    #[test]
    fn the_workflows_run_over_the_sample() {
        let c = clock();
        let s = sample(&c);
        let dana = s.manager().unwrap();
        let u = update(&s, dana, UpdateInput::default(), &c);
        assert_eq!(
            u.since,
            s.last_update(s.person(MANAGER).unwrap().uuid).unwrap()
        );
        assert_eq!(
            u.sections.iter().map(|s| s.key).collect::<Vec<_>>(),
            SectionKey::ALL
        );
        assert!(u.line_count() <= 8 && u.omitted.total() > 0);

        let r = review(&s, date(2026, 5, 23), c.today, &c);
        assert_eq!(r.win_count(), 7);
        assert!(r.wins.len() >= 4);
        assert_eq!(
            (
                r.follow_through.promises.kept_on_time,
                r.follow_through.promises.kept_late,
                r.follow_through.promises.open
            ),
            (1, 1, 2)
        );
        assert_eq!(r.feedback.len(), 2);

        let request = IntakeInput {
            title: "Audit log export".into(),
            from: "dana whitfield".into(),
            due: c.today.checked_add(Span::new().days(4)).unwrap(),
            effort: Duration::days(3),
            rank: None,
        };
        let i = intake(&s, &request, &c);
        assert_eq!(i.from, MANAGER);
        assert_eq!((i.rank, i.fits), (1, false));
        assert_eq!(
            i.would_slip
                .iter()
                .map(|p| p.title.as_str())
                .collect::<Vec<_>>(),
            [
                "Rate limiter for the public API",
                "Billing migration to the new ledger"
            ]
        );
    }
}
