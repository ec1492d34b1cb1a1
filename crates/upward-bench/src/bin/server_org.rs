//! `server_org`: a generated organisation on a team server's database, for
//! `bench/server-load.sh`.
//!
//! ```text
//! server_org DATABASE_URL [--seed S]
//! ```
//!
//! 1,000 accounts and 500 active spaces of two members, 100,000 records in all, written as the
//! server writes them: every change built by upward-space's builders (`model::new_topic`,
//! `record_meeting`, `set_status`, …), admitted and folded as the server does, appended to the
//! space's log (`ServerTx::append_ops`) and its folded records stored (`put_record`). So the
//! server reads them as its own.
//!
//! The organisation: 10 directors, each the manager of 10 managers; each manager the manager
//! of 4 reports (so a manager is in 5 spaces: 4 reports and their director); 490 more accounts
//! in no space. Every space holds 200 records: its cadence, both members' cards, 40 weekly
//! 1:1s with notes and the topics they discussed, 85 topics (the last 5 open for the next
//! 1:1, a few parked), 55 actions with owners on both sides and due dates (most done on time,
//! some overdue), and 17 shared wins. Every account's password is the one printed; its hash is
//! made once, at argon2's minimum cost (start the server with `UPWARD_TEST_ARGON2_MIN=1`).
//!
//! "Today" is `UPWARD_NOW` (a date), else 2026-11-23, as for `upward-bench generate`. Prints,
//! as shell assignments: the password, a manager's email, one of their spaces with a report,
//! and the counts written.

use anyhow::{Context, Result, bail};
use jiff::civil::Date;
use std::time::Instant;
use upward_bench::rng::Rng;
use upward_bench::server::{Writer, midnight, store_space};
use upward_bench::{BENCH_NOW, DEFAULT_SEED, text};
use upward_domain::{Clock, ItemInput, Kind};
use upward_server::passwords::{Cost, Passwords};
use upward_server_store::{Account, ServerStoreExt, Space as SpaceRow};
use upward_space::model::{self, NewAction, RecordType};
use upward_space::{Hlc, ItemStatus, Op, Space};
use uuid::Uuid;

const ACCOUNTS: usize = 1_000;
const DIRECTORS: usize = 10;
const MANAGERS: usize = 100;
const REPORTS_PER_MANAGER: usize = 4;
const WEEKS: i64 = 40;
/// The password of every account (at least 12 characters, as the server asks).
const PASSWORD: &str = "bench-password-of-everyone";
/// Spaces written per transaction.
const BATCH: usize = 20;

fn main() {
    if let Err(e) = run(std::env::args().skip(1).collect()) {
        eprintln!("server_org: {e:#}");
        std::process::exit(1);
    }
}

fn email(i: usize) -> String {
    format!("person{i:04}@org.example")
}

/// The pairs (report, manager) of the organisation, by account index.
fn pairs() -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for m in 0..MANAGERS {
        out.push((DIRECTORS + m, m / (MANAGERS / DIRECTORS)));
    }
    let first_report = DIRECTORS + MANAGERS;
    for r in 0..MANAGERS * REPORTS_PER_MANAGER {
        out.push((first_report + r, DIRECTORS + r / REPORTS_PER_MANAGER));
    }
    out
}

