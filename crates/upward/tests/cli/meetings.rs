//! Meetings listed, shown and undone; `meet` with nothing to record; declines recorded
//! (docs/meet.md, docs/decline.md), through the real binary.

use crate::harness::{Env, id};
use serde_json::Value;

/// A topic, a risk and a priority for Dana; a 1:1 that discusses them and agrees two actions.
fn met(env: &Env) -> (String, String, String, Value) {
    let topic = id(&env.json(&["add", "topic", "Budget for Q1", "--with", "Dana"]));
    let risk = id(&env.json(&[
        "add",
        "risk",
        "Vendor may slip",
        "--with",
        "Dana",
        "--likelihood",
        "high",
        "--severity",
        "high",
    ]));
    let priority = id(&env.json(&["add", "priority", "Billing migration", "--effort", "3d"]));
    let m = env.json(&[
        "meet",
        "Dana",
        "--date",
        "2026-11-20",
        "--discussed",
        &format!("{topic},{risk},{priority}"),
        "--notes",
        "Agreed to revisit the budget",
        "--action",
        "Send the plan@me:fri",
        "--action",
        "Intro to finance@them",
    ]);
    (topic, risk, priority, m)
}

#[test]
fn meetings_are_listed_newest_first_and_shown_with_what_came_of_them() {
    let env = Env::new().with_people();
    let (topic, _, _, m) = met(&env);
    env.ok(&["meet", "Sam", "--notes", "Pairing on the rollout"]);
    let list = env.json(&["meetings"]);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["person"], "Sam Ortiz", "newest first: {list:?}");
    assert_eq!(list[1]["date"], "2026-11-20");
    let only_dana = env.json(&["meetings", "Dana"]);
    assert_eq!(only_dana.as_array().unwrap().len(), 1);

    let mid = m["meeting"]["id"].to_string();
    let shown = env.json(&["meeting", "show", &mid]);
    assert_eq!(shown["meeting"]["notes"], "Agreed to revisit the budget");
    assert_eq!(shown["discussed"].as_array().unwrap().len(), 3);
    assert_eq!(shown["actions"].as_array().unwrap().len(), 2);
    let fields: Vec<&str> = shown["effects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["item"] == m["discussed"][0]["uuid"])
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"status") && fields.contains(&"done"),
        "{fields:?}"
    );

    let text = env.ok(&["meeting", "show", &mid]);
    assert!(
        text.starts_with("1:1 #1 with Dana Whitfield on 2026-11-20"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "#{topic} topic Budget for Q1 (it set status, done)"
        )),
        "{text}"
    );
    assert!(
        text.contains("Send the plan (me, due 2026-11-27, open)"),
        "{text}"
    );
    let table = env.ok(&["meetings"]);
    assert!(table.lines().next().unwrap().starts_with("ID"), "{table}");
    assert!(table.contains("Pairing on the rollout"), "{table}");
}

#[test]
fn undo_puts_back_what_the_meeting_changed_and_drops_its_open_actions() {
    let env = Env::new().with_people();
    let (topic, risk, priority, m) = met(&env);
    let mid = m["meeting"]["id"].to_string();
    // One action is done before the undo: it stays done.
    let actions = m["actions"].as_array().unwrap();
    let done_action = id(&actions[1]);
    env.ok(&["done", &done_action]);

    let undo = env.json(&["meeting", "undo", &mid]);
    assert_eq!(undo["restored"].as_array().unwrap().len(), 3, "{undo}");
    assert_eq!(undo["dropped"].as_array().unwrap().len(), 1);
    assert_eq!(undo["unlinked"][0]["status"], "done");
    assert!(undo["kept"].as_array().unwrap().is_empty());

    // Every discussed item is as it was before the 1:1.
    for item_id in [&topic, &risk, &priority] {
        let now = env.json(&["show", item_id]);
        assert_eq!(now["status"], "open", "#{item_id}");
        assert!(now["done"].is_null(), "#{item_id}");
    }
    assert!(env.json(&["show", &risk])["communicated"].is_null());
    assert!(env.json(&["show", &priority])["confirmed"].is_null());
    let dropped = env.json(&["show", &id(&actions[0])]);
    assert_eq!(dropped["status"], "dropped");
    assert!(dropped["meeting"].is_null());
    assert!(env.json(&["meetings"]).as_array().unwrap().is_empty());
    // The cadence counts from the last contact again: nothing is left of the 1:1.
    let e = env.fails(1, &["meeting", "show", &mid]);
    assert!(e.contains(&format!("no 1:1 has id {mid}")), "{e}");
    let e = env.fails(1, &["meeting", "undo", &mid]);
    assert!(e.contains("`upward meetings`"), "{e}");
    // The export keeps the tombstone, and importing it elsewhere does not bring the 1:1 back.
    let doc: Value = serde_json::from_str(&env.ok(&["export"])).unwrap();
    assert_eq!(doc["removed"][0]["kind"], "meeting");
    assert!(doc["meetings"].as_array().unwrap().is_empty());
}

