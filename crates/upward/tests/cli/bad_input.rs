//! Every bad input of issue #2: one `error:` line naming the problem and the accepted forms,
//! exit 1 (2 for usage), no panic, and the database exactly as before (`Env::fails`).

use crate::harness::{Env, mode};

#[test]
fn unknown_kind() {
    let env = Env::new().with_people();
    let e = env.fails(1, &["add", "wins", "x"]);
    assert_eq!(
        e,
        "error: kind `wins` is not valid — accepted: win, priority, expectation, risk, blocker, promise, action, feedback, goal, topic, note, idea"
    );
    env.fails(1, &["list", "todo"]);
}

#[test]
fn unknown_ambiguous_and_duplicate_person() {
    let env = Env::new().with_people();
    env.ok(&["person", "add", "Samantha", "--relation", "peer"]);
    assert!(
        env.fails(1, &["prep", "Zed"])
            .contains("no person named \"Zed\"")
    );
    assert!(
        env.fails(1, &["prep", "Sa"])
            .contains("matches several people")
    );
    assert!(
        env.fails(1, &["person", "add", "SAM ORTIZ", "--relation", "peer"])
            .contains("already exists")
    );
    assert!(
        env.fails(1, &["person", "add", "Kim", "--relation", "boss"])
            .contains("accepted: manager, skip, peer, report, stakeholder")
    );
    assert!(
        env.fails(1, &["person", "set", "Dana", "mood", "x"])
            .contains("accepted: name, relation, role, email, goals")
    );
    assert!(
        env.fails(1, &["person", "set", "Dana", "trust", "9"])
            .contains("1 to 5")
    );
}

#[test]
fn a_kind_flag_on_the_wrong_kind() {
    let env = Env::new();
    assert_eq!(
        env.fails(1, &["add", "win", "x", "--severity", "high"]),
        "error: --severity does not apply to a win — it is for: risk"
    );
    let n = env.json(&["add", "note", "n"]);
    let e = env.fails(1, &["edit", &n["id"].to_string(), "--owner", "them"]);
    assert!(e.contains("--owner does not apply to a note"), "{e}");
}

#[test]
fn enum_values_out_of_range() {
    let env = Env::new();
    assert_eq!(
        env.fails(1, &["add", "risk", "x", "--severity", "extreme"]),
        "error: level `extreme` is not valid — accepted: low, medium, high"
    );
    assert!(
        env.fails(1, &["add", "action", "x", "--owner", "you"])
            .contains("accepted: me, them")
    );
    assert!(
        env.fails(1, &["add", "feedback", "x", "--consent", "maybe"])
            .contains("accepted: yes, no")
    );
    assert!(
        env.fails(1, &["list", "--status", "closed"])
            .contains("accepted: open, done, dropped, all")
    );
    assert!(
        env.fails(1, &["update", "--channel", "fax"])
            .contains("accepted: in-person, chat, email, video")
    );
}

#[test]
fn dates_and_durations_that_do_not_parse() {
    let env = Env::new();
    for bad in [
        "2026-02-30",
        "someday",
        "0000-01-01",
        "+99999d",
        "31/12/2026",
    ] {
        let e = env.fails(1, &["add", "action", "x", "--due", bad]);
        assert!(e.contains(bad) && e.contains("accepted"), "{e}");
    }
    for bad in ["-3d", "3", "1.5d", "fortnight"] {
        let e = env.fails(1, &["add", "priority", "x", "--effort", bad]);
        assert!(e.contains("accepted") && e.contains("3d"), "{e}");
    }
    let e = Env {
        now: "not-a-date".into(),
        ..Env::new()
    }
    .fails(1, &["list"]);
    assert!(e.contains("UPWARD_NOW"), "{e}");
}

#[test]
fn empty_title_and_ids_that_do_not_exist() {
    let env = Env::new();
    env.ok(&["add", "note", "kept"]);
    assert!(env.fails(1, &["add", "note", "   "]).contains("title"));
    assert!(env.fails(1, &["show", "999"]).contains("no item #999"));
    assert!(
        env.fails(1, &["done", "abc"])
            .contains("accepted: a number")
    );
    assert!(
        env.fails(1, &["drop", "99999999999999999999999"])
            .contains("accepted: a number")
    );
    assert!(env.fails(1, &["edit", "1"]).contains("nothing to change"));
}

#[test]
fn usage_errors_exit_2_on_one_line() {
    let env = Env::new();
    let e = env.fails(2, &["add"]);
    assert!(e.contains("required"), "{e}");
    let e = env.fails(2, &["frobnicate"]);
    assert!(e.contains("frobnicate"), "{e}");
    let e = env.fails(2, &["review", "--format", "pdf"]);
    assert!(e.contains("accepted: md, html, json"), "{e}");
}

#[test]
fn a_file_that_is_not_an_upward_database_is_left_untouched() {
    let env = Env::new();
    let path = env.path("notes.txt");
    std::fs::write(&path, "my private notes\n").unwrap();
    let out = env.run(&["--db", path.to_str().unwrap(), "add", "note", "x"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is not an upward database") && err.contains("untouched"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "my private notes\n"
    );
    assert!(!env.path("notes.txt-wal").exists());

    // Another application's SQLite database.
    let other = env.path("other.sqlite");
    let conn = rusqlite::Connection::open(&other).unwrap();
    conn.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .unwrap();
    drop(conn);
    let before = std::fs::read(&other).unwrap();
    let out = env.run(&["--db", other.to_str().unwrap(), "list"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(&other).unwrap(), before);
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_left_untouched() {
    let env = Env::new();
    env.ok(&["add", "note", "x"]);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.pragma_update(None, "user_version", 999).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    drop(conn);
    let before = std::fs::read(&env.db).unwrap();
    let out = env.run(&["add", "note", "y"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("newer upward") && err.contains("999"), "{err}");
    assert_eq!(std::fs::read(&env.db).unwrap(), before);
    assert_eq!(mode(&env.db), 0o600);
}

#[test]
fn import_files_that_are_not_exports_write_nothing() {
    let env = Env::new().with_people();
    env.ok(&["add", "win", "w"]);
    let good = env.ok(&["export"]);
    let fresh = Env::new();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated.json",
            good.as_bytes()[..good.len() / 2].to_vec(),
            "not valid JSON",
        ),
        ("notjson.json", b"hello".to_vec(), "not valid JSON"),
        (
            "other.json",
            br#"{"format":"jrnl","version":1}"#.to_vec(),
            "not an upward export",
        ),
        (
            "future.json",
            good.replace(
                &format!("\"version\": {}", upward_domain::export::VERSION),
                "\"version\": 99",
            )
            .into_bytes(),
            "version 99",
        ),
        ("binary.json", vec![0xff, 0xfe, 0x00, 0x41], "not UTF-8"),
    ];
    for (name, bytes, expect) in cases {
        let path = fresh.path(name);
        std::fs::write(&path, bytes).unwrap();
        let e = fresh.fails(1, &["import", path.to_str().unwrap()]);
        assert!(e.contains(expect), "{name}: {e}");
    }
    assert!(
        fresh
            .json(&["list", "--status", "all"])
            .as_array()
            .unwrap()
            .is_empty()
    );
}
