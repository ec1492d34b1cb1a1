//! Two style fields of a person (issue #13, "be concise with executives; guide a non-technical
//! manager"): `technical` and `exec`, set, shown, exported and imported; an update that leads
//! with outcomes and dates and flags jargon for a reader who is not technical; the three-line
//! brief for an executive and for anyone with `update --brief`. Today is Mon 23 Nov 2026.

use crate::harness::Env;
use serde_json::Value;

/// Dana (manager), Ana Ruiz (skip), with a week of news: a win with a figure and an impact, a
/// ranked priority due, a blocker with its data and ask, a high risk, a promise.
fn week() -> Env {
    let env = Env::new().with_people();
    env.ok(&["person", "add", "Ana Ruiz", "--relation", "skip"]);
    env.ok(&[
        "add",
        "win",
        "Cut checkout p99 latency",
        "--metric",
        "p99 -38%",
        "--impact",
        "Fewer abandoned carts",
        "--date",
        "2026-11-20",
    ]);
    env.ok(&[
        "add",
        "priority",
        "Billing migration",
        "--due",
        "2026-12-18",
    ]);
    env.ok(&[
        "add",
        "blocker",
        "No staging DB",
        "--ask",
        "Approve INFRA-2231",
        "--data",
        "3 failed deploys",
    ]);
    env.ok(&[
        "add",
        "risk",
        "Vendor sandbox late",
        "--severity",
        "high",
        "--mitigation",
        "Build against the mock",
    ]);
    env.ok(&["add", "promise", "Send the design doc", "--due", "fri"]);
    env
}

#[test]
fn technical_and_exec_are_set_shown_and_cleared() {
    let env = Env::new().with_people();
    let p = env.json(&["person", "show", "Dana"]);
    assert_eq!((&p["technical"], &p["exec"]), (&Value::Null, &Value::Null));
    env.ok(&["person", "set", "Dana", "technical", "no"]);
    env.ok(&["person", "set", "Dana", "exec", "YES"]);
    let p = env.json(&["person", "show", "Dana"]);
    assert_eq!(
        (&p["technical"], &p["exec"]),
        (&Value::Bool(false), &Value::Bool(true))
    );
    let shown = env.ok(&["person", "show", "Dana"]);
    assert!(shown.contains("  technical    no\n"), "{shown}");
    assert!(shown.contains("  exec         yes\n"), "{shown}");
    let list = env.ok(&["person", "list"]);
    assert!(list.contains("not technical, exec"), "{list}");
    env.ok(&["person", "set", "Dana", "exec", ""]);
    assert_eq!(env.json(&["person", "show", "Dana"])["exec"], Value::Null);
    let e = env.fails(1, &["person", "set", "Dana", "technical", "sometimes"]);
    assert_eq!(
        e,
        "error: technical `sometimes` is not valid — accepted: yes, no"
    );
    let e = env.fails(1, &["person", "set", "Dana", "execs", "yes"]);
    assert!(e.contains("trust, technical, exec"), "{e}");
}

#[test]
fn person_add_takes_them_as_it_takes_a_cadence() {
    let env = Env::new().with_people();
    let p = env.json(&[
        "person",
        "add",
        "Ana Ruiz",
        "--relation",
        "skip",
        "--technical",
        "no",
        "--exec",
        "yes",
    ]);
    assert_eq!(
        (&p["technical"], &p["exec"]),
        (&Value::Bool(false), &Value::Bool(true))
    );
    let e = env.fails(
        1,
        &[
            "person",
            "add",
            "Kim",
            "--relation",
            "peer",
            "--exec",
            "maybe",
        ],
    );
    assert_eq!(e, "error: exec `maybe` is not valid — accepted: yes, no");
}

