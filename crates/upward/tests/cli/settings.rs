//! Settings (README "Where your data lives", `crates/upward/src/context.rs`): the config
//! file's `color` and `db` keys and what overrides them, the default database under the home
//! directory, and shell completions that a real shell loads.

use crate::harness::{Env, mode};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Writes `text` as the config file upward finds by default (`$XDG_CONFIG_HOME/upward/
/// config.toml`, which the harness points into the test's directory).
fn config_file(env: &Env, text: &str) -> PathBuf {
    let dir = env.dir.path().join("config").join("upward");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// Runs `cmd` and expects success; returns stdout.
fn ok(mut cmd: Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `upward --json config` as run by `cmd` (its arguments are appended).
fn settings(mut cmd: Command) -> Value {
    cmd.args(["--json", "config"]);
    serde_json::from_str(&ok(cmd)).unwrap()
}

const ESC: char = '\x1b';

/// `color = "always"` in the config file colours every table and match (even into a pipe);
/// `NO_COLOR` (when not empty) and `--no-color` turn it off, and `upward config` says which
/// setting won.
#[test]
fn no_color_and_the_flag_win_over_color_always_in_the_config_file() {
    let env = Env::new();
    env.ok(&["init", "--me", "Alex"]);
    env.ok(&["add", "note", "Billing migration"]);
    config_file(&env, "color = \"always\"\n");
    let coloured: [&[&str]; 5] = [
        &["list"],
        &["list", "--status", "all"],
        &["show", "1"],
        &["person", "list"],
        &["search", "Billing"],
    ];
    for args in coloured {
        let mut cmd = env.command();
        cmd.args(args);
        let always = ok(cmd);
        assert!(
            always.contains(ESC),
            "color = always: {args:?} has no colour: {always}"
        );
        // NO_COLOR set but empty does not count (no-color.org).
        let mut cmd = env.command();
        cmd.env("NO_COLOR", "").args(args);
        assert!(ok(cmd).contains(ESC), "NO_COLOR=\"\": {args:?}");

        let mut cmd = env.command();
        cmd.env("NO_COLOR", "1").args(args);
        let out = ok(cmd);
        assert!(!out.contains(ESC), "NO_COLOR: {args:?}: {out:?}");
        let mut cmd = env.command();
        cmd.arg("--no-color").args(args);
        let out = ok(cmd);
        assert!(!out.contains(ESC), "--no-color: {args:?}: {out:?}");
        // The same text, less the colour (search marks its matches with brackets instead).
        if args[0] != "search" {
            assert_eq!(out, strip_ansi(&always), "{args:?}");
        } else {
            assert!(out.contains("[Billing]"), "{out}");
        }
    }

    let color = |v: Value| (v["color"]["value"].clone(), v["color"]["source"].clone());
    assert_eq!(
        color(settings(env.command())),
        ("always".into(), "config file".into())
    );
    let mut cmd = env.command();
    cmd.env("NO_COLOR", "1");
    assert_eq!(
        color(settings(cmd)),
        ("never".into(), "env NO_COLOR".into())
    );
    let mut cmd = env.command();
    cmd.env("NO_COLOR", "1").arg("--no-color");
    assert_eq!(
        color(settings(cmd)),
        ("never".into(), "flag --no-color".into())
    );
}

/// Removes `ESC [ … m` sequences.
fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == ESC {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Without `--db` and `UPWARD_DB` (which the harness always sets), the config file's `db`
/// is the database; `UPWARD_DB` and then `--db` win over it.
#[test]
fn the_config_files_db_key_is_used() {
    let env = Env::new();
    let db = env.dir.path().join("elsewhere").join("work.db");
    let config = config_file(&env, &format!("db = {:?}\n", db.to_str().unwrap()));
    let cmd = |args: &[&str]| {
        let mut c = env.command();
        c.env_remove("UPWARD_DB").args(args);
        c
    };
    ok(cmd(&["add", "note", "In the configured database"]));
    assert!(db.exists(), "no database at {}", db.display());
    assert_eq!(mode(&db), 0o600);
    assert!(
        !env.db.exists(),
        "wrote to UPWARD_DB's path without UPWARD_DB"
    );
    let v = settings(cmd(&[]));
    assert_eq!(v["db"]["value"], db.to_str().unwrap());
    assert_eq!(v["db"]["source"], "config file");
    assert_eq!(v["config_file"]["value"], config.to_str().unwrap());
    assert_eq!(v["config_file"]["source"], "found");
    assert_eq!(titles(&db), ["In the configured database"]);
    let listed = ok(cmd(&["list"]));
    assert!(listed.contains("In the configured database"), "{listed}");

    // UPWARD_DB beats the file, --db beats both.
    env.ok(&["add", "note", "In UPWARD_DB's database"]);
    assert_eq!(titles(&env.db), ["In UPWARD_DB's database"]);
    let flag = env.path("flag.db");
    env.ok(&["--db", flag.to_str().unwrap(), "add", "note", "In --db's"]);
    assert_eq!(titles(&flag), ["In --db's"]);
    assert_eq!(titles(&db), ["In the configured database"]);
}

/// The titles of the items in the database at `db`, read straight through SQLite.
fn titles(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn.prepare("SELECT title FROM items ORDER BY id").unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// With no `--db`, `UPWARD_DB`, config file or XDG variables, the database is
/// `$HOME/.local/share/upward/upward.db` (created 0600 in a 0700 directory) and the config
/// file looked for is `$HOME/.config/upward/config.toml`.
#[test]
fn the_default_database_is_in_the_home_data_directory() {
    let env = Env::new();
    let home = env.dir.path().join("home");
    std::fs::create_dir(&home).unwrap();
    let cmd = |args: &[&str]| {
        let mut c = env.command();
        c.env("HOME", &home)
            .env_remove("UPWARD_DB")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("XDG_DATA_HOME")
            .args(args);
        c
    };
    ok(cmd(&["add", "note", "In the default place"]));
    let db = home.join(".local/share/upward/upward.db");
    assert!(db.exists(), "no database at {}", db.display());
    assert_eq!(mode(&db), 0o600);
    assert_eq!(mode(db.parent().unwrap()), 0o700);
    assert_eq!(titles(&db), ["In the default place"]);
    assert!(!env.db.exists());
    let v = settings(cmd(&[]));
    assert_eq!(v["db"]["value"], db.to_str().unwrap());
    assert_eq!(v["db"]["source"], "default");
    assert_eq!(
        v["config_file"]["value"],
        home.join(".config/upward/config.toml").to_str().unwrap()
    );
    assert_eq!(v["config_file"]["source"], "not present");
    // Nothing else was written under the home directory.
    let mut files = Vec::new();
    walk(&home, &mut files);
    files.retain(|f| !f.starts_with(db.parent().unwrap()));
    assert!(files.is_empty(), "{files:?}");
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// `upward completions bash` loads in a real bash, registers a completion for `upward`, and
/// completes a command name and a `--format` value.
#[test]
fn bash_completions_load_in_bash() {
    let env = Env::new();
    let file = env.path("upward.bash");
    std::fs::write(&file, env.ok(&["completions", "bash"])).unwrap();
    let script = r#"source "$1" || exit 1
complete -p upward || exit 1
COMP_WORDS=(upward pre); COMP_CWORD=1; _upward upward pre upward
echo "commands: ${COMPREPLY[*]}"
COMP_WORDS=(upward review --format ''); COMP_CWORD=3; _upward upward '' --format
echo "formats: ${COMPREPLY[*]}""#;
    let mut bash = env.command_for("bash");
    bash.args(["--norc", "--noprofile", "-c", script, "bash"])
        .arg(&file);
    let out = bash.output().expect("bash runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.is_empty(),
        "bash: {stderr}\n{stdout}"
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "complete -o bashdefault -o default -o nosort -F _upward upward",
            "commands: prep",
            "formats: md html json",
        ],
        "{stdout}"
    );
}
