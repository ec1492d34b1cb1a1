//! Upgrades (issue #5): a database file made by every released schema version is checked in
//! (`crates/upward-store-sqlite/tests/fixtures/vN.db`, with `vN.json`, its export when it was made)
//! and must open with all its data intact after migration; a database from a newer version,
//! even one with a WAL not yet checkpointed, is refused with a clear error and left as it
//! was, byte for byte.
//!
//! Adding a schema version (a migration in `upward-store-sqlite/src/schema.rs`): *before* changing
//! the schema, make the fixture of the version being replaced with the build that still has
//! it — `cargo test -p upward --test cli upgrade::make_fixture -- --ignored` writes
//! `fixtures/v{SCHEMA_VERSION}.db` and `.json` — and commit both. Never edit or remove a
//! fixture: each stands for the databases people have on their disks.

use crate::harness::{Env, mode};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The clock the fixtures were made with, so their exports compare.
const FIXTURE_NOW: &str = "2026-11-23";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../upward-store-sqlite/tests/fixtures")
}

fn user_version(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

/// Every key of `old` is in `new` with the same value: exports may gain keys, never lose or
/// rename one.
fn contains(new: &Value, old: &Value, at: &str) {
    match (new, old) {
        (Value::Object(n), Value::Object(o)) => {
            for (k, v) in o {
                let got = n
                    .get(k)
                    .unwrap_or_else(|| panic!("{at}.{k} is gone after the upgrade"));
                contains(got, v, &format!("{at}.{k}"));
            }
        }
        (Value::Array(n), Value::Array(o)) => {
            assert_eq!(n.len(), o.len(), "{at}: length changed");
            for (i, (a, b)) in n.iter().zip(o).enumerate() {
                contains(a, b, &format!("{at}[{i}]"));
            }
        }
        _ => assert_eq!(new, old, "{at} changed in the upgrade"),
    }
}

/// A workspace with every kind of record and every field set somewhere: the tour, plus what
/// the tour leaves out.
fn representative(env: &Env) {
    env.ok(&["tour", "--db", env.db.to_str().unwrap()]);
    env.ok(&[
        "person",
        "add",
        "Kim Lee",
        "--relation",
        "stakeholder",
        "--role",
        "PM",
        "--cadence",
        "2w",
    ]);
    for (field, value) in [
        ("goals", "Launch in Q2"),
        ("priorities", "Reliability"),
        ("pressures", "Headcount"),
        ("motivations", "Customers"),
        ("values", "Candour"),
        ("strengths", "Clarity\nand focus"),
        ("blind_spots", "Estimates"),
        ("pet_peeves", "Surprises"),
        ("happiest", "Shipping"),
        ("channel", "email"),
        ("length", "detailed"),
        ("decides_by", "data"),
        ("feedback", "high"),
        ("trust", "4"),
        // Schema 5 (issue #13).
        ("technical", "no"),
        ("exec", "yes"),
        // Schema 6 (issue #12).
        ("email", "Kim.Lee@Example.com"),
    ] {
        env.ok(&["person", "set", "Kim", field, value]);
    }
    env.ok(&[
        "add",
        "win",
        "Cut p99 latency",
        "--with",
        "Kim",
        "--impact",
        "Faster checkout",
        "--metric",
        "p99 -38%",
        "--date",
        "2026-11-02",
        "--tag",
        "perf",
        "--tag",
        "infra",
        "--shared",
        "--body",
        "Long story\nwith lines",
    ]);
    env.ok(&[
        "add",
        "priority",
        "Billing v2",
        "--effort",
        "2w",
        "--due",
        "2026-12-18",
        "--rank",
        "1",
        "--confirmed",
        "2026-11-10",
    ]);
    env.ok(&[
        "add",
        "expectation",
        "On-call lead",
        "--metric",
        "MTTR < 1h",
        "--confirmed",
        "2026-11-01",
    ]);
    env.ok(&[
        "add",
        "risk",
        "Vendor sunset",
        "--likelihood",
        "high",
        "--severity",
        "high",
        "--mitigation",
        "Dual-source",
        "--communicated",
        "2026-11-20",
    ]);
    env.ok(&[
        "add",
        "blocker",
        "No staging",
        "--ask",
        "Approve RDS",
        "--data",
        "3 incidents",
        "--escalated",
        "2026-11-19",
    ]);
    env.ok(&[
        "add",
        "promise",
        "Design doc",
        "--to",
        "Kim",
        "--due",
        "fri",
    ]);
    env.ok(&[
        "add",
        "action",
        "Review plan",
        "--owner",
        "them",
        "--with",
        "Kim",
        "--due",
        "+3d",
    ]);
    env.ok(&[
        "add",
        "feedback",
        "Thank Kim",
        "--direction",
        "given",
        "--tone",
        "positive",
        "--consent",
    ]);
    env.ok(&[
        "add",
        "goal",
        "Staff promotion",
        "--last-discussed",
        "2026-08-01",
    ]);
    env.ok(&["add", "topic", "Reorg", "--with", "Kim"]);
    env.ok(&["add", "idea", "Weekly digest"]);
    let note = env.json(&["add", "note", "Dropped one"]);
    env.ok(&["drop", &note["id"].to_string(), "--why", "Superseded"]);
    env.ok(&[
        "meet",
        "Kim",
        "--notes",
        "Talked roadmap",
        "--shared-notes",
        "Agreed: roadmap review\nnext week",
        "--action",
        "Send deck@me:fri",
    ]);
    env.ok(&["update", "Kim", "--sent"]);
    env.ok(&[
        "reflect",
        "Kim",
        "--score",
        "rapport=4",
        "--score",
        "visibility=2",
        "--answer",
        "visibility=They missed the migration",
    ]);
    // Schema 3 (issue #15): who confirmed, remaining effort, the risk lifecycle, links
    // between items, consent asked, a renegotiated due date.
    let id = |v: Value| v["id"].to_string();
    let expectation = id(env.json(&["add", "expectation", "Ship reliably", "--metric", "99.9%"]));
    env.ok(&[
        "add",
        "win",
        "Uptime 99.95%",
        "--metric",
        "99.95%",
        "--for",
        &expectation,
    ]);
    let cache = id(env.json(&["add", "priority", "Cache", "--effort", "1w"]));
    env.ok(&["edit", &cache, "--remaining", "2d"]);
    let risk = id(env.json(&["add", "risk", "Late vendor", "--severity", "medium"]));
    let given = id(env.json(&["add", "feedback", "Well run", "--with", "Kim"]));
    env.ok(&[
        "meet",
        "--discussed",
        &format!("{cache},{risk}"),
        "--consent-asked",
        &given,
    ]);
    env.ok(&[
        "edit",
        &risk,
        "--state",
        "occurred",
        "--outcome",
        "Two weeks late",
    ]);
    let request = id(env.json(&[
        "add",
        "feedback",
        "How did the demo go?",
        "--direction",
        "requested",
        "--with",
        "Kim",
    ]));
    env.ok(&["add", "feedback", "Clear demo", "--answers", &request]);
    let promise = id(env.json(&["add", "promise", "Runbook", "--due", "2026-11-30"]));
    let out = env
        .command()
        .env("UPWARD_NOW", "2026-11-24")
        .args(["edit", &promise, "--due", "2026-12-04"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
}

/// Writes the fixture of the current schema version (see the module comment).
#[test]
#[ignore = "writes a fixture; run by hand before adding a migration"]
fn make_fixture() {
    let env = Env {
        now: FIXTURE_NOW.into(),
        ..Env::new()
    };
    representative(&env);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE; VACUUM;")
        .unwrap();
    drop(conn);
    let version = user_version(&env.db);
    std::fs::create_dir_all(fixtures()).unwrap();
    std::fs::copy(&env.db, fixtures().join(format!("v{version}.db"))).unwrap();
    std::fs::write(
        fixtures().join(format!("v{version}.json")),
        env.ok(&["export"]),
    )
    .unwrap();
}

#[test]
fn every_earlier_schema_version_opens_with_its_data_intact() {
    let mut found = 0;
    let mut names: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "db"))
        .collect();
    names.sort();
    let newest = upward_newest();
    for fixture in names {
        found += 1;
        let env = Env {
            now: FIXTURE_NOW.into(),
            ..Env::new()
        };
        std::fs::create_dir_all(env.db.parent().unwrap()).unwrap();
        std::fs::copy(&fixture, &env.db).unwrap();
        // The export written then, read as this build reads an old document (export format
        // 2 refers by UUID where 1 used integer ids): every key, every value kept.
        let then = std::fs::read_to_string(fixture.with_extension("json")).unwrap();
        let want =
            serde_json::to_value(upward_domain::export::Export::parse(&then).unwrap()).unwrap();
        let got = env.json(&["export"]);
        contains(&got, &want, &fixture.display().to_string());
        assert_eq!(user_version(&env.db), newest, "{}", fixture.display());
        crate::crash::integrity(&env.db);
        // And it works as a database of this version: writes, reads, the workflows.
        env.ok(&["add", "note", "after the upgrade"]);
        env.ok(&["prep"]);
        env.ok(&["review", "--format", "html"]);
        env.ok(&["nudges"]);
        assert!(env.ok(&["search", "Billing"]).contains("Billing"));
    }
    assert!(found >= 1, "no fixtures in {}", fixtures().display());
}

/// The newest schema version: what a new database gets.
fn upward_newest() -> i64 {
    let env = Env::new();
    env.ok(&["list"]);
    user_version(&env.db)
}

/// The fixture of the current version is there: a version bump without its fixture fails
/// here (see the module comment).
#[test]
fn the_current_schema_version_has_a_fixture_or_is_new() {
    let newest = upward_newest();
    let have = |v: i64| fixtures().join(format!("v{v}.db")).exists();
    for v in 1..newest {
        assert!(have(v), "no fixture for schema version {v}: see upgrade.rs");
    }
}

/// A newer database whose last transaction is still in its WAL (as after a crash of the
/// newer upward): refused, and the database and the WAL are left byte for byte.
#[test]
fn a_newer_database_with_a_pending_wal_is_left_as_it_was() {
    let env = Env::new();
    env.ok(&["add", "note", "x"]);
    let newer = env.path("newer.db");
    {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        conn.execute_batch("PRAGMA wal_autocheckpoint=0").unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
        conn.execute("UPDATE items SET title = 'written by a newer upward'", [])
            .unwrap();
        // Copy while the connection is open: its WAL is not checkpointed yet.
        std::fs::copy(&env.db, &newer).unwrap();
        std::fs::copy(sidecar(&env.db, "-wal"), sidecar(&newer, "-wal")).unwrap();
    }
    let db_before = std::fs::read(&newer).unwrap();
    let wal_before = std::fs::read(sidecar(&newer, "-wal")).unwrap();
    assert!(!wal_before.is_empty());
    let out = env.run(&["--db", newer.to_str().unwrap(), "list"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("newer upward") && err.contains("999"), "{err}");
    assert_eq!(std::fs::read(&newer).unwrap(), db_before);
    assert_eq!(std::fs::read(sidecar(&newer, "-wal")).unwrap(), wal_before);
    assert_eq!(mode(&newer), 0o600);
}

fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}
