//! `sync_spaces`: spaces for `bench/sync-bench.sh`, written into a team server's database as
//! the server writes them (`upward_bench::server`).
//!
//! ```text
//! sync_spaces DATABASE_URL PAIRS FIRST_OPS OTHER_OPS [--seed S]
//! ```
//!
//! PAIRS pairs of accounts, a report `report{i:03}@sync.example` ("Report {i:03}") and their
//! manager `manager{i:03}@sync.example` ("Manager {i:03}"), each pair with one active space.
//! The first space's log holds exactly FIRST_OPS operations, every other space's OTHER_OPS.
//! A space's log is a 1:1 kept week after week, back from today: topics from both members
//! (some with a body, some edited later by their author), the 1:1 recorded with the four
//! oldest open topics discussed and one or two actions agreed, actions ticked done, a shared
//! win now and then, the manager's own notes. Both members' changes are made on the server's
//! device (as its pages write them). Every password is the one printed, hashed once at
//! argon2's minimum cost (start the server with `UPWARD_TEST_ARGON2_MIN=1`).
//!
//! "Today" is `UPWARD_NOW` (a date), else 2026-11-23. Prints, as shell assignments: the
//! password, the first space's id, and the counts written.

use anyhow::{Context, Result, bail};
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

/// The password of every account (at least 12 characters, as the server asks).
const PASSWORD: &str = "bench-password-of-everyone";
/// Spaces written per transaction.
const BATCH: usize = 10;

fn main() {
    if let Err(e) = run(std::env::args().skip(1).collect()) {
        eprintln!("sync_spaces: {e:#}");
        std::process::exit(1);
    }
}

fn uuid(rng: &mut Rng) -> Uuid {
    Uuid::from_u128(rng.next_u64() as u128 | ((rng.next_u64() as u128) << 64))
}

