//! Each workflow declares the kinds of item it reads (`prep::KINDS`, …) so its command loads
//! only those, and its use case (`upward_app::workflows`) loads only open items and those
//! closed since a date of its own (its `Scope`), and narrower still where the rule reads less:
//! of the closed items only those done of its `DONE_KINDS`, for prep only the person's items,
//! and of meetings, updates and reflections only each person's last day (prep: its person's;
//! nudges: those on a cadence; review: none).
//! This checks both: on generated workspaces of every size and shape, and on the tour's
//! sample, each rule gives the same result with only its kinds as with all; and in a real
//! SQLite store (which honours every narrowing of the scope), each use case — its own kinds
//! and its own scope, as the commands run it — gives the same JSON as the rule run on
//! everything, with closed items of every kind on both sides of every scope's first day, on
//! the tour too, and in a case the generated data lacks (done feedback after a milestone).

use jiff::civil::Date;
use jiff::{Span, Timestamp};
use std::collections::BTreeSet;
use upward_app::workflows;
use upward_bench::workspace::{MANAGER, generate};
use upward_bench::{BENCH_NOW, DEFAULT_SEED};
use upward_domain::export::{Export, FORMAT, VERSION};
use upward_domain::workflow::decline::{self, DeclineInput};
use upward_domain::workflow::intake::{self, IntakeInput};
use upward_domain::workflow::update::{self, UpdateInput};
use upward_domain::workflow::{calendar, nudges, prep, review, tour};
use upward_domain::{Channel, Clock, Duration, DurationUnit, Kind, Person, Snapshot, Status};
use upward_store::{Scope, StoreExt, Transaction};
use upward_store_sqlite::SqliteStore;
use uuid::Uuid;

fn only(snap: &Snapshot, kinds: &[Kind]) -> Snapshot {
    Snapshot {
        items: snap
            .items
            .iter()
            .filter(|i| kinds.contains(&i.kind))
            .cloned()
            .collect(),
        ..snap.clone()
    }
}

fn same<T: std::fmt::Debug>(what: &str, all: T, some: T) {
    let (all, some) = (format!("{all:#?}"), format!("{some:#?}"));
    assert!(
        all == some,
        "{what}: the result changes without the other kinds"
    );
}

fn check(snap: &Snapshot, clock: &Clock) {
    let people: Vec<_> = snap.people.iter().filter(|p| !p.is_me).collect();
    let p = only(snap, prep::KINDS);
    let u = only(snap, update::KINDS);
    for person in &people {
        same(
            &format!("prep {}", person.name),
            prep::prep(snap, person, clock),
            prep::prep(&p, person, clock),
        );
        same(
            &format!("update {}", person.name),
            update::update(snap, person, UpdateInput::default(), clock),
            update::update(&u, person, UpdateInput::default(), clock),
        );
    }
    same(
        "nudges",
        nudges::nudges(snap, clock),
        nudges::nudges(&only(snap, nudges::KINDS), clock),
    );
    same(
        "calendar",
        calendar::calendar(snap, clock),
        calendar::calendar(&only(snap, calendar::KINDS), clock),
    );
    let r = only(snap, review::KINDS);
    for months_back in [1, 6, 24, 120] {
        let from = Duration::days(30 * months_back).before(clock.today);
        same(
            "review",
            review::review(snap, from, clock.today, clock),
            review::review(&r, from, clock.today, clock),
        );
    }
    let d = only(snap, decline::KINDS);
    let no = DeclineInput {
        title: "Run the offsite".into(),
        reason: "The migration needs me".into(),
        alternatives: vec!["Ask Priya".into()],
        after: None,
        ..Default::default()
    };
    for person in &people {
        same(
            &format!("decline {}", person.name),
            decline::decline(snap, person, &no, clock),
            decline::decline(&d, person, &no, clock),
        );
    }
    let i = only(snap, intake::KINDS);
    for (days, effort) in [(3, 2), (30, 5), (120, 20)] {
        let request = IntakeInput {
            title: "A new request".into(),
            from: people[0].name.clone(),
            due: Duration::days(days).after(clock.today),
            effort: Duration::days(effort),
            rank: None,
        };
        same(
            "intake",
            intake::intake(snap, &request, clock),
            intake::intake(&i, &request, clock),
        );
    }
}

