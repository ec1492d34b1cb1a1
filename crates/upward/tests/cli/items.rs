//! Items of every kind through add, list, show, edit, done, drop and reopen.

use crate::harness::{Env, id};
use serde_json::Value;

const COMMON: [&str; 12] = [
    "id",
    "uuid",
    "kind",
    "title",
    "body",
    "person",
    "status",
    "created",
    "due",
    "done",
    "tags",
    "visibility",
];

#[test]
fn every_kind_is_recorded_with_its_fields_and_defaults() {
    let env = Env::new().with_people();
    type Case<'a> = (Vec<&'a str>, Vec<(&'a str, Value)>);
    let cases: Vec<Case> = vec![
        (
            vec![
                "add",
                "win",
                "Cut p99 latency",
                "--impact",
                "Checkout is faster",
                "--metric",
                "p99 -38%",
                "--tag",
                "perf",
            ],
            vec![
                ("status", "done".into()),
                ("date", "2026-11-23".into()),
                ("done", "2026-11-23".into()),
                ("metric", "p99 -38%".into()),
                ("impact", "Checkout is faster".into()),
            ],
        ),
        (
            vec![
                "add",
                "priority",
                "Billing migration",
                "--effort",
                "2w",
                "--due",
                "2026-12-18",
            ],
            vec![
                ("rank", 1.into()),
                ("effort", "2w".into()),
                ("confirmed", Value::Null),
                ("status", "open".into()),
            ],
        ),
        (
            vec![
                "add",
                "expectation",
                "Own the on-call rotation",
                "--metric",
                "MTTR < 1h",
            ],
            vec![("metric", "MTTR < 1h".into()), ("confirmed", Value::Null)],
        ),
        (
            vec![
                "add",
                "risk",
                "Vendor API sunset",
                "--severity",
                "high",
                "--mitigation",
                "Start the adapter now",
            ],
            vec![
                ("likelihood", "medium".into()),
                ("severity", "high".into()),
                ("mitigation", "Start the adapter now".into()),
                ("communicated", Value::Null),
            ],
        ),
        (
            vec![
                "add",
                "blocker",
                "No staging database",
                "--ask",
                "Approve the RDS request",
                "--data",
                "3 deploys failed",
            ],
            vec![
                ("ask", "Approve the RDS request".into()),
                ("data", "3 deploys failed".into()),
                ("escalated", Value::Null),
            ],
        ),
        (
            vec![
                "add",
                "promise",
                "Send the design doc",
                "--with",
                "Sam",
                "--due",
                "fri",
            ],
            vec![("person", "Sam Ortiz".into()), ("due", "2026-11-27".into())],
        ),
        (
            vec![
                "add",
                "action",
                "Review the hiring plan",
                "--with",
                "dana",
                "--due",
                "+3d",
            ],
            vec![
                ("owner", "me".into()),
                ("person", "Dana Whitfield".into()),
                ("due", "2026-11-26".into()),
            ],
        ),
        (
            vec![
                "add",
                "feedback",
                "Great incident write-up",
                "--with",
                "Sam",
            ],
            vec![
                ("direction", "given".into()),
                ("tone", "positive".into()),
                ("consent", false.into()),
            ],
        ),
        (
            vec!["add", "goal", "Become a principal engineer"],
            vec![("last_discussed", Value::Null)],
        ),
        (
            vec!["add", "topic", "Team offsite budget", "--shared"],
            vec![("visibility", "shared".into())],
        ),
        (
            vec![
                "add",
                "note",
                "Dana prefers bullet points",
                "--body",
                "Seen in the Q3 review",
            ],
            vec![("body", "Seen in the Q3 review".into())],
        ),
        (
            vec!["add", "idea", "Automate the release notes"],
            vec![("visibility", "private".into())],
        ),
    ];
    for (args, expect) in cases {
        let item = env.json(&args);
        for key in COMMON {
            assert!(
                item.get(key).is_some(),
                "{args:?}: missing key {key} in {item}"
            );
        }
        for (k, v) in expect {
            assert_eq!(item[k], v, "{args:?}: {k} in {item}");
        }
        assert_eq!(item["kind"], args[1]);
        assert_eq!(item["title"], args[2]);
        // Only the kind's own fields appear.
        if args[1] != "risk" {
            assert!(item.get("severity").is_none(), "{item}");
        }
        // `add --json` is the item with the tone check's warnings (none for these).
        let mut item = item;
        assert_eq!(
            item.as_object_mut().unwrap().remove("warnings"),
            Some(serde_json::json!([]))
        );
        let shown = env.json(&["show", &id(&item)]);
        assert_eq!(shown, item);
    }
    let all = env.json(&["list", "--status", "all"]);
    assert_eq!(all.as_array().unwrap().len(), 12);
    let kinds: std::collections::BTreeSet<_> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds.len(), 12);
}

