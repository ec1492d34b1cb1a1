//! A fresh directory, database and environment per test, and the assertions every test uses.

use serde_json::Value;
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