#[test]
fn each_rule_reads_only_its_kinds_on_generated_workspaces() {
    let clock = Clock::fixed(BENCH_NOW).unwrap();
    for (n, seed) in [(300, 1), (2000, DEFAULT_SEED), (2000, 7), (6000, 3)] {
        check(&generate(n, seed, &clock), &clock);
    }
}

#[test]
fn each_rule_reads_only_its_kinds_on_the_tour() {
    for day in ["2026-11-23", "2026-11-28", "2027-02-01"] {
        let clock = Clock::fixed(day).unwrap();
        check(&tour::sample(&clock), &clock);
    }
}

fn add_days(d: Date, n: i64) -> Date {
    d.checked_add(Span::new().days(n)).expect("a date in range")
}

/// `d` at `h:m:s` UTC.
fn at(d: Date, h: i8, m: i8, sec: i8) -> Timestamp {
    d.at(h, m, sec, 0)
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .expect("a time in range")
        .timestamp()
}

/// The first day each use case loads closed items from, as `upward_app::workflows` decides
/// it, for the workspace `all` on `clock`'s today, with the review periods and update
/// `--since` dates the test runs.
fn scope_days(all: &Snapshot, clock: &Clock, periods: &[Date]) -> BTreeSet<Date> {
    let today = clock.today;
    let month_back = Duration::days(30).before(today);
    let mut days: BTreeSet<Date> = [today, month_back].into_iter().collect();
    days.extend(periods);
    for person in &all.people {
        // prep: from the last 1:1 on (main once loaded from the earlier of it and 30 days
        // back: that day is kept too).
        if let Some(last) = all.last_meeting(person.uuid) {
            days.insert(last.min(month_back));
            days.insert(last);
        }
        // update: from the start of its period.
        days.insert(update::period_start(all, person, None, today).0);
    }
    days
}

/// Closed items of every kind around each day of `days`: done on the day before, the day
/// and the day after (wins dated so), and dropped with their last change on those days at
/// the first and the last second (UTC), half of them with my manager.
fn around(all: &mut Snapshot, days: &BTreeSet<Date>) {
    let manager = all.person(MANAGER).expect("the manager").to_ref();
    let mut id = all.items.iter().map(|i| i.id).max().unwrap_or(0);
    let mut added = Vec::new();
    for kind in Kind::ALL {
        let template = all
            .items
            .iter()
            .find(|i| i.kind == *kind)
            .expect("every kind is generated")
            .clone();
        for &day in days {
            for off in -1..=1 {
                let on = add_days(day, off);
                let variants = [
                    (Status::Done, at(on, 23, 59, 59)),
                    (Status::Dropped, at(on, 0, 0, 0)),
                    (Status::Dropped, at(on, 23, 59, 59)),
                ];
                for (status, changed) in variants {
                    id += 1;
                    let mut item = template.clone();
                    let created = add_days(day, -20);
                    item.id = id;
                    item.uuid =
                        Uuid::from_u128(0xb0da_0000_0000_4000_8000_0000_0000_0000 + id as u128);
                    item.title = format!("{kind} {status} around {day} ({off:+}), #{id}");
                    item.status = status;
                    item.created = created;
                    item.created_at = at(created, 9, 0, 0);
                    item.updated_at = changed;
                    item.done = (status == Status::Done).then_some(on);
                    item.why = (status == Status::Dropped).then(|| "Moot".to_string());
                    if *kind == Kind::Win {
                        item.date = Some(on);
                    }
                    item.discussed = None;
                    item.meeting = None;
                    if id % 2 == 0 {
                        item.person = Some(manager.clone());
                    }
                    added.push(item);
                }
            }
        }
    }
    all.items.extend(added);
}

fn json<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap()
}