fn run(args: Vec<String>) -> Result<()> {
    let (url, seed) = match args.as_slice() {
        [url] => (url.clone(), DEFAULT_SEED),
        [url, flag, s] if flag == "--seed" => (url.clone(), s.parse().context("--seed")?),
        _ => bail!("usage: server_org DATABASE_URL [--seed S]"),
    };
    let now = std::env::var("UPWARD_NOW")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| BENCH_NOW.to_string());
    let today = Clock::fixed(&now)?.today;
    let started = Instant::now();
    let store = upward_server_store::open(&url)?;
    let device = upward_server::state::device_of(&*store)?;

    // Accounts, with one hash for all.
    let hash = Passwords::new(Cost::MINIMUM).hash(PASSWORD);
    let created = midnight(today.checked_sub(jiff::Span::new().days(400))?)?;
    let mut rng = Rng::new(seed);
    let accounts: Vec<Account> = (0..ACCOUNTS)
        .map(|i| Account {
            id: Uuid::from_u128(rng.next_u64() as u128 | ((rng.next_u64() as u128) << 64)),
            email: email(i),
            name: format!("Person {i:04}"),
            password_hash: Some(hash.clone()),
            time_zone: "UTC".into(),
            disabled: false,
            created_at: created,
            password_changed_at: None,
        })
        .collect();
    store.write(|tx| {
        for a in &accounts {
            tx.insert_account(a)?;
        }
        Ok(())
    })?;

    let pairs = pairs();
    let mut clock = Hlc::ZERO;
    let (mut ops_written, mut records_written) = (0usize, 0usize);
    let mut bench_space = None;
    let mut manager_spaces = Vec::new();
    for batch in pairs.chunks(BATCH) {
        let mut spaces = Vec::new();
        for &(report, manager) in batch {
            let (row, ops, space) = one_space(
                &mut rng,
                &accounts[report],
                &accounts[manager],
                device,
                today,
                &mut clock,
            )?;
            if manager == DIRECTORS && bench_space.is_none() {
                bench_space = Some(row.id);
            }
            if manager == DIRECTORS || report == DIRECTORS {
                manager_spaces.push(row.id.to_string());
            }
            spaces.push((row, ops, space));
        }
        store.write(|tx| {
            for (row, ops, space) in &spaces {
                store_space(tx, row, ops, space)?;
            }
            Ok(())
        })?;
        for (_, ops, space) in &spaces {
            ops_written += ops.len();
            records_written += space.records().len();
        }
    }
    // The server's device clock, as its own writes leave it.
    store.write(|tx| tx.set_setting(upward_server::spaces::CLOCK_SETTING, &clock.0.to_string()))?;

    let space = bench_space.context("the organisation has a manager with reports")?;
    println!("PASSWORD='{PASSWORD}'");
    println!("MANAGER='{}'", email(DIRECTORS));
    println!("SPACE='{space}'");
    println!("MANAGER_SPACES='{}'", manager_spaces.join(" "));
    println!("ACCOUNTS={ACCOUNTS}");
    println!("SPACES={}", pairs.len());
    println!("RECORDS={records_written}");
    println!("OPERATIONS={ops_written}");
    println!("GEN_SECONDS={:.1}", started.elapsed().as_secs_f64());
    Ok(())
}

