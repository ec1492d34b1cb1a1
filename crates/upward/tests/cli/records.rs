//! The records of issue #15, through the real binary: who confirmed, renegotiated due dates,
//! the risk lifecycle, remaining effort, wins for an expectation or a goal, feedback and
//! consent, feedback answering a request, merging people, and the markdown export holding
//! every field.

use crate::harness::{Env, id};
use serde_json::Value;

/// `Env::with_people` (Alex, my manager Dana Whitfield, peer Sam Ortiz) on `now`.
fn at(now: &str) -> Env {
    let mut env = Env::new().with_people();
    env.now = now.into();
    env
}

fn uuid_of(env: &Env, name: &str) -> Value {
    env.json(&["person", "show", name])["uuid"].clone()
}

#[test]
fn a_renegotiated_promise_counts_against_its_original_date() {
    let mut env = at("2026-11-23");
    let p = id(&env.json(&[
        "add",
        "promise",
        "Design doc",
        "--to",
        "Sam",
        "--due",
        "2026-11-27",
    ]));
    // A correction on the day it was made is not a renegotiation.
    let v = env.json(&["edit", &p, "--due", "2026-11-26"]);
    assert_eq!(
        (v["original_due"].clone(), v["renegotiated"].clone()),
        (Value::Null, 0.into())
    );
    env.now = "2026-11-25".into();
    let v = env.json(&["edit", &p, "--due", "2026-12-02"]);
    assert_eq!(v["due"], "2026-12-02");
    assert_eq!(v["original_due"], "2026-11-26");
    assert_eq!(v["renegotiated"], 1);
    env.now = "2026-11-26".into();
    assert_eq!(
        env.ok(&["edit", &p, "--due", "2026-12-02"]),
        "Updated promise #1 \u{201c}Design doc\u{201d} with Sam Ortiz, due in 6 days (Wed 2 Dec); \
         first promised for Thu 26 Nov (renegotiated once).\n"
    );
    // The same date again changes nothing.
    assert_eq!(
        env.json(&["edit", &p, "--due", "2026-12-02"])["renegotiated"],
        1
    );
    env.now = "2026-12-02".into();
    env.ok(&["done", &p]);
    let r = env.json(&["review", "--format", "json"]);
    let f = &r["follow_through"]["promises"];
    assert_eq!(
        (f["kept_on_time"].clone(), f["kept_late"].clone()),
        (0.into(), 1.into())
    );
    assert_eq!(f["renegotiated"], 1);
    assert_eq!(r["renegotiated"][0]["original_due"], "2026-11-26");
    let md = env.ok(&["review"]);
    assert!(
        md.contains("Renegotiated once, kept on the new date (first promised for Thu 26 Nov, then Wed 2 Dec)"),
        "{md}"
    );
}

