//! A fresh directory, database and environment per test, and the assertions every test uses.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Monday 23 November 2026.
pub const NOW: &str = "2026-11-23";

pub struct Env {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    pub now: String,
}

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("data").join("upward.db");
        Env {
            dir,
            db,
            now: NOW.to_string(),
        }
    }

    /// A command with a clean environment: no user config, no colour, the fixed clock.
    pub fn command(&self) -> Command {
        self.command_for(env!("CARGO_BIN_EXE_upward"))
    }

    /// Another program (such as `script`, for a terminal) with the same environment.
    pub fn command_for(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_DATA_HOME", self.dir.path().join("share"))
            .env("UPWARD_NOW", &self.now)
            .env("UPWARD_DB", &self.db)
            .stdin(Stdio::null());
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().unwrap()
    }

    pub fn run_stdin(&self, args: &[&str], input: &[u8]) -> Output {
        use std::io::Write;
        let mut child = self
            .command()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        child.wait_with_output().unwrap()
    }

    /// Runs and expects success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "upward {args:?} failed ({:?}):\nstdout: {}\nstderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs with `--json` and parses stdout (which must be pure JSON).
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.ok(&all);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
    }

    /// Runs and expects failure with `code`, one `error:` line on stderr, nothing on stdout,
    /// and the database exactly as it was. Returns the error line.
    pub fn fails(&self, code: i32, args: &[&str]) -> String {
        let before = self.state();
        let out = self.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(
            out.status.code(),
            Some(code),
            "upward {args:?}: expected exit {code}, got {:?}\nstderr: {stderr}",
            out.status.code()
        );
        assert!(
            out.stdout.is_empty(),
            "upward {args:?} printed to stdout on error"
        );
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(
            lines.len(),
            1,
            "upward {args:?}: expected one stderr line, got: {stderr}"
        );
        assert!(lines[0].starts_with("error: "), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_eq!(
            self.state(),
            before,
            "upward {args:?} changed the database on error"
        );
        lines[0].to_string()
    }

    /// The whole database as its JSON export (the exported time is fixed by UPWARD_NOW),
    /// or None when there is no database file yet.
    pub fn state(&self) -> Option<String> {
        if !self.db.exists() {
            return None;
        }
        let out = self.command().args(["export"]).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        Some(String::from_utf8(out.stdout).unwrap())
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A workspace with me, a manager with a profile, and a peer.
    pub fn with_people(self) -> Env {
        self.ok(&[
            "init",
            "--me",
            "Alex",
            "--role",
            "Staff engineer",
            "--manager",
            "Dana Whitfield",
        ]);
        self.ok(&[
            "person",
            "add",
            "Sam Ortiz",
            "--relation",
            "peer",
            "--role",
            "Platform lead",
        ]);
        self.ok(&[
            "person",
            "set",
            "Dana",
            "goals",
            "Ship the new billing platform by Q2",
        ]);
        self
    }
}

pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The id of an item printed by `add --json`.
pub fn id(v: &Value) -> String {
    v["id"].as_i64().unwrap().to_string()
}

/// An export (format 1) with `n` items (at least 302: the meetings discuss the first
/// ones), 100 meetings, 50 updates and 20 reflections, for imports that take a while: the
/// crash tests kill one inside its transaction, the concurrency tests read beside one.
pub fn big_export(path: &Path, n: u64) {
    assert!(n >= 302, "the meetings discuss items up to #301");
    let uuid = |n: u64| format!("00000000-0000-4000-8000-{n:012x}");
    let ts = "2026-11-01T12:00:00Z";
    let person = |n: u64, name: &str, relation: &str, me: bool| {
        json!({"name": name, "relation": relation, "is_me": me, "goals": "Grow the platform team",
               "uuid": uuid(n), "created_at": ts, "updated_at": ts})
    };
    let people = vec![
        person(1, "Alex", "self", true),
        person(2, "Dana Whitfield", "manager", false),
        person(3, "Sam Ortiz", "peer", false),
    ];
    let body = "Context for this item, long enough to make the rows and the full-text index work. "
        .repeat(3);
    let items: Vec<Value> = (1..=n)
        .map(|i| {
            let mut item = json!({"id": i, "uuid": uuid(1000 + i), "title": format!("Item number {i}"),
                "body": body, "person": if i % 2 == 0 { "Dana Whitfield" } else { "Sam Ortiz" },
                "status": "open", "created": "2026-10-01", "tags": ["bulk", format!("t{}", i % 7)],
                "visibility": "private", "created_at": ts, "updated_at": ts});
            let m = item.as_object_mut().unwrap();
            match i % 3 {
                0 => {
                    m.insert("kind".into(), json!("win"));
                    m.insert("status".into(), json!("done"));
                    m.insert("done".into(), json!("2026-10-02"));
                    m.insert("date".into(), json!("2026-10-02"));
                    m.insert("metric".into(), json!("p99 -38%"));
                }
                1 => {
                    m.insert("kind".into(), json!("action"));
                    m.insert("owner".into(), json!("them"));
                    if i < 100 {
                        m.insert("meeting".into(), json!(i));
                    }
                }
                _ => {
                    m.insert("kind".into(), json!("note"));
                }
            }
            item
        })
        .collect();
    let meetings: Vec<Value> = (1..=100u64)
        .map(|i| {
            json!({"id": i, "uuid": uuid(10_000 + i), "person": "Dana Whitfield",
            "date": "2026-10-05", "notes": format!("Notes of 1:1 number {i}"),
            "discussed": [i * 3, i * 3 + 1], "created_at": ts})
        })
        .collect();
    let updates: Vec<Value> = (1..=50u64)
        .map(|i| {
            json!({"id": i, "uuid": uuid(20_000 + i), "person": "Dana Whitfield",
            "date": "2026-10-06", "channel": "email", "text": "Status", "created_at": ts})
        })
        .collect();
    let reflections: Vec<Value> = (1..=20u64)
        .map(|i| {
            json!({"id": i, "uuid": uuid(30_000 + i), "person": "Dana Whitfield",
            "date": "2026-10-07", "scores": {"rapport": 4, "visibility": 3},
            "answers": {"rapport": "good"}, "created_at": ts})
        })
        .collect();
    let doc = json!({"format": "upward", "version": 1, "exported": ts, "people": people,
        "items": items, "meetings": meetings, "updates": updates, "reflections": reflections});
    std::fs::write(path, serde_json::to_vec(&doc).unwrap()).unwrap();
}

/// Whether process `pid` holds SQLite's write lock on a database in WAL mode: the lock a
/// write transaction (`BEGIN IMMEDIATE`) holds from its start to its commit or rollback,
/// and which makes another connection's `BEGIN IMMEDIATE` fail with SQLITE_BUSY. SQLite takes
/// it as a POSIX lock on byte 120 of the `-shm` file (`WALINDEX_LOCK_OFFSET` +
/// `WAL_WRITE_LOCK`), which Linux lists in /proc/locks with its owner's pid; read from there,
/// it is seen from outside without disturbing the process (a probing `BEGIN IMMEDIATE`
/// would take the lock whenever it is free). `write_lock_is_seen_from_outside` checks this
/// against SQLite.
pub fn holds_write_lock(pid: u32) -> bool {
    let locks = std::fs::read_to_string("/proc/locks").expect("Linux lists locks in /proc/locks");
    let pid = pid.to_string();
    locks.lines().any(|line| {
        // `1: POSIX  ADVISORY  WRITE 4242 fe:00:10035253 120 120`; waiters have a `->`.
        let f: Vec<&str> = line.split_whitespace().collect();
        f.len() == 8
            && f[1] == "POSIX"
            && f[3] == "WRITE"
            && f[4] == pid
            && f[6] == "120"
            && f[7] == "120"
    })
}

/// [`holds_write_lock`] agrees with SQLite: it sees a write transaction of this process
/// exactly while another connection's `BEGIN IMMEDIATE` (busy timeout 0) is refused.
#[test]
fn write_lock_is_seen_from_outside() {
    use rusqlite::{Connection, ErrorCode};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("probe.db");
    let writer = Connection::open(&db).unwrap();
    writer
        .execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t (x);")
        .unwrap();
    let other = Connection::open(&db).unwrap();
    other.busy_timeout(std::time::Duration::ZERO).unwrap();
    let refused = || match other.execute_batch("BEGIN IMMEDIATE; ROLLBACK;") {
        Ok(()) => false,
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::DatabaseBusy => true,
        Err(e) => panic!("{e}"),
    };
    let me = std::process::id();
    assert!(!holds_write_lock(me) && !refused());
    writer.execute_batch("BEGIN IMMEDIATE").unwrap();
    assert!(holds_write_lock(me) && refused());
    writer.execute_batch("INSERT INTO t VALUES (1)").unwrap();
    assert!(holds_write_lock(me) && refused());
    writer.execute_batch("COMMIT").unwrap();
    assert!(!holds_write_lock(me) && !refused());
}
