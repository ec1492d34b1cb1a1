//! Concurrency (issue #5): two and then eight processes writing one database at once (adds,
//! edits, meets, intake --accept, reads between) lose no write and never tell the user the
//! database is locked or busy: writers queue on `BEGIN IMMEDIATE` and the busy timeout.
//! Also the first-open race: many processes creating the same new database together (found
//! failing: "not an upward database", "database is locked" and, when one of them failed,
//! the others' writes removed with the file — see `upward-store-sqlite/src/open.rs`).

use crate::harness::{Env, big_export, holds_write_lock};
use std::collections::BTreeSet;
use std::process::{Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

/// Runs one command and checks it succeeded without a word about locks.
fn run_ok(env: &Env, args: &[String]) -> Output {
    let out = env.command().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "upward {args:?} failed ({:?}): {stderr}",
        out.status.code()
    );
    let lower = stderr.to_lowercase();
    assert!(
        !lower.contains("locked") && !lower.contains("busy"),
        "upward {args:?}: {stderr}"
    );
    out
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

/// `workers` processes at a time, each doing `rounds` rounds of: add a note, edit its own
/// item, record a 1:1 with an action, accept a request as a priority, and read.
fn writers(workers: usize, rounds: usize) {
    let env = Arc::new(Env::new());
    env.ok(&["init", "--me", "Alex", "--manager", "Dana Whitfield"]);
    let own: Vec<String> = (0..workers)
        .map(|w| {
            let v = env.json(&["add", "note", &format!("worker {w} item")]);
            v["id"].to_string()
        })
        .collect();
    let start = Arc::new(Barrier::new(workers));
    let handles: Vec<_> = (0..workers)
        .map(|w| {
            let (env, start, id) = (env.clone(), start.clone(), own[w].clone());
            std::thread::spawn(move || {
                start.wait();
                for r in 0..rounds {
                    let tag = format!("w{w}r{r}");
                    run_ok(&env, &strings(&["add", "note", &format!("note {tag}")]));
                    run_ok(
                        &env,
                        &strings(&["edit", &id, "--title", &format!("worker {w} v{r}")]),
                    );
                    run_ok(
                        &env,
                        &strings(&[
                            "meet",
                            "Dana",
                            "--notes",
                            &format!("1:1 {tag}"),
                            "--action",
                            &format!("action {tag}@me"),
                        ]),
                    );
                    run_ok(
                        &env,
                        &strings(&[
                            "intake",
                            &format!("request {tag}"),
                            "--from",
                            "Dana",
                            "--due",
                            "+30d",
                            "--effort",
                            "1d",
                            "--accept",
                            "--rank",
                            "1",
                        ]),
                    );
                    run_ok(&env, &strings(&["--json", "list", "--status", "all"]));
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }

    let items = env.json(&["list", "--status", "all"]);
    let titles: BTreeSet<String> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect();
    for w in 0..workers {
        assert!(
            titles.contains(&format!("worker {w} v{}", rounds - 1)),
            "worker {w}'s last edit is lost"
        );
        for r in 0..rounds {
            for t in ["note", "action", "request"] {
                let want = format!("{t} w{w}r{r}");
                assert!(titles.contains(&want), "lost: {want}");
            }
        }
    }
    let total = workers * (1 + 3 * rounds);
    assert_eq!(items.as_array().unwrap().len(), total, "{titles:?}");

    let export = env.json(&["export"]);
    let notes: BTreeSet<&str> = export["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["notes"].as_str().unwrap())
        .collect();
    assert_eq!(notes.len(), workers * rounds, "lost meetings: {notes:?}");
    // Every request went in at rank 1 in its own transaction: the ranks stay 1..n.
    let mut ranks: Vec<i64> = env
        .json(&["list", "priority"])
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["rank"].as_i64().unwrap())
        .collect();
    ranks.sort();
    assert_eq!(ranks, (1..=(workers * rounds) as i64).collect::<Vec<_>>());
}

#[test]
fn two_writers_at_once_lose_nothing() {
    writers(2, 6);
}

#[test]
fn eight_writers_at_once_lose_nothing() {
    writers(8, 3);
}

/// Eight processes create the same new database at once (found failing before the fix).
#[test]
fn eight_processes_create_one_new_database_together() {
    for round in 0..12 {
        let env = Arc::new(Env::new());
        let start = Arc::new(Barrier::new(8));
        let handles: Vec<_> = (0..8)
            .map(|p| {
                let (env, start) = (env.clone(), start.clone());
                std::thread::spawn(move || {
                    start.wait();
                    run_ok(&env, &strings(&["add", "note", &format!("p{p}")]));
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let n = env.json(&["list"]).as_array().unwrap().len();
        assert_eq!(n, 8, "round {round}");
    }
}

/// A command that fails while others create and write a new database removes only what it
/// created itself, and only while no one else uses it (found losing writes before the fix:
/// the failing command removed the new file under the writers).
#[test]
fn a_failing_command_does_not_remove_a_new_database_others_write_to() {
    for round in 0..12 {
        let env = Arc::new(Env::new());
        let start = Arc::new(Barrier::new(9));
        let handles: Vec<_> = (0..9)
            .map(|p| {
                let (env, start) = (env.clone(), start.clone());
                std::thread::spawn(move || {
                    start.wait();
                    match p % 3 {
                        0 => {
                            run_ok(&env, &strings(&["add", "note", &format!("p{p}")]));
                        }
                        // Fails inside its transaction (after creating the file)…
                        1 => {
                            let out = env.run(&["meet", "Zed", "--notes", "x"]);
                            assert_eq!(out.status.code(), Some(1));
                        }
                        // …or before opening it.
                        _ => {
                            let out = env.run(&["add", "note", " "]);
                            assert_eq!(out.status.code(), Some(1));
                        }
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let n = env.json(&["list"]).as_array().unwrap().len();
        assert_eq!(n, 3, "round {round}: writes lost");
    }
}

/// How many items the long import brings: in a debug build it holds its write transaction
/// for seconds, time for dozens of reads of the small state before it.
const LONG_IMPORT_ITEMS: u64 = 4000;

/// Reads that must run start to finish inside the import's write transaction.
const READS_INSIDE: usize = 3;

/// One `list --status all` run beside the import: when it started and finished (since the
/// import was started) and how many items it saw.
#[derive(Debug)]
struct Read {
    start: Duration,
    end: Duration,
    items: usize,
}

/// Readers never wait for or fail on a writer (WAL), and see whole commands only: while an
/// import of thousands of items holds its write transaction (seen from outside: the importing
/// process holds SQLite's write lock), reads start and finish, each seeing the database as it
/// was before the import; after its commit they see all of it; never a part.
#[test]
fn readers_run_while_a_long_import_writes() {
    let env = Env::new();
    for t in ["Before 1", "Before 2", "Before 3"] {
        env.ok(&["add", "note", t]);
    }
    let file = env.path("big.json");
    big_export(&file, LONG_IMPORT_ITEMS);
    let before = 3;
    let after = before + LONG_IMPORT_ITEMS as usize;

    let started = Instant::now();
    let mut writer = env
        .command()
        .args(["import", "--merge", file.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The times the importing process was seen holding the write lock, sampled until it exits.
    let pid = writer.id();
    let done = Arc::new(AtomicBool::new(false));
    let watcher = {
        let done = done.clone();
        std::thread::spawn(move || {
            let mut samples = Vec::new();
            while !done.load(Ordering::Relaxed) {
                samples.push((started.elapsed(), holds_write_lock(pid)));
                std::thread::sleep(Duration::from_millis(1));
            }
            samples
        })
    };
    let mut reads = Vec::new();
    let writer_end = loop {
        if writer.try_wait().unwrap().is_some() {
            break started.elapsed();
        }
        let start = started.elapsed();
        let out = run_ok(&env, &strings(&["--json", "list", "--status", "all"]));
        let end = started.elapsed();
        let items = serde_json::from_slice::<serde_json::Value>(&out.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .len();
        reads.push(Read { start, end, items });
    };
    done.store(true, Ordering::Relaxed);
    let samples = watcher.join().unwrap();
    let out = writer.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the import failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The spans during which every sample saw the lock held, from the first such sample to
    // the last. The import is one transaction, so a read within a span ran while the import
    // was writing, uncommitted.
    let mut held: Vec<(Duration, Duration)> = Vec::new();
    let mut open: Option<(Duration, Duration)> = None;
    for (at, is_held) in samples {
        open = match (open, is_held) {
            (None, true) => Some((at, at)),
            (Some((from, _)), true) => Some((from, at)),
            (Some(span), false) => {
                held.push(span);
                None
            }
            (None, false) => None,
        };
    }
    held.extend(open);
    let held_for: Duration = held.iter().map(|(from, to)| *to - *from).sum();
    let seen = format!("write lock seen held {held_for:?} in {} spans", held.len());
    let inside = |r: &Read| {
        held.iter()
            .any(|(from, to)| *from <= r.start && r.end <= *to)
    };
    let overlaps = |r: &Read| {
        held.iter()
            .any(|(from, to)| r.start <= *to && *from <= r.end)
    };

    for r in &reads {
        assert!(
            r.items == before || r.items == after,
            "a reader saw {} items, neither the {before} before the import nor the {after} \
             after it: {r:?}",
            r.items
        );
        assert!(r.start < writer_end, "{r:?} started after the import ended");
        if inside(r) {
            assert_eq!(r.items, before, "a read inside the import saw it: {r:?}");
        }
    }
    let n_inside = reads.iter().filter(|r| inside(r)).count();
    let waited: Vec<&Read> = reads.iter().filter(|r| overlaps(r) && !inside(r)).collect();
    eprintln!(
        "readers beside an import of {LONG_IMPORT_ITEMS} items ({seen}, import {writer_end:?}): \
         {} reads, {n_inside} inside the write transaction",
        reads.len()
    );
    assert!(
        n_inside >= READS_INSIDE,
        "only {n_inside} of {} reads ran inside the import's write transaction ({seen}, \
         import {writer_end:?}); {} overlapped it without fitting inside, so they waited for \
         the writer: {waited:?}",
        reads.len(),
        waited.len()
    );
    assert_eq!(
        env.json(&["list", "--status", "all"])
            .as_array()
            .unwrap()
            .len(),
        after
    );
}
