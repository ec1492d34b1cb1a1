//! The tone check (issue #13, "avoid being passive-aggressive, overly critical or emotional"):
//! `upward check` on any text, and the check where the user writes to their manager — feedback
//! items, blocker asks, decline reasons, update drafts — as hints on stderr and a `warnings`
//! list in the JSON. Each rule beside a near miss, through the real binary. Today is Mon 23
//! Nov 2026.

use crate::harness::{Env, id};
use serde_json::Value;
use std::process::Output;

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// `(rule, found)` of each warning of a JSON answer.
fn flags(v: &Value) -> Vec<(String, String)> {
    v["warnings"]
        .as_array()
        .unwrap_or_else(|| panic!("no warnings list in {v}"))
        .iter()
        .map(|w| {
            assert_eq!(w.as_object().unwrap().len(), 3, "{w}");
            (
                w["rule"].as_str().unwrap().to_string(),
                w["found"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(r, f)| (r.to_string(), f.to_string()))
        .collect()
}

/// The rules `upward check TEXT --json` flags.
fn checked(env: &Env, text: &str) -> Vec<(String, String)> {
    flags(&env.json(&["check", text]))
}

#[test]
fn check_flags_each_rule_and_passes_its_near_miss() {
    let env = Env::new();
    for (text, rule, found) in [
        ("The release always slips", "absolute", "always"),
        ("you never review on time", "blame", "you never"),
        ("You failed to update the doc", "blame", "You failed to"),
        ("Obviously it was late", "sarcasm", "Obviously"),
        ("Great plan /s", "sarcasm", "/s"),
        ("Another \"urgent\" request", "sarcasm", "\"urgent\""),
        ("Thanks a lot for the notice", "sarcasm", "Thanks a lot"),
        ("Please STOP merging on Fridays", "shouting", "STOP"),
        ("Fix the build!!", "shouting", "!!"),
    ] {
        assert_eq!(checked(&env, text), pairs(&[(rule, found)]), "{text}");
    }
    for near_miss in [
        "Never mind the estimate, it is fine",
        "The always-on replicas cost 3% more",
        "The deploy failed to start",
        "Thanks, this saved a lot of time",
        "The files are in /srv/data",
        "I finished \"Billing migration\" and set \"max_retries\" to 3",
        "The API breaks the SLA when CI is red; P99 is 40% better",
        "Set `NEVER_EXPIRE` and `alwaysRetry` to false",
        "Approve INFRA-2231, please!",
    ] {
        assert_eq!(checked(&env, near_miss), vec![], "{near_miss}");
    }
    // No database is opened or created to check a text.
    assert!(!env.db.exists());
}

#[test]
fn check_prints_each_flag_with_its_suggestion_or_says_none_and_exits_0() {
    let env = Env::new();
    let out = env.run(&["check", "You never test. STOP!!"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[0].starts_with(
            "- tone (blame): \"You never\" puts the fault on them — describe what happened \
             instead: \"On <when> (fact), <what was done> (behaviour), so <what it cost> \
             (impact). Could we <what could change>?\""
        ),
        "{text}"
    );
    assert!(lines[1].starts_with("- tone (shouting): \"STOP\" reads as shouting"));
    assert!(lines[1].contains("add it under [acronyms]"));
    assert!(lines[2].starts_with("- tone (shouting): \"!!\""));
    assert!(stderr(&out).is_empty());
    let out = env.run(&["check", "Shipped the exporter; p99 is 40% lower."]);
    assert_eq!(
        (out.status.code(), stdout(&out).as_str()),
        (Some(0), "No tone flags.\n")
    );
    let v = env.json(&["check", "All good here"]);
    assert_eq!(v, serde_json::json!({"warnings": []}));
}

#[test]
fn check_reads_standard_input_and_takes_feedback_rules_on_request() {
    let env = Env::new();
    let out = env.run_stdin(
        &["--json", "check", "-"],
        b"The demo ran 20 minutes over.\nYou ALWAYS do this.\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        flags(&v),
        pairs(&[("absolute", "ALWAYS"), ("shouting", "ALWAYS")])
    );
    let past = "The demo ran 20 minutes over and we lost the Q&A";
    assert_eq!(checked(&env, past), vec![]);
    let v = env.json(&["check", "--feedback", past]);
    assert_eq!(flags(&v), pairs(&[("past_only", past)]));
    let v = env.json(&[
        "check",
        "--feedback",
        "The demo ran over; next time could we keep a buffer?",
    ]);
    assert_eq!(flags(&v), vec![]);
    // A text that starts with a hyphen is text, not a flag.
    assert_eq!(
        checked(&env, "-- NEVER again"),
        pairs(&[("absolute", "NEVER"), ("shouting", "NEVER")])
    );
    // Not text: refused in one line, exit 1.
    let out = env.run_stdin(&["check", "-"], &[0xff, 0xfe]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).starts_with("error: the text on standard input is not UTF-8"));
    let out = env.run(&["check", "bell\u{7}"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).starts_with("error: text "), "{}", stderr(&out));
}

#[test]
fn feedback_items_are_checked_when_added_and_edited() {
    let env = Env::new().with_people();
    let out = env.run(&[
        "--json",
        "add",
        "feedback",
        "You always run the retro over time",
        "--tone",
        "constructive",
    ]);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        flags(&v),
        pairs(&[
            ("absolute", "always"),
            ("past_only", "You always run the retro over time")
        ])
    );
    assert_eq!(
        v["kind"], "feedback",
        "the item's JSON, with warnings added"
    );
    let err = stderr(&out);
    assert!(
        err.contains("hint: tone (absolute): \"always\" turns one event into a verdict"),
        "{err}"
    );
    assert!(err.contains("hint: tone (past only): it speaks only of the past"));
    let feedback = id(&v);
    // Rewritten with the future in it, the past-only flag goes; the absolute word stays.
    let v = env.json(&[
        "edit",
        &feedback,
        "--title",
        "The retro ran 20 minutes over twice; next time could we time-box it?",
    ]);
    assert_eq!(flags(&v), vec![]);
    // Positive feedback need not ask for anything; received feedback is their words.
    let v = env.json(&["add", "feedback", "Great demo on Friday"]);
    assert_eq!(flags(&v), vec![]);
    let v = env.json(&[
        "add",
        "feedback",
        "You never test",
        "--direction",
        "received",
    ]);
    assert_eq!(flags(&v), vec![]);
    // Other kinds carry an empty list.
    let out = env.run(&["--json", "add", "win", "NEVER AGAIN a late release"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(flags(&v), vec![]);
    assert!(!stderr(&out).contains("tone"));
}

#[test]
fn a_blockers_ask_is_checked_when_added_and_edited() {
    let env = Env::new().with_people();
    let out = env.run(&[
        "add",
        "blocker",
        "No staging DB",
        "--ask",
        "Obviously approve INFRA-2231",
    ]);
    assert!(out.status.success());
    assert!(stderr(&out).contains("hint: tone (sarcasm): \"Obviously\" reads as sarcasm"));
    let blocker = stdout(&out)
        .split('#')
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let v = env.json(&["edit", &blocker, "--ask", "Approve INFRA-2231 by Wednesday"]);
    assert_eq!(flags(&v), vec![]);
    let v = env.json(&["edit", &blocker, "--ask", "APPROVE IT NOW!!"]);
    assert_eq!(
        flags(&v),
        pairs(&[("shouting", "APPROVE IT NOW"), ("shouting", "!!")])
    );
    // The title is not the ask.
    let v = env.json(&[
        "add",
        "blocker",
        "STOP: no staging DB",
        "--ask",
        "Approve it",
    ]);
    assert_eq!(flags(&v), vec![]);
}

#[test]
fn a_decline_reason_is_checked_and_the_draft_is_the_same() {
    let env = Env::new().with_people();
    let plain = env.json(&[
        "decline",
        "Run the offsite",
        "--from",
        "Sam",
        "--reason",
        "the billing migration needs me until March",
    ]);
    assert_eq!(flags(&plain), vec![]);
    let out = env.run(&[
        "--json",
        "decline",
        "Run the offsite",
        "--from",
        "Sam",
        "--reason",
        "obviously the billing migration needs me until March",
        "--alternative",
        "Ask someone who is ALWAYS free",
    ]);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        flags(&v),
        pairs(&[
            ("sarcasm", "obviously"),
            ("absolute", "ALWAYS"),
            ("shouting", "ALWAYS")
        ])
    );
    assert!(stderr(&out).contains("hint: tone (sarcasm)"));
}

#[test]
fn an_update_draft_is_checked_on_what_the_user_wrote_into_it() {
    let env = Env::new().with_people();
    env.ok(&[
        "add",
        "blocker",
        "No staging DB",
        "--ask",
        "Approve it, URGENT!!",
    ]);
    env.ok(&[
        "add",
        "priority",
        "Billing migration",
        "--due",
        "2026-12-18",
    ]);
    let out = env.run(&["--json", "update"]);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        flags(&v),
        pairs(&[("shouting", "URGENT"), ("shouting", "!!")])
    );
    assert!(stderr(&out).contains("hint: tone (shouting): \"URGENT\""));
    assert!(stdout(&out).contains("\"brief\": null"));
    // upward's own words ("ask:", "can we agree one?") are not flagged.
    env.ok(&["edit", "1", "--ask", "Approve INFRA-2231"]);
    env.ok(&["add", "risk", "Vendor late"]);
    assert_eq!(flags(&env.json(&["update"])), vec![]);
}

#[test]
fn your_own_words_are_read_beside_the_config_file() {
    let env = Env::new();
    let dir = env.dir.path().join("config").join("upward");
    std::fs::create_dir_all(&dir).unwrap();
    let config = env.json(&["config"]);
    assert_eq!(
        config["tone_words"]["source"],
        "not present: the shipped list"
    );
    std::fs::write(
        dir.join("tone-words.txt"),
        "# mine\n[absolute]\n-never\n[acronyms]\nRDSX\n",
    )
    .unwrap();
    assert_eq!(checked(&env, "You will never guess"), vec![]);
    assert_eq!(checked(&env, "Ship RDSX today"), vec![]);
    assert_eq!(
        checked(&env, "It always slips"),
        pairs(&[("absolute", "always")]),
        "the rest of the shipped list holds"
    );
    let config = env.json(&["config"]);
    assert_eq!(
        config["tone_words"]["value"],
        dir.join("tone-words.txt").display().to_string()
    );
    assert_eq!(
        config["tone_words"]["source"],
        "found: read on top of the shipped list"
    );
    std::fs::write(dir.join("tone-words.txt"), "[absolut]\nnever\n").unwrap();
    let e = env.fails(1, &["check", "x"]);
    assert!(
        e.contains("tone-words.txt line 1: unknown section [absolut] — accepted: [absolute], [not absolute], [blame], [sarcasm], [acronyms], [future]"),
        "{e}"
    );
    // A write that would check refuses before anything is written.
    let e = env.fails(1, &["add", "note", "x"]);
    assert!(e.contains("unknown section [absolut]"), "{e}");
    std::fs::remove_file(dir.join("tone-words.txt")).unwrap();
    std::fs::write(dir.join("jargon-words.txt"), "flux capacitor\n-api\n").unwrap();
    env.ok(&["init", "--me", "Alex", "--manager", "Dana"]);
    env.ok(&["person", "set", "Dana", "technical", "no"]);
    env.ok(&["add", "priority", "Fix the flux capacitor behind the API"]);
    let v = env.json(&["update"]);
    assert_eq!(flags(&v), pairs(&[("jargon", "flux capacitor")]));
}