fn run(args: Vec<String>) -> Result<()> {
    let usage = "usage: sync_spaces DATABASE_URL PAIRS FIRST_OPS OTHER_OPS [--seed S]";
    let (url, pairs, first_ops, other_ops, seed) = match args.as_slice() {
        [url, p, f, o] => (url, p, f, o, DEFAULT_SEED),
        [url, p, f, o, flag, s] if flag == "--seed" => (url, p, f, o, s.parse().context("--seed")?),
        _ => bail!("{usage}"),
    };
    let pairs: usize = pairs.parse().context("PAIRS (a whole number)")?;
    let first_ops: usize = first_ops.parse().context("FIRST_OPS (a whole number)")?;
    let other_ops: usize = other_ops.parse().context("OTHER_OPS (a whole number)")?;
    if pairs == 0 {
        bail!("PAIRS must be at least 1 — {usage}");
    }
    let now = std::env::var("UPWARD_NOW")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| BENCH_NOW.to_string());
    let today = Clock::fixed(&now)?.today;
    let started = Instant::now();
    let store = upward_server_store::open(url)?;
    let device = upward_server::state::device_of(&*store)?;

    let hash = Passwords::new(Cost::MINIMUM).hash(PASSWORD);
    let created = midnight(today.checked_sub(jiff::Span::new().days(5000))?)?;
    let mut rng = Rng::new(seed);
    let account = |rng: &mut Rng, email: String, name: String| Account {
        id: uuid(rng),
        email,
        name,
        password_hash: Some(hash.clone()),
        time_zone: "UTC".into(),
        disabled: false,
        created_at: created,
        password_changed_at: None,
    };
    let accounts: Vec<(Account, Account)> = (0..pairs)
        .map(|i| {
            (
                account(
                    &mut rng,
                    format!("report{i:03}@sync.example"),
                    format!("Report {i:03}"),
                ),
                account(
                    &mut rng,
                    format!("manager{i:03}@sync.example"),
                    format!("Manager {i:03}"),
                ),
            )
        })
        .collect();
    store.write(|tx| {
        for (r, m) in &accounts {
            tx.insert_account(r)?;
            tx.insert_account(m)?;
        }
        Ok(())
    })?;

    let mut clock = Hlc::ZERO;
    let (mut ops_written, mut records_written) = (0usize, 0usize);
    let mut first_space = None;
    for (b, batch) in accounts.chunks(BATCH).enumerate() {
        let mut spaces = Vec::new();
        for (j, (report, manager)) in batch.iter().enumerate() {
            let limit = if b == 0 && j == 0 {
                first_ops
            } else {
                other_ops
            };
            let (row, ops, space) =
                one_space(&mut rng, report, manager, device, today, &mut clock, limit)?;
            first_space.get_or_insert(row.id);
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
    store.write(|tx| tx.set_setting(upward_server::spaces::CLOCK_SETTING, &clock.0.to_string()))?;

    println!("PASSWORD='{PASSWORD}'");
    println!("SPACE='{}'", first_space.context("at least one space")?);
    println!("PAIRS={pairs}");
    println!("FIRST_OPS={first_ops}");
    println!("RECORDS={records_written}");
    println!("OPERATIONS={ops_written}");
    println!("GEN_SECONDS={:.1}", started.elapsed().as_secs_f64());
    Ok(())
}

/// One space between `report` and `manager` whose log holds exactly `limit` operations.
fn one_space(
    rng: &mut Rng,
    report: &Account,
    manager: &Account,
    device: Uuid,
    today: jiff::civil::Date,
    clock: &mut Hlc,
    limit: usize,
) -> Result<(SpaceRow, Vec<Op>, Space)> {
    let id = uuid(rng);
    // About 14 operations a week; the space starts far enough back to hold them all.
    let weeks = (limit / 12 + 2) as i64;
    let first = today.checked_sub(jiff::Span::new().days(7 * weeks + 3))?;
    let row = SpaceRow {
        id,
        status: "active".into(),
        inviter: report.id,
        inviter_role: "report".into(),
        invitee_email: manager.email.clone(),
        invitee: Some(manager.id),
        created_at: midnight(first)?,
        changed_at: midnight(first)?,
    };
    let mut space = Space::new(id);
    let mut log = Vec::new();
    let mut w = Writer {
        space: &mut space,
        log: &mut log,
        space_id: id,
        device,
        clock,
        limit,
    };
    let (r, m) = (report.id, manager.id);
    if limit > 0 {
        w.by(r, first, |ctx, s| {
            model::set_cadence(ctx, s, Some("1w".parse().expect("a cadence")))
        })?;
    }
    let mut open_topics: Vec<(Uuid, Uuid)> = Vec::new();
    let mut open_actions: Vec<(Uuid, Uuid, jiff::civil::Date)> = Vec::new();
    let mut week = 0i64;
    while !w.full() {
        let meeting = first.checked_add(jiff::Span::new().days(7 + 7 * week))?;
        if meeting > today {
            bail!("the space ran out of weeks before {limit} operations");
        }
        let before = meeting.checked_sub(jiff::Span::new().days(2))?;
        // Five topics before each 1:1, from both members.
        for _ in 0..5 {
            let who = if rng.chance(0.5) { r } else { m };
            let title = text::title(rng, Kind::Topic);
            let body = rng.chance(0.5).then(|| text::body(rng, 2));
            let ops = w.by(who, before, |ctx, _| {
                model::new_topic(ctx, &title, body.as_deref())
            })?;
            if let Some(op) = ops.first() {
                open_topics.push((op.record, who));
            }
        }
        // An open topic's body edited by its author.
        if let Some(&(t, who)) = open_topics.last() {
            let body = text::body(rng, 3);
            w.by(who, before, |ctx, s| {
                model::edit_item(
                    ctx,
                    s,
                    t,
                    ItemInput {
                        body: Some(body.clone()),
                        ..ItemInput::default()
                    },
                    None,
                )
            })?;
        }
        // Actions due by now: most done on their due date.
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
        if week % 5 == 2 {
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
        }
        // The 1:1: the four oldest open topics discussed, one or two actions, notes.
        let discussed: Vec<Uuid> = open_topics
            .drain(..4.min(open_topics.len()))
            .map(|(t, _)| t)
            .collect();
        let actions: Vec<NewAction> = (0..1 + (week % 2))
            .map(|i| NewAction {
                title: text::title(rng, Kind::Action),
                owner: if (week + i) % 2 == 0 { r } else { m },
                due: meeting
                    .checked_add(jiff::Span::new().days(7 * (1 + i)))
                    .ok(),
            })
            .collect();
        let owners: Vec<(Uuid, jiff::civil::Date)> = actions
            .iter()
            .map(|a| (a.owner, a.due.unwrap_or(meeting)))
            .collect();
        let notes = text::body(rng, 3);
        let ops = w.by(r, meeting, |ctx, s| {
            model::record_meeting(ctx, s, meeting, Some(&notes), &discussed, actions)
        })?;
        let made = ops
            .iter()
            .filter(|o| {
                o.record_type == RecordType::Item && o.action == upward_space::Action::Create
            })
            .map(|o| o.record);
        for (a, (owner, due)) in made.zip(owners) {
            open_actions.push((a, owner, due));
        }
        let theirs = text::body(rng, 2);
        w.by(m, meeting, |ctx, s| {
            model::record_meeting(ctx, s, meeting, Some(&theirs), &[], Vec::new())
        })?;
        week += 1;
    }
    Ok((row, log, space))
}
