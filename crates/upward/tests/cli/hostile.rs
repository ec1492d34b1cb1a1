//! Hostile and malformed input (issue #5): a catalogue over every command and flag with empty
//! and blank strings, the longest argument Linux passes (128 KiB; 1 MB texts go in through
//! files), control characters, invalid UTF-8, right-to-left and emoji text, SQL, FTS, HTML
//! and markdown metacharacters, impossible and out-of-range dates, negative and huge
//! durations, ranks 0 and 10^12, and ids that overflow.
//!
//! Each run must either succeed with the value stored and rendered back exactly (`show
//! --json` and `show`, `person show`, `export`), or fail with exit 1 (2 for usage), one
//! `error:` line, nothing on stdout and the database unchanged. Never a panic (exit 101,
//! "panicked", "upward hit a bug"). Titles, names, tags and profile texts are stored trimmed
//! (and a tag without its `#`); bodies and the other texts byte for byte.

use crate::harness::Env;
use serde_json::Value;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// Runs commands against one database, remembering its content between runs so that every
/// refusal can be checked to have changed nothing.
struct Catalogue {
    env: Env,
    state: Option<u64>,
    ok: usize,
    refused: usize,
}

/// A run's outcome: stdout when it succeeded.
type Outcome = Option<String>;

impl Catalogue {
    fn new(env: Env) -> Catalogue {
        let state = fingerprint(&env);
        Catalogue {
            env,
            state,
            ok: 0,
            refused: 0,
        }
    }

    fn run_os(&mut self, args: &[OsString]) -> Outcome {
        let out = self.env.command().args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        let shown: Vec<String> = args
            .iter()
            .map(|a| {
                let s = a.to_string_lossy();
                if s.len() > 60 {
                    let cut: String = s.chars().take(30).collect();
                    format!("{cut}…({} bytes)", s.len())
                } else {
                    s.to_string()
                }
            })
            .collect();
        assert!(
            out.status.code() != Some(101)
                && !stderr.contains("panicked")
                && !stderr.contains("upward hit a bug"),
            "upward {shown:?} panicked: {stderr}"
        );
        match out.status.code() {
            Some(0) => {
                self.ok += 1;
                self.state = fingerprint(&self.env);
                Some(String::from_utf8(out.stdout).expect("stdout is UTF-8"))
            }
            Some(1) | Some(2) => {
                self.refused += 1;
                assert!(out.stdout.is_empty(), "upward {shown:?} printed on error");
                let lines: Vec<&str> = stderr.lines().collect();
                assert!(
                    lines.len() == 1 && lines[0].starts_with("error: "),
                    "upward {shown:?}: not one error line: {stderr}"
                );
                assert!(
                    !lines[0].contains('\x1b'),
                    "upward {shown:?}: an escape code in the error: {stderr}"
                );
                assert_eq!(
                    fingerprint(&self.env),
                    self.state,
                    "upward {shown:?} changed the database on error"
                );
                None
            }
            other => panic!("upward {shown:?}: exit {other:?}: {stderr}"),
        }
    }

    fn run(&mut self, args: &[&str]) -> Outcome {
        self.run_os(&args.iter().map(OsString::from).collect::<Vec<_>>())
    }

    /// Runs with `--json` and parses a success.
    fn json(&mut self, args: &[&str]) -> Option<Value> {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        self.run(&all)
            .map(|s| serde_json::from_str(&s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}")))
    }
}

/// The database's content as a hash of every row of its tables (the full-text indexes
/// derive from them), read in-process: the export would be slow with 128 KiB texts in it.
fn fingerprint(env: &Env) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    if !env.db.exists() {
        return None;
    }
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for table in [
        "people",
        "items",
        "meetings",
        "meeting_items",
        "updates",
        "reflections",
    ] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))
            .unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for i in 0..n {
                format!("{:?}", row.get_ref(i).unwrap()).hash(&mut h);
            }
        }
    }
    Some(h.finish())
}

/// The longest single argument Linux passes to a program (MAX_ARG_STRLEN is 128 KiB).
/// Less room for a prefix such as `rapport=`.
const LONG: usize = 128 * 1024 - 64;