#[test]
fn a_peer_does_not_confirm_the_managers_priority_and_texts_say_who_did() {
    let env = at("2026-11-23");
    env.ok(&["person", "set", "Dana", "length", "detailed"]);
    let mine = id(&env.json(&[
        "add",
        "priority",
        "Billing migration",
        "--due",
        "2026-12-18",
    ]));
    let sams = id(&env.json(&["add", "priority", "Shared cache", "--with", "Sam"]));
    // Sam, a peer, hears about the manager's priority: discussed, not confirmed.
    let v = env.json(&["meet", "Sam", "--discussed", &format!("{mine},{sams}")]);
    assert_eq!(v["discussed"][0]["confirmed"], Value::Null);
    assert_eq!(v["discussed"][0]["discussed"], "2026-11-23");
    // Sam's own priority is on Sam's list: Sam confirms it.
    assert_eq!(v["discussed"][1]["confirmed"], "2026-11-23");
    assert_eq!(v["discussed"][1]["confirmed_by"], uuid_of(&env, "Sam"));
    let shown = env.ok(&["show", &sams]);
    assert!(shown.contains("  confirmed by    Sam Ortiz\n"), "{shown}");
    let text = env.json(&["update", "Dana"])["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        text.contains("Priority not yet confirmed with you"),
        "{text}"
    );
    assert!(
        text.contains("Priority confirmed with Sam Ortiz on"),
        "{text}"
    );
    let v = env.json(&["meet", "--discussed", &mine]);
    assert_eq!(v["discussed"][0]["confirmed_by"], uuid_of(&env, "Dana"));
    let text = env.json(&["update", "Dana"])["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(text.contains("Priority confirmed with you on"), "{text}");
}

#[test]
fn a_risk_that_occurred_or_got_worse_comes_back_on_the_agenda() {
    let mut env = at("2026-11-23");
    let r = id(&env.json(&[
        "add",
        "risk",
        "Vendor sandbox late",
        "--mitigation",
        "Mock it",
    ]));
    let on_agenda = |env: &Env| -> Option<String> {
        let a = env.json(&["prep"]);
        let risks = a["sections"]
            .as_array()?
            .iter()
            .find(|s| s["key"] == "risks")?
            .clone();
        Some(risks["items"][0]["reason"].as_str()?.to_string())
    };
    assert_eq!(on_agenda(&env).as_deref(), Some("not yet communicated"));
    env.ok(&["meet", "--discussed", &r]);
    assert_eq!(on_agenda(&env), None);
    env.now = "2026-11-25".into();
    let v = env.json(&[
        "edit",
        &r,
        "--state",
        "occurred",
        "--outcome",
        "Two weeks late;\nwe used the mock",
    ]);
    assert_eq!(
        (v["state"].clone(), v["status"].clone()),
        ("occurred".into(), "open".into())
    );
    assert_eq!(v["communicated_state"], "open");
    assert_eq!(
        on_agenda(&env).as_deref(),
        Some("it occurred since you communicated it")
    );
    env.ok(&["meet", "--discussed", &r]);
    assert_eq!(on_agenda(&env), None);
    env.ok(&["edit", &r, "--severity", "high"]);
    assert_eq!(
        on_agenda(&env).as_deref(),
        Some("it got worse since you communicated it")
    );
    env.ok(&["edit", &r, "--severity", "low"]);
    assert_eq!(on_agenda(&env), None);
    // The outcome is searched; closing finishes it.
    assert!(env.ok(&["search", "mock"]).contains("Vendor sandbox late"));
    let v = env.json(&["edit", &r, "--state", "closed"]);
    assert_eq!(
        (v["status"].clone(), v["done"].clone()),
        ("done".into(), "2026-11-25".into())
    );
    let e = env.fails(1, &["edit", &r, "--state", "maybe"]);
    assert!(
        e.contains("`maybe`") && e.contains("open, mitigated, occurred, closed"),
        "{e}"
    );
    let w = id(&env.json(&["add", "win", "Shipped"]));
    let e = env.fails(1, &["edit", &w, "--state", "open"]);
    assert!(
        e.contains("--state does not apply to a win — it is for: risk"),
        "{e}"
    );
}

#[test]
fn intake_counts_the_remaining_effort() {
    let env = at("2026-11-23");
    let p = id(&env.json(&[
        "add",
        "priority",
        "Billing",
        "--effort",
        "10d",
        "--due",
        "2026-12-31",
    ]));
    let ahead = |env: &Env| {
        env.json(&[
            "intake",
            "Dashboard",
            "--from",
            "Dana",
            "--due",
            "2026-12-31",
            "--effort",
            "1d",
        ])["effort_ahead"]
            .clone()
    };
    // The request fits last, behind what is left of Billing.
    assert_eq!(ahead(&env), 10);
    let v = env.json(&["edit", &p, "--remaining", "2d"]);
    assert_eq!(
        (v["effort"].clone(), v["remaining"].clone()),
        ("10d".into(), "2d".into())
    );
    assert_eq!(ahead(&env), 2);
    let e = env.fails(1, &["edit", &p, "--remaining", "soon"]);
    assert!(e.contains("soon"), "{e}");
    let t = id(&env.json(&["add", "topic", "x"]));
    assert!(
        env.fails(1, &["edit", &t, "--remaining", "2d"])
            .contains("it is for: priority")
    );
}

#[test]
fn a_win_for_an_expectation_meets_it_in_the_review() {
    let env = at("2026-11-23");
    let e = id(&env.json(&[
        "add",
        "expectation",
        "Own checkout reliability",
        "--metric",
        "99.95%",
    ]));
    let g = id(&env.json(&["add", "goal", "Lead a project"]));
    let v = env.json(&[
        "add",
        "win",
        "November at 99.97%",
        "--metric",
        "99.97%",
        "--for",
        &e,
    ]);
    let expectation = env.json(&["show", &e]);
    assert_eq!(v["for_item"], expectation["uuid"]);
    let shown = env.ok(&["show", &id(&v)]);
    assert!(
        shown.contains(&format!(
            "  for             #{e} \u{201c}Own checkout reliability\u{201d}\n"
        )),
        "{shown}"
    );
    env.ok(&["add", "win", "Led the migration", "--for", &format!("#{g}")]);
    let md = env.ok(&["review"]);
    assert!(
        md.contains("Met by November at 99.97% (99.97%, Mon 23 Nov)"),
        "{md}"
    );
    assert!(!md.contains("Ongoing"), "{md}");
    assert!(md.contains("Wins towards it: Led the migration"), "{md}");
    let p = id(&env.json(&["add", "priority", "Billing"]));
    let err = env.fails(1, &["add", "win", "X", "--for", &p]);
    assert!(err.contains("an expectation or a goal"), "{err}");
    assert!(
        env.fails(1, &["add", "win", "X", "--for", "999"])
            .contains("#999")
    );
    let err = env.fails(1, &["add", "priority", "X", "--for", &e]);
    assert!(
        err.contains("--for does not apply to a priority — it is for: win"),
        "{err}"
    );
    assert!(
        env.fails(1, &["add", "win", "X", "--for", "abc"])
            .contains("`abc`")
    );
}

#[test]
fn giving_feedback_in_a_1on1_records_whether_consent_was_asked() {
    let env = at("2026-11-23");
    let f = id(&env.json(&["add", "feedback", "Great demo", "--with", "Dana"]));
    let out = env.run(&["--json", "meet", "--discussed", &f]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "feedback #{f} is recorded as given without asking first"
        )),
        "{err}"
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["given_without_consent"][0].to_string(), f);
    assert_eq!(v["discussed"][0]["consent"], false);
    assert_eq!(v["discussed"][0]["status"], "done");
    let g = id(&env.json(&[
        "add",
        "feedback",
        "Clearer estimates",
        "--tone",
        "constructive",
    ]));
    let out = env.run(&["--json", "meet", "--consent-asked", &g]);
    assert!(out.status.success() && out.stderr.is_empty());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (
            v["discussed"][0]["consent"].clone(),
            v["discussed"][0]["status"].clone()
        ),
        (true.into(), "done".into())
    );
    let p = id(&env.json(&["add", "priority", "Billing"]));
    let e = env.fails(1, &["meet", "--consent-asked", &p]);
    assert!(e.contains("ids of feedback given in this 1:1"), "{e}");
}

