//! Damaged databases (issue: backups and doctor). Files are damaged the ways machines damage
//! them: cut short at several sizes (a bad copy), a page of zeros written into the middle,
//! bytes of the header flipped, the `-wal` of a live database deleted, a full disk
//! (`UPWARD_TEST_MAX_PAGE_COUNT`: SQLite's `max_page_count`, which fails a write as a full
//! disk does). Every command then says what happened in one line, exits 1, and leaves the
//! damaged file byte for byte as it was; the damaged ones name `upward doctor`, which says
//! what is wrong and the way out.

use crate::harness::Env;
use std::path::{Path, PathBuf};
use std::process::Output;

/// Tuesday, the day after the harness's Monday: the first write of the day is due a backup,
/// whose check finds damage the command itself might not touch.
const TUESDAY: &str = "2026-11-24";

fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

/// A workspace with people, forty items with bodies (several pages of them), a 1:1, and
/// Monday's backup.
fn workspace() -> Env {
    let env = Env::new().with_people();
    for i in 0..40 {
        env.ok(&[
            "add",
            "note",
            &format!("note {i} about latency"),
            "--body",
            &format!("{i} ").repeat(400),
        ]);
    }
    env.ok(&[
        "add",
        "promise",
        "Send the doc",
        "--with",
        "Sam",
        "--due",
        "fri",
    ]);
    env.ok(&["meet", "--notes", "talked about latency"]);
    env.ok(&["backup"]);
    env
}

/// Runs a command on `day` (a `UPWARD_NOW`).
fn run_on(env: &Env, day: &str, args: &[&str]) -> Output {
    env.command()
        .env("UPWARD_NOW", day)
        .args(args)
        .output()
        .unwrap()
}

/// The commands a user might run on the damaged file, reads and writes.
fn commands() -> Vec<Vec<&'static str>> {
    vec![
        vec!["list"],
        vec!["list", "--status", "all"],
        vec!["show", "1"],
        vec!["search", "latency"],
        vec!["prep"],
        vec!["nudges"],
        vec!["review"],
        vec!["export"],
        vec!["add", "note", "written after the damage"],
        vec!["done", "41"],
        vec!["person", "add", "Kim Lee", "--relation", "peer"],
        vec!["meet", "--notes", "after the damage"],
        vec![
            "intake", "New work", "--from", "Dana", "--due", "2w", "--effort", "2d", "--accept",
        ],
        vec!["backup"],
    ]
}

/// Runs `args` on `day` and checks it failed as a damaged database must: exit 1, one
/// `error:` line naming the file as damaged and `upward doctor`, nothing on stdout. Returns
/// the line.
fn refused(env: &Env, day: &str, args: &[&str]) -> String {
    let out = run_on(env, day, args);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(1), "upward {args:?}: {stderr}");
    assert!(
        out.stdout.is_empty(),
        "upward {args:?} printed: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "upward {args:?}: {stderr}");
    let line = lines[0];
    assert!(
        line.starts_with("error: ")
            && line.contains("is a damaged upward database")
            && line.contains("nothing was changed")
            && line.contains("`upward doctor`"),
        "upward {args:?}: {line}"
    );
    line.to_string()
}

/// The database file and its WAL, as bytes.
fn files(db: &Path) -> (Vec<u8>, Option<Vec<u8>>) {
    (
        std::fs::read(db).unwrap(),
        std::fs::read(sidecar(db, "-wal"))
            .ok()
            .filter(|w| !w.is_empty()),
    )
}

