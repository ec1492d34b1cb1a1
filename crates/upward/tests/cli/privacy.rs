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
    let runs: Vec<Vec<&str>> = vec![
        vec!["list"],
        vec!["list", "--status", "all"],
        vec!["show", "1"],
        vec!["prep"],
        vec!["prep", "Sam"],
        vec!["update"],
        vec!["update", "Sam", "--channel", "email"],
        vec!["nudges"],
        vec!["review"],
        vec!["review", "--format", "html"],
        vec!["review", "--format", "json"],
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
        vec![
            "decline",
            "Side project",
            "--from",
            "Dana",
            "--reason",
            "Full plate",
        ],
        vec!["search", "Billing"],
        vec!["config"],
        vec!["meet", "--notes", "ok"],
        vec!["reflect", "--score", "rapport=4"],
        vec!["update", "--sent"],
        vec!["add", "note", "later"],
        vec!["edit", "1", "--title", "Shipped it"],
        vec!["done", "2"],
        vec!["drop", "3", "--why", "moot"],
        vec!["export", "--output", file.to_str().unwrap()],
        // Errors and hints.
        vec!["prep", "Zed"],
        vec!["person", "set", "Dana", "trust", "9"],
        vec!["person", "set", "Dana", "mood", "x"],
        vec!["add", "risk", "No mitigation"],
        vec!["show", "999"],
        vec!["person", "add", "Dana Whitfield", "--relation", "peer"],
        vec!["import", file.to_str().unwrap()],
    ];
    // `person list` in a table (its JSON is the people, profiles included, as docs/merge.md shows).
    let runs = runs
        .into_iter()
        .map(|r| (r, true))
        .chain([(vec!["person", "list"], false)]);
    for (args, json_too) in runs {
        for json in [false, true] {
            if json && !json_too {
                continue;
            }
            let mut all = if json { vec!["--json"] } else { vec![] };
            all.extend_from_slice(&args);
            let out = env.run(&all);
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                !text.contains("SECRET"),
                "upward {all:?} showed profile text:\n{text}"
            );
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