/// Texts no one should have to type, and a few everyone does.
fn texts() -> Vec<String> {
    vec![
        String::new(),
        "   ".into(),
        "x".repeat(LONG),
        "é".repeat(LONG / 2),
        "\x1b[31mred\x1b[0m".into(),
        "line one\nline two".into(),
        "tab\tseparated".into(),
        "carriage\rreturn".into(),
        "\u{7f}delete".into(),
        "\u{85}next line".into(),
        "مرحبا بالعالم — تقرير الربع".into(),
        "שלום \u{202e}override\u{202c} עולם".into(),
        "🚀 ship it 👩\u{200d}💻 🇳🇱 e\u{301}".into(),
        "'; DROP TABLE items; --".into(),
        "\" OR 1=1 -- %_\\".into(),
        "NEAR(a b) OR c* AND -d ^e \"f".into(),
        "<script>alert(1)</script> &amp; <b>bold</b>".into(),
        "# heading\n**bold** [link](javascript:alert(1)) | table |".into(),
        "  padded  ".into(),
        "#hashtag".into(),
        "a,b".into(),
    ]
}

/// What a stored text reads back as: the rules in the module comment.
fn expected(text: &str, trimmed: bool) -> Option<String> {
    let t = if trimmed { text.trim() } else { text };
    (!text.trim().is_empty()).then(|| t.to_string())
}