#[test]
fn undo_keeps_a_field_changed_after_the_meeting() {
    let env = Env::new().with_people();
    let (topic, _, _, m) = met(&env);
    // Reopened after the 1:1, and closed again on another day: no longer the 1:1's doing.
    env.ok(&["reopen", &topic]);
    env.ok(&["done", &topic, "--date", "2026-11-22"]);
    let undo = env.json(&["meeting", "undo", &m["meeting"]["id"].to_string()]);
    let kept: Vec<&str> = undo["kept"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["field"].as_str().unwrap())
        .collect();
    assert_eq!(kept, ["done"], "{undo}");
    let t = env.json(&["show", &topic]);
    assert_eq!(t["done"], "2026-11-22");
    let text_env = Env::new().with_people();
    let (_, _, _, m2) = met(&text_env);
    let out = text_env.ok(&["meeting", "undo", &m2["meeting"]["id"].to_string()]);
    assert!(
        out.starts_with("Undid the 1:1 #1 with Dana Whitfield on 2026-11-20: it is removed."),
        "{out}"
    );
    assert!(out.contains("dropped action"), "{out}");
}

#[test]
fn an_undone_meeting_stays_undone_through_export_and_merge() {
    let a = Env::new().with_people();
    let (_, _, _, m) = met(&a);
    let copy = a.path("before-undo.json");
    std::fs::write(&copy, a.ok(&["export"])).unwrap();
    a.ok(&["meeting", "undo", &m["meeting"]["id"].to_string()]);
    // Merging the copy made before the undo does not bring the 1:1 back.
    a.ok(&["import", copy.to_str().unwrap(), "--merge"]);
    assert!(a.json(&["meetings"]).as_array().unwrap().is_empty());
    // And a workspace that still has it loses it when it merges the newer export.
    let b = Env::new();
    b.ok(&["import", copy.to_str().unwrap()]);
    assert_eq!(b.json(&["meetings"]).as_array().unwrap().len(), 1);
    let after = a.path("after-undo.json");
    std::fs::write(&after, a.ok(&["export"])).unwrap();
    let report = b.json(&["import", after.to_str().unwrap(), "--merge"]);
    assert_eq!(report["meetings_removed"], 1, "{report}");
    assert!(b.json(&["meetings"]).as_array().unwrap().is_empty());
    // Export → import → export is identical with effects, declines and tombstones in it.
    let c = Env::new();
    c.ok(&["import", after.to_str().unwrap()]);
    let again: Value = serde_json::from_str(&c.ok(&["export"])).unwrap();
    let first: Value = serde_json::from_str(&std::fs::read_to_string(&after).unwrap()).unwrap();
    assert_eq!(again["removed"], first["removed"]);
    assert_eq!(again["effects"], first["effects"]);
}

#[test]
fn meet_with_nothing_to_record_and_no_terminal_is_a_usage_error() {
    let env = Env::new().with_people();
    let before = env.state();
    let e = env.fails(2, &["meet", "Dana"]);
    assert!(e.contains("nothing to record"), "{e}");
    assert!(e.contains("--notes"), "{e}");
    let e = env.fails(2, &["meet", "Dana", "--date", "yesterday", "--notes", "  "]);
    assert!(e.contains("nothing to record"), "{e}");
    assert_eq!(env.state(), before, "nothing was written");
    assert!(env.json(&["meetings"]).as_array().unwrap().is_empty());
}

#[test]
fn a_decline_is_recorded_only_when_sent() {
    let env = Env::new().with_people();
    env.ok(&["add", "priority", "Billing migration", "--effort", "3d"]);
    let args = [
        "decline",
        "Run the offsite",
        "--from",
        "Sam",
        "--reason",
        "the migration takes the team until March",
        "--alternative",
        "I can review the agenda",
    ];
    let out = env.command().args(args).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--sent"));
    assert!(env.json(&["declines"]).as_array().unwrap().is_empty());

    let mut sent = args.to_vec();
    sent.push("--sent");
    let v = env.json(&sent);
    assert_eq!(v["recorded"]["title"], "Run the offsite");
    assert_eq!(v["recorded"]["person"], "Sam Ortiz");
    let all = env.json(&["declines"]);
    let d = &all[0];
    assert_eq!(d["reason"], "the migration takes the team until March");
    assert_eq!(d["alternatives"][0], "I can review the agenda");
    assert_eq!(d["date"], "2026-11-23");
    assert!(d["text"].as_str().unwrap().contains("Run the offsite"));
    assert!(
        env.json(&["declines", "Dana"])
            .as_array()
            .unwrap()
            .is_empty()
    );
    let text = env.ok(&["declines"]);
    assert!(
        text.starts_with("#1 2026-11-23 to Sam Ortiz: \"Run the offsite\" — the migration"),
        "{text}"
    );
    // Kept in the export, and brought back by an import.
    let file = env.path("x.json");
    std::fs::write(&file, env.ok(&["export"])).unwrap();
    let other = Env::new();
    other.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(other.json(&["declines"]), all);
}

#[test]
fn list_of_a_record_that_is_not_an_item_names_the_command_that_lists_it() {
    let env = Env::new().with_people();
    for kind in ["meeting", "Meetings", "1:1"] {
        let e = env.fails(1, &["list", kind]);
        assert!(
            e.contains("1:1s are not items: `upward meetings` lists them"),
            "{kind}: {e}"
        );
    }
    let e = env.fails(1, &["list", "declines"]);
    assert!(e.contains("`upward declines` lists them"), "{e}");
    // Any other unknown kind keeps the list of kinds.
    let e = env.fails(1, &["list", "meet"]);
    assert!(
        e.contains("kind `meet` is not valid — accepted: win"),
        "{e}"
    );
}