/// The two results' JSON are equal, or a message shows the first lines that differ.
fn same_json(what: &str, a: &serde_json::Value, b: &serde_json::Value) {
    if a != b {
        let (a, b) = (
            serde_json::to_string_pretty(a).unwrap(),
            serde_json::to_string_pretty(b).unwrap(),
        );
        let diff: Vec<String> = a
            .lines()
            .zip(b.lines())
            .enumerate()
            .filter(|(_, (x, y))| x != y)
            .take(6)
            .map(|(n, (x, y))| format!("line {n}: scoped {x} / everything {y}"))
            .collect();
        panic!(
            "{what}: the use case's scope loses something ({} and {} lines):\n{}",
            a.lines().count(),
            b.lines().count(),
            diff.join("\n")
        );
    }
}

/// Every workflow use case, as the commands run it, against its rule on everything.
fn check_scopes(tx: &dyn Transaction, clock: &Clock, periods: &[Date]) -> usize {
    let everything = tx.snapshot_of(Scope::default(), Kind::ALL).unwrap();
    let today = clock.today;
    let mut checked = 0;
    let mut check = |what: String, scoped: serde_json::Value, all: serde_json::Value| {
        same_json(&what, &scoped, &all);
        checked += 1;
    };

    let people: Vec<&Person> = everything.people.iter().collect();
    for person in &people {
        let name = person.name.as_str();
        check(
            format!("prep {name}"),
            json(&workflows::prep(tx, Some(name), clock).unwrap()),
            json(&prep::prep(&everything, person, clock)),
        );
        let mut inputs = vec![UpdateInput::default()];
        inputs.extend(periods.iter().map(|d| UpdateInput {
            since: Some(*d),
            channel: Some(Channel::Email),
            length: None,
            ..Default::default()
        }));
        for input in inputs {
            check(
                format!("update {name} {input:?}"),
                json(&workflows::update(tx, Some(name), input.clone(), clock).unwrap()),
                json(&update::update(&everything, person, input, clock)),
            );
        }
        // The web app's reflect page: the newest reflection's trend and the scores over time.
        let r = workflows::reflections(tx, Some(name), clock).unwrap();
        check(
            format!("reflections {name}"),
            json(&(r.latest, r.scores)),
            json(&(
                upward_domain::workflow::reflect::latest(&everything.reflections, person.uuid)
                    .map(|new| upward_domain::workflow::reflect::trend(&everything, new)),
                upward_domain::workflow::reflect::scores_over_time(
                    &everything.reflections,
                    person.uuid,
                    None,
                    None,
                ),
            )),
        );
        let no = DeclineInput {
            title: "Run the offsite".into(),
            reason: "The migration needs me".into(),
            alternatives: vec!["Ask Priya".into()],
            after: None,
            ..Default::default()
        };
        check(
            format!("decline {name}"),
            json(&workflows::decline(tx, name, &no, clock).unwrap()),
            json(&decline::decline(&everything, person, &no, clock).unwrap()),
        );
        for (days, effort) in [(3, 2), (30, 5), (120, 20)] {
            let request = IntakeInput {
                title: "A new request".into(),
                from: person.name.clone(),
                due: Duration::days(days).after(today),
                effort: Duration::days(effort),
                rank: None,
            };
            let (scoped, accepted) =
                workflows::intake(tx, name, request.clone(), false, clock).unwrap();
            assert!(accepted.is_none());
            check(
                format!("intake {name} {days}d/{effort}d"),
                json(&scoped),
                json(&intake::intake(&everything, &request, clock)),
            );
        }
    }
    check(
        "prep (my manager)".into(),
        json(&workflows::prep(tx, None, clock).unwrap()),
        json(&prep::prep(
            &everything,
            everything.manager().unwrap(),
            clock,
        )),
    );
    check(
        "nudges".into(),
        json(&workflows::nudges(tx, clock).unwrap()),
        json(&nudges::nudges(&everything, clock)),
    );
    check(
        "calendar".into(),
        json(&upward_app::calendar::events(tx, clock).unwrap()),
        json(&calendar::calendar(&everything, clock)),
    );
    check(
        "next 1:1s".into(),
        json(&workflows::next_one_on_ones(tx, clock).unwrap()),
        json(&nudges::next_one_on_ones(&everything, clock)),
    );
    for &from in periods {
        for to in [today, add_days(from, 45).min(today)] {
            check(
                format!("review {from}..{to}"),
                json(&workflows::review(tx, from, to, clock).unwrap()),
                json(&review::review(&everything, from, to, clock)),
            );
            // The web app's review page: the packet and its charts, from one snapshot.
            let (packet, charts) = workflows::review_charts(tx, from, to, clock).unwrap();
            check(
                format!("review charts {from}..{to}"),
                json(&(packet, charts.monthly, charts.scores)),
                json(&(
                    review::review(&everything, from, to, clock),
                    review::monthly(&everything, from, to, clock),
                    everything.manager().map_or_else(Vec::new, |m| {
                        upward_domain::workflow::reflect::scores_over_time(
                            &everything.reflections,
                            m.uuid,
                            Some(from),
                            Some(to),
                        )
                    }),
                )),
            );
        }
    }
    checked
}