fn s(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

/// A workspace with me, a manager, a peer and one item of each kind the flags need.
fn workspace() -> (Catalogue, Vec<(String, String)>) {
    let env = Env::new().with_people();
    let mut ids = Vec::new();
    for kind in [
        "note", "win", "risk", "blocker", "priority", "feedback", "action", "goal",
    ] {
        let v = env.json(&["add", kind, &format!("a {kind}")]);
        ids.push((kind.to_string(), v["id"].to_string()));
    }
    (Catalogue::new(env), ids)
}

/// The texts that also go to flags that only look a value up (a kind, a person, a level, a
/// field name): all those go through one parse each, so a few texts cover them.
fn few(text: &str) -> bool {
    text.is_empty()
        || text.len() == LONG
        || text.starts_with('\x1b')
        || text.starts_with('\'')
        || text.starts_with('ש')
        || text.starts_with('<')
}

#[test]
fn every_text_flag_of_add_and_edit() {
    let (mut cat, ids) = workspace();
    let id_of = |kind: &str| ids.iter().find(|(k, _)| k == kind).unwrap().1.clone();
    // (kind, flag, JSON key, stored trimmed)
    let flags = [
        ("note", "--body", "body", false),
        ("win", "--impact", "impact", false),
        ("win", "--metric", "metric", false),
        ("risk", "--mitigation", "mitigation", false),
        ("blocker", "--ask", "ask", false),
        ("blocker", "--data", "data", false),
        ("risk", "--outcome", "outcome", false),
    ];
    for text in texts() {
        // The title, on add and on edit.
        if let Some(v) = cat.json(&["add", "note", &text]) {
            assert_eq!(s(&v["title"]), expected(&text, true), "title {text:?}");
            let id = v["id"].to_string();
            let shown = cat.run(&["show", &id]).unwrap();
            assert!(shown.contains(text.trim()), "show: {shown}");
        }
        if let Some(v) = cat.json(&["edit", &id_of("note"), "--title", &text]) {
            assert_eq!(s(&v["title"]), expected(&text, true));
        }
        for (kind, flag, key, trimmed) in flags {
            if let Some(v) = cat.json(&["add", kind, "t", flag, &text]) {
                assert_eq!(s(&v[key]), expected(&text, trimmed), "{flag} {text:?}");
                // Rendered back: `show` prints every field (checked for the body on every
                // text, for the other fields on a few).
                if flag == "--body" || few(&text) {
                    let shown = cat.run(&["show", &v["id"].to_string()]).unwrap();
                    if let Some(want) = expected(&text, trimmed) {
                        assert!(shown.contains(&want), "show {flag}: {shown}");
                    }
                }
            }
            if let Some(v) = cat.json(&["edit", &id_of(kind), flag, &text]) {
                assert_eq!(s(&v[key]), expected(&text, trimmed), "edit {flag} {text:?}");
            }
        }
        // Tags: one word each.
        if let Some(v) = cat.json(&["add", "note", "t", "--tag", &text]) {
            let want = text.trim().trim_start_matches('#');
            assert_eq!(v["tags"], serde_json::json!([want]), "tag {text:?}");
            let listed = cat.json(&["list", "--tag", want]).unwrap();
            let ids: Vec<&Value> = listed
                .as_array()
                .unwrap()
                .iter()
                .map(|i| &i["id"])
                .collect();
            assert!(ids.contains(&&v["id"]), "list --tag {want:?}");
        }
        if let Some(v) = cat.json(&["drop", &id_of("action"), "--why", &text]) {
            assert_eq!(s(&v["why"]), expected(&text, false), "--why {text:?}");
            cat.run(&["reopen", &id_of("action")]).unwrap();
        }
        if !few(&text) {
            continue;
        }
        // Flags that look the text up: a tag, a person, a kind, a status, a level.
        cat.run(&["list", "--tag", &text]);
        cat.run(&["add", "note", "t", "--with", &text]);
        cat.run(&["edit", &id_of("note"), "--with", &text]);
        cat.run(&["list", "--with", &text]);
        cat.run(&["add", &text, "t"]);
        cat.run(&["list", &text]);
        cat.run(&["list", "--status", &text]);
        for (kind, flag) in [
            ("risk", "--likelihood"),
            ("risk", "--severity"),
            ("action", "--owner"),
            ("feedback", "--direction"),
            ("feedback", "--tone"),
            ("feedback", "--consent"),
            ("risk", "--state"),
            ("priority", "--remaining"),
            ("win", "--for"),
            ("feedback", "--answers"),
        ] {
            cat.run(&["add", kind, "t", flag, &text]);
            cat.run(&["edit", &id_of(kind), flag, &text]);
        }
        cat.run(&["meet", "--consent-asked", &text]);
    }
    // And the whole database exports and imports back as it is.
    let export = cat.env.ok(&["export"]);
    let fresh = Env::new();
    let file = fresh.path("back.json");
    std::fs::write(&file, &export).unwrap();
    fresh.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(fresh.ok(&["export"]), export);
    eprintln!("add/edit texts: {} stored, {} refused", cat.ok, cat.refused);
}

#[test]
fn names_profiles_and_the_workflows_texts() {
    let (mut cat, _) = workspace();
    for text in texts() {
        // A person by that name, and the profile set to it.
        if let Some(v) = cat.json(&["person", "add", &text, "--relation", "peer"]) {
            assert_eq!(s(&v["name"]), expected(&text, true));
            let shown = cat.run(&["person", "show", text.trim()]).unwrap();
            assert!(shown.contains(text.trim()));
            cat.run(&["person", "rm", text.trim()]).unwrap();
        }
        let role = [
            "person",
            "add",
            "Kim",
            "--relation",
            "peer",
            "--role",
            &text,
        ];
        if let Some(v) = cat.json(&role) {
            assert_eq!(s(&v["role"]), expected(&text, true));
            cat.run(&["person", "rm", "Kim"]).unwrap();
        }
        let fields: &[&str] = if few(&text) {
            &[
                "role",
                "goals",
                "priorities",
                "pressures",
                "motivations",
                "values",
                "strengths",
                "blind_spots",
                "pet_peeves",
                "happiest",
            ]
        } else {
            &["goals", "pet_peeves"]
        };
        for &field in fields {
            if let Some(v) = cat.json(&["person", "set", "Sam", field, &text]) {
                assert_eq!(s(&v[field]), expected(&text, true), "{field} {text:?}");
                if let Some(want) = expected(&text, true) {
                    let shown = cat.run(&["person", "show", "Sam"]).unwrap();
                    let first = want.lines().next().unwrap();
                    assert!(shown.contains(first), "{field}: {shown}");
                }
            }
        }
        cat.run(&["init", "--me", "Alex", "--role", &text]);

        // The texts the workflows store.
        if let Some(v) = cat.json(&["meet", "Dana", "--notes", &text]) {
            assert_eq!(s(&v["meeting"]["notes"]), expected(&text, false));
        }
        if let Some(v) = cat.json(&["meet", "Dana", "--shared-notes", &text]) {
            assert_eq!(s(&v["meeting"]["shared_notes"]), expected(&text, false));
        }
        let action = format!("{text}@them");
        if let Some(v) = cat.json(&["meet", "Dana", "--action", &action]) {
            assert_eq!(s(&v["actions"][0]["title"]), expected(&text, true));
        }
        let answer = format!("rapport={text}");
        let reflect = [
            "reflect",
            "Dana",
            "--score",
            "rapport=4",
            "--answer",
            &answer,
        ];
        if cat.json(&reflect).is_some() {
            let export: Value = serde_json::from_str(&cat.env.ok(&["export"])).unwrap();
            let all = export["reflections"].as_array().unwrap();
            let last = all.last().unwrap();
            assert_eq!(s(&last["answers"]["rapport"]), expected(&text, false));
        }
        cat.run(&["search", &text]);
        // The tone check reads any text, and opens no database.
        cat.run(&["check", &text]);
        cat.run(&["check", "--feedback", &text]);
        cat.run(&[
            "add",
            "feedback",
            "f",
            "--tone",
            "constructive",
            "--body",
            &text,
        ]);
        cat.run(&["add", "blocker", "b", "--ask", &text]);
        cat.run(&[
            "intake", &text, "--from", "Dana", "--due", "+5d", "--effort", "2d",
        ]);
        cat.run(&["decline", &text, "--from", "Dana", "--reason", "full"]);
        cat.run(&["decline", "t", "--from", "Dana", "--reason", &text]);
        let alt = [
            "decline",
            "t",
            "--from",
            "Dana",
            "--reason",
            "r",
            "--alternative",
            &text,
        ];
        cat.run(&alt);
        if !few(&text) {
            continue;
        }
        // Flags that look the text up.
        for field in [
            "channel",
            "length",
            "decides_by",
            "feedback",
            "cadence",
            "trust",
            "technical",
            "exec",
            "email",
            "relation",
            "name",
            &text,
        ] {
            cat.run(&["person", "set", "Sam", field, &text]);
        }
        cat.json(&["person", "set", "Sam", "name", "Sam Ortiz"]);
        cat.run(&["person", "add", "Kim", "--relation", &text]);
        cat.run(&[
            "person",
            "add",
            "Kim",
            "--relation",
            "peer",
            "--technical",
            &text,
        ]);
        cat.run(&[
            "person",
            "add",
            "Kim",
            "--relation",
            "peer",
            "--exec",
            &text,
        ]);
        cat.run(&[
            "person",
            "add",
            "Kim",
            "--relation",
            "peer",
            "--email",
            &text,
        ]);
        cat.run(&["update", &text, "--brief"]);
        cat.run(&["person", "show", &text]);
        cat.run(&["person", "rm", &text]);
        cat.run(&["init", "--me", &text]);
        cat.run(&["init", "--me", "Alex", "--manager", &text]);
        cat.run(&["init", "--me", "Alex", "--manager", "Dana Whitfield"]);
        cat.run(&["prep", &text]);
        cat.run(&["update", &text]);
        cat.run(&["update", "--channel", &text]);
        cat.run(&["search", "--limit", &text, "x"]);
        cat.run(&["meet", "Dana", "--action", &text]);
        cat.run(&["meet", "Dana", "--discussed", &text]);
        cat.run(&["meet", &text]);
        cat.run(&[
            "intake", "t", "--from", &text, "--due", "+5d", "--effort", "2d",
        ]);
        cat.run(&["reflect", "Dana", "--score", &text]);
        cat.run(&["reflect", &text, "--score", "rapport=3"]);
        cat.run(&["reflect", "Dana", "--score", &format!("{text}=3")]);
        cat.run(&["review", "--format", &text]);
        cat.run(&["export", "--format", &text]);
        cat.run(&["completions", &text]);
        cat.run(&["show", &text]);
        cat.run(&["done", &text]);
        cat.run(&["reopen", &text]);
    }
    // The review page escapes what it shows.
    let html = cat.env.ok(&["review", "--format", "html"]);
    assert!(
        !html.contains("<script>alert"),
        "unescaped HTML in the review"
    );
    eprintln!(
        "names and workflows: {} ok, {} refused",
        cat.ok, cat.refused
    );
}

#[test]
fn dates_durations_ranks_and_ids() {
    let (mut cat, ids) = workspace();
    let id_of = |kind: &str| ids.iter().find(|(k, _)| k == kind).unwrap().1.clone();
    let dates = [
        "2026-02-30",
        "2026-02-29",
        "2028-02-29",
        "0000-01-01",
        "0999-12-31",
        "1000-01-01",
        "9999-12-31",
        "10000-01-01",
        "-2026-01-01",
        "+99999d",
        "-99999d",
        "+3650d",
        "+520w",
        "+120m",
        "in 99999999999999999999 days",
        "2026-13-01",
        "2026-11-22T09:30:00Z",
        "",
        "   ",
        "next someday",
        "١٢-١١-٢٠٢٦",
    ];
    for d in dates {
        for (kind, flag, key) in [
            ("action", "--due", "due"),
            ("win", "--date", "date"),
            ("priority", "--confirmed", "confirmed"),
            ("risk", "--communicated", "communicated"),
            ("blocker", "--escalated", "escalated"),
            ("goal", "--last-discussed", "last_discussed"),
        ] {
            if let Some(v) = cat.json(&["edit", &id_of(kind), flag, d]) {
                let stored = v[key].as_str().unwrap().to_string();
                let year: i32 = stored[..4].parse().unwrap();
                assert!(
                    (1000..=9999).contains(&year),
                    "{flag} {d:?} stored {stored}"
                );
            }
            if flag == "--due" {
                cat.run(&["add", kind, "t", flag, d]);
            }
        }
        cat.run(&["list", "--since", d]);
        cat.run(&["review", "--from", d]);
        cat.run(&["review", "--to", d, "--format", "md"]);
        cat.run(&["update", "Dana", "--since", d]);
        cat.run(&["meet", "Dana", "--date", d]);
        cat.run(&["meet", "Dana", "--action", &format!("call@me:{d}")]);
        cat.run(&[
            "intake", "t", "--from", "Dana", "--due", d, "--effort", "1d",
        ]);
        let v = cat.env.json(&["add", "promise", "p"]);
        cat.state = fingerprint(&cat.env);
        cat.run(&["done", &v["id"].to_string(), "--date", d]);
        // UPWARD_NOW: a bad one is an error, not the real date.
        let env = Env {
            now: d.to_string(),
            ..Env::new()
        };
        if !d.trim().is_empty() {
            let out = env.run(&["list"]);
            assert!(
                out.status.code() == Some(1) || out.status.success(),
                "UPWARD_NOW={d:?}"
            );
        }
    }
    for dur in [
        "-3d",
        "0d",
        "3650d",
        "3651d",
        "521w",
        "121m",
        "99999999999999999999d",
        "1.5d",
        "",
        "d",
    ] {
        if let Some(v) = cat.json(&["edit", &id_of("priority"), "--effort", dur]) {
            assert_eq!(s(&v["effort"]), Some(dur.to_string()));
        }
        cat.run(&[
            "intake", "t", "--from", "Dana", "--due", "+5d", "--effort", dur,
        ]);
        cat.run(&["person", "set", "Dana", "cadence", dur]);
        cat.run(&[
            "person",
            "add",
            "Kim",
            "--relation",
            "peer",
            "--cadence",
            dur,
        ])
        .map(|_| cat.run(&["person", "rm", "Kim"]));
    }
    let numbers = [
        "0",
        "-1",
        "1",
        "100000",
        "100001",
        "1000000000000",
        "9223372036854775807",
        "9223372036854775808",
        "99999999999999999999999",
        "-9223372036854775808",
        "1e3",
        "#1",
        " 2 ",
        "٣",
        "",
    ];
    for n in numbers {
        if let Some(v) = cat.json(&["edit", &id_of("priority"), "--rank", n]) {
            let rank = v["rank"].as_i64().unwrap();
            assert!((1..=100_000).contains(&rank), "--rank {n:?} stored {rank}");
        }
        cat.run(&["add", "priority", "t", "--rank", n]);
        cat.run(&[
            "intake", "t", "--from", "Dana", "--due", "+5d", "--effort", "1d", "--accept",
            "--rank", n,
        ]);
        for cmd in ["show", "done", "drop", "reopen"] {
            cat.run(&[cmd, n]);
        }
        cat.run(&["edit", n, "--title", "x"]);
        cat.run(&["meet", "Dana", "--discussed", n]);
        cat.run(&[
            "meet",
            "Dana",
            "--discussed",
            &format!("{},{n}", id_of("note")),
        ]);
        cat.run(&["search", "--limit", n, "a"]);
        cat.run(&["person", "set", "Dana", "trust", n]);
        cat.run(&["reflect", "Dana", "--score", &format!("rapport={n}")]);
    }
    // Priorities keep dense ranks whatever was asked.
    let mut ranks: Vec<i64> = cat
        .env
        .json(&["list", "priority"])
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["rank"].as_i64().unwrap())
        .collect();
    ranks.sort();
    assert_eq!(ranks, (1..=ranks.len() as i64).collect::<Vec<_>>());
    eprintln!("dates and numbers: {} ok, {} refused", cat.ok, cat.refused);
}