/// Checks that `doctor` finds the damage: exit 1, a report on stdout naming `expect`, the way
/// out listing the restore of Monday's backup, one error line.
fn doctor_finds(env: &Env, day: &str, expect: &str) {
    let out = run_on(env, day, &["doctor"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stdout.contains(expect),
        "doctor did not say {expect:?}:\n{stdout}"
    );
    assert!(stdout.contains("The way out:"), "{stdout}");
    assert!(
        stdout.contains("doctor --restore") && stdout.contains("upward-2026-11-23.db"),
        "{stdout}"
    );
    assert!(stdout.contains("doctor --export"), "{stdout}");
    // And in JSON.
    let out = run_on(env, day, &["--json", "doctor"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ok"], false);
    assert!(!v["way_out"].as_array().unwrap().is_empty(), "{v}");
}

/// Damages a copy of a pristine workspace with `damage`, runs every command on it (on
/// Monday and on Tuesday, when the day's backup is due) and `doctor`, and checks each
/// refuses and leaves the file as it was.
fn every_command_refuses(what: &str, damage: impl Fn(&Path), doctor_says: &str) {
    let env = workspace();
    damage(&env.db);
    let before = files(&env.db);
    for day in [crate::harness::NOW, TUESDAY] {
        for args in commands() {
            let line = refused(&env, day, &args);
            assert_eq!(
                files(&env.db),
                before,
                "{what}: upward {args:?} changed the file ({line})"
            );
        }
        doctor_finds(&env, day, doctor_says);
        assert_eq!(files(&env.db), before, "{what}: doctor changed the file");
    }
    // No backup of the damaged file was kept.
    let backups: Vec<_> = std::fs::read_dir(env.db.parent().unwrap().join("backups"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(backups, ["upward-2026-11-23.db"], "{what}");
}

fn truncate(db: &Path, len: u64) {
    std::fs::OpenOptions::new()
        .write(true)
        .open(db)
        .unwrap()
        .set_len(len)
        .unwrap();
}

#[test]
fn a_file_cut_short_is_damaged_not_foreign() {
    let len = {
        let env = workspace();
        std::fs::metadata(&env.db).unwrap().len()
    };
    for (cut, says) in [
        (50, "cut short inside its header"),
        (100, "cut short"),
        (4096, "cut short"),
        (len / 2 - len / 2 % 4096, "cut short"),
        (len - 4096, "cut short"),
        (len - 17, "cut short in the middle of a page"),
    ] {
        every_command_refuses(&format!("cut at {cut}"), |db| truncate(db, cut), says);
    }
}

#[test]
fn an_emptied_file_with_backups_beside_it_is_damaged_not_new() {
    every_command_refuses(
        "cut at 0",
        |db| truncate(db, 0),
        "the file is empty, but 1 backup(s)",
    );
}

#[test]
fn flipped_header_bytes_are_damage() {
    for (offset, says) in [
        (0, "no longer starts as a SQLite database"),
        (16, "page size"),
        (18, "file format bytes"),
        (19, "file format bytes"),
        (28, "pages"),
        (60, "schema version reads"),
        (68, "application id"),
    ] {
        every_command_refuses(
            &format!("byte {offset} flipped"),
            |db| {
                let mut bytes = std::fs::read(db).unwrap();
                bytes[offset] ^= 0xff;
                std::fs::write(db, bytes).unwrap();
            },
            says,
        );
    }
}

/// The pages of a table, from SQLite's `dbstat`.
fn pages_of(db: &Path, table: &str) -> Vec<u64> {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let mut stmt = conn
        .prepare("SELECT pageno FROM dbstat WHERE name = ?1 ORDER BY pageno")
        .unwrap();
    stmt.query_map([table], |r| r.get::<_, i64>(0))
        .unwrap()
        .map(|p| p.unwrap() as u64)
        .collect()
}

fn zero_page(db: &Path, page: u64) {
    use std::io::{Seek, SeekFrom, Write};
    let mut f = std::fs::OpenOptions::new().write(true).open(db).unwrap();
    f.seek(SeekFrom::Start((page - 1) * 4096)).unwrap();
    f.write_all(&[0u8; 4096]).unwrap();
}

#[test]
fn a_page_of_zeros_is_found_and_no_write_goes_into_the_damaged_file() {
    let env = workspace();
    let pages = pages_of(&env.db, "items");
    zero_page(&env.db, pages[pages.len() / 2]);
    let before = files(&env.db);
    // What reads the damaged page says so; what does not, works, changing nothing.
    for args in [vec!["list", "--status", "all"], vec!["export"]] {
        refused(&env, TUESDAY, &args);
    }
    // Tuesday's first write is due a backup, whose check finds the damage: every write is
    // refused, and stays refused (no good copy of Tuesday is ever made).
    for args in commands()
        .into_iter()
        .filter(|a| ["add", "done", "person", "meet", "intake", "backup"].contains(&a[0]))
    {
        refused(&env, TUESDAY, &args);
        assert_eq!(files(&env.db), before, "upward {args:?} changed the file");
    }
    for args in commands() {
        let _ = run_on(&env, TUESDAY, &args);
        assert_eq!(files(&env.db), before, "upward {args:?} changed the file");
    }
    doctor_finds(
        &env,
        TUESDAY,
        "the part of the file holding the items (table items) is damaged",
    );
    assert_eq!(files(&env.db), before);
}

#[test]
fn doctor_export_saves_what_can_still_be_read() {
    let env = workspace();
    let pages = pages_of(&env.db, "items");
    zero_page(&env.db, pages[pages.len() / 2]);
    let before = files(&env.db);
    let rescued = env.path("rescued.json");
    let out = env.ok(&["doctor", "--export", rescued.to_str().unwrap()]);
    assert!(out.contains("Could not be read:"), "{out}");
    assert_eq!(files(&env.db), before);
    assert_eq!(crate::harness::mode(&rescued), 0o600);
    let fresh = env.path("fresh.db");
    env.ok(&[
        "--db",
        fresh.to_str().unwrap(),
        "import",
        rescued.to_str().unwrap(),
    ]);
    let items = env.json(&["--db", fresh.to_str().unwrap(), "list", "--status", "all"]);
    let n = items.as_array().unwrap().len();
    // 41 items and the action of the 1:1 were written; a page of them is lost.
    assert!(n > 30 && n < 42, "{n}");
    let people = env.json(&["--db", fresh.to_str().unwrap(), "person", "list"]);
    assert_eq!(people.as_array().unwrap().len(), 3);
}

#[test]
fn a_deleted_wal_of_a_live_database_is_damage_until_the_live_program_closes() {
    let env = Env::new().with_people();
    env.ok(&["backup"]);
    // Another program keeps the database open and is reading it, so the commands below
    // leave their commits in the WAL: the checkpoint each one runs as it closes cannot copy
    // past what that reader's snapshot still uses (the last connection to close would copy
    // them into the file).
    let live = rusqlite::Connection::open(&env.db).unwrap();
    live.execute_batch("BEGIN").unwrap();
    let _: i64 = live
        .query_row("SELECT count(*) FROM items", [], |r| r.get(0))
        .unwrap();
    for i in 0..3 {
        env.ok(&["add", "note", &format!("only in the WAL {i}")]);
    }
    assert!(std::fs::metadata(sidecar(&env.db, "-wal")).unwrap().len() > 0);
    std::fs::remove_file(sidecar(&env.db, "-wal")).unwrap();
    let before = std::fs::read(&env.db).unwrap();
    for args in [
        vec!["list"],
        vec!["add", "note", "x"],
        vec!["export"],
        vec!["backup"],
    ] {
        let line = refused(&env, crate::harness::NOW, &args);
        assert!(line.contains("write-ahead log"), "{line}");
        assert_eq!(std::fs::read(&env.db).unwrap(), before);
    }
    let out = run_on(&env, crate::harness::NOW, &["doctor"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("write-ahead log"));
    assert_eq!(std::fs::read(&env.db).unwrap(), before);
    // The live program ends its read and closes: its WAL, still open, goes back into the
    // file. Nothing lost.
    live.execute_batch("COMMIT").unwrap();
    drop(live);
    let notes = env.json(&["list", "note"]);
    assert_eq!(notes.as_array().unwrap().len(), 3, "{notes}");
    env.ok(&["doctor"]);
}

#[test]
fn a_full_disk_is_one_line_and_changes_nothing() {
    let env = Env::new().with_people();
    env.ok(&["add", "note", "before the disk filled"]);
    let pages: i64 = rusqlite::Connection::open(&env.db)
        .unwrap()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    let before_state = env.state();
    let before = std::fs::read(&env.db).unwrap();
    let full = |args: &[&str]| {
        let out = env
            .command()
            .env("UPWARD_TEST_MAX_PAGE_COUNT", pages.to_string())
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(out.stdout.is_empty());
        String::from_utf8(out.stderr).unwrap()
    };
    let body = "x".repeat(100_000);
    for args in [
        vec!["add", "note", "does not fit", "--body", body.as_str()],
        vec!["person", "set", "Dana", "goals", body.as_str()],
    ] {
        let err = full(&args);
        assert_eq!(
            err,
            format!(
                "error: the disk holding {} is full: free some space and run the command again; nothing was changed\n",
                env.db.display()
            ),
            "{args:?}"
        );
        assert_eq!(env.state(), before_state);
        assert_eq!(std::fs::read(&env.db).unwrap(), before);
    }
    // Space again: the same command works.
    env.ok(&["add", "note", "fits now", "--body", body.as_str()]);
}

#[test]
fn another_programs_file_and_a_newer_upward_are_told_apart_from_damage() {
    let env = Env::new();
    let other = env.path("other.sqlite");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .unwrap();
    let err = env.fails(1, &["--db", other.to_str().unwrap(), "list"]);
    assert!(
        err.contains("is not an upward database") && err.contains("--db"),
        "{err}"
    );
    let out = env.run(&["--db", other.to_str().unwrap(), "doctor"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("not an upward database"));

    let env = Env::new();
    env.ok(&["add", "note", "x"]);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    // One schema past this build's.
    let newer = upward_store_sqlite::MIGRATIONS.len() as i64 + 1;
    conn.pragma_update(None, "user_version", newer).unwrap();
    drop(conn);
    let out = env.run(&["list"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("written by a newer upward (schema {newer}"))
            && err.contains("upgrade upward"),
        "{err}"
    );
    let out = env.run(&["doctor"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("upgrade upward"));
}
