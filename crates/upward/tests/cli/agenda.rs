//! The agenda's two readers, the cap that keeps what matters, my own overdue promises, the
//! nudges that flag slips before the date, and reflection advice from what is on record
//! (issue "The second reading", items 7, 8, 9, 15 and 16). Each through the real binary, at
//! the boundary. Today is Mon 23 Nov 2026.

use crate::harness::{Env, id};
use serde_json::Value;

fn bullets(md: &str) -> Vec<&str> {
    md.lines().filter(|l| l.starts_with("- ")).collect()
}

fn section_keys(agenda: &Value) -> Vec<&str> {
    agenda["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect()
}

// ---- prep --shared: the agenda to share ----

/// Something of every kind that carries coaching on my own agenda, with private and shared
/// bodies. Dana reads `detailed`, so bodies are shown.
fn everything() -> Env {
    let env = Env::new().with_people();
    env.ok(&["person", "set", "Dana", "length", "detailed"]);
    env.ok(&[
        "add",
        "promise",
        "Send the design doc",
        "--due",
        "2026-11-20",
        "--body",
        "PRIVATE: not started",
    ]);
    env.ok(&[
        "add",
        "topic",
        "Headcount for Q1",
        "--body",
        "Two open roles",
        "--shared",
    ]);
    env.ok(&[
        "add",
        "topic",
        "Reorg rumours",
        "--body",
        "PRIVATE: heard from Sam",
    ]);
    env.ok(&[
        "add",
        "blocker",
        "No staging DB",
        "--data",
        "3 failed deploys",
    ]);
    env.ok(&["add", "risk", "Vendor late", "--severity", "high"]);
    env.ok(&["add", "priority", "Billing migration"]);
    env.ok(&["add", "expectation", "Own on-call"]);
    env.ok(&[
        "add",
        "feedback",
        "Long meetings run over",
        "--tone",
        "constructive",
    ]);
    env.ok(&["add", "goal", "Lead a project"]);
    env
}

/// What the private agenda says to me and the shared one never says.
const COACHING: &[&str] = &[
    "ask first whether they are open to feedback",
    "describe the impact",
    "own it",
    "not escalated yet",
    "decide what you will recommend",
    "not yet communicated",
    "bring a recommended mitigation",
    "no mitigation yet",
    "no ask yet",
    "check we agree",
    "agree how it will be measured",
    "goals left unsaid get forgotten",
    "not in your notes yet",
    "afterwards run",
    "If you don't know the answers",
];

#[test]
fn the_shared_agenda_has_no_coaching_no_command_and_no_private_body() {
    let env = everything();
    let private = env.ok(&["prep"]);
    for phrase in COACHING {
        assert!(
            private.contains(phrase),
            "{phrase:?} missing from\n{private}"
        );
    }
    for mine in [
        "`upward reflect",
        "PRIVATE: heard from Sam",
        "Long meetings",
    ] {
        assert!(private.contains(mine), "{mine:?} missing from\n{private}");
    }

    let shared = env.ok(&["prep", "--shared"]);
    for phrase in COACHING {
        assert!(!shared.contains(phrase), "{phrase:?} in\n{shared}");
    }
    for private_only in [
        "upward ",
        "`",
        "(#",
        "PRIVATE",
        "Getting to know",
        "How we work together",
        "Long meetings run over",
    ] {
        assert!(
            !shared.contains(private_only),
            "{private_only:?} in\n{shared}"
        );
    }
    assert!(shared.starts_with("# 1:1 agenda — Dana Whitfield — 2026-11-23\n"));
    assert!(
        shared.contains("- Send the design doc — _my promise, overdue by 3 days_\n"),
        "{shared}"
    );
    assert!(
        shared.contains("\n  Two open roles\n"),
        "a shared body stays: {shared}"
    );
    assert!(shared.contains("\n  Data: 3 failed deploys\n"), "{shared}");
    assert!(
        shared.contains("- Some feedback, if you are open to it\n"),
        "{shared}"
    );

    let json = env.json(&["prep", "--shared"]);
    assert_eq!(json["shared"], true);
    assert_eq!(
        section_keys(&json),
        [
            "follow_up",
            "blockers",
            "risks",
            "priorities",
            "expectations",
            "feedback",
            "career"
        ]
    );
    let text = json.to_string();
    assert!(
        !text.contains("PRIVATE") && !text.contains("upward "),
        "{text}"
    );
    for phrase in COACHING {
        assert!(!text.contains(phrase), "{phrase:?} in {text}");
    }
    // The ids stay in the JSON, for the front end that records the 1:1.
    assert!(json["sections"][0]["items"][0]["id"].is_number());
    assert_eq!(env.json(&["prep"])["shared"], false);
}

#[test]
fn a_brief_shared_agenda_counts_what_it_left_out_and_says_how_on_stderr() {
    let env = Env::new().with_people();
    env.ok(&["person", "set", "Dana", "length", "brief"]);
    for n in 1..=9 {
        env.ok(&["add", "topic", &format!("Topic {n}")]);
    }
    let out = env.run(&["prep", "--shared"]);
    let md = String::from_utf8(out.stdout).unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(bullets(&md).len(), 7, "{md}");
    assert!(md.ends_with("\n_…and 2 more follow-ups._\n"), "{md}");
    assert_eq!(
        err,
        "hint: 2 more items left out of this brief agenda; every one: `upward prep \"Dana \
         Whitfield\" --shared --all`\n"
    );
    let all = env.ok(&["prep", "--shared", "--all"]);
    assert_eq!(bullets(&all).len(), 9, "{all}");
    assert!(!all.contains("more item"), "{all}");
}

// ---- my own overdue promises, first ----

#[test]
fn my_overdue_promises_open_the_follow_ups_before_my_managers_overdue_action() {
    let env = Env::new().with_people();
    env.ok(&[
        "add",
        "action",
        "Approve the budget",
        "--owner",
        "them",
        "--due",
        "2026-11-16",
    ]);
    let promise = id(&env.json(&[
        "add",
        "promise",
        "Send the design doc",
        "--due",
        "2026-11-20",
    ]));
    env.ok(&["add", "promise", "Due today", "--due", "today"]);
    env.ok(&[
        "add",
        "promise",
        "Review Sam's doc",
        "--to",
        "Sam",
        "--due",
        "2026-11-19",
    ]);
    let md = env.ok(&["prep"]);
    let lines = bullets(&md);
    assert_eq!(
        lines[..2],
        [
            format!(
                "- Send the design doc (#{promise}) — _my promise, overdue by 3 days; own it: say \
                 where it stands and when it will land_"
            ),
            "- Approve the budget (#1) — _Dana Whitfield's action, overdue by 7 days_".to_string()
        ],
        "{md}"
    );
    assert!(
        !md.contains("Due today") && !md.contains("Sam's doc"),
        "{md}"
    );
    let sam = env.ok(&["prep", "Sam"]);
    assert!(sam.contains("- Review Sam's doc "), "{sam}");
}

// ---- the brief cap ranks across sections ----

#[test]
fn a_brief_agenda_keeps_priorities_feedback_and_career_over_routine_follow_ups() {
    let env = Env::new().with_people();
    env.ok(&["person", "set", "Dana", "length", "brief"]);
    for n in 1..=6 {
        env.ok(&["add", "topic", &format!("Topic {n}")]);
    }
    env.ok(&["add", "win", "Shipped search"]);
    env.ok(&["add", "priority", "Billing migration"]);
    let shipped = id(&env.json(&["add", "priority", "Exporter"]));
    env.ok(&["done", &shipped, "--date", "2026-11-20"]);
    env.ok(&["add", "goal", "Lead a project"]);
    let md = env.ok(&["prep"]);
    assert_eq!(bullets(&md).len(), 7, "{md}");
    for heading in [
        "## Priorities — are we aligned on this order?",
        "## Feedback",
        "## Career growth",
    ] {
        assert!(md.contains(heading), "{heading} missing from\n{md}");
    }
    assert!(
        md.find("## Follow-ups").unwrap() < md.find("## Priorities").unwrap(),
        "shown in section order: {md}"
    );
    assert!(
        md.ends_with(
            "\n_…and 6 more items: 2 follow-ups, 1 win and 3 questions: `upward prep \"Dana \
             Whitfield\" --all`._\n"
        ),
        "{md}"
    );
    assert_eq!(bullets(&env.ok(&["prep", "--all"])).len(), 13);
}

// ---- nudges: slips before the date, likely risks, the cap ----

#[test]
fn a_priority_that_will_miss_its_date_is_nudged_before_the_date() {
    let env = Env::new().with_people();
    // Mon 23 Nov to Tue 1 Dec: 7 working days for 10 days of effort.
    let billing = id(&env.json(&[
        "add",
        "priority",
        "Billing migration",
        "--effort",
        "2w",
        "--due",
        "2026-12-01",
    ]));
    let n = env.json(&["nudges"]);
    let slip = n
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["kind"] == "slip")
        .unwrap_or_else(|| panic!("no slip in {n}"));
    assert_eq!(slip["id"].to_string(), billing);
    assert_eq!(
        slip["text"],
        format!(
            "Priority #{billing} \"Billing migration\" is projected to miss its due date (Tue 1 \
             Dec): in rank order it finishes Fri 4 Dec — tell Dana Whitfield now and agree a new \
             date or a trade-off: `upward edit {billing} --due DATE`"
        )
    );
    // Intake says the same of it: late already, without the request.
    let intake = env.json(&[
        "intake",
        "Audit",
        "--from",
        "Dana",
        "--due",
        "2027-03-01",
        "--effort",
        "1d",
    ]);
    assert_eq!(intake["already_late"][0]["id"].to_string(), billing);
    // Fri 4 Dec holds 10 working days: it fits, and the nudge goes.
    env.ok(&["edit", &billing, "--due", "2026-12-04"]);
    let n = env.json(&["nudges"]);
    assert!(
        !n.as_array().unwrap().iter().any(|x| x["kind"] == "slip"),
        "{n}"
    );
}