#[test]
fn feedback_received_answers_its_request_and_quiets_the_nudge() {
    let mut env = at("2026-11-20");
    let p = id(&env.json(&["add", "priority", "Exporter", "--with", "Sam"]));
    env.ok(&["done", &p]);
    env.now = "2026-11-23".into();
    let nudged = |env: &Env| {
        env.json(&["nudges"])
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "feedback")
    };
    assert!(nudged(&env));
    // Feedback that came unasked quiets it too.
    let unasked = id(&env.json(&[
        "add",
        "feedback",
        "Solid rollout",
        "--direction",
        "received",
        "--with",
        "Sam",
    ]));
    assert!(!nudged(&env));
    env.ok(&["drop", &unasked]);
    assert!(nudged(&env));
    let req = id(&env.json(&[
        "add",
        "feedback",
        "How did the exporter go?",
        "--direction",
        "requested",
        "--with",
        "Sam",
    ]));
    let v = env.json(&[
        "add",
        "feedback",
        "Solid, document the flags",
        "--answers",
        &req,
    ]);
    assert_eq!(v["direction"], "received");
    assert_eq!(v["person"], "Sam Ortiz");
    assert_eq!(v["answers"], env.json(&["show", &req])["uuid"]);
    assert_eq!(env.json(&["show", &req])["status"], "done");
    assert!(!nudged(&env));
    let e = env.fails(1, &["add", "feedback", "x", "--answers", &p]);
    assert!(e.contains("a feedback request"), "{e}");
    let e = env.fails(
        1,
        &[
            "add",
            "feedback",
            "x",
            "--answers",
            &req,
            "--direction",
            "given",
        ],
    );
    assert!(e.contains("--answers is for feedback received"), "{e}");
}