/// Invalid UTF-8 in every argument: a usage error for a text (exit 2, one line), and for a
/// path (`--db`, `import FILE`, `export --output`) a file name like any other.
#[test]
fn invalid_utf8_in_arguments() {
    let (mut cat, _) = workspace();
    let bad = OsStr::from_bytes(b"caf\xe9 \xff\xfe").to_os_string();
    let with = |args: &[&str], at: usize| -> Vec<OsString> {
        let mut v: Vec<OsString> = args.iter().map(OsString::from).collect();
        v.insert(at, bad.clone());
        v
    };
    let cases: Vec<Vec<OsString>> = vec![
        with(&["add", "note"], 1),
        with(&["add", "note"], 2),
        with(&["add", "note", "t", "--body"], 4),
        with(&["add", "note", "t", "--tag"], 4),
        with(&["add", "note", "t", "--with"], 4),
        with(&["add", "action", "t", "--due"], 4),
        with(&["edit", "1", "--title"], 3),
        with(&["show"], 1),
        with(&["list"], 1),
        with(&["list", "--since"], 2),
        with(&["person", "add", "--relation", "peer"], 2),
        with(&["person", "set", "Dana", "goals"], 4),
        with(&["person", "show"], 2),
        with(&["init", "--me"], 2),
        with(&["search"], 1),
        with(&["prep"], 1),
        with(&["meet", "Dana", "--notes"], 3),
        with(&["meet", "Dana", "--shared-notes"], 3),
        with(&["meet", "Dana", "--action"], 3),
        with(&["update", "Dana", "--channel"], 3),
        with(
            &["intake", "--from", "Dana", "--due", "fri", "--effort", "1d"],
            1,
        ),
        with(&["decline", "t", "--from", "Dana", "--reason"], 5),
        with(&["reflect", "Dana", "--answer"], 3),
        with(&["review", "--from"], 2),
        with(&["drop", "1", "--why"], 3),
        with(&["completions"], 1),
        with(&[], 0),
    ];
    for args in cases {
        assert!(cat.run_os(&args).is_none(), "{args:?} succeeded");
    }
    // Paths are bytes on Unix: a database, an export and an import file named so.
    let dir = cat.env.dir.path().to_path_buf();
    let mut db = dir.clone().into_os_string();
    db.push("/");
    db.push(&bad);
    db.push(".db");
    let mut out = dir.into_os_string();
    out.push("/");
    out.push(&bad);
    out.push(".json");
    let args = |a: &[&str]| -> Vec<OsString> {
        let mut v = vec![OsString::from("--db"), db.clone()];
        v.extend(a.iter().map(OsString::from));
        v
    };
    cat.run_os(&args(&["add", "note", "in a byte-named file"]))
        .unwrap();
    let mut export = args(&["export", "--output"]);
    export.push(out.clone());
    cat.run_os(&export).unwrap();
    let mut import = vec![OsString::from("import"), out];
    cat.state = fingerprint(&cat.env);
    assert!(
        cat.run_os(&import).is_none(),
        "import into a non-empty database"
    );
    import.push("--merge".into());
    cat.run_os(&import).unwrap();
    let titles = cat.env.ok(&["list", "note"]);
    assert!(titles.contains("in a byte-named file"));
    // An environment that is not UTF-8 is refused, not ignored.
    let out = cat
        .env
        .command()
        .env("UPWARD_NOW", OsStr::from_bytes(b"2026-11-\xff"))
        .args(["list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("UPWARD_NOW"));
}

/// A change to an export document.
type Change<'a> = Box<dyn Fn(&mut Value) + 'a>;

/// Files: 1 MB texts, control characters, NUL, invalid UTF-8, metacharacters, out-of-range
/// values and broken references in an import; a config file that is not UTF-8.
#[test]
fn hostile_import_files_and_one_megabyte_texts() {
    let src = Env::new().with_people();
    src.ok(&["add", "note", "seed"]);
    let good: Value = serde_json::from_str(&src.ok(&["export"])).unwrap();
    let env = Env::new();
    let mut cat = Catalogue::new(env);
    let megabyte = "abc—🚀 <b>&</b> '; DROP TABLE items; -- مرحبا\n".repeat(1_000_000 / 64);
    let variants: Vec<(&str, Change, bool)> = vec![
        (
            "1 MB body",
            Box::new(|v| v["items"][0]["body"] = megabyte.clone().into()),
            true,
        ),
        (
            "1 MB goals",
            Box::new(|v| v["people"][1]["goals"] = megabyte.clone().into()),
            true,
        ),
        (
            "over 1 MiB",
            Box::new(|v| v["items"][0]["body"] = "x".repeat((1 << 20) + 1).into()),
            false,
        ),
        (
            "escape in body",
            Box::new(|v| v["items"][0]["body"] = "\x1b]0;pwned\x07".into()),
            false,
        ),
        (
            "NUL in body",
            Box::new(|v| v["items"][0]["body"] = "a\0b".into()),
            false,
        ),
        (
            "escape in goals",
            Box::new(|v| v["people"][1]["goals"] = "\x1b[2J".into()),
            false,
        ),
        (
            "newline in title",
            Box::new(|v| v["items"][0]["title"] = "a\nb".into()),
            false,
        ),
        (
            "empty title",
            Box::new(|v| v["items"][0]["title"] = "".into()),
            false,
        ),
        (
            "RTL and emoji",
            Box::new(|v| v["items"][0]["title"] = "שלום 🚀 e\u{301}".into()),
            true,
        ),
        (
            "bad tag",
            Box::new(|v| v["items"][0]["tags"] = serde_json::json!(["two words"])),
            false,
        ),
        (
            "date 2026-02-30",
            Box::new(|v| v["items"][0]["created"] = "2026-02-30".into()),
            false,
        ),
        (
            "date 0000-01-01",
            Box::new(|v| v["items"][0]["due"] = "0000-01-01".into()),
            false,
        ),
        ("id 0", Box::new(|v| v["items"][0]["id"] = 0.into()), false),
        (
            "id -1",
            Box::new(|v| v["items"][0]["id"] = (-1).into()),
            false,
        ),
        (
            "id overflow",
            Box::new(|v| v["items"][0]["id"] = serde_json::json!(1e30)),
            false,
        ),
        (
            "huge id",
            Box::new(|v| v["items"][0]["id"] = i64::MAX.into()),
            true,
        ),
        (
            "rank 10^12",
            Box::new(|v| {
                v["items"][0]["kind"] = "priority".into();
                v["items"][0]["rank"] = 1_000_000_000_000i64.into();
            }),
            false,
        ),
        (
            "rank 0",
            Box::new(|v| {
                v["items"][0]["kind"] = "priority".into();
                v["items"][0]["rank"] = 0.into();
            }),
            false,
        ),
        (
            "negative effort",
            Box::new(|v| {
                v["items"][0]["kind"] = "priority".into();
                v["items"][0]["effort"] = "-3d".into();
            }),
            false,
        ),
        (
            "unknown person",
            Box::new(|v| v["items"][0]["person"] = "Nobody".into()),
            false,
        ),
        (
            "unknown kind",
            Box::new(|v| v["items"][0]["kind"] = "todo".into()),
            false,
        ),
        (
            "bad uuid",
            Box::new(|v| v["items"][0]["uuid"] = "not-a-uuid".into()),
            false,
        ),
        (
            "two me",
            Box::new(|v| v["people"][1]["is_me"] = true.into()),
            false,
        ),
        (
            "trust 9",
            Box::new(|v| v["people"][1]["trust"] = 9.into()),
            false,
        ),
        (
            "SQL in name",
            Box::new(|v| {
                v["people"][2]["name"] = "Robert'); DROP TABLE people;--".into();
            }),
            true,
        ),
    ];
    for (name, change, accepted) in &variants {
        let mut doc = good.clone();
        change(&mut doc);
        let text = serde_json::to_string_pretty(&doc).unwrap();
        let file = cat.env.path("hostile.json");
        std::fs::write(&file, &text).unwrap();
        let out = cat.run(&["import", file.to_str().unwrap()]);
        assert_eq!(out.is_some(), *accepted, "{name}");
        if out.is_some() {
            // Stored and rendered back exactly: the export is the file.
            let back: Value = serde_json::from_str(&cat.env.ok(&["export"])).unwrap();
            let mut want = doc.clone();
            want["exported"] = back["exported"].clone();
            assert!(back == want, "{name}: the export differs from the file");
            let id = back["items"][0]["id"].to_string();
            let shown = cat.env.ok(&["show", &id]);
            assert!(shown.contains(back["items"][0]["title"].as_str().unwrap()));
            let html = cat
                .env
                .ok(&["review", "--format", "html", "--from", "2000-01-01"]);
            assert!(!html.contains("<b>&</b>"), "{name}: unescaped");
            // Start again from an empty database.
            cat.env.ok(&["list"]);
            for suffix in ["", "-wal", "-shm"] {
                let mut p = cat.env.db.clone().into_os_string();
                p.push(suffix);
                let _ = std::fs::remove_file(p);
            }
            cat.state = fingerprint(&cat.env);
        }
    }
    // The same 1 MB text through standard input.
    let mut doc = good.clone();
    doc["items"][0]["body"] = megabyte.clone().into();
    let out = cat.env.run_stdin(
        &["import", "-"],
        serde_json::to_string(&doc).unwrap().as_bytes(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = cat.env.json(&["show", &doc["items"][0]["id"].to_string()]);
    assert_eq!(v["body"].as_str(), Some(megabyte.as_str()));
    // Invalid UTF-8 and a NUL byte in a file; a config file that is not UTF-8.
    for bytes in [
        &b"{\"format\": \"upward\", \"x\": \"\xff\"}"[..],
        b"\0\0\0",
        b"",
    ] {
        let file = cat.env.path("bytes.json");
        std::fs::write(&file, bytes).unwrap();
        cat.state = fingerprint(&cat.env);
        assert!(cat.run(&["import", file.to_str().unwrap()]).is_none());
    }
    let config = cat.env.dir.path().join("config").join("upward");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), b"db = \"\xff\"\n").unwrap();
    assert!(cat.run(&["list"]).is_none());
    std::fs::write(config.join("config.toml"), b"color = \"\x1b[31m\"\n").unwrap();
    assert!(cat.run(&["list"]).is_none());
}

/// Every input that crashed a fuzz target (fuzz/regressions/, see fuzz/README.md), through
/// the real binary: a clean refusal or a lossless import, never a panic.
#[test]
fn fuzz_regressions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions/import");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no regressions in {}", dir.display());
    let ids = |v: &Value| -> Vec<(String, Value, Value)> {
        let mut out = Vec::new();
        for list in ["items", "meetings", "updates", "reflections"] {
            for r in v[list].as_array().into_iter().flatten() {
                out.push((list.to_string(), r["id"].clone(), r["uuid"].clone()));
            }
        }
        out.sort_by_key(|(l, id, u)| format!("{l} {id} {u}"));
        out
    };
    for file in files {
        let mut cat = Catalogue::new(Env::new());
        if cat.run(&["import", file.to_str().unwrap()]).is_some() {
            let doc: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
            let back: Value = serde_json::from_str(&cat.env.ok(&["export"])).unwrap();
            assert_eq!(
                ids(&back),
                ids(&doc),
                "{}: ids changed on import",
                file.display()
            );
        }
    }
}
