//! Backups (docs/backups.md): `upward backup` makes a private, verified, dated copy; the
//! first write of each day makes one when the newest is from before today, and the folder
//! keeps 7 daily and 4 weekly copies (the config sets the counts, 0 and 0 is off); a backup
//! taken while eight processes write is one consistent moment; `doctor --restore` gives
//! back every key of every record and keeps the file it replaced.

use crate::harness::{Env, mode};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::{Arc, Barrier};

fn folder(env: &Env) -> PathBuf {
    env.db.parent().unwrap().join("backups")
}

/// The names in the backups folder, sorted.
fn backups(env: &Env) -> Vec<String> {
    let mut v: Vec<String> = match std::fs::read_dir(folder(env)) {
        Ok(d) => d
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    };
    v.sort();
    v
}

fn run_on(env: &Env, day: &str, args: &[&str]) -> Output {
    let out = env
        .command()
        .env("UPWARD_NOW", day)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "upward {args:?} on {day}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn backup_makes_a_private_verified_dated_copy() {
    let env = Env::new().with_people();
    env.ok(&["add", "win", "Cut p99", "--metric", "p99 -38%"]);
    let out = env.ok(&["backup"]);
    let copy = folder(&env).join("upward-2026-11-23.db");
    assert!(out.contains("integrity_check ok"), "{out}");
    assert!(
        out.contains(&format!("upward doctor --restore {}", copy.display())),
        "{out}"
    );
    assert_eq!(mode(&copy), 0o600);
    assert_eq!(mode(&folder(&env)), 0o700);
    // A single file that upward opens as it is.
    assert!(!folder(&env).join("upward-2026-11-23.db-wal").exists());
    let original = env.state().unwrap();
    let copy_state = env
        .command()
        .args(["--db", copy.to_str().unwrap(), "export"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(copy_state.stdout).unwrap(), original);

    // JSON, and a file or a folder of the user's choosing.
    let v = env.json(&["backup", env.path("mine.db").to_str().unwrap()]);
    assert_eq!(v["integrity_check"], "ok");
    assert_eq!(v["schema_version"], upward_store_sqlite::SCHEMA_VERSION);
    assert_eq!(mode(&env.path("mine.db")), 0o600);
    let dir = env.path("usb");
    std::fs::create_dir(&dir).unwrap();
    let v = env.json(&["backup", dir.to_str().unwrap()]);
    assert_eq!(
        v["backup"].as_str().unwrap(),
        dir.join("upward-2026-11-23.db").to_str().unwrap()
    );
    // Again: replaces its earlier copy.
    env.ok(&["backup", env.path("mine.db").to_str().unwrap()]);

    // Never over the database, nor over someone else's file.
    let e = env.fails(1, &["backup", env.db.to_str().unwrap()]);
    assert!(e.contains("the database itself"), "{e}");
    std::fs::write(env.path("notes.txt"), "mine").unwrap();
    let e = env.fails(1, &["backup", env.path("notes.txt").to_str().unwrap()]);
    assert!(e.contains("not an upward backup"), "{e}");
    assert_eq!(
        std::fs::read_to_string(env.path("notes.txt")).unwrap(),
        "mine"
    );

    // No database: nothing to back up, and none is created.
    let empty = Env::new();
    let e = empty.fails(1, &["backup"]);
    assert!(e.contains("nothing to back up"), "{e}");
    assert!(!empty.db.exists());
}

#[test]
fn the_first_write_of_each_day_makes_the_days_backup_and_reads_do_not() {
    let env = Env::new().with_people();
    // Created today by `init`: nothing to back up yet; the next write makes Monday's copy.
    assert_eq!(backups(&env), ["upward-2026-11-23.db"]);
    let monday = std::fs::read(folder(&env).join("upward-2026-11-23.db")).unwrap();
    env.ok(&["add", "note", "later on Monday"]);
    assert_eq!(
        std::fs::read(folder(&env).join("upward-2026-11-23.db")).unwrap(),
        monday,
        "a second write the same day made another copy"
    );
    // Tuesday: reading makes none, the first write does, and it holds Monday's last state.
    for args in [vec!["list"], vec!["prep"], vec!["export"], vec!["doctor"]] {
        run_on(&env, "2026-11-24", &args);
    }
    assert_eq!(backups(&env).len(), 1);
    let before = env.state().unwrap();
    run_on(&env, "2026-11-24", &["add", "note", "Tuesday"]);
    assert_eq!(
        backups(&env),
        ["upward-2026-11-23.db", "upward-2026-11-24.db"]
    );
    let copy = folder(&env).join("upward-2026-11-24.db");
    let out = env
        .command()
        .args(["--db", copy.to_str().unwrap(), "export"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), before);
}

#[test]
fn sixty_days_of_writes_keep_seven_daily_and_four_weekly_copies() {
    let start = jiff::civil::date(2026, 9, 25);
    let env = Env {
        now: start.to_string(),
        ..Env::new()
    }
    .with_people();
    let mut day = start;
    while day <= jiff::civil::date(2026, 11, 23) {
        run_on(
            &env,
            &day.to_string(),
            &["add", "note", &format!("on {day}")],
        );
        day = day.tomorrow().unwrap();
    }
    // docs/backups.md's example: Monday 23 November back to Tuesday 17, then the newest of
    // each of the four weeks before.
    let expect: Vec<String> = [
        "2026-10-25",
        "2026-11-01",
        "2026-11-08",
        "2026-11-15",
        "2026-11-17",
        "2026-11-18",
        "2026-11-19",
        "2026-11-20",
        "2026-11-21",
        "2026-11-22",
        "2026-11-23",
    ]
    .iter()
    .map(|d| format!("upward-{d}.db"))
    .collect();
    assert_eq!(backups(&env), expect);
}

fn with_config(env: &Env, config: &str) -> PathBuf {
    let path = env.path("config.toml");
    std::fs::write(&path, config).unwrap();
    path
}

#[test]
fn the_config_sets_the_counts_and_zero_turns_automatic_backups_off() {
    let env = Env {
        now: "2026-10-31".into(),
        ..Env::new()
    }
    .with_people();
    let config = with_config(&env, "backups_daily = 2\nbackups_weekly = 1\n");
    let v = env
        .command()
        .env("UPWARD_CONFIG", &config)
        .args(["--json", "config"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&v.stdout).unwrap();
    assert_eq!(v["backups_daily"]["value"], "2");
    assert_eq!(v["backups_daily"]["source"], "config file");
    assert_eq!(v["backups_weekly"]["value"], "1");
    let text = env.ok(&["config"]);
    assert!(text.contains("backups_daily   7  (default)"), "{text}");
    assert!(text.contains("backups_weekly  4  (default)"), "{text}");

    for d in 1..=20 {
        let day = format!("2026-11-{d:02}");
        let out = env
            .command()
            .env("UPWARD_CONFIG", &config)
            .env("UPWARD_NOW", &day)
            .args(["add", "note", &day])
            .output()
            .unwrap();
        assert!(out.status.success());
    }
    // Two daily (19, 20 November), and the newest of the week before them (Sunday 15).
    assert_eq!(
        backups(&env),
        [
            "upward-2026-11-15.db",
            "upward-2026-11-19.db",
            "upward-2026-11-20.db"
        ]
    );

    let off = Env::new().with_people();
    let config = with_config(&off, "backups_daily = 0\nbackups_weekly = 0\n");
    for day in ["2026-11-24", "2026-11-25"] {
        let out = off
            .command()
            .env("UPWARD_CONFIG", &config)
            .env("UPWARD_NOW", day)
            .args(["add", "note", day])
            .output()
            .unwrap();
        assert!(out.status.success());
    }
    // Only the copy that `with_people` made on Monday, before the config turned them off.
    assert_eq!(backups(&off), ["upward-2026-11-23.db"]);
    // A bad count is refused with the accepted keys.
    let bad = with_config(&off, "backups_daily = -1\n");
    let out = off
        .command()
        .env("UPWARD_CONFIG", &bad)
        .args(["list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

/// Every note of a backup, by worker: the numbers each worker wrote.
fn notes_by_worker(db: &Path) -> BTreeMap<usize, BTreeSet<usize>> {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok", "{}", db.display());
    let mut stmt = conn
        .prepare("SELECT title FROM items WHERE title LIKE 'w% n%'")
        .unwrap();
    let mut out: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for title in stmt.query_map([], |r| r.get::<_, String>(0)).unwrap() {
        let title = title.unwrap();
        let (w, n) = title[1..].split_once(" n").unwrap();
        out.entry(w.parse().unwrap())
            .or_default()
            .insert(n.parse().unwrap());
    }
    out
}

#[test]
fn a_backup_taken_during_eight_concurrent_writers_is_consistent() {
    const WORKERS: usize = 8;
    const NOTES: usize = 12;
    let env = Arc::new(Env::new().with_people());
    let start = Arc::new(Barrier::new(WORKERS + 1));
    let handles: Vec<_> = (0..WORKERS)
        .map(|w| {
            let (env, start) = (env.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                for n in 0..NOTES {
                    let out = env
                        .command()
                        .args(["add", "note", &format!("w{w} n{n}")])
                        .output()
                        .unwrap();
                    assert!(
                        out.status.success(),
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
            })
        })
        .collect();
    start.wait();
    let mut copies = Vec::new();
    for k in 0.. {
        let copy = env.path(&format!("during-{k}.db"));
        env.ok(&["backup", copy.to_str().unwrap()]);
        copies.push(copy);
        if handles.iter().all(|h| h.is_finished()) {
            break;
        }
    }
    for h in handles {
        h.join().unwrap();
    }
    assert!(
        copies.len() >= 2,
        "the writers finished before a backup ran"
    );
    // Each worker adds its notes one after the other: a consistent copy holds, for each
    // worker, its first k notes and none after a gap.
    let mut sizes = Vec::new();
    for copy in &copies {
        let notes = notes_by_worker(copy);
        for (w, ns) in &notes {
            let k = ns.len();
            assert_eq!(
                *ns,
                (0..k).collect::<BTreeSet<_>>(),
                "{}: worker {w} has a gap",
                copy.display()
            );
        }
        sizes.push(notes.values().map(BTreeSet::len).sum::<usize>());
    }
    // Copies later in time hold at least as much.
    assert!(sizes.windows(2).all(|w| w[0] <= w[1]), "{sizes:?}");
    // And after the writers, a final copy has everything.
    let last = env.path("after.db");
    env.ok(&["backup", last.to_str().unwrap()]);
    let notes = notes_by_worker(&last);
    assert_eq!(notes.len(), WORKERS);
    assert!(notes.values().all(|ns| ns.len() == NOTES));
}

/// A workspace with every kind of record and field: the tour, and more.
fn representative(env: &Env) {
    env.ok(&["tour", "--db", env.db.to_str().unwrap()]);
    env.ok(&[
        "person",
        "add",
        "Kim Lee",
        "--relation",
        "stakeholder",
        "--cadence",
        "2w",
    ]);
    env.ok(&["person", "set", "Kim", "goals", "Launch in Q2"]);
    env.ok(&[
        "add",
        "win",
        "Cut p99",
        "--with",
        "Kim",
        "--impact",
        "Faster",
        "--metric",
        "p99 -38%",
        "--tag",
        "perf",
        "--shared",
        "--body",
        "Long\nstory",
    ]);
    env.ok(&[
        "add",
        "risk",
        "Vendor late",
        "--severity",
        "high",
        "--mitigation",
        "Mock",
    ]);
    env.ok(&[
        "add",
        "blocker",
        "No staging",
        "--ask",
        "Approve",
        "--data",
        "3 failed",
    ]);
    env.ok(&[
        "meet",
        "--notes",
        "all keys",
        "--action",
        "Share the plan@me:fri",
    ]);
    env.ok(&[
        "reflect",
        "--score",
        "rapport=4",
        "--answer",
        "rapport=good",
    ]);
    env.ok(&["update", "--sent"]);
    env.ok(&["drop", "1", "--why", "obsolete"]);
}

#[test]
fn restoring_gives_back_every_key_and_keeps_the_replaced_file() {
    let env = Env::new();
    representative(&env);
    let before: Value = env.json(&["export"]);
    let made = env.json(&["backup"]);
    let backup = made["backup"].as_str().unwrap().to_string();
    // Destroyed: cut to half its size.
    let len = std::fs::metadata(&env.db).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&env.db)
        .unwrap()
        .set_len(len / 2)
        .unwrap();
    let damaged = std::fs::read(&env.db).unwrap();
    env.run(&["list"]);

    let restored = env.json(&["doctor", "--restore", &backup]);
    let aside = PathBuf::from(restored["moved_aside"].as_str().unwrap());
    assert_eq!(
        aside.file_name().unwrap(),
        "upward.db.before-restore-2026-11-23"
    );
    assert_eq!(
        std::fs::read(&aside).unwrap(),
        damaged,
        "the damaged file was changed"
    );
    let after: Value = env.json(&["export"]);
    assert_eq!(after, before, "the restore lost or changed something");
    env.ok(&["doctor"]);
    // Writing works again, and a second restore keeps the first aside file too.
    env.ok(&["add", "note", "after the restore"]);
    env.ok(&["doctor", "--restore", &backup]);
    assert!(aside.exists());
    assert!(
        env.path("data/upward.db.before-restore-2026-11-23-2")
            .exists()
    );
    assert_eq!(env.json(&["export"]), before);

    // What cannot be restored is refused, and nothing changes.
    let state = env.state();
    let e = env.fails(
        1,
        &["doctor", "--restore", env.path("nope.db").to_str().unwrap()],
    );
    assert!(e.contains("no backup at"), "{e}");
    std::fs::write(env.path("notes.txt"), "x").unwrap();
    let e = env.fails(
        1,
        &[
            "doctor",
            "--restore",
            env.path("notes.txt").to_str().unwrap(),
        ],
    );
    assert!(e.contains("not an upward database"), "{e}");
    assert_eq!(env.state(), state);
}

#[test]
fn doctor_on_a_sound_database_says_so_in_text_and_json() {
    let env = Env::new().with_people();
    env.ok(&["add", "note", "x"]);
    let out = env.ok(&["doctor"]);
    assert!(out.contains("No problems found."), "{out}");
    assert!(
        out.contains("the newest good one is from 2026-11-23"),
        "{out}"
    );
    let v = env.json(&["doctor"]);
    assert_eq!(v["ok"], true);
    let checks: Vec<&str> = v["health"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["check"].as_str().unwrap())
        .collect();
    assert_eq!(
        checks,
        [
            "file",
            "schema_version",
            "integrity_check",
            "foreign_key_check",
            "items_fts",
            "meetings_fts",
            "people_fts"
        ]
    );
    assert_eq!(
        v["health"]["schema_version"],
        upward_store_sqlite::SCHEMA_VERSION
    );
    assert!(v["way_out"].as_array().unwrap().is_empty());
    // No database: nothing to check, and none is created.
    let empty = Env::new();
    let e = empty.fails(1, &["doctor"]);
    assert!(e.contains("nothing to check"), "{e}");
    assert!(!empty.db.exists());
}
