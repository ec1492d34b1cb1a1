//! Export and import: lossless round trips, merge by uuid, private files.

use crate::harness::{Env, mode};
use serde_json::Value;

fn sorted(v: &Value) -> String {
    // serde_json without preserve_order sorts keys; re-serialise through a BTreeMap value.
    let v: Value = serde_json::from_str(&v.to_string()).unwrap();
    fn sort(v: &Value) -> Value {
        match v {
            Value::Object(m) => {
                let b: std::collections::BTreeMap<_, _> =
                    m.iter().map(|(k, v)| (k.clone(), sort(v))).collect();
                serde_json::to_value(b).unwrap()
            }
            Value::Array(a) => Value::Array(a.iter().map(sort).collect()),
            other => other.clone(),
        }
    }
    serde_json::to_string_pretty(&sort(&v)).unwrap()
}

/// A workspace with every kind, a meeting with actions, an update and a reflection.
fn full() -> Env {
    let env = Env::new().with_people();
    for args in [
        vec![
            "add",
            "win",
            "Shipped the exporter",
            "--metric",
            "0 data loss",
            "--tag",
            "infra",
            "--date",
            "2026-11-02",
        ],
        vec![
            "add",
            "priority",
            "Billing",
            "--effort",
            "2w",
            "--due",
            "2026-12-18",
            "--with",
            "Dana",
        ],
        vec![
            "add",
            "expectation",
            "Lead on-call",
            "--metric",
            "MTTR < 1h",
        ],
        vec!["add", "risk", "Vendor sunset", "--severity", "high"],
        vec!["add", "blocker", "No staging", "--ask", "Approve RDS"],
        vec![
            "add",
            "promise",
            "Design doc",
            "--with",
            "Sam",
            "--due",
            "fri",
        ],
        vec![
            "add",
            "action",
            "Review plan",
            "--owner",
            "them",
            "--with",
            "Dana",
        ],
        vec![
            "add",
            "feedback",
            "Ask for feedback on the launch",
            "--direction",
            "requested",
            "--with",
            "Dana",
        ],
        vec!["add", "goal", "Principal by 2028"],
        vec!["add", "topic", "Offsite", "--shared"],
        vec![
            "add",
            "note",
            "Ünïcödé ✓ — \"quotes\" <b>html</b>",
            "--body",
            "line 1\nline 2\ttab",
        ],
        vec!["add", "idea", "Release notes bot"],
    ] {
        env.ok(&args);
    }
    env.ok(&[
        "meet",
        "Dana",
        "--discussed",
        "1,10",
        "--notes",
        "Good 1:1",
        "--action",
        "Send the budget@them:fri",
    ]);
    env.ok(&["update", "Dana", "--sent"]);
    env.ok(&[
        "reflect",
        "Dana",
        "--score",
        "rapport=4",
        "--score",
        "visibility=2",
        "--answer",
        "visibility=Share more",
    ]);
    env.ok(&["drop", "12", "--why", "Not now"]);
    env
}

#[test]
fn export_import_export_is_identical() {
    let env = full();
    let first: Value = serde_json::from_str(&env.ok(&["export"])).unwrap();
    assert_eq!(first["format"], "upward");
    assert_eq!(first["version"], upward_domain::export::VERSION);
    for key in [
        "exported",
        "people",
        "items",
        "meetings",
        "updates",
        "reflections",
    ] {
        assert!(first.get(key).is_some(), "{key}");
    }
    assert_eq!(first["items"].as_array().unwrap().len(), 13);
    let file = env.path("export.json");
    env.ok(&["export", "--output", file.to_str().unwrap()]);
    assert_eq!(mode(&file), 0o600);

    let other = Env::new();
    let report = other.json(&["import", file.to_str().unwrap()]);
    assert_eq!(report["items_added"], 13);
    let second: Value = serde_json::from_str(&other.ok(&["export"])).unwrap();
    assert_eq!(sorted(&first), sorted(&second));
    // And the workflows see the same data.
    assert_eq!(env.ok(&["prep"]), other.ok(&["prep"]));
}

#[test]
fn import_into_a_non_empty_database_needs_merge_which_matches_on_uuid() {
    let env = full();
    let file = env.path("export.json");
    env.ok(&["export", "-o", file.to_str().unwrap()]);
    let e = env.fails(1, &["import", file.to_str().unwrap()]);
    assert!(e.contains("--merge"), "{e}");
    // Merging the same data changes nothing.
    let before = env.state();
    let r = env.json(&["import", "--merge", file.to_str().unwrap()]);
    assert_eq!(
        (r["items_added"].as_i64(), r["items_unchanged"].as_i64()),
        (Some(0), Some(13))
    );
    assert_eq!(env.state(), before);

    // A second database with its own items merges in both directions.
    let other = Env::new();
    other.ok(&["add", "note", "From the laptop"]);
    other.json(&["import", "--merge", file.to_str().unwrap()]);
    let items = other.json(&["list", "--status", "all"]);
    assert_eq!(items.as_array().unwrap().len(), 14);
    // A newer edit wins on merge.
    let later = Env {
        now: "2026-11-25".into(),
        ..Env::new()
    };
    later.ok(&["import", file.to_str().unwrap()]);
    later.ok(&["edit", "3", "--title", "Lead on-call (renamed)"]);
    let newer = later.path("newer.json");
    later.ok(&["export", "-o", newer.to_str().unwrap()]);
    env.ok(&["import", "--merge", newer.to_str().unwrap()]);
    assert_eq!(env.json(&["show", "3"])["title"], "Lead on-call (renamed)");
}

#[test]
fn markdown_export_is_readable() {
    let env = full();
    let md = env.ok(&["export", "--format", "md"]);
    assert!(
        md.contains("## Wins")
            && md.contains("Shipped the exporter")
            && md.contains("### Dana Whitfield (manager)"),
        "{md}"
    );
}

#[test]
fn import_reads_standard_input() {
    let env = full();
    let doc = env.ok(&["export"]);
    let other = Env::new();
    let out = other.run_stdin(&["import", "-"], doc.as_bytes());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(other.ok(&["export"]), doc);
}

#[test]
fn a_merge_that_brings_priorities_in_keeps_ranks_dense() {
    let a = Env::new().with_people();
    a.ok(&["add", "priority", "Billing"]);
    let file = a.path("a.json");
    std::fs::write(&file, a.ok(&["export"])).unwrap();
    let b = Env::new();
    b.ok(&["import", file.to_str().unwrap()]);
    // Apart, each side adds its own second priority.
    a.ok(&["add", "priority", "Search"]);
    b.ok(&["add", "priority", "Dashboards"]);
    std::fs::write(&file, a.ok(&["export"])).unwrap();
    let report = b.json(&["import", file.to_str().unwrap(), "--merge"]);
    assert_eq!(report["priorities_reranked"], 1, "{report}");
    let ranks: Vec<(String, i64)> = b
        .json(&["list", "priority"])
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["title"].as_str().unwrap().to_string(),
                p["rank"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        ranks,
        [
            ("Billing".into(), 1),
            ("Dashboards".into(), 2),
            ("Search".into(), 3)
        ]
    );
    // Merging it again changes nothing.
    let again = b.json(&["import", file.to_str().unwrap(), "--merge"]);
    assert_eq!(again["priorities_reranked"], 0, "{again}");
}
