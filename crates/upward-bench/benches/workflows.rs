//! The pure workflow functions over a workspace of 50,000 items built in memory (set
//! `UPWARD_BENCH_ITEMS` for another size), on three snapshots: `command`, what the command
//! loads (open items and those closed in its window, of the kinds its rule reads); `scoped`,
//! the same window with every kind; `all`, the whole database. No I/O is measured here:
//! `bench/compare.sh` times the commands end to end.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use upward_bench::workspace::{MANAGER, generate, scoped};
use upward_bench::{BENCH_NOW, DEFAULT_SEED};
use upward_domain::workflow::{intake, nudges, prep, review, update};
use upward_domain::{Clock, Duration, DurationUnit, Kind, Snapshot};

/// Only the items of `kinds`, as `Tx::snapshot_of` loads them.
fn of_kinds(snap: &Snapshot, kinds: &[Kind]) -> Snapshot {
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

fn workflows(c: &mut Criterion) {
    let n: usize = std::env::var("UPWARD_BENCH_ITEMS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50_000);
    let clock = Clock::fixed(BENCH_NOW).expect("a valid date");
    let today = clock.today;
    let all = generate(n, DEFAULT_SEED, &clock);
    let manager = all.manager().expect("a manager").clone();
    assert_eq!(manager.name, MANAGER);
    let six_months = Duration {
        n: 6,
        unit: DurationUnit::Month,
    }
    .before(today);
    let request = intake::IntakeInput {
        title: "Audit log export".into(),
        from: MANAGER.into(),
        due: Duration::days(30).after(today),
        effort: Duration::days(5),
        rank: None,
    };

    // The windows the commands load (crates/upward/src/command/*.rs).
    let manager_uuid = all.person(MANAGER).expect("the manager").uuid;
    let last_1on1 = all.last_meeting(manager_uuid).expect("a 1:1");
    let (update_since, _) = update::period_start(&all, &manager, None, today);
    let cases: [(&str, jiff::civil::Date, &[Kind]); 5] = [
        (
            "prep",
            last_1on1.min(Duration::days(30).before(today)),
            prep::KINDS,
        ),
        ("nudges", Duration::days(30).before(today), nudges::KINDS),
        ("update", update_since, update::KINDS),
        ("review", six_months, review::KINDS),
        ("intake", today, intake::KINDS),
    ];
    for (name, since, kinds) in cases {
        let window = scoped(&all, since);
        let command = of_kinds(&window, kinds);
        let mut group = c.benchmark_group(format!("{name}/{n}"));
        for (label, snap) in [("command", &command), ("scoped", &window), ("all", &all)] {
            group.bench_function(format!("{label} ({} items)", snap.items.len()), |b| {
                b.iter(|| match name {
                    "prep" => {
                        black_box(prep::prep(black_box(snap), &manager, &clock).sections.len())
                    }
                    "nudges" => black_box(nudges::nudges(black_box(snap), &clock).len()),
                    "update" => black_box(
                        update::update(black_box(snap), &manager, Default::default(), &clock)
                            .sections
                            .len(),
                    ),
                    "review" => black_box(
                        review::review(black_box(snap), six_months, today, &clock).win_count(),
                    ),
                    _ => black_box(intake::intake(black_box(snap), &request, &clock).rank as usize),
                })
            });
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(4));
    targets = workflows
}
criterion_main!(benches);
