//! A realistic workspace of N items: ten years of heavy use by one engineer.
//!
//! Twenty people (me, three managers in turn of whom the last is current, a skip-level, peers,
//! reports and stakeholders), 500 1:1s, 400 updates sent, 120 reflections, and N items of all
//! twelve kinds created evenly over the ten years before the clock's today. Each item lives as
//! long as its kind typically does (a topic until the next 1:1 with its person, a promise
//! around its due date, a note about a month) and is then done or dropped; a few of every kind
//! are forgotten and stay open for ever, as in any real backlog. So most old items are closed,
//! and the open ones grow with N: about 1,500 at 50,000 items, a few of them years overdue.
//! The current plan is 15 ranked priorities with effort and due dates, some of them tight, so
//! intake has trade-offs to show.
//!
//! Everything comes from one seeded generator and the clock: the same N, seed and today give
//! the same workspace, byte for byte.

use crate::rng::Rng;
use crate::text;
use jiff::civil::Date;
use jiff::{Span, Timestamp};
use std::collections::BTreeMap;
use upward_domain::enums::{Channel, DecidesBy, Direction, Length, Level, Owner, Relation, Tone};
use upward_domain::{
    Clock, Duration, DurationUnit, Item, Kind, Meeting, Person, PersonRef, Reflection, Snapshot,
    Status, UpdateSent, Visibility, is_working_day,
};
use uuid::Uuid;

/// Days of history.
pub const YEARS_DAYS: i64 = 3652;
pub const MEETINGS: usize = 500;
pub const UPDATES: usize = 400;
pub const REFLECTIONS: usize = 120;
/// Open, ranked priorities today.
pub const OPEN_PRIORITIES: usize = 15;

pub const ME: &str = "Sam Rivera";
/// The current manager.
pub const MANAGER: &str = "Dana Whitfield";
const FORMER_MANAGERS: [&str; 2] = ["Tomás Herrera", "Grace Liu"];
const SKIP: &str = "Marcus Oyelaran";
const PEERS: [&str; 8] = [
    "Priya Natarajan",
    "Jonas Becker",
    "Amara Okafor",
    "Chen Wei",
    "Lucía Fernández",
    "Ben Carter",
    "Fatima Zahra",
    "Oskar Lindqvist",
];
const REPORTS: [&str; 3] = ["Kai Nakamura", "Zoe Adams", "Mateo Rossi"];
const STAKEHOLDERS: [&str; 4] = [
    "Helen Park",
    "Victor Dubois",
    "Ngozi Eze",
    "Rachel Goldberg",
];

/// Share of each kind among items, in `Kind::ALL` order (win, priority, expectation, risk,
/// blocker, promise, action, feedback, goal, topic, note, idea).
const KIND_SHARE: [f64; 12] = [
    10.0, 5.0, 2.0, 4.0, 3.0, 8.0, 20.0, 6.0, 1.0, 12.0, 24.0, 5.0,
];

/// Chance that an item of each kind is forgotten: never closed, so still open today.
const FORGOTTEN: [f64; 12] = [
    0.0, 0.0, 0.02, 0.02, 0.005, 0.002, 0.004, 0.02, 0.05, 0.03, 0.05, 0.08,
];

/// Builds the workspace of `n` items as of `clock.today`.
pub fn generate(n: usize, seed: u64, clock: &Clock) -> Snapshot {
    let mut g = Gen {
        rng: Rng::new(seed ^ (n as u64).wrapping_mul(0x2545_F491_4F6C_DD1D)),
        today: clock.today,
        start: add_days(clock.today, -YEARS_DAYS),
        snap: Snapshot::default(),
        meetings_by_person: BTreeMap::new(),
    };
    g.people();
    g.meetings();
    g.items(n);
    g.updates();
    g.reflections();
    g.snap
}

struct Gen {
    rng: Rng,
    today: Date,
    start: Date,
    snap: Snapshot,
    /// Meeting dates and ids per person, by date.
    meetings_by_person: BTreeMap<String, Vec<(Date, i64)>>,
}

fn add_days(d: Date, n: i64) -> Date {
    d.checked_add(Span::new().days(n)).expect("a date in range")
}

/// The working day on or before `d`.
fn working_day(mut d: Date) -> Date {
    while !is_working_day(d) {
        d = add_days(d, -1);
    }
    d
}

