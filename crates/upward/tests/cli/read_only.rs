//! Commands that only read write nothing to the database's directory: no file created,
//! written, truncated or removed, no checkpoint (the WAL and its index stay beside the
//! database between commands, see `upward-store-sqlite/src/open.rs`). And they still see every
//! commit of a process that is writing at that moment.

use crate::harness::{Env, id};
use rusqlite::Connection;
use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// Every file under `dir` (the automatic backups' folder too) and every folder: its content
/// (none for a folder), inode and modification time to the nanosecond.
fn files(dir: &Path) -> BTreeMap<String, (Vec<u8>, u64, i64, i64)> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let m = e.metadata().unwrap();
            let content = if m.is_dir() {
                todo.push(e.path());
                Vec::new()
            } else {
                std::fs::read(e.path()).unwrap()
            };
            let name = e.path().strip_prefix(dir).unwrap().display().to_string();
            out.insert(name, (content, m.ino(), m.mtime(), m.mtime_nsec()));
        }
    }
    out
}

#[test]
fn read_commands_write_nothing_to_the_database_directory() {
    let env = Env::new().with_people();
    let win = id(&env.json(&["add", "win", "Cut checkout p99", "--metric=-38%"]));
    env.ok(&["add", "risk", "Vendor late", "--severity", "high"]);
    env.ok(&[
        "add",
        "promise",
        "Send the doc",
        "--with",
        "Sam",
        "--due=-2d",
    ]);
    env.ok(&[
        "add", "priority", "Billing", "--effort", "2w", "--due", "+30d",
    ]);
    env.ok(&[
        "meet",
        "--discussed",
        &win,
        "--action",
        "Share the plan@me:fri",
    ]);
    env.ok(&["update", "--sent"]);
    env.ok(&["reflect", "Dana", "--score", "rapport=4"]);
    let dir = env.db.parent().unwrap();
    let before = files(dir);
    let names: Vec<&String> = before.keys().filter(|n| n.starts_with("upward")).collect();
    assert_eq!(names, ["upward.db", "upward.db-shm", "upward.db-wal"]);
    assert!(
        before["upward.db-wal"].0.is_empty(),
        "the WAL was left with data"
    );
    let out = env.path("out.json");
    for args in [
        &["prep"][..],
        &["prep", "Sam"],
        &["nudges"],
        &["update"],
        &["update", "Sam", "--channel", "email"],
        &["review"],
        &["review", "--format", "html"],
        &["list"],
        &["list", "win"],
        &["list", "--status", "all", "--with", "Dana"],
        &["show", &win],
        &["search", "checkout"],
        &["export"],
        &["export", "--format", "md", "-o", out.to_str().unwrap()],
        &["person", "list"],
        &["person", "show", "Dana"],
        &["config"],
        &[
            "intake",
            "Dashboard",
            "--from",
            "Dana",
            "--due",
            "2w",
            "--effort",
            "5d",
        ],
        &["decline", "Dashboard", "--from", "Dana", "--reason", "full"],
    ] {
        env.ok(args);
        let mut json = vec!["--json"];
        json.extend_from_slice(args);
        if args[0] != "export" {
            env.ok(&json);
        }
        assert!(
            files(dir) == before,
            "upward {args:?} changed the directory"
        );
    }
}

/// Another process holds the database open and commits (its WAL not checkpointed); read
/// commands see each commit, and never what is not committed yet.
#[test]
fn read_commands_see_the_commits_of_a_process_that_is_writing() {
    let env = Env::new().with_people();
    let item = id(&env.json(&["add", "note", "as written"]));
    let title = |env: &Env| env.json(&["show", &item])["title"].clone();
    let other = Connection::open(&env.db).unwrap();
    other
        .execute_batch("PRAGMA wal_autocheckpoint = 0")
        .unwrap();
    let set = |t: &str| {
        other
            .execute("UPDATE items SET title = ?1 WHERE id = ?2", (t, &item))
            .unwrap()
    };
    set("committed once");
    assert_eq!(title(&env), "committed once");
    set("committed twice");
    assert_eq!(title(&env), "committed twice");
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    set("not committed");
    assert_eq!(title(&env), "committed twice");
    other.execute_batch("COMMIT").unwrap();
    assert_eq!(title(&env), "not committed");
}

/// In the instant another process rebuilds the WAL index, a read-only mapping of it cannot
/// be used: the command reconnects and reads.
#[test]
fn a_read_command_reads_while_another_process_rebuilds_the_wal_index() {
    let env = Env::new().with_people();
    let item = id(&env.json(&["add", "note", "kept"]));
    let other = Connection::open(&env.db).unwrap();
    other
        .query_row("SELECT count(*) FROM items", [], |r| r.get::<_, i64>(0))
        .unwrap();
    let shm = {
        let mut p = env.db.clone().into_os_string();
        p.push("-shm");
        p
    };
    let mut bytes = std::fs::read(&shm).unwrap();
    bytes[..136].fill(0);
    std::fs::write(&shm, bytes).unwrap();
    assert_eq!(env.json(&["show", &item])["title"], "kept");
    drop(other);
}