/// One space between `report` and `manager`: its row, its log and its folded records.
fn one_space(
    rng: &mut Rng,
    report: &Account,
    manager: &Account,
    device: Uuid,
    today: Date,
    clock: &mut Hlc,
) -> Result<(SpaceRow, Vec<Op>, Space)> {
    let id = Uuid::from_u128(rng.next_u64() as u128 | ((rng.next_u64() as u128) << 64));
    let first = today.checked_sub(jiff::Span::new().days(3 + 7 * WEEKS))?;
    let at = midnight;
    let row = SpaceRow {
        id,
        status: "active".into(),
        inviter: report.id,
        inviter_role: "report".into(),
        invitee_email: manager.email.clone(),
        invitee: Some(manager.id),
        created_at: at(first)?,
        changed_at: at(first)?,
    };
    let mut space = Space::new(id);
    let mut log = Vec::new();
    let mut w = Writer {
        space: &mut space,
        log: &mut log,
        space_id: id,
        device,
        clock,
        limit: usize::MAX,
    };
    let (r, m) = (report.id, manager.id);
    let day = |n: i64| first.checked_add(jiff::Span::new().days(n));

    // The space's settings and both cards (3 records).
    w.by(r, first, |ctx, s| {
        model::set_cadence(ctx, s, Some("1w".parse().expect("a cadence")))
    })?;
    w.by(r, first, |ctx, s| {
        model::set_card(ctx, s, &[("channel", "chat"), ("feedback", "high")])
    })?;
    w.by(m, first, |ctx, s| {
        model::set_card(ctx, s, &[("length", "brief"), ("decides_by", "data")])
    })?;

    let mut open_topics: Vec<Uuid> = Vec::new();
    let mut open_actions: Vec<(Uuid, Uuid, Date)> = Vec::new();
    let mut wins = 0;
    for week in 0..WEEKS {
        let meeting = day(7 + 7 * week)?;
        let before = meeting.checked_sub(jiff::Span::new().days(2))?;
        // Two topics before each 1:1, mostly the report's.
        for _ in 0..2 {
            let who = if rng.chance(0.7) { r } else { m };
            let title = text::title(rng, Kind::Topic);
            let body = rng.chance(0.5).then(|| text::body(rng, 2));
            let ops = w.by(who, before, |ctx, _| {
                model::new_topic(ctx, &title, body.as_deref())
            })?;
            open_topics.push(ops[0].record);
        }
        // Now and then a topic is parked.
        if rng.chance(0.1) && open_topics.len() > 2 {
            let t = open_topics.remove(0);
            w.by(m, before, |ctx, s| {
                model::set_status(ctx, s, t, ItemStatus::Parked, before)
            })?;
        }
        // Actions due by now: most done on their due date, some left overdue.
        let mut still = Vec::new();
        for (a, owner, due) in open_actions.drain(..) {
            if due <= meeting && rng.chance(0.85) {
                w.by(owner, due, |ctx, s| {
                    model::set_status(ctx, s, a, ItemStatus::Done, due)
                })?;
            } else {
                still.push((a, owner, due));
            }
        }
        open_actions = still;
        // A shared win now and then (17 in 40 weeks).
        if (week + 1) * 17 / WEEKS > week * 17 / WEEKS {
            let title = text::title(rng, Kind::Win);
            let impact = text::sentence(rng);
            let on = meeting.checked_sub(jiff::Span::new().days(1))?;
            w.by(r, on, |ctx, _| {
                model::new_item(
                    ctx,
                    Kind::Win,
                    ItemInput {
                        title: Some(title.clone()),
                        date: Some(on),
                        impact: Some(impact.clone()),
                        ..ItemInput::default()
                    },
                )
            })?;
            wins += 1;
        }
        // The 1:1: the two oldest open topics discussed, one or two actions agreed, notes.
        let discussed: Vec<Uuid> = open_topics.drain(..2.min(open_topics.len())).collect();
        let n_actions = if week % 8 < 3 { 2 } else { 1 };
        let actions: Vec<NewAction> = (0..n_actions)
            .map(|i| NewAction {
                title: text::title(rng, Kind::Action),
                owner: if (week + i) % 2 == 0 { r } else { m },
                due: meeting
                    .checked_add(jiff::Span::new().days(7 * (1 + i)))
                    .ok(),
            })
            .collect();
        let owners: Vec<(Uuid, Date)> = actions
            .iter()
            .map(|a| (a.owner, a.due.unwrap_or(meeting)))
            .collect();
        let notes = text::body(rng, 3);
        let ops = w.by(r, meeting, |ctx, s| {
            model::record_meeting(ctx, s, meeting, Some(&notes), &discussed, actions)
        })?;
        let made: Vec<Uuid> = ops
            .iter()
            .filter(|o| {
                o.record_type == RecordType::Item && o.action == upward_space::Action::Create
            })
            .map(|o| o.record)
            .collect();
        for (a, (owner, due)) in made.into_iter().zip(owners) {
            open_actions.push((a, owner, due));
        }
        if rng.chance(0.5) {
            let theirs = text::body(rng, 2);
            w.by(m, meeting, |ctx, s| {
                model::record_meeting(ctx, s, meeting, Some(&theirs), &[], Vec::new())
            })?;
        }
    }
    // Five topics for the next 1:1.
    let last = today;
    for i in 0..5 {
        let who = if i % 2 == 0 { r } else { m };
        let title = text::title(rng, Kind::Topic);
        w.by(who, last, |ctx, _| model::new_topic(ctx, &title, None))?;
    }
    debug_assert_eq!(wins, 17);
    let records = space.records().len();
    if records != 200 {
        bail!("a space came out with {records} records, not 200");
    }
    Ok((row, log, space))
}
