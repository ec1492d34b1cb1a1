//! What sync needs of the workspace (issue #12, docs/sync.md): a person's `email` (how sync
//! finds the other member of a space) and `account` (the link it makes), a meeting's
//! `shared_notes` and `their_notes`; set, shown, searched, exported and imported; and the
//! sync tables beside the records, which backups, `doctor` and the export live with.

use crate::harness::Env;
use serde_json::Value;

#[test]
fn an_email_is_set_shown_listed_and_cleared() {
    let env = Env::new().with_people();
    assert_eq!(env.json(&["person", "show", "Dana"])["email"], Value::Null);
    let list = env.ok(&["person", "list"]);
    assert!(
        !list.contains("EMAIL"),
        "no column while no one has one: {list}"
    );
    let out = env.ok(&["person", "set", "Dana", "email", "  Dana.W@Example.com "]);
    assert_eq!(out.trim(), "Set Dana Whitfield's email.");
    let p = env.json(&["person", "show", "Dana"]);
    assert_eq!(p["email"], "Dana.W@Example.com", "trimmed, kept as typed");
    assert_eq!(p["account"], Value::Null);
    let shown = env.ok(&["person", "show", "Dana"]);
    assert!(shown.contains("\nemail: Dana.W@Example.com\n"), "{shown}");
    let list = env.ok(&["person", "list"]);
    assert!(
        list.contains("EMAIL") && list.contains("Dana.W@Example.com"),
        "{list}"
    );
    // One address names one person, in any case.
    let e = env.fails(1, &["person", "set", "Sam", "email", "dana.w@EXAMPLE.com"]);
    assert!(e.contains("already Dana Whitfield's email"), "{e}");
    // Dana keeps hers when she sets it again in another case.
    env.ok(&["person", "set", "Dana", "email", "dana.w@example.com"]);
    env.ok(&["person", "set", "Dana", "email", ""]);
    assert_eq!(env.json(&["person", "show", "Dana"])["email"], Value::Null);
    env.ok(&["person", "set", "Sam", "email", "dana.w@example.com"]);
}

#[test]
fn a_bad_email_is_one_line_naming_the_accepted_form_and_changes_nothing() {
    let env = Env::new().with_people();
    env.ok(&["person", "set", "Dana", "email", "dana@example.com"]);
    for bad in [
        "dana",
        "dana@",
        "@example.com",
        "dana@@example.com",
        "dana smith@example.com",
        "Dana <dana@example.com>",
        "dana@example.com, sam@example.com",
        "dana\u{1b}[31m@example.com",
    ] {
        let e = env.fails(1, &["person", "set", "Dana", "email", bad]);
        assert!(
            e.starts_with("error: email `")
                && e.ends_with(
                    "is not valid — accepted: one address such as dana@example.com (name@host)"
                ),
            "{bad}: {e}"
        );
        assert!(!e.contains('\u{1b}'), "the escape is not replayed: {e}");
        let e = env.fails(
            1,
            &["person", "add", "Kim", "--relation", "peer", "--email", bad],
        );
        assert!(e.contains("(name@host)"), "{bad}: {e}");
    }
    let e = env.fails(1, &["person", "set", "Dana", "emails", "x@y"]);
    assert!(e.contains("role, email,"), "{e}");
}

#[test]
fn person_add_takes_an_email() {
    let env = Env::new().with_people();
    let p = env.json(&[
        "person",
        "add",
        "Kim Lee",
        "--relation",
        "peer",
        "--email",
        "kim@example.com",
    ]);
    assert_eq!(p["email"], "kim@example.com");
    let e = env.fails(
        1,
        &[
            "person",
            "add",
            "Kimberly",
            "--relation",
            "peer",
            "--email",
            "KIM@example.com",
        ],
    );
    assert!(e.contains("already Kim Lee's email"), "{e}");
}

#[test]
fn meet_takes_shared_notes_and_meeting_show_shows_them() {
    let env = Env::new().with_people();
    // Shared notes alone are something to record.
    let met = env.json(&["meet", "Dana", "--shared-notes", "We agreed: ship Friday"]);
    let id = met["meeting"]["id"].to_string();
    let m = env.json(&["meeting", "show", &id]);
    assert_eq!(
        m["meeting"]["shared_notes"], "We agreed: ship Friday",
        "{m}"
    );
    assert_eq!(m["meeting"]["their_notes"], Value::Null);
    assert_eq!(m["meeting"]["notes"], Value::Null);
    env.ok(&[
        "meet",
        "Dana",
        "--date",
        "2026-11-20",
        "--notes",
        "private: she seemed tired",
        "--shared-notes",
        "Roadmap\nreviewed",
    ]);
    let list = env.json(&["meetings", "Dana"]);
    let second = list
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["date"] == "2026-11-20")
        .unwrap();
    let shown = env.ok(&["meeting", "show", &second["id"].to_string()]);
    assert!(
        shown.contains("\nNotes:\nprivate: she seemed tired\n")
            && shown.contains("\nShared notes:\nRoadmap\nreviewed"),
        "{shown}"
    );
    assert!(!shown.contains("Their notes"), "{shown}");
    // Searched with the notes.
    let hits = env.json(&["search", "roadmap"]);
    assert_eq!(hits.as_array().unwrap().len(), 1, "{hits}");
    assert_eq!(hits[0]["source"], "meeting");
    // Refused as notes are.
    let e = env.fails(1, &["meet", "Dana", "--shared-notes", "a\u{7}b"]);
    assert!(e.contains("shared notes"), "{e}");
}

