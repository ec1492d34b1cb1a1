//! Ideas (issue #13, "be proactive"): an open idea is on its person's agenda, in its own
//! section after blockers and risks; `meet --discussed` closes it; an idea open 30 days
//! without being discussed is nudged, once. Through the real binary, at the boundaries.
//! Today is Mon 23 Nov 2026.

use crate::harness::{Env, id};
use serde_json::Value;

fn section_keys(agenda: &Value) -> Vec<&str> {
    agenda["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect()
}

fn section<'a>(agenda: &'a Value, key: &str) -> Option<&'a Value> {
    agenda["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == key)
}

/// `upward --json nudges` on `day`.
fn nudges_on(env: &Env, day: &str) -> Vec<Value> {
    let out = env
        .command()
        .env("UPWARD_NOW", day)
        .args(["--json", "nudges"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn idea_nudges(env: &Env, day: &str) -> Vec<Value> {
    nudges_on(env, day)
        .into_iter()
        .filter(|n| n["kind"] == "idea")
        .collect()
}

#[test]
fn open_ideas_are_on_their_persons_agenda_after_blockers_and_risks() {
    let env = Env::new().with_people();
    let idea = id(&env.json(&[
        "add",
        "idea",
        "Automate the weekly cost report",
        "--body",
        "Dana builds it by hand every Monday",
    ]));
    env.ok(&["add", "idea", "Share the SDK test rig", "--with", "Sam"]);
    env.ok(&["add", "risk", "Vendor late", "--severity", "high"]);
    env.ok(&[
        "add",
        "blocker",
        "No staging DB",
        "--ask",
        "Approve INFRA-2231",
    ]);
    env.ok(&["add", "goal", "Lead a project"]);
    let a = env.json(&["prep"]);
    assert_eq!(
        section_keys(&a)[..4],
        ["blockers", "risks", "ideas", "career"]
    );
    let ideas = section(&a, "ideas").unwrap();
    assert_eq!(ideas["title"], "Ideas that could help you");
    assert_eq!(
        ideas["items"].as_array().unwrap().len(),
        1,
        "Sam's is Sam's"
    );
    assert_eq!(ideas["items"][0]["id"].to_string(), idea);
    assert_eq!(ideas["items"][0]["text"], "Automate the weekly cost report");
    assert_eq!(
        ideas["items"][0]["reason"],
        "my idea, noted today; say what it would change for them, and offer to take the first step"
    );
    let md = env.ok(&["prep"]);
    assert!(md.contains("## Ideas that could help you\n\n- Automate the weekly cost report"));
    // On the agenda to share: the facts, no coaching, no private body.
    let shared = env.ok(&["prep", "--shared"]);
    assert!(
        shared.contains("- Automate the weekly cost report — _my idea, noted today_"),
        "{shared}"
    );
    assert!(!shared.contains("first step") && !shared.contains("by hand"));
    let sam = env.json(&["prep", "Sam"]);
    assert_eq!(
        section(&sam, "ideas").unwrap()["items"][0]["text"],
        "Share the SDK test rig"
    );
}

#[test]
fn a_brief_agenda_keeps_an_idea_after_priorities_and_feedback_before_career() {
    let env = Env::new().with_people();
    env.ok(&["person", "set", "Dana", "length", "brief"]);
    for n in 1..=5 {
        env.ok(&["add", "topic", &format!("Topic {n}")]);
    }
    env.ok(&["add", "feedback", "Great offsite"]);
    env.ok(&["add", "goal", "Lead a project"]);
    env.ok(&["add", "idea", "Automate the weekly cost report"]);
    env.ok(&["add", "priority", "Billing migration"]);
    let md = env.ok(&["prep"]);
    let kept: Vec<&str> = md.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        kept,
        [
            "## Follow-ups",
            "## Ideas that could help you",
            "## Priorities — are we aligned on this order?",
            "## Feedback",
            "## Career growth",
        ],
        "{md}"
    );
    // Seven lines: the priority, the feedback, the idea and the goal, then three topics.
    assert!(md.contains("- Automate the weekly cost report"), "{md}");
    assert!(
        md.contains("_…and 5 more items: 2 follow-ups and 3 questions"),
        "{md}"
    );
}

#[test]
fn meet_closes_the_ideas_it_discussed_and_undo_reopens_them() {
    let env = Env::new().with_people();
    let idea = id(&env.json(&["add", "idea", "Automate the weekly cost report"]));
    env.ok(&["meet", "--discussed", &idea, "--notes", "Dana likes it"]);
    let shown = env.json(&["show", &idea]);
    assert_eq!(shown["status"], "done");
    assert_eq!(shown["done"], "2026-11-23");
    assert_eq!(shown["discussed"], "2026-11-23");
    assert!(section(&env.json(&["prep"]), "ideas").is_none());
    let meeting = env.json(&["meetings"])[0]["id"].to_string();
    env.ok(&["meeting", "undo", &meeting]);
    let shown = env.json(&["show", &idea]);
    assert_eq!(
        (shown["status"].as_str(), shown["done"].as_str()),
        (Some("open"), None)
    );
    assert!(section(&env.json(&["prep"]), "ideas").is_some());
}

#[test]
fn an_idea_open_30_days_without_being_discussed_is_nudged_once() {
    let env = Env::new().with_people();
    let idea = id(&env.json(&["add", "idea", "Automate the weekly cost report"]));
    assert!(idea_nudges(&env, "2026-12-22").is_empty(), "29 days");
    let n = idea_nudges(&env, "2026-12-23");
    assert_eq!(n.len(), 1, "30 days");
    assert_eq!(
        n[0]["text"],
        format!(
            "Idea #{idea} \"Automate the weekly cost report\" has waited 30 days without being \
             discussed — bring it to your next 1:1 with Dana Whitfield, or drop it if it no \
             longer fits: `upward prep \"Dana Whitfield\"`"
        )
    );
    assert_eq!(n[0]["person"], "Dana Whitfield");
    assert_eq!(n[0]["id"].to_string(), idea);
    assert_eq!(idea_nudges(&env, "2026-12-24").len(), 1, "31 days");
    // Its place: after feedback, before career and reflection.
    let all = nudges_on(&env, "2026-12-24");
    let kinds: Vec<&str> = all.iter().map(|n| n["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"reflection") && kinds.contains(&"idea"));
    let at = |k: &str| kinds.iter().position(|x| *x == k).unwrap();
    assert!(at("idea") < at("reflection"), "{kinds:?}");
    let text = {
        let out = env
            .command()
            .env("UPWARD_NOW", "2026-12-24")
            .args(["nudges", "--all"])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(
        text.contains("has waited 31 days without being discussed"),
        "{text}"
    );

    // Dropped, it is quiet; reopened, never discussed, it is back.
    env.ok(&["drop", &idea, "--why", "Not now"]);
    assert!(idea_nudges(&env, "2026-12-24").is_empty());
    env.ok(&["reopen", &idea]);
    assert_eq!(idea_nudges(&env, "2026-12-24").len(), 1);
    // Discussed once, it is quiet for good: even reopened.
    let out = env
        .command()
        .env("UPWARD_NOW", "2026-12-24")
        .args(["meet", "--discussed", &idea])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(idea_nudges(&env, "2026-12-24").is_empty());
    env.ok(&["reopen", &idea]);
    assert!(idea_nudges(&env, "2027-03-01").is_empty());
}

#[test]
fn an_idea_for_someone_removed_is_not_nudged() {
    let env = Env::new().with_people();
    env.ok(&["add", "idea", "Share the SDK test rig", "--with", "Sam"]);
    assert_eq!(idea_nudges(&env, "2026-12-23")[0]["person"], "Sam Ortiz");
    env.ok(&["person", "rm", "Sam"]);
    assert!(idea_nudges(&env, "2026-12-23").is_empty());
}
