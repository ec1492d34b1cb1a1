//! `upward-bench`: makes the benchmark workspaces.
//!
//! ```text
//! upward-bench generate DB N [--seed S]   # a workspace of N items, in one transaction
//! upward-bench peers DB DIR               # the same content for jrnl, Taskwarrior, ripgrep
//! upward-bench sqlite-version             # the bundled SQLite, for the results
//! ```
//!
//! "Now" is `UPWARD_NOW`, else 2026-11-23, so a given N always gives the same database.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::time::Instant;
use upward_bench::{BENCH_NOW, DEFAULT_SEED, peers, workspace};
use upward_domain::export::{Export, FORMAT, VERSION};
use upward_domain::{Clock, Status};
use upward_store::StoreExt;
use upward_store_sqlite::SqliteStore;

const USAGE: &str = "usage: upward-bench generate DB N [--seed S] | upward-bench peers DB DIR \
    | upward-bench sqlite-version";

fn main() {
    if let Err(e) = run(std::env::args().skip(1).collect()) {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn clock() -> Result<Clock> {
    let now = std::env::var("UPWARD_NOW")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| BENCH_NOW.to_string());
    Ok(Clock::fixed(&now)?)
}

fn run(args: Vec<String>) -> Result<()> {
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["generate", db, n, rest @ ..] => {
            let n: usize = n
                .replace('_', "")
                .parse()
                .with_context(|| format!("N `{n}` is not a number — {USAGE}"))?;
            let seed = match rest {
                [] => DEFAULT_SEED,
                ["--seed", s] => s.parse().context("--seed takes a number")?,
                _ => bail!("{USAGE}"),
            };
            generate(Path::new(db), n, seed)
        }
        ["peers", db, dir] => write_peers(Path::new(db), &PathBuf::from(dir)),
        ["sqlite-version"] => {
            println!("{}", upward_store_sqlite::sqlite_version());
            Ok(())
        }
        _ => bail!("{USAGE}"),
    }
}

fn generate(db: &Path, n: usize, seed: u64) -> Result<()> {
    if db.exists() {
        bail!(
            "{} exists — the generator writes a new database; remove it first",
            db.display()
        );
    }
    let clock = clock()?;
    let started = Instant::now();
    let snap = workspace::generate(n, seed, &clock);
    let built = started.elapsed();
    let open = snap.items.iter().filter(|i| i.is_open()).count();
    let done = snap
        .items
        .iter()
        .filter(|i| i.status == Status::Done)
        .count();
    let doc = Export {
        format: FORMAT.into(),
        version: VERSION,
        exported: clock.now,
        people: snap.people,
        items: snap.items,
        meetings: snap.meetings,
        updates: snap.updates,
        reflections: snap.reflections,
        effects: Vec::new(),
        declines: Vec::new(),
        removed: Vec::new(),
    };
    let mut store = SqliteStore::open(db)?;
    // One transaction for everything: the import path users take, all or nothing.
    let report = store.write(|tx| upward_app::transfer::import(tx, &doc, false, &clock))?;
    println!(
        "{}",
        serde_json::json!({
            "db": db,
            "items": report.items_added,
            "open": open,
            "done": done,
            "dropped": report.items_added - open - done,
            "people": report.people_added,
            "meetings": report.meetings_added,
            "updates": report.updates_added,
            "reflections": report.reflections_added,
            "now": clock.today.to_string(),
            "seed": seed,
            "build_seconds": built.as_secs_f64(),
            "total_seconds": started.elapsed().as_secs_f64(),
        })
    );
    Ok(())
}

fn write_peers(db: &Path, dir: &Path) -> Result<()> {
    if !db.exists() {
        bail!(
            "{} does not exist — run `upward-bench generate` first",
            db.display()
        );
    }
    let clock = clock()?;
    let mut store = SqliteStore::open(db)?;
    let doc = store.read(|tx| upward_app::transfer::export(tx, clock.now))?;
    let written = peers::write_all(&doc, dir)
        .with_context(|| format!("cannot write the peers' files under {}", dir.display()))?;
    println!("{}", serde_json::to_string(&written)?);
    Ok(())
}