#[test]
fn export_and_import_keep_them_and_an_older_file_has_them_unset() {
    let env = Env::new().with_people();
    env.ok(&["person", "set", "Dana", "email", "dana@example.com"]);
    env.ok(&["meet", "Dana", "--notes", "mine", "--shared-notes", "ours"]);
    let mut doc = env.json(&["export"]);
    assert_eq!(doc["version"], upward_domain::export::VERSION);
    assert_eq!(upward_domain::export::VERSION, 5);
    // What sync writes (the link and their notes) travels too: set here in the file, as the
    // command line never writes them.
    let account = "6d2c7e1a-0000-4000-8000-00000000a11c";
    let dana = doc["people"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|p| p["name"] == "Dana Whitfield")
        .unwrap();
    assert_eq!(dana["email"], "dana@example.com");
    dana["account"] = account.into();
    doc["meetings"][0]["their_notes"] = "theirs\nin two lines".into();
    let file = env.path("export.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    let other = Env::new();
    other.ok(&["import", file.to_str().unwrap()]);
    let back = other.json(&["export"]);
    assert_eq!(back["people"], doc["people"]);
    assert_eq!(back["meetings"], doc["meetings"]);
    let shown = other.ok(&["person", "show", "Dana"]);
    assert!(
        shown.contains(&format!("linked by sync to account {account}")),
        "{shown}"
    );
    let m = other.ok(&["meeting", "show", &doc["meetings"][0]["id"].to_string()]);
    assert!(
        m.contains("\nShared notes:\nours\n") && m.contains("\nTheir notes:\ntheirs\nin two lines"),
        "{m}"
    );
    let md = other.ok(&["export", "--format", "md"]);
    assert!(
        md.contains("- email: dana@example.com\n")
            && md.contains(&format!("- account: {account}"))
            && md.contains("  - shared notes:\n    > ours\n")
            && md.contains("  - their notes:\n    > theirs\n    > in two lines\n"),
        "{md}"
    );
    // Two people linked to one account, or sharing an address, is not a workspace.
    let mut twice = doc.clone();
    twice["people"][1]["account"] = account.into();
    twice["people"][0]["account"] = account.into();
    std::fs::write(&file, twice.to_string()).unwrap();
    let e = Env::new().fails(1, &["import", file.to_str().unwrap()]);
    assert!(
        e.contains("linked to an account another person is linked to"),
        "{e}"
    );
    let mut bad = doc.clone();
    bad["people"][0]["email"] = "not an address".into();
    std::fs::write(&file, bad.to_string()).unwrap();
    let e = Env::new().fails(1, &["import", file.to_str().unwrap()]);
    assert!(e.contains("(name@host)"), "{e}");
    // A version 4 export (written before the fields existed) reads with them unset.
    let v4 = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../upward-store-sqlite/tests/fixtures/v4.json");
    let old = Env::new();
    old.ok(&["import", v4.to_str().unwrap()]);
    let back = old.json(&["export"]);
    for p in back["people"].as_array().unwrap() {
        assert_eq!(
            (&p["email"], &p["account"]),
            (&Value::Null, &Value::Null),
            "{p}"
        );
    }
    for m in back["meetings"].as_array().unwrap() {
        assert_eq!(
            (&m["shared_notes"], &m["their_notes"]),
            (&Value::Null, &Value::Null),
            "{m}"
        );
    }
}

/// Writes what a sync would leave in the workspace: the device, a link, operations pushed and
/// not, a record (as the lead's sync engine will, through the same tables).
fn synced(env: &Env) {
    let dana = env.json(&["person", "show", "Dana"])["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute_batch(&format!(
        "INSERT INTO sync_device (one, device) VALUES (1, '00000000-0000-4000-8000-0000000000de');
         INSERT INTO sync_spaces (space, server, person, me, other, my_role, cursor, clock, status)
             VALUES ('00000000-0000-4000-8000-00000000000a', 'https://upward.example.com',
                     '{dana}', '00000000-0000-4000-8000-0000000000a1',
                     '00000000-0000-4000-8000-0000000000a2', 'report', 3, 7, 'active');
         INSERT INTO sync_ops (id, space, envelope, payload, position, pushed, applied)
             VALUES ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-00000000000a',
                     X'7B7D', X'00FF', 3, 1, 1),
                    ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-00000000000a',
                     X'7B7D', X'01', NULL, 0, 1);
         INSERT INTO sync_records (space, record, state)
             VALUES ('00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-0000000000f0',
                     X'0102');"
    ))
    .unwrap();
}

fn sync_rows(db: &std::path::Path) -> Vec<i64> {
    let conn = rusqlite::Connection::open(db).unwrap();
    ["sync_device", "sync_spaces", "sync_ops", "sync_records"]
        .iter()
        .map(|t| {
            conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
                .unwrap()
        })
        .collect()
}

#[test]
fn the_sync_tables_are_not_exported_and_backups_and_doctor_keep_them() {
    let env = Env::new().with_people();
    env.ok(&["meet", "Dana", "--shared-notes", "ours"]);
    let before = env.ok(&["export"]);
    synced(&env);
    assert_eq!(sync_rows(&env.db), [1, 1, 2, 1]);
    // The export is the workspace, not the replica.
    let after = env.ok(&["export"]);
    assert_eq!(after, before);
    assert!(!after.contains("sync") && !after.contains("00000000-0000-4000-8000-0000000000de"));
    let out = env.ok(&["doctor"]);
    assert!(out.contains("No problems found."), "{out}");
    let made = env.json(&["backup"]);
    let backup = made["backup"].as_str().unwrap().to_string();
    assert_eq!(sync_rows(std::path::Path::new(&backup)), [1, 1, 2, 1]);
    env.ok(&["add", "note", "after the backup"]);
    env.json(&["doctor", "--restore", &backup]);
    assert_eq!(sync_rows(&env.db), [1, 1, 2, 1]);
    assert_eq!(env.ok(&["export"]), before);
    env.ok(&["doctor"]);
}