#[test]
fn export_and_import_keep_them_and_an_older_file_has_them_unset() {
    let env = Env::new().with_people();
    env.ok(&["person", "set", "Dana", "technical", "no"]);
    env.ok(&["person", "set", "Sam", "exec", "yes"]);
    let doc = env.json(&["export"]);
    assert_eq!(doc["version"], upward_domain::export::VERSION);
    let dana = doc["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Dana Whitfield")
        .unwrap();
    assert_eq!(
        (&dana["technical"], &dana["exec"]),
        (&Value::Bool(false), &Value::Null)
    );
    let file = env.path("export.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    let other = Env::new();
    other.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(other.json(&["export"])["people"], doc["people"]);
    let md = env.ok(&["export", "--format", "md"]);
    assert!(
        md.contains("- technical: no\n") && md.contains("- exec: yes\n"),
        "{md}"
    );
    // A version 3 export (written before the fields existed) reads with both unset.
    let v3 = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../upward-store-sqlite/tests/fixtures/v3.json");
    let old = Env::new();
    old.ok(&["import", v3.to_str().unwrap()]);
    for p in old.json(&["export"])["people"].as_array().unwrap() {
        assert_eq!(
            (&p["technical"], &p["exec"]),
            (&Value::Null, &Value::Null),
            "{p}"
        );
    }
    // A newer document than this upward reads is refused, not read with keys dropped.
    let mut newer = doc.clone();
    newer["version"] = (upward_domain::export::VERSION + 1).into();
    std::fs::write(&file, newer.to_string()).unwrap();
    let e = Env::new().fails(1, &["import", file.to_str().unwrap()]);
    assert!(
        e.contains(&format!(
            "reads versions 1 to {}",
            upward_domain::export::VERSION
        )),
        "{e}"
    );
}

#[test]
fn a_reader_who_is_not_technical_reads_outcomes_and_dates_first_and_jargon_is_flagged() {
    let env = week();
    let before = env.ok(&["update"]);
    assert!(
        before.contains("- Cut checkout p99 latency (p99 -38%)\n"),
        "{before}"
    );
    assert!(
        before.contains("- Billing migration (due Fri 18 Dec)\n"),
        "{before}"
    );
    env.ok(&["person", "set", "Dana", "technical", "no"]);
    let out = env.run(&["--json", "update"]);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = v["text"].as_str().unwrap();
    assert!(
        text.contains("- Fewer abandoned carts — Cut checkout p99 latency (p99 -38%)\n"),
        "the outcome leads, the figure stays on the line: {text}"
    );
    assert!(
        text.contains("- By Fri 18 Dec: Billing migration\n"),
        "{text}"
    );
    assert!(
        text.contains("- By Fri 27 Nov: Send the design doc\n"),
        "{text}"
    );
    assert!(
        text.contains("- Blocked: No staging DB (3 failed deploys) — ask: Approve INFRA-2231\n"),
        "the blocker's data stays on its line: {text}"
    );
    let jargon: Vec<&str> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["rule"] == "jargon")
        .map(|w| w["found"].as_str().unwrap())
        .collect();
    assert_eq!(jargon, ["p99", "latency", "staging", "deploys"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("hint: jargon: \"p99\" may be jargon to them — lead with the outcome"),
        "{err}"
    );
    env.ok(&["person", "set", "Dana", "technical", "yes"]);
    let v = env.json(&["update"]);
    assert_eq!(v["warnings"], serde_json::json!([]));
}

#[test]
fn an_executive_gets_a_three_line_brief_and_brief_asks_for_it_for_anyone() {
    let env = week();
    env.ok(&["person", "set", "Dana", "exec", "yes"]);
    let text = env.ok(&["update"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            "Headline: Cut checkout p99 latency (p99 -38%)",
            "Decision needed: Approve INFRA-2231 — blocked: No staging DB (3 failed deploys)",
            "Risk: Vendor sandbox late (high) — mitigation: Build against the mock",
        ],
        "{text}"
    );
    let v = env.json(&["update"]);
    assert_eq!(v["brief"]["headline"], lines[0]);
    assert_eq!(v["brief"]["decision"], lines[1]);
    assert_eq!(v["brief"]["risk"], lines[2]);
    assert_eq!(v["omitted"]["in_progress"], 1);
    assert_eq!(v["omitted"]["next"], 1);
    // A length asked for this message is the update in its sections.
    let detailed = env.ok(&["update", "--length", "detailed"]);
    assert!(detailed.contains("In progress:"), "{detailed}");
    // Anyone, on request; by email with its subject, greeting and sign-off.
    let ana = env.ok(&["update", "Ana", "--brief", "--channel", "email"]);
    assert!(ana.starts_with("Subject: Status update since "), "{ana}");
    assert!(
        ana.contains("\n\nHi Ana,\n\nHeadline: nothing new since "),
        "{ana}"
    );
    assert!(
        ana.contains("\nDecision needed: none this time\nRisk: none open\n\nThanks,\nAlex\n"),
        "{ana}"
    );
    // The brief can be recorded as sent like any update.
    env.ok(&["update", "--sent"]);
    let e = env.fails(2, &["update", "--brief", "--length", "brief"]);
    assert!(e.contains("--brief") && e.contains("--length"), "{e}");
}