/// `all` imported into a new SQLite store in a directory of its own, named after `name`.
fn in_sqlite(all: Snapshot, clock: &Clock, name: &str) -> (SqliteStore, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("upward-kinds-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let doc = Export {
        format: FORMAT.into(),
        version: VERSION,
        exported: clock.now,
        people: all.people,
        items: all.items,
        meetings: all.meetings,
        updates: all.updates,
        reflections: all.reflections,
        effects: Vec::new(),
        declines: Vec::new(),
        removed: Vec::new(),
    };
    let mut store = SqliteStore::open(&dir.join("upward.db")).unwrap();
    store
        .write(|tx| upward_app::transfer::import(tx, &doc, false, clock))
        .unwrap();
    (store, dir)
}

/// Each use case's scope (open items, and closed ones from its first day) loses nothing its
/// rule uses: on generated workspaces imported into SQLite, with closed items of every kind
/// on the day before, the day of and the day after every scope's first day, each use case
/// gives the same JSON as its rule on `snapshot_of(Scope::default(), Kind::ALL)`.
#[test]
fn each_use_case_loses_nothing_to_its_scope() {
    let clock = Clock::fixed(BENCH_NOW).unwrap();
    let today = clock.today;
    let months = |n| {
        Duration {
            n,
            unit: DurationUnit::Month,
        }
        .before(today)
    };
    // Review periods (the default is 6 months back) and update `--since` dates.
    let periods = [
        add_days(today, -1),
        Duration::days(14).before(today),
        months(1),
        months(6),
        months(12),
        months(60),
    ];
    for (n, seed) in [(600, 7), (2000, DEFAULT_SEED)] {
        let mut all = generate(n, seed, &clock);
        let days = scope_days(&all, &clock, &periods);
        around(&mut all, &days);
        let added = all.items.len() - n;
        let (mut store, dir) = in_sqlite(all, &clock, &format!("{n}-{seed}"));
        let checked = store
            .read(|tx| Ok::<_, upward_store::StoreError>(check_scopes(tx, &clock, &periods)))
            .unwrap();
        eprintln!(
            "{n} items (seed {seed}) and {added} around {} scope days: {checked} results compared",
            days.len()
        );
        drop(store);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

/// The same on the tour's sample, on the days `each_rule_reads_only_its_kinds_on_the_tour`
/// checks it.
#[test]
fn each_use_case_loses_nothing_to_its_scope_on_the_tour() {
    for day in ["2026-11-23", "2026-11-28", "2027-02-01"] {
        let clock = Clock::fixed(day).unwrap();
        let today = clock.today;
        let periods = [
            add_days(today, -1),
            Duration::days(14).before(today),
            Duration::days(90).before(today),
        ];
        let (mut store, dir) = in_sqlite(tour::sample(&clock), &clock, &format!("tour-{day}"));
        store
            .read(|tx| Ok::<_, upward_store::StoreError>(check_scopes(tx, &clock, &periods)))
            .unwrap();
        drop(store);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

/// A case the generated workspaces do not hold: feedback asked for after a milestone and
/// already received (done) is why prep and nudges stay quiet about the milestone, so both
/// read done feedback (it is in their `DONE_KINDS`, and their scopes load it).
#[test]
fn done_feedback_asked_for_after_a_milestone_is_read() {
    use upward_domain::enums::Direction;
    use upward_domain::{Item, ItemInput};
    let clock = Clock::fixed("2026-11-23").unwrap();
    let mut snap = tour::sample(&clock);
    let manager = snap.manager().unwrap().to_ref();
    let add = |snap: &mut Snapshot, kind: Kind, input: ItemInput, done: &str| {
        let mut item = Item::new(kind, input, &clock, 1).unwrap();
        item.id = snap.items.iter().map(|i| i.id).max().unwrap_or(0) + 1;
        item.status = Status::Done;
        item.done = Some(done.parse().unwrap());
        snap.items.push(item);
    };
    let input = |title: &str| ItemInput {
        title: Some(title.into()),
        person: Some(manager.clone()),
        ..Default::default()
    };
    add(
        &mut snap,
        Kind::Priority,
        input("Ship the exporter"),
        "2026-11-20",
    );
    let nudged = nudges::nudges(&snap, &clock);
    add(
        &mut snap,
        Kind::Feedback,
        ItemInput {
            direction: Some(Direction::Requested),
            ..input("How did the exporter launch go?")
        },
        "2026-11-22",
    );
    let quiet = nudges::nudges(&snap, &clock);
    assert_ne!(nudged, quiet, "the case does not exercise the rule");
    let (mut store, dir) = in_sqlite(snap, &clock, "done-feedback");
    store
        .read(|tx| -> upward_store::Result<()> {
            let everything = tx.snapshot_of(Scope::default(), Kind::ALL)?;
            same_json(
                "nudges",
                &json(&workflows::nudges(tx, &clock).unwrap()),
                &json(&nudges::nudges(&everything, &clock)),
            );
            same_json(
                "prep",
                &json(&workflows::prep(tx, None, &clock).unwrap()),
                &json(&prep::prep(
                    &everything,
                    everything.manager().unwrap(),
                    &clock,
                )),
            );
            Ok(())
        })
        .unwrap();
    drop(store);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Another case the generated workspaces do not hold: an open priority someone else asked for
/// (an accepted intake carries its requester) is on my manager's ranked list, so their prep
/// reads it although it is not theirs, and a peer's prep does not.
#[test]
fn a_priority_someone_else_asked_for_is_on_my_managers_agenda() {
    use upward_domain::{Item, ItemInput};
    let clock = Clock::fixed("2026-11-23").unwrap();
    let mut snap = tour::sample(&clock);
    let peer = snap
        .people
        .iter()
        .find(|p| p.relation == upward_domain::Relation::Peer)
        .unwrap()
        .clone();
    let mut item = Item::new(
        Kind::Priority,
        ItemInput {
            title: Some("Dashboard for the platform team".into()),
            person: Some(peer.to_ref()),
            ..Default::default()
        },
        &clock,
        1,
    )
    .unwrap();
    item.id = snap.items.iter().map(|i| i.id).max().unwrap_or(0) + 1;
    let id = item.id;
    snap.items.push(item);
    let manager = snap.manager().unwrap().clone();
    let on_agenda = |a: &prep::Agenda| {
        a.section("priorities")
            .is_some_and(|s| s.items.iter().any(|i| i.id == Some(id)))
    };
    assert!(on_agenda(&prep::prep(&snap, &manager, &clock)));
    assert!(on_agenda(&prep::prep(&snap, &peer, &clock)));
    let (mut store, dir) = in_sqlite(snap, &clock, "their-priority");
    store
        .read(|tx| -> upward_store::Result<()> {
            let everything = tx.snapshot_of(Scope::default(), Kind::ALL)?;
            for person in [&manager, &peer] {
                same_json(
                    &format!("prep {}", person.name),
                    &json(&workflows::prep(tx, Some(&person.name), &clock).unwrap()),
                    &json(&prep::prep(&everything, person, &clock)),
                );
            }
            Ok(())
        })
        .unwrap();
    drop(store);
    std::fs::remove_dir_all(&dir).unwrap();
}