impl Gen {
    fn uuid(&mut self) -> Uuid {
        let bits = (u128::from(self.rng.next_u64()) << 64) | u128::from(self.rng.next_u64());
        uuid::Builder::from_random_bytes(bits.to_le_bytes()).into_uuid()
    }

    /// A time on `d` during working hours, in UTC.
    fn stamp(&mut self, d: Date) -> Timestamp {
        let minute = self.rng.range(8 * 60, 18 * 60);
        d.at(
            (minute / 60) as i8,
            (minute % 60) as i8,
            self.rng.range(0, 59) as i8,
            0,
        )
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .expect("a time in range")
        .timestamp()
    }

    fn days_ago(&self, d: Date) -> i64 {
        upward_domain::days_between(d, self.today)
    }

    /// The manager at a date: each of the three in turn, the current one for the last three
    /// years and a half.
    fn manager_at(&self, d: Date) -> &'static str {
        let age = self.days_ago(d);
        if age > 2380 {
            FORMER_MANAGERS[0]
        } else if age > 1280 {
            FORMER_MANAGERS[1]
        } else {
            MANAGER
        }
    }

    fn people(&mut self) {
        let created = self.stamp(self.start);
        let add = |g: &mut Gen, name: &str, relation: Relation, role: &str| -> usize {
            let mut p = Person::new(name, relation, created).expect("a valid name");
            p.id = g.snap.people.len() as i64 + 1;
            p.uuid = g.uuid();
            p.role = Some(role.to_string());
            g.snap.people.push(p);
            g.snap.people.len() - 1
        };
        let me = add(
            self,
            ME,
            Relation::Myself,
            "Senior Software Engineer, Payments",
        );
        let p = &mut self.snap.people[me];
        p.goals = Some("Grow into a staff engineer role; lead a cross-team project".into());
        p.strengths = Some("Performance work; clear writing; calm in incidents".into());
        p.blind_spots = Some("I say yes too often and find out late".into());
        p.channel = Some(Channel::Chat);
        p.length = Some(Length::Brief);
        p.decides_by = Some(DecidesBy::Mixed);

        let dana = add(
            self,
            MANAGER,
            Relation::Manager,
            "Engineering Manager, Payments",
        );
        let p = &mut self.snap.people[dana];
        p.goals = Some("Ship the ledger migration before the Q1 audit".into());
        p.priorities = Some("Billing reliability; hiring two engineers".into());
        p.pressures = Some("The Q1 audit date; a headcount freeze".into());
        p.motivations = Some("Growing engineers into leads".into());
        p.values = Some("Candour; owning outcomes end to end".into());
        p.strengths = Some("Shields the team from churn; fast decisions".into());
        p.blind_spots = Some("Underestimates migration risk".into());
        p.pet_peeves = Some("Surprises in her staff meeting; updates without numbers".into());
        p.happiest = Some("When a launch is boring".into());
        p.channel = Some(Channel::Email);
        p.length = Some(Length::Brief);
        p.decides_by = Some(DecidesBy::Data);
        p.feedback = Some(Level::High);
        p.cadence = Some(Duration::days(7));
        p.trust = Some(4);

        for (i, name) in FORMER_MANAGERS.iter().enumerate() {
            let ix = add(self, name, Relation::Manager, "Engineering Manager");
            let p = &mut self.snap.people[ix];
            p.archived = true;
            p.channel = Some(if i == 0 {
                Channel::InPerson
            } else {
                Channel::Video
            });
            p.length = Some(Length::Detailed);
            p.goals = Some("A stable platform team".into());
        }
        let skip = add(self, SKIP, Relation::Skip, "Director of Engineering");
        let p = &mut self.snap.people[skip];
        p.goals = Some("A platform strategy for next year".into());
        p.channel = Some(Channel::InPerson);
        p.length = Some(Length::Brief);
        p.decides_by = Some(DecidesBy::Intuition);
        p.cadence = Some(Duration {
            n: 4,
            unit: DurationUnit::Week,
        });
        for (i, name) in PEERS.iter().enumerate() {
            let ix = add(self, name, Relation::Peer, "Software Engineer");
            let p = &mut self.snap.people[ix];
            p.channel = Some(if i % 2 == 0 {
                Channel::Chat
            } else {
                Channel::Video
            });
            p.length = Some(if i % 3 == 0 {
                Length::Detailed
            } else {
                Length::Brief
            });
            if i < 2 {
                p.cadence = Some(Duration {
                    n: 2,
                    unit: DurationUnit::Week,
                });
                p.priorities = Some("The platform SDK release".into());
            }
        }
        for name in REPORTS {
            add(self, name, Relation::Report, "Software Engineer");
        }
        for name in STAKEHOLDERS {
            add(self, name, Relation::Stakeholder, "Product Manager");
        }
    }

    /// 500 1:1s: about weekly with the manager of the time, monthly-ish with the skip-level,
    /// now and then with the two peers who have a cadence. The latest with the current
    /// manager was a few working days ago.
    fn meetings(&mut self) {
        let mut planned: Vec<(Date, String)> = Vec::new();
        let manager_meetings = MEETINGS - 50 - 30;
        let step = YEARS_DAYS as f64 / manager_meetings as f64;
        for k in 0..manager_meetings {
            let jitter = self.rng.range(0, 2);
            let d = working_day(add_days(
                self.today,
                -(4 + (k as f64 * step) as i64 + jitter),
            ));
            planned.push((d, self.manager_at(d).to_string()));
        }
        for k in 0..50 {
            let d = working_day(add_days(self.today, -(12 + k * 73 + self.rng.range(0, 5))));
            planned.push((d, SKIP.to_string()));
        }
        for k in 0..30 {
            let d = working_day(add_days(self.today, -(9 + k * 121 + self.rng.range(0, 9))));
            planned.push((d, PEERS[k as usize % 2].to_string()));
        }
        planned.sort();
        for (i, (date, person)) in planned.into_iter().enumerate() {
            let id = i as i64 + 1;
            let sentences = self.rng.range(2, 7) as usize;
            let notes = text::body(&mut self.rng, sentences);
            let m = Meeting {
                id,
                uuid: self.uuid(),
                person: self.pref(&person),
                date,
                notes: Some(notes),
                shared_notes: None,
                their_notes: None,
                discussed: Vec::new(),
                created_at: self.stamp(date),
            };
            self.meetings_by_person
                .entry(person.to_lowercase())
                .or_default()
                .push((date, id));
            self.snap.meetings.push(m);
        }
    }

    /// The first meeting with `person` after `d`, if one has happened by today.
    /// A reference to a person of the workspace, by name.
    fn pref(&self, name: &str) -> PersonRef {
        self.snap
            .person(name)
            .map(Person::to_ref)
            .expect("the workspace's people are generated first")
    }

    fn next_meeting(&self, person: &str, d: Date) -> Option<(Date, i64)> {
        let list = self.meetings_by_person.get(&person.to_lowercase())?;
        let at = list.partition_point(|(md, _)| *md <= d);
        list.get(at).copied()
    }

    /// The last meeting with `person` on or before `d`.
    fn last_meeting(&self, person: &str, d: Date) -> Option<(Date, i64)> {
        let list = self.meetings_by_person.get(&person.to_lowercase())?;
        let at = list.partition_point(|(md, _)| *md <= d);
        at.checked_sub(1).map(|i| list[i])
    }

    fn anyone(&mut self, d: Date) -> String {
        match self.rng.below(4) {
            0 => self.manager_at(d).to_string(),
            1 => self.rng.pick(&PEERS).to_string(),
            2 => self.rng.pick(&REPORTS).to_string(),
            _ => self.rng.pick(&STAKEHOLDERS).to_string(),
        }
    }

    fn person_for(&mut self, kind: Kind, d: Date) -> Option<String> {
        let manager = self.manager_at(d).to_string();
        let r = self.rng.unit();
        let colleague = |g: &mut Gen| -> String {
            if g.rng.chance(0.6) {
                g.rng.pick(&PEERS).to_string()
            } else {
                g.rng.pick(&STAKEHOLDERS).to_string()
            }
        };
        match kind {
            Kind::Win => match r {
                r if r < 0.55 => None,
                r if r < 0.85 => Some(manager),
                _ => Some(colleague(self)),
            },
            Kind::Priority | Kind::Idea => (r >= 0.8).then_some(manager),
            Kind::Expectation => Some(if r < 0.9 { manager } else { SKIP.into() }),
            Kind::Risk | Kind::Blocker => match r {
                r if r < 0.45 => None,
                r if r < 0.85 => Some(manager),
                _ => Some(colleague(self)),
            },
            Kind::Promise | Kind::Action => {
                if r < 0.55 {
                    Some(manager)
                } else {
                    Some(self.anyone(d))
                }
            }
            Kind::Feedback => Some(match r {
                r if r < 0.5 => manager,
                r if r < 0.8 => self.rng.pick(&PEERS).to_string(),
                _ => self.rng.pick(&REPORTS).to_string(),
            }),
            Kind::Goal => Some(manager),
            Kind::Topic => Some(match r {
                r if r < 0.75 => manager,
                r if r < 0.85 => SKIP.into(),
                _ => PEERS[self.rng.below(2)].to_string(),
            }),
            Kind::Note => (r >= 0.5).then(|| self.anyone(d)),
        }
    }

    fn tags(&mut self) -> Vec<String> {
        let n = self.rng.weighted(&[40.0, 35.0, 20.0, 5.0]);
        let mut tags: Vec<String> = Vec::new();
        for _ in 0..n {
            let t = self.rng.zipf(text::TAGS).to_string();
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        tags
    }

    fn blank(&mut self, kind: Kind, id: i64, created: Date) -> Item {
        let at = self.stamp(created);
        Item {
            id,
            uuid: self.uuid(),
            kind,
            title: text::title(&mut self.rng, kind),
            body: None,
            person: None,
            status: Status::Open,
            created,
            due: None,
            done: None,
            tags: Vec::new(),
            visibility: Visibility::Private,
            impact: None,
            metric: None,
            date: None,
            rank: None,
            effort: None,
            confirmed: None,
            likelihood: None,
            severity: None,
            mitigation: None,
            communicated: None,
            ask: None,
            data: None,
            escalated: None,
            owner: None,
            direction: None,
            tone: None,
            consent: None,
            last_discussed: None,
            ranked: None,
            confirmed_by: None,
            remaining: None,
            state: None,
            outcome: None,
            communicated_severity: None,
            communicated_likelihood: None,
            communicated_state: None,
            for_item: None,
            answers: None,
            original_due: None,
            renegotiated: 0,
            discussed: None,
            meeting: None,
            why: None,
            created_at: at,
            updated_at: at,
        }
    }

    /// A date `days` after `d`, no later than today.
    fn after(&self, d: Date, days: i64) -> Date {
        add_days(d, days.max(0)).min(self.today)
    }

    /// A date between `lo` and `hi` days after `d`, no later than today.
    fn within(&mut self, d: Date, lo: i64, hi: i64) -> Date {
        let days = self.rng.range(lo, hi);
        self.after(d, days)
    }

    fn level(&mut self) -> Level {
        [Level::Low, Level::Medium, Level::High][self.rng.weighted(&[30.0, 50.0, 20.0])]
    }

    fn items(&mut self, n: usize) {
        let mut created: Vec<i64> = (0..n).map(|_| self.rng.range(0, YEARS_DAYS)).collect();
        created.sort_unstable();
        let kinds: Vec<Kind> = (0..n)
            .map(|_| Kind::ALL[self.rng.weighted(&KIND_SHARE)])
            .collect();
        // The current plan: the most recent priorities stay open and ranked.
        let priorities: Vec<usize> = (0..n).filter(|i| kinds[*i] == Kind::Priority).collect();
        let keep_open = OPEN_PRIORITIES.min(priorities.len().div_ceil(3));
        let open_plan: Vec<usize> = priorities[priorities.len() - keep_open..].to_vec();

        for (i, (&offset, &kind)) in created.iter().zip(&kinds).enumerate() {
            let id = i as i64 + 1;
            let day = add_days(self.start, offset);
            let mut item = self.blank(kind, id, day);
            let who = self.person_for(kind, day);
            item.person = who.map(|n| self.pref(&n));
            item.tags = self.tags();
            if self.rng.chance(0.1) {
                item.visibility = Visibility::Shared;
            }
            let sentences = match kind {
                Kind::Note => self.rng.range(2, 12) as usize,
                Kind::Win => self.rng.range(0, 3) as usize,
                _ if self.rng.chance(0.5) => 0,
                _ => self.rng.range(1, 4) as usize,
            };
            if sentences > 0 {
                item.body = Some(text::body(&mut self.rng, sentences));
            }
            let forgotten = self.rng.chance(FORGOTTEN[kind_index(kind)]);
            self.shape(&mut item, forgotten);
            if kind == Kind::Priority && open_plan.contains(&i) {
                item.status = Status::Open;
                item.done = None;
            }
            if item.done.is_some() {
                item.updated_at = self.stamp(item.done.unwrap_or(item.created));
            }
            self.snap.items.push(item);
        }
        self.plan(&open_plan);
        self.milestones();
    }

    /// Two priorities finished in the last week, feedback asked for on the first: the
    /// milestone nudge has one of each case to tell apart.
    fn milestones(&mut self) {
        let mut done: Vec<usize> = (0..self.snap.items.len())
            .filter(|&i| {
                let item = &self.snap.items[i];
                item.kind == Kind::Priority && item.status == Status::Done
            })
            .collect();
        done.sort_by_key(|&i| std::cmp::Reverse(self.snap.items[i].created));
        done.truncate(2);
        for (k, &i) in done.iter().enumerate() {
            let on = add_days(self.today, -(3 + 2 * k as i64)).max(self.snap.items[i].created);
            let at = self.stamp(on);
            let item = &mut self.snap.items[i];
            item.done = Some(on);
            item.updated_at = at;
        }
        let feedback = (0..self.snap.items.len())
            .rev()
            .find(|&i| self.snap.items[i].kind == Kind::Feedback);
        if let (Some(&first), Some(f)) = (done.first(), feedback) {
            let person = self.snap.items[first].person.clone();
            let on = self.after(self.snap.items[first].done.unwrap_or(self.today), 1);
            let at = self.stamp(on);
            let item = &mut self.snap.items[f];
            item.person = person;
            item.direction = Some(Direction::Requested);
            item.tone = Some(Tone::Positive);
            item.consent = Some(false);
            item.status = Status::Open;
            item.done = None;
            item.why = None;
            item.created = on;
            item.created_at = at;
            item.updated_at = at;
        }
    }

    /// Sets the kind's fields and how the item ended (or that it has not).
    fn shape(&mut self, item: &mut Item, forgotten: bool) {
        let created = item.created;
        let lifetime = match item.kind {
            Kind::Win => {
                item.status = Status::Done;
                item.date = Some(created);
                item.done = Some(created);
                if self.rng.chance(0.6) {
                    item.impact = Some(text::sentence(&mut self.rng));
                }
                if self.rng.chance(0.5) {
                    item.metric = Some(text::metric(&mut self.rng));
                }
                let with = item
                    .person
                    .as_ref()
                    .map(|p| p.name.clone())
                    .unwrap_or_else(|| self.manager_at(created).into());
                if self.rng.chance(0.8)
                    && let Some((d, m)) = self.next_meeting(&with, created)
                {
                    item.discussed = Some(d);
                    self.snap.meetings[m as usize - 1].discussed.push(item.uuid);
                }
                if self.rng.chance(0.01) {
                    item.status = Status::Dropped;
                    item.done = None;
                    item.why = Some("Recorded twice".into());
                }
                return;
            }
            Kind::Priority => {
                item.rank = Some(self.rng.range(1, 8));
                item.effort = Some(self.effort());
                item.due = Some(add_days(created, self.rng.range(20, 120)));
                item.ranked = Some(created);
                item.confirmed = Some(self.within(created, 1, 14));
                self.rng.range(10, 60) + self.rng.exp_days(20.0)
            }
            Kind::Expectation => {
                if self.rng.chance(0.7) {
                    item.metric = Some(text::metric(&mut self.rng));
                }
                if self.rng.chance(0.8) {
                    item.confirmed = Some(self.within(created, 0, 30));
                }
                self.rng.exp_days(180.0)
            }
            Kind::Risk => {
                item.likelihood = Some(self.level());
                item.severity = Some(self.level());
                if self.rng.chance(0.7) {
                    item.mitigation = Some(text::sentence(&mut self.rng));
                }
                if self.rng.chance(0.6) {
                    item.communicated = Some(self.within(created, 0, 10));
                }
                self.rng.exp_days(30.0)
            }
            Kind::Blocker => {
                if self.rng.chance(0.85) {
                    item.ask = Some(text::sentence(&mut self.rng));
                }
                if self.rng.chance(0.5) {
                    item.data = Some(text::sentence(&mut self.rng));
                }
                if self.rng.chance(0.5) {
                    item.escalated = Some(self.within(created, 1, 5));
                }
                self.rng.exp_days(7.0)
            }
            Kind::Promise => {
                let due = add_days(created, self.rng.range(3, 21));
                item.due = Some(due);
                let late = match self.rng.weighted(&[75.0, 20.0, 5.0]) {
                    0 => -self.rng.range(0, 3),
                    1 => self.rng.range(1, 10),
                    _ => {
                        item.why = Some("No longer needed".into());
                        -1
                    }
                };
                (upward_domain::days_between(created, due) + late).max(0)
            }
            Kind::Action => {
                item.owner = Some(if self.rng.chance(0.65) {
                    Owner::Me
                } else {
                    Owner::Them
                });
                let with = item
                    .person
                    .as_ref()
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
                if self.rng.chance(0.5)
                    && let Some((d, m)) = self.last_meeting(&with, created)
                {
                    item.created = d;
                    item.created_at = self.stamp(d);
                    item.updated_at = item.created_at;
                    item.meeting = Some(self.snap.meetings[m as usize - 1].uuid);
                }
                if self.rng.chance(0.6) {
                    item.due = Some(add_days(item.created, self.rng.range(2, 14)));
                }
                self.rng.exp_days(8.0)
            }
            Kind::Feedback => {
                let d = [Direction::Given, Direction::Received, Direction::Requested]
                    [self.rng.weighted(&[40.0, 35.0, 25.0])];
                item.direction = Some(d);
                item.tone = Some(if self.rng.chance(0.7) {
                    Tone::Positive
                } else {
                    Tone::Constructive
                });
                item.consent = Some(d == Direction::Given && self.rng.chance(0.6));
                self.rng.exp_days(7.0)
            }
            Kind::Goal => {
                let with = item
                    .person
                    .as_ref()
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
                if self.rng.chance(0.8)
                    && let Some((d, _)) = self.next_meeting(&with, created)
                {
                    item.last_discussed = Some(d);
                }
                self.rng.exp_days(200.0)
            }
            Kind::Topic => {
                // Open until the next 1:1 with its person, where it is discussed and closed.
                let with = item
                    .person
                    .as_ref()
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
                match self.next_meeting(&with, created) {
                    Some((d, m)) if !forgotten => {
                        item.status = Status::Done;
                        item.done = Some(d);
                        item.discussed = Some(d);
                        self.snap.meetings[m as usize - 1].discussed.push(item.uuid);
                    }
                    _ => {}
                }
                return;
            }
            Kind::Note => self.rng.exp_days(30.0),
            Kind::Idea => self.rng.exp_days(60.0),
        };
        let end = add_days(item.created, lifetime);
        if forgotten || end > self.today {
            item.why = None;
            return;
        }
        let dropped = item.why.is_some()
            || self.rng.chance(match item.kind {
                Kind::Idea => 0.6,
                Kind::Risk => 0.3,
                _ => 0.05,
            });
        if dropped {
            item.status = Status::Dropped;
            item.why.get_or_insert_with(|| "Overtaken by events".into());
            item.updated_at = self.stamp(end);
        } else {
            item.status = Status::Done;
            item.done = Some(end);
        }
    }

    fn effort(&mut self) -> Duration {
        if self.rng.chance(0.7) {
            Duration::days(self.rng.range(1, 10) as u32)
        } else {
            Duration {
                n: self.rng.range(1, 3) as u32,
                unit: DurationUnit::Week,
            }
        }
    }

    /// The open plan: dense ranks 1..k, effort, and due dates that mostly fit the work ahead
    /// of them, with a few tight ones so a new request has something to push out.
    fn plan(&mut self, open: &[usize]) {
        let mut ahead = 0i64;
        for (rank, &i) in open.iter().enumerate() {
            let effort = self.effort();
            ahead += effort.working_days();
            let slack = if self.rng.chance(0.2) {
                0
            } else {
                self.rng.range(5, 25)
            };
            let due = add_days(self.today, ahead * 7 / 5 + slack);
            let confirmed = if self.rng.chance(0.7) {
                self.last_meeting(MANAGER, self.today).map(|(d, _)| d)
            } else {
                Some(add_days(self.today, -self.rng.range(20, 60)))
            };
            let item = &mut self.snap.items[i];
            item.rank = Some(rank as i64 + 1);
            item.effort = Some(effort);
            item.due = Some(due);
            item.confirmed = confirmed.map(|c| c.max(item.created));
            item.ranked = Some(item.created);
            item.updated_at = item.created_at;
        }
    }

    /// 400 status updates to the manager of the time, the last one two working days ago.
    fn updates(&mut self) {
        let step = YEARS_DAYS as f64 / UPDATES as f64;
        let mut planned: Vec<Date> = (0..UPDATES)
            .map(|k| working_day(add_days(self.today, -(2 + (k as f64 * step) as i64))))
            .collect();
        planned.sort();
        for (i, date) in planned.into_iter().enumerate() {
            let person = self.manager_at(date).to_string();
            let sentences = self.rng.range(3, 8) as usize;
            let u = UpdateSent {
                id: i as i64 + 1,
                uuid: self.uuid(),
                channel: if person == MANAGER {
                    Channel::Email
                } else {
                    Channel::Chat
                },
                person: self.pref(&person),
                date,
                text: Some(text::body(&mut self.rng, sentences)),
                created_at: self.stamp(date),
            };
            self.snap.updates.push(u);
        }
    }

    /// 120 reflections, mostly on the manager of the time; the last on the current manager
    /// 40 days ago, so a reflection is due.
    fn reflections(&mut self) {
        let step = YEARS_DAYS as f64 / REFLECTIONS as f64;
        let mut planned: Vec<(Date, String)> = (0..REFLECTIONS)
            .map(|k| {
                let d = add_days(self.today, -(40 + (k as f64 * step) as i64));
                let who = match k % 6 {
                    5 => SKIP.to_string(),
                    4 => PEERS[0].to_string(),
                    _ => self.manager_at(d).to_string(),
                };
                (d, who)
            })
            .collect();
        planned.sort();
        for (i, (date, person)) in planned.into_iter().enumerate() {
            let scores = upward_domain::AREAS
                .iter()
                .map(|(a, _)| (a.to_string(), self.rng.range(2, 5) as u8))
                .collect();
            let (area, _) = *self.rng.pick(&upward_domain::AREAS);
            let answers = [(area.to_string(), text::sentence(&mut self.rng))]
                .into_iter()
                .collect();
            let r = Reflection {
                id: i as i64 + 1,
                uuid: self.uuid(),
                person: self.pref(&person),
                date,
                scores,
                answers,
                created_at: self.stamp(date),
            };
            self.snap.reflections.push(r);
        }
    }
}