#[test]
fn a_likely_risk_is_nudged_even_when_its_severity_is_not_high() {
    let env = Env::new().with_people();
    let risk = id(&env.json(&[
        "add",
        "risk",
        "Key engineer may leave",
        "--likelihood",
        "high",
        "--severity",
        "medium",
        "--mitigation",
        "Pair on the ledger code",
    ]));
    let find = |env: &Env| -> Option<String> {
        env.json(&["nudges"])
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["kind"] == "risk")
            .map(|x| x["text"].as_str().unwrap().to_string())
    };
    assert_eq!(
        find(&env).unwrap(),
        format!(
            "Risk #{risk} \"Key engineer may leave\" is likely to happen and not yet communicated \
             to Dana Whitfield — raise it now, with your mitigation"
        )
    );
    env.ok(&["edit", &risk, "--communicated", "today"]);
    assert_eq!(find(&env), None, "told, and mitigated");
    env.ok(&["edit", &risk, "--likelihood", "medium"]);
    assert_eq!(find(&env), None);
}

#[test]
fn nudges_show_the_seven_most_urgent_and_say_how_many_more() {
    let env = Env::new().with_people();
    for n in 1..=8 {
        env.ok(&["add", "goal", &format!("Goal {n}")]);
    }
    let all = env.json(&["nudges"]);
    let all = all.as_array().unwrap();
    let total = all.len();
    assert!(total > 8, "{all:?}");
    let text = env.ok(&["nudges"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 8, "{text}");
    for (line, nudge) in lines[..7].iter().zip(all) {
        assert_eq!(*line, nudge["text"].as_str().unwrap());
    }
    assert_eq!(
        lines[7],
        format!(
            "…and {} more, less urgent: `upward nudges --all`",
            total - 7
        )
    );
    let every = env.ok(&["nudges", "--all"]);
    assert_eq!(every.lines().count(), total, "{every}");
    assert!(!every.contains("less urgent"), "{every}");
}

#[test]
fn a_slip_comes_after_overdue_commitments_and_before_risks() {
    let env = Env::new().with_people();
    env.ok(&["add", "risk", "Vendor late", "--severity", "high"]);
    env.ok(&[
        "add",
        "priority",
        "Billing migration",
        "--effort",
        "2w",
        "--due",
        "2026-12-01",
    ]);
    env.ok(&["add", "promise", "Send the doc", "--due", "2026-11-20"]);
    let n = env.json(&["nudges", "--all"]);
    let kinds: Vec<&str> = n
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["kind"].as_str().unwrap())
        .take(3)
        .collect();
    assert_eq!(kinds, ["overdue", "slip", "risk"], "{n}");
}