#[test]
fn merge_brings_in_the_newer_people() {
    let mut laptop = at("2026-11-23");
    laptop.ok(&["add", "note", "shared"]);
    let first = laptop.path("first.json");
    laptop.ok(&["export", "-o", first.to_str().unwrap()]);
    let desktop = Env::new();
    desktop.ok(&["import", first.to_str().unwrap()]);

    laptop.now = "2026-11-25".into();
    laptop.ok(&["person", "set", "Dana", "length", "detailed"]);
    laptop.ok(&["person", "rm", "Sam"]);
    let second = laptop.path("second.json");
    laptop.ok(&["export", "-o", second.to_str().unwrap()]);
    let report = desktop.json(&["import", second.to_str().unwrap(), "--merge"]);
    assert_eq!(
        (
            report["people_added"].clone(),
            report["people_updated"].clone()
        ),
        (0.into(), 2.into())
    );
    assert_eq!(
        desktop.json(&["person", "show", "Dana"])["length"],
        "detailed"
    );
    let all = desktop.json(&["person", "list", "--all"]);
    let sam = all
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Sam Ortiz")
        .unwrap();
    assert_eq!(sam["archived"], true);
    // Merging again, or the older copy, changes nothing.
    let again = desktop.ok(&["import", second.to_str().unwrap(), "--merge"]);
    assert!(
        again.starts_with("Imported 0 people (0 updated), 0 items"),
        "{again}"
    );
    let older = desktop.json(&["import", first.to_str().unwrap(), "--merge"]);
    assert_eq!(older["people_updated"], 0);
    assert_eq!(
        desktop.json(&["person", "show", "Dana"])["length"],
        "detailed"
    );
}