fn kind_index(kind: Kind) -> usize {
    Kind::ALL.iter().position(|k| *k == kind).expect("a kind")
}

/// The part of a full snapshot a command with this scope would load (see
/// `upward_store::Scope`): open items, and closed ones touched on or after `since`.
pub fn scoped(snap: &Snapshot, since: Date) -> Snapshot {
    let items = snap
        .items
        .iter()
        .filter(|i| {
            i.status == Status::Open
                || i.done.is_some_and(|d| d >= since)
                || i.date.is_some_and(|d| d >= since)
                || i.updated_at
                    .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                    .date()
                    >= since
        })
        .cloned()
        .collect();
    Snapshot {
        items,
        ..snap.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use upward_domain::export::{Export, FORMAT, VERSION};

    fn clock() -> Clock {
        Clock::fixed("2026-11-23").unwrap()
    }

    #[test]
    fn deterministic_and_a_valid_export() {
        let c = clock();
        let a = generate(3000, 1, &c);
        assert_eq!(a, generate(3000, 1, &c));
        assert_eq!(a.items.len(), 3000);
        assert_eq!(a.people.len(), 20);
        assert_eq!(a.meetings.len(), MEETINGS);
        for kind in Kind::ALL {
            assert!(a.items.iter().any(|i| i.kind == *kind), "{kind}");
        }
        let mut ranks: Vec<i64> = a.open(Kind::Priority).filter_map(|p| p.rank).collect();
        ranks.sort();
        assert_eq!(ranks, (1..=OPEN_PRIORITIES as i64).collect::<Vec<_>>());
        for i in &a.items {
            assert!(i.created <= c.today && i.created >= add_days(c.today, -YEARS_DAYS));
            assert_eq!(i.status == Status::Done, i.done.is_some(), "#{}", i.id);
            assert!(i.done.is_none_or(|d| d >= i.created && d <= c.today));
            for t in [
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
                upward_domain::item::validate_text("text", t).unwrap();
            }
        }
        let open = a.items.iter().filter(|i| i.is_open()).count();
        assert!((40..300).contains(&open), "{open} open");
        let doc = Export {
            format: FORMAT.into(),
            version: VERSION,
            exported: c.now,
            people: a.people,
            items: a.items,
            meetings: a.meetings,
            updates: a.updates,
            reflections: a.reflections,
            effects: Vec::new(),
            declines: Vec::new(),
            removed: Vec::new(),
        };
        doc.validate().unwrap();
    }
}
