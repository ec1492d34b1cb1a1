//! Each workflow declares the kinds of item it reads (`prep::KINDS`, …) so its command loads
//! only those. This checks the declaration: on generated workspaces of every size and shape,
//! and on the tour's sample, each rule gives the same result with only its kinds as with all.

use upward_bench::workspace::{generate, scoped};
use upward_bench::{BENCH_NOW, DEFAULT_SEED};
use upward_domain::workflow::intake::{self, IntakeInput};
use upward_domain::workflow::update::{self, UpdateInput};
use upward_domain::workflow::{nudges, prep, review, tour};
use upward_domain::{Clock, Duration, Kind, Snapshot};

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
    let r = only(snap, review::KINDS);
    for months_back in [1, 6, 24, 120] {
        let from = Duration::days(30 * months_back).before(clock.today);
        same(
            "review",
            review::review(snap, from, clock.today, clock),
            review::review(&r, from, clock.today, clock),
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
        let all = generate(n, seed, &clock);
        check(&all, &clock);
        // And on the part of the database the commands load.
        check(
            &scoped(&all, Duration::days(30).before(clock.today)),
            &clock,
        );
    }
}

#[test]
fn each_rule_reads_only_its_kinds_on_the_tour() {
    for day in ["2026-11-23", "2026-11-28", "2027-02-01"] {
        let clock = Clock::fixed(day).unwrap();
        check(&tour::sample(&clock), &clock);
    }
}