#[test]
fn list_filters_by_kind_person_status_since_and_tag() {
    let env = Env::new().with_people();
    env.ok(&["add", "action", "A", "--with", "Sam", "--tag", "q4"]);
    env.ok(&["add", "action", "B", "--with", "Dana"]);
    let c = env.json(&["add", "promise", "C", "--with", "Sam", "--tag", "q4"]);
    env.ok(&["done", &id(&c)]);
    let titles = |args: &[&str]| -> Vec<String> {
        env.json(args)
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["title"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(titles(&["list"]), ["A", "B"]);
    assert_eq!(titles(&["list", "action", "--with", "sam"]), ["A"]);
    assert_eq!(titles(&["list", "--status", "done"]), ["C"]);
    assert_eq!(
        titles(&["list", "--tag", "q4", "--status", "all"]),
        ["A", "C"]
    );
    assert_eq!(
        titles(&["list", "--since", "tomorrow"]),
        Vec::<String>::new()
    );
    assert_eq!(titles(&["list", "--since", "today"]).len(), 2);
    let human = env.ok(&["list"]);
    assert!(human.starts_with("ID"), "{human}");
    assert!(human.contains("2 items"), "{human}");
}

#[test]
fn edit_done_drop_and_reopen_keep_everything() {
    let env = Env::new().with_people();
    let r = env.json(&["add", "risk", "Capacity crunch", "--due", "2026-12-01"]);
    let rid = id(&r);
    let e = env.json(&[
        "edit",
        &rid,
        "--title",
        "Capacity crunch in Q1",
        "--severity",
        "high",
        "--communicated",
        "yesterday",
        "--tag",
        "ops",
    ]);
    assert_eq!(e["title"], "Capacity crunch in Q1");
    assert_eq!(e["severity"], "high");
    assert_eq!(e["communicated"], "2026-11-22");
    assert_eq!(e["tags"], serde_json::json!(["ops"]));
    assert_eq!(e["uuid"], r["uuid"], "identity is stable across edits");
    let d = env.json(&["done", &rid, "--date", "2026-11-20"]);
    assert_eq!(
        (d["status"].as_str(), d["done"].as_str()),
        (Some("done"), Some("2026-11-20"))
    );
    let again = env.fails(1, &["done", &rid]);
    assert!(again.contains("already done"), "{again}");
    let o = env.json(&["reopen", &rid]);
    assert_eq!(
        (o["status"].as_str(), o["done"].clone()),
        (Some("open"), Value::Null)
    );
    let x = env.json(&["drop", &rid, "--why", "No longer relevant"]);
    assert_eq!(x["status"], "dropped");
    assert_eq!(x["why"], "No longer relevant");
    // Dropped items are kept.
    assert_eq!(
        env.json(&["list", "--status", "dropped"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(env.json(&["list"]).as_array().unwrap().len(), 0);
}

#[test]
fn priorities_keep_dense_ranks() {
    let env = Env::new();
    let a = env.json(&["add", "priority", "A"]);
    let b = env.json(&["add", "priority", "B"]);
    let c = env.json(&["add", "priority", "C", "--rank", "1"]);
    let ranks = || -> Vec<(String, i64)> {
        env.json(&["list", "priority"])
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["title"].as_str().unwrap().to_string(),
                    i["rank"].as_i64().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(ranks(), [("C".into(), 1), ("A".into(), 2), ("B".into(), 3)]);
    env.ok(&["edit", &id(&b), "--rank", "1"]);
    assert_eq!(ranks(), [("B".into(), 1), ("C".into(), 2), ("A".into(), 3)]);
    env.ok(&["done", &id(&c)]);
    assert_eq!(ranks(), [("B".into(), 1), ("A".into(), 2)]);
    let _ = a;
}

#[test]
fn a_win_lists_by_default_and_its_date_is_when_it_happened() {
    let env = Env::new();
    env.ok(&["add", "win", "Old win", "--date", "2026-10-01"]);
    env.ok(&["add", "win", "New win"]);
    let wins = env.json(&["list", "win"]);
    let titles: Vec<_> = wins
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["New win", "Old win"]);
    assert_eq!(wins[1]["done"], "2026-10-01");
}

#[test]
fn add_works_without_init_and_creates_a_private_database() {
    let env = Env::new();
    env.ok(&["add", "note", "First thought"]);
    assert_eq!(crate::harness::mode(&env.db), 0o600);
    assert_eq!(crate::harness::mode(env.db.parent().unwrap()), 0o700);
}

#[test]
fn a_done_date_in_the_future_and_archiving_me_are_refused_and_change_nothing() {
    let env = Env::new().with_people();
    let id = crate::harness::id(&env.json(&["add", "promise", "Send the doc", "--with", "Dana"]));
    let before = env.state();
    let e = env.fails(1, &["done", &id, "--date", "tomorrow"]);
    assert!(
        e.contains("the done date 2026-11-24 is in the future"),
        "{e}"
    );
    let e = env.fails(1, &["person", "set", "Alex", "archived", "yes"]);
    assert!(e.contains("you cannot archive yourself"), "{e}");
    assert_eq!(env.state(), before);
    // Today is fine, and so is archiving someone else.
    env.ok(&["done", &id, "--date", "today"]);
    env.ok(&["person", "set", "Sam", "archived", "yes"]);
}

#[test]
fn a_dropped_win_comes_back_done_with_its_date_and_a_done_one_is_not_reopened() {
    let env = Env::new().with_people();
    let win =
        crate::harness::id(&env.json(&["add", "win", "Shipped search", "--date", "2026-11-02"]));
    let e = env.fails(1, &["reopen", &win]);
    assert!(e.contains("a win is done when it happens"), "{e}");
    env.ok(&["drop", &win, "--why", "by mistake"]);
    let back = env.json(&["reopen", &win]);
    assert_eq!(back["status"], "done");
    assert_eq!(back["done"], "2026-11-02");
    assert!(back["why"].is_null());
    let review = env.ok(&["review", "--from", "2026-11-01"]);
    assert!(review.contains("Shipped search"), "{review}");
}

#[test]
fn review_with_json_is_json_whatever_the_format() {
    let env = Env::new().with_people();
    env.ok(&["add", "win", "Shipped search"]);
    for format in ["md", "html", "json"] {
        let out = env.ok(&["--json", "review", "--format", format]);
        let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{format}: {e}"));
        assert!(v.is_object(), "{format}");
    }
}