#[test]
fn an_export_of_version_2_still_imports_with_its_risks_state() {
    let env = at("2026-11-23");
    env.ok(&[
        "add",
        "risk",
        "Vendor",
        "--communicated",
        "2026-11-20",
        "--severity",
        "high",
    ]);
    let v3 = env.ok(&["export"]);
    let mut doc: Value = serde_json::from_str(&v3).unwrap();
    doc["version"] = 2.into();
    for item in doc["items"].as_array_mut().unwrap() {
        let item = item.as_object_mut().unwrap();
        for key in [
            "state",
            "communicated_severity",
            "communicated_likelihood",
            "communicated_state",
            "original_due",
            "renegotiated",
        ] {
            item.remove(key);
        }
    }
    let file = env.path("v2.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    let fresh = Env::new();
    fresh.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(fresh.ok(&["export"]), v3);
}

/// Every field set on any item is in the markdown export, and so are the actions agreed at
/// 1:1s.
#[test]
fn the_markdown_export_holds_every_field() {
    let mut env = at("2026-11-23");
    let e = id(&env.json(&[
        "add",
        "expectation",
        "Own reliability",
        "--metric",
        "MTTR under 1h",
        "--confirmed",
        "2026-11-02",
    ]));
    env.ok(&[
        "add",
        "win",
        "Cut p99",
        "--impact",
        "Fewer abandoned carts",
        "--metric",
        "p99 -38%",
        "--date",
        "2026-11-02",
        "--for",
        &e,
        "--tag",
        "perf",
        "--shared",
        "--body",
        "Long\nstory",
    ]);
    let p = id(&env.json(&[
        "add",
        "priority",
        "Billing",
        "--effort",
        "2w",
        "--due",
        "2026-12-18",
        "--confirmed",
        "2026-11-10",
    ]));
    env.ok(&[
        "add",
        "risk",
        "Vendor late",
        "--likelihood",
        "high",
        "--severity",
        "high",
        "--mitigation",
        "Build against the mock",
        "--communicated",
        "2026-11-20",
        "--outcome",
        "Slipped a week",
    ]);
    env.ok(&[
        "add",
        "blocker",
        "No staging",
        "--ask",
        "Approve INFRA-2231",
        "--data",
        "3 failed deploys",
        "--escalated",
        "2026-11-19",
    ]);
    let pr = id(&env.json(&[
        "add",
        "promise",
        "Design doc",
        "--to",
        "Sam",
        "--due",
        "2026-11-27",
    ]));
    env.ok(&[
        "add",
        "action",
        "Review plan",
        "--owner",
        "them",
        "--with",
        "Sam",
        "--due",
        "+3d",
    ]);
    let req = id(&env.json(&[
        "add",
        "feedback",
        "How was the demo?",
        "--direction",
        "requested",
        "--with",
        "Sam",
    ]));
    env.ok(&[
        "add",
        "feedback",
        "Good demo",
        "--answers",
        &req,
        "--tone",
        "constructive",
    ]);
    env.ok(&["add", "feedback", "Thanks", "--consent"]);
    env.ok(&[
        "add",
        "goal",
        "Staff promotion",
        "--last-discussed",
        "2026-08-01",
    ]);
    env.ok(&["add", "idea", "Weekly digest"]);
    let n = id(&env.json(&["add", "note", "Old"]));
    env.ok(&["drop", &n, "--why", "Superseded"]);
    env.ok(&[
        "meet",
        "--discussed",
        &p,
        "--notes",
        "Roadmap talk",
        "--action",
        "Send the mock plan@me:fri",
        "--action",
        "Approve RDS@them",
    ]);
    env.now = "2026-11-24".into();
    env.ok(&["edit", &pr, "--due", "2026-12-01"]);
    env.ok(&["edit", &p, "--remaining", "3d"]);

    let md = env.ok(&["export", "--format", "md"]);
    let doc: Value = serde_json::from_str(&env.ok(&["export"])).unwrap();
    let title_of = |uuid: &Value| -> String {
        let item = doc["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["uuid"] == *uuid)
            .unwrap();
        item["title"].as_str().unwrap().to_string()
    };
    let name_of = |uuid: &Value| -> String {
        let p = doc["people"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["uuid"] == *uuid)
            .unwrap();
        p["name"].as_str().unwrap().to_string()
    };
    let mut checked = std::collections::BTreeSet::new();
    for item in doc["items"].as_array().unwrap() {
        for (key, value) in item.as_object().unwrap() {
            // The kind is the heading, the status the checkbox; private is the default.
            if value.is_null()
                || [
                    "uuid",
                    "person_uuid",
                    "created_at",
                    "updated_at",
                    "kind",
                    "status",
                ]
                .contains(&key.as_str())
                || (key == "visibility" && value == "private")
            {
                continue;
            }
            let want: Vec<String> = match (key.as_str(), value) {
                ("for_item" | "answers", v) => vec![title_of(v)],
                ("confirmed_by", v) => vec![name_of(v)],
                ("meeting", _) => vec!["the 1:1 with Dana Whitfield on 2026-11-23".into()],
                (_, Value::String(s)) => s.lines().map(str::to_string).collect(),
                (_, Value::Array(a)) => a.iter().map(|t| t.as_str().unwrap().to_string()).collect(),
                (_, Value::Bool(b)) => vec![format!("{}: {}", key, if *b { "yes" } else { "no" })],
                ("renegotiated", v) if *v == 0 => continue,
                (_, v) => vec![v.to_string()],
            };
            for w in want {
                assert!(
                    md.contains(&w),
                    "{key} = {w:?} of item {} is not in the markdown:\n{md}",
                    item["id"]
                );
            }
            checked.insert(key.clone());
        }
    }
    // Every kind field was set somewhere, so every one was checked.
    for field in upward_domain::item::KIND_FIELDS {
        assert!(checked.contains(field), "no item had {field}");
    }
    for text in [
        "Roadmap talk",
        "discussed: #",
        "action #",
        "Send the mock plan (me, due 2026-11-27, open)",
        "Approve RDS (them, open)",
    ] {
        assert!(md.contains(text), "{text:?} is not in the markdown:\n{md}");
    }
}

#[test]
fn the_markdown_export_holds_the_declines_and_who_was_removed() {
    let env = at("2026-11-23");
    // Nothing declined, nobody removed: neither appears.
    let md = env.ok(&["export", "--format", "md"]);
    assert!(
        !md.contains("## Declines") && !md.contains("archived"),
        "{md}"
    );
    env.ok(&[
        "decline",
        "Run the Q1 hackathon",
        "--from",
        "Sam",
        "--reason",
        "no capacity",
        "--alternative",
        "Priya could run it",
        "--after",
        "2027-01-11",
        "--sent",
    ]);
    env.ok(&["person", "rm", "Sam"]);
    let md = env.ok(&["export", "--format", "md"]);
    for text in [
        "### Sam Ortiz (peer)\n\n- archived: yes",
        "## Declines\n\n- 2026-11-23 to Sam Ortiz: Run the Q1 hackathon — no capacity\n",
        "  - alternative: Priya could run it\n",
        "  - after: 2027-01-11\n",
        "  > Hi Sam, thanks for thinking of me for \"Run the Q1 hackathon\".",
    ] {
        assert!(md.contains(text), "{text:?} is not in the markdown:\n{md}");
    }
}

#[test]
fn a_risk_that_occurred_says_so_with_its_outcome_wherever_it_is_told() {
    let env = at("2026-11-23");
    env.ok(&["person", "set", "Dana", "length", "brief"]);
    let r = id(&env.json(&[
        "add",
        "risk",
        "Vendor sandbox late",
        "--severity",
        "low",
        "--likelihood",
        "low",
        "--mitigation",
        "Mock it",
        "--communicated",
        "2026-11-20",
    ]));
    // A full brief update: five low risks not yet raised come before it, and nine wins.
    for n in 1..=5 {
        env.ok(&["add", "risk", &format!("Low risk {n}"), "--severity", "low"]);
    }
    for n in 1..=9 {
        env.ok(&["add", "win", &format!("Win {n}")]);
    }
    let update = |env: &Env| -> String {
        let v = env.json(&["update", "Dana"]);
        v["text"].as_str().unwrap().to_string()
    };
    // Open: nothing is said of what became of it, and a full brief update cuts it.
    assert!(!env.ok(&["prep", "--all"]).contains("it occurred"));
    assert!(!update(&env).contains("Vendor sandbox late"));

    env.ok(&["edit", &r, "--state", "occurred"]);
    let line =
        "- Vendor sandbox late (low severity, low likelihood) — it occurred — mitigation: Mock it";
    for args in [&["prep", "--all"][..], &["prep", "--shared", "--all"]] {
        let md = env.ok(args);
        assert!(md.contains(line), "{args:?}:\n{md}");
    }
    env.ok(&["edit", &r, "--outcome", "Two weeks late;\nwe used the mock"]);
    let told = "Vendor sandbox late (low severity, low likelihood) — it occurred: Two weeks late; we used the mock — mitigation: Mock it";
    let shared = env.ok(&["prep", "--shared", "--all"]);
    assert!(shared.contains(&format!("- {told}\n")), "{shared}");
    // In the update it is bad news: kept in a full brief update, with its outcome.
    let text = update(&env);
    assert!(
        text.contains("- Risk (low): Vendor sandbox late — it occurred: Two weeks late; we used the mock — mitigation: Mock it"),
        "{text}"
    );
}
