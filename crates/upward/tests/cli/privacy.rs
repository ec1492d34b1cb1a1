//! Privacy (issue #5): the database, its WAL and shared-memory files and `export --output`
//! files are created 0600, and the directory upward creates for the database 0700, whatever
//! the umask (also 000); an existing export file is made private before it is written. And
//! nothing upward prints or writes outside the database holds private profile text unless
//! asked for: only `person show`, the JSON of `person` and `init` (a person's JSON shape has
//! the profile), `export` and a matching `search` show it.

use crate::harness::{Env, mode};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Runs `upward ARGS` under `umask MASK` (through sh: setting it in-process needs unsafe).
fn with_umask(env: &Env, mask: &str, args: &[&str]) -> std::process::Output {
    let mut sh = Command::new("sh");
    sh.env_clear();
    for (k, v) in env.command().get_envs() {
        if let Some(v) = v {
            sh.env(k, v);
        }
    }
    sh.arg("-c")
        .arg(format!("umask {mask}; exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_upward"))
        .args(args)
        .stdin(Stdio::null());
    sh.output().unwrap()
}

fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

#[test]
fn files_are_private_whatever_the_umask() {
    for mask in ["000", "022", "077"] {
        let env = Env::new();
        // Nested, so upward creates two directories.
        let db = env.dir.path().join("a").join("b").join("upward.db");
        let env = Env { db, ..env };
        let out = with_umask(&env, mask, &["add", "note", "private"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(mode(&env.db), 0o600, "umask {mask}: database");
        assert_eq!(
            mode(env.db.parent().unwrap()),
            0o700,
            "umask {mask}: its directory"
        );
        assert_eq!(
            mode(env.db.parent().unwrap().parent().unwrap()),
            0o700,
            "umask {mask}: the directory above"
        );
        // The WAL and shared-memory files exist while a connection is open.
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        conn.execute_batch("BEGIN IMMEDIATE; UPDATE items SET title = title; COMMIT;")
            .unwrap();
        let out = with_umask(&env, mask, &["add", "note", "while open"]);
        assert!(out.status.success());
        for suffix in ["-wal", "-shm"] {
            let p = sidecar(&env.db, suffix);
            assert!(p.exists(), "{suffix}");
            assert_eq!(mode(&p), 0o600, "umask {mask}: {suffix}");
        }
        drop(conn);

        let file = env.path("export.json");
        let out = with_umask(&env, mask, &["export", "--output", file.to_str().unwrap()]);
        assert!(out.status.success());
        assert_eq!(mode(&file), 0o600, "umask {mask}: export");
        let md = env.path("export.md");
        let out = with_umask(
            &env,
            mask,
            &["export", "--format", "md", "-o", md.to_str().unwrap()],
        );
        assert!(out.status.success());
        assert_eq!(mode(&md), 0o600, "umask {mask}: markdown export");
    }
}

/// An export file that already exists, readable by everyone, is made private before the
/// export goes into it (found writing into it as it was).
#[test]
fn an_existing_export_file_is_made_private() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new().with_people();
    let file = env.path("shared.json");
    std::fs::write(&file, "old").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    env.ok(&["export", "--output", file.to_str().unwrap()]);
    assert_eq!(mode(&file), 0o600);
    assert!(std::fs::read_to_string(&file).unwrap().contains("Dana"));
}

/// Profile text never shows where it was not asked for.
#[test]
fn profile_text_stays_out_of_what_does_not_show_profiles() {
    let env = Env::new().with_people();
    let fields = [
        "goals",
        "priorities",
        "pressures",
        "motivations",
        "values",
        "strengths",
        "blind_spots",
        "pet_peeves",
        "happiest",
    ];
    for f in fields {
        env.ok(&["person", "set", "Dana", f, &format!("SECRET{f} about Dana")]);
        env.ok(&["person", "set", "Sam", f, &format!("SECRET{f} about Sam")]);
    }
    for args in [
        vec![
            "add", "win", "Shipped", "--with", "Dana", "--metric", "p99 -38%",
        ],
        vec!["add", "risk", "Vendor", "--with", "Dana"],
        vec!["add", "blocker", "No staging", "--with", "Dana"],
        vec![
            "add", "priority", "Billing", "--effort", "3d", "--due", "fri",
        ],
        vec!["add", "goal", "Promotion"],
        vec!["add", "topic", "Reorg", "--with", "Dana"],
        vec!["add", "feedback", "Thanks", "--with", "Dana"],
    ] {
        env.ok(&args);
    }
    let file = env.path("out.json");
    let out = file.to_str().unwrap();
    // Each command in text and in JSON, with what it must do: a command that fails where it
    // should succeed (or succeeds where it should fail) prints no profile text either, and
    // would otherwise pass unnoticed. `done` and `drop` refuse to run twice on one item, so
    // their JSON runs take other items.
    let runs: Vec<Run> = vec![
        both(
            vec!["list"],
            ok("6 items", ""),
            ok(r#""title": "Billing""#, ""),
        ),
        both(
            vec!["list", "--status", "all"],
            ok("7 items", ""),
            ok(r#""title": "Shipped""#, ""),
        ),
        both(
            vec!["show", "1"],
            ok("#1 Shipped", ""),
            ok(r#""title": "Shipped""#, ""),
        ),
        both(
            vec!["prep"],
            ok("# 1:1 agenda — Dana Whitfield", ""),
            ok(r#""person": "Dana Whitfield""#, ""),
        ),
        both(
            vec!["prep", "Sam"],
            ok("# 1:1 agenda — Sam Ortiz", ""),
            ok(r#""person": "Sam Ortiz""#, ""),
        ),
        both(
            vec!["update"],
            ok("Update since Mon 16 Nov:", "add --sent"),
            ok(r#""channel": "chat""#, ""),
        ),
        both(
            vec!["update", "Sam", "--channel", "email"],
            ok("Subject: Status update", "add --sent"),
            ok(r#""channel": "email""#, ""),
        ),
        both(
            vec!["nudges"],
            ok("Career goal #5", ""),
            ok(r#""kind": "career""#, ""),
        ),
        both(
            vec!["review"],
            ok("# Review packet: Alex", ""),
            ok(r#""me": "Alex""#, ""),
        ),
        // --json is JSON whatever --format says, as with export (docs/review.md).
        both(
            vec!["review", "--format", "html"],
            ok("<!DOCTYPE html>", ""),
            ok(r#""me": "Alex""#, ""),
        ),
        both(
            vec!["review", "--format", "json"],
            ok(r#""me": "Alex""#, ""),
            ok(r#""me": "Alex""#, ""),
        ),
        both(
            vec![
                "intake",
                "New thing",
                "--from",
                "Dana",
                "--due",
                "+5d",
                "--effort",
                "2d",
            ],
            ok("Fits: yes", ""),
            ok(r#""fits": true"#, ""),
        ),
        both(
            vec![
                "decline",
                "Side project",
                "--from",
                "Dana",
                "--reason",
                "Full plate",
            ],
            ok("thanks for thinking of me for \"Side project\"", ""),
            ok(r#""person": "Dana Whitfield""#, ""),
        ),
        both(
            vec!["search", "Billing"],
            ok("#4 priority", ""),
            ok(r#""title": "Billing""#, ""),
        ),
        both(
            vec!["config"],
            ok("config_file", ""),
            ok(r#""config_file""#, ""),
        ),
        both(
            vec!["meet", "--notes", "ok"],
            ok("Recorded your 1:1 with Dana Whitfield", ""),
            ok(r#""notes": "ok""#, ""),
        ),
        both(
            vec!["reflect", "--score", "rapport=4"],
            ok("Reflection on working with Dana Whitfield", ""),
            ok(r#""person": "Dana Whitfield""#, ""),
        ),
        both(
            vec!["update", "--sent"],
            ok("Update since we met", "recorded as sent"),
            ok(r#""sent": true"#, ""),
        ),
        both(
            vec!["add", "note", "later"],
            ok("Added note", ""),
            ok(r#""title": "later""#, ""),
        ),
        both(
            vec!["edit", "1", "--title", "Shipped it"],
            ok("Updated win #1", ""),
            ok(r#""title": "Shipped it""#, ""),
        ),
        text_only(vec!["done", "2"], ok("Done: risk #2", "")),
        json_only(vec!["done", "7"], ok(r#""status": "done""#, "")),
        text_only(vec!["drop", "3", "--why", "moot"], ok("Dropped", "")),
        json_only(
            vec!["drop", "6", "--why", "moot"],
            ok(r#""status": "dropped""#, ""),
        ),
        both(
            vec!["export", "--output", out],
            ok("", "hint: wrote 3 people"),
            ok("", "hint: wrote 3 people"),
        ),
        // Errors and hints.
        both(
            vec!["prep", "Zed"],
            fails(r#"no person named "Zed""#),
            fails(r#"no person named "Zed""#),
        ),
        both(
            vec!["person", "set", "Dana", "trust", "9"],
            fails("trust `9` is not valid"),
            fails("trust `9` is not valid"),
        ),
        both(
            vec!["person", "set", "Dana", "mood", "x"],
            fails("person field `mood` is not valid"),
            fails("person field `mood` is not valid"),
        ),
        both(
            vec!["add", "risk", "No mitigation"],
            ok("Added risk", "has no mitigation"),
            ok(r#""title": "No mitigation""#, "has no mitigation"),
        ),
        both(
            vec!["show", "999"],
            fails("no item #999"),
            fails("no item #999"),
        ),
        both(
            vec!["person", "add", "Dana Whitfield", "--relation", "peer"],
            fails("already exists"),
            fails("already exists"),
        ),
        both(
            vec!["import", out],
            fails("the database is not empty"),
            fails("the database is not empty"),
        ),
        // `person list` in a table (its JSON is the people, profiles included, as
        // docs/merge.md shows).
        text_only(vec!["person", "list"], ok("Sam Ortiz", "")),
    ];
    for (args, text, json) in runs {
        for (json, want) in [(false, text), (true, json)] {
            let Some(want) = want else { continue };
            let mut all = if json { vec!["--json"] } else { vec![] };
            all.extend_from_slice(&args);
            let run = env.run(&all);
            let (stdout, stderr) = (
                String::from_utf8_lossy(&run.stdout),
                String::from_utf8_lossy(&run.stderr),
            );
            let shown = format!("upward {all:?}:\nstdout: {stdout}\nstderr: {stderr}");
            assert!(!shown.contains("SECRET"), "showed profile text: {shown}");
            assert_eq!(run.status.code(), Some(want.code), "exit code of {shown}");
            assert!(
                stdout.contains(want.out),
                "expected {:?} in {shown}",
                want.out
            );
            assert!(
                stderr.contains(want.err),
                "expected {:?} in {shown}",
                want.err
            );
            if want.code != 0 {
                assert!(
                    stdout.is_empty() && stderr.starts_with("error: "),
                    "{shown}"
                );
            } else if want.out.is_empty() {
                assert!(stdout.is_empty(), "{shown}");
            } else if json && !want.out.starts_with('<') {
                serde_json::from_str::<serde_json::Value>(&stdout)
                    .unwrap_or_else(|e| panic!("not JSON ({e}): {shown}"));
            }
        }
    }
    // Asked for: shown.
    assert!(env.ok(&["person", "show", "Dana"]).contains("SECRETgoals"));
    assert!(env.ok(&["export"]).contains("SECRETgoals"));
    assert!(env.ok(&["search", "SECRETvalues"]).contains("Dana"));
    // And nothing but the database, its automatic backup (a copy as private as the
    // database: 0600 in a 0700 folder) and the export was written.
    let mut files = Vec::new();
    walk(env.dir.path(), &mut files);
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let backup = f.parent().unwrap().file_name().unwrap() == "backups"
            && name.starts_with("upward-")
            && name.ends_with(".db");
        assert!(
            name.starts_with("upward.db") || name == "out.json" || backup,
            "upward wrote {}",
            f.display()
        );
        if backup {
            assert_eq!(mode(f), 0o600, "{}", f.display());
            assert_eq!(mode(f.parent().unwrap()), 0o700, "{}", f.display());
        }
    }
}

/// What a run must do: its exit code, and text its stdout and its stderr must contain ("" for
/// anything; a success with `out` "" must print nothing on stdout).
struct Want {
    code: i32,
    out: &'static str,
    err: &'static str,
}

/// A command's arguments, and what it must do in text and with `--json` (`None`: not run so).
type Run<'a> = (Vec<&'a str>, Option<Want>, Option<Want>);

fn both(args: Vec<&str>, text: Want, json: Want) -> Run<'_> {
    (args, Some(text), Some(json))
}

fn text_only(args: Vec<&str>, text: Want) -> Run<'_> {
    (args, Some(text), None)
}

fn json_only(args: Vec<&str>, json: Want) -> Run<'_> {
    (args, None, Some(json))
}

fn ok(out: &'static str, err: &'static str) -> Want {
    Want { code: 0, out, err }
}

fn fails(err: &'static str) -> Want {
    Want {
        code: 1,
        out: "",
        err,
    }
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