// ---- reflection advice from what is on record ----

#[test]
fn reflection_advice_does_not_ask_for_priorities_already_on_record() {
    let env = Env::new().with_people();
    let ask = "what their top priorities are";
    let out = env.ok(&["reflect", "--score", "priorities=2"]);
    assert!(out.contains(ask), "{out}");
    env.ok(&["person", "set", "Dana", "priorities", "Billing by Q2"]);
    env.ok(&[
        "person",
        "set",
        "Dana",
        "pressures",
        "Board review in March",
    ]);
    let out = env.ok(&["reflect", "--score", "priorities=2"]);
    assert!(!out.contains(ask), "{out}");
    assert!(
        out.contains(
            "you have Dana Whitfield's priorities and pressures on record: check in your next \
             1:1 that they still hold, and show how your work serves them: `upward prep \"Dana \
             Whitfield\"`"
        ),
        "{out}"
    );
}

#[test]
fn reflection_advice_on_delivery_counts_promises_kept_late() {
    let env = Env::new().with_people();
    for (due, done) in [
        ("2026-11-10", Some("2026-11-09")),
        ("2026-11-10", Some("2026-11-10")),
        ("2026-11-12", Some("2026-11-16")),
        ("2026-11-18", None),
    ] {
        let p = id(&env.json(&["add", "promise", "A promise", "--due", due]));
        if let Some(d) = done {
            env.ok(&["done", &p, "--date", d]);
        }
    }
    let out = env.ok(&[
        "reflect",
        "--score",
        "delivery=2",
        "--answer",
        "delivery=Not sure what she needs",
    ]);
    assert!(
        out.contains(
            "Focus on delivery (2/5): you wrote \"Not sure what she needs\" — 2 of your last 4 \
             promises to Dana Whitfield came late"
        ),
        "{out}"
    );
    assert!(!out.contains("check with"), "{out}");
    let json = env.json(&["reflect", "--score", "delivery=2"]);
    assert_eq!(
        json["follow_through"],
        serde_json::json!({"on_time": 2, "late": 2})
    );
}
