//! The workflows (docs/) through the real binary: what each prints and what each changes.
//! The rules themselves are unit-tested beside them in upward-domain; these tests check the
//! wiring (which data is loaded, what is written, the JSON shapes) end to end.

use crate::harness::{Env, id};
use serde_json::Value;

fn keys(v: &Value) -> Vec<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

#[test]
fn tour_prints_the_agenda_the_update_and_the_nudges() {
    let env = Env::new();
    let out = env.ok(&["tour"]);
    assert!(out.contains("1:1 agenda"), "{out}");
    assert!(out.contains("Subject: Status update"), "{out}");
    assert!(out.contains("What needs attention now"), "{out}");
    assert!(out.contains("Where to go next"), "{out}");
    // The tour never touches the user's database (UPWARD_DB points at it here).
    assert!(!env.db.exists());
    insta::assert_snapshot!("tour", out);
}

#[test]
fn tour_with_db_keeps_the_sample_and_refuses_a_non_empty_database() {
    let env = Env::new();
    let path = env.path("sample.db");
    let out = env.ok(&["--db", path.to_str().unwrap(), "tour"]);
    assert!(out.contains(path.to_str().unwrap()), "{out}");
    let items = env.json(&["--db", path.to_str().unwrap(), "list", "--status", "all"]);
    assert!(items.as_array().unwrap().len() > 20);
    let e = env.fails(1, &["--db", path.to_str().unwrap(), "tour"]);
    assert!(e.contains("already holds data"), "{e}");
}

#[test]
fn prep_json_has_the_spec_shape_and_defaults_to_my_manager() {
    let env = Env::new().with_people();
    env.ok(&[
        "add",
        "action",
        "Send the doc",
        "--with",
        "Dana",
        "--due",
        "yesterday",
    ]);
    env.ok(&["add", "win", "Shipped search"]);
    let agenda = env.json(&["prep"]);
    assert_eq!(keys(&agenda), ["person", "date", "shared", "sections"]);
    assert_eq!(agenda["shared"], false);
    assert_eq!(agenda["person"], "Dana Whitfield");
    assert_eq!(agenda["date"], "2026-11-23");
    let sections = agenda["sections"].as_array().unwrap();
    let section_keys: Vec<&str> = sections
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert_eq!(section_keys[0], "follow_up");
    assert!(section_keys.contains(&"wins"), "{section_keys:?}");
    for s in sections {
        for i in s["items"].as_array().unwrap() {
            assert!(
                i.get("id").is_some() && i["text"].is_string() && i["reason"].is_string(),
                "{i}"
            );
        }
    }
    // Another person by prefix; a person with nothing recorded still gets know_them questions.
    let sam = env.json(&["prep", "sam"]);
    assert_eq!(sam["person"], "Sam Ortiz");
    let md = env.ok(&["prep"]);
    assert!(md.starts_with("# 1:1 agenda"), "{md}");
}

#[test]
fn meet_settles_what_was_discussed_and_adds_actions_on_both_sides() {
    let env = Env::new().with_people();
    let topic = id(&env.json(&["add", "topic", "Offsite budget", "--with", "Dana"]));
    let win = id(&env.json(&["add", "win", "Shipped search"]));
    let risk = id(&env.json(&["add", "risk", "Vendor sunset", "--mitigation", "Adapter"]));
    let blocker = id(&env.json(&["add", "blocker", "No staging", "--ask", "Approve RDS"]));
    let exp = id(&env.json(&["add", "expectation", "Own on-call", "--metric", "MTTR < 1h"]));
    let pri = id(&env.json(&["add", "priority", "Billing"]));
    let goal = id(&env.json(&["add", "goal", "Staff engineer"]));
    let fb = id(&env.json(&[
        "add",
        "feedback",
        "How did the launch go?",
        "--direction",
        "requested",
    ]));
    let discussed = [
        topic.as_str(),
        &win,
        &risk,
        &blocker,
        &exp,
        &pri,
        &goal,
        &fb,
    ]
    .join(",");
    let out = env.json(&[
        "meet",
        "Dana",
        "--date",
        "today",
        "--discussed",
        &discussed,
        "--notes",
        "Good one",
        "--action",
        "Send the plan@me:fri",
        "--action",
        "Approve the budget@them",
    ]);
    assert_eq!(out["meeting"]["person"], "Dana Whitfield");
    let show = |i: &str| env.json(&["show", i]);
    assert_eq!(show(&topic)["status"], "done");
    assert_eq!(show(&win)["discussed"], "2026-11-23");
    assert_eq!(show(&risk)["communicated"], "2026-11-23");
    assert_eq!(show(&blocker)["escalated"], "2026-11-23");
    assert_eq!(show(&exp)["confirmed"], "2026-11-23");
    assert_eq!(show(&pri)["confirmed"], "2026-11-23");
    assert_eq!(show(&goal)["last_discussed"], "2026-11-23");
    assert_eq!(
        show(&fb)["person"],
        "Dana Whitfield",
        "requested feedback counts as asked of Dana"
    );
    let actions = out["actions"].as_array().unwrap();
    assert_eq!(actions.len(), 2);
    assert_eq!(
        (actions[0]["owner"].as_str(), actions[0]["due"].as_str()),
        (Some("me"), Some("2026-11-27"))
    );
    assert_eq!(actions[1]["owner"], "them");
    assert_eq!(actions[0]["person"], "Dana Whitfield");
    // The meeting is the last contact now: no cadence nudge for Dana.
    let nudges = env.json(&["nudges"]);
    assert!(
        !nudges
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "cadence" && n["person"] == "Dana Whitfield"),
        "{nudges}"
    );
    // Discussed items leave the next agenda.
    let agenda = env.ok(&["prep"]);
    assert!(
        !agenda.contains("Offsite budget") && !agenda.contains("Shipped search"),
        "{agenda}"
    );
    assert!(agenda.contains("Send the plan"), "{agenda}");
}

#[test]
fn meet_refuses_bad_input_and_changes_nothing() {
    let env = Env::new().with_people();
    env.ok(&["add", "topic", "t"]);
    assert!(env.fails(1, &["meet", "--discussed", "99"]).contains("#99"));
    assert!(
        env.fails(1, &["meet", "--action", "Do it@boss"])
            .contains("me")
    );
    assert!(
        env.fails(1, &["meet", "--date", "someday"])
            .contains("accepted")
    );
}

/// Dana as a `brief` reader with every profile field known and a reflection today, so her
/// agenda starts empty and holds exactly what a test adds.
fn brief_dana(env: &Env) {
    for field in [
        "goals",
        "priorities",
        "pressures",
        "motivations",
        "values",
        "strengths",
        "blind_spots",
        "pet_peeves",
        "happiest",
    ] {
        env.ok(&["person", "set", "Dana", field, &format!("Dana's {field}")]);
    }
    for (field, value) in [
        ("length", "brief"),
        ("channel", "email"),
        ("decides_by", "data"),
        ("feedback", "high"),
        ("cadence", "1w"),
        ("trust", "4"),
        ("technical", "yes"),
    ] {
        env.ok(&["person", "set", "Dana", field, value]);
    }
    env.ok(&["reflect", "--score", "rapport=4"]);
}

/// The markdown's item lines (`- …`).
fn bullets(md: &str) -> Vec<&str> {
    md.lines().filter(|l| l.starts_with("- ")).collect()
}

/// How many items the agenda holds (its JSON has every one, whatever the reader's length).
fn agenda_items(env: &Env) -> usize {
    env.json(&["prep"])["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["items"].as_array().unwrap().len())
        .sum()
}

/// A `brief` person's agenda shows 7 items (docs/prep.md): at 7 all of them and no count;
/// at 8 the 7 most important, in section order, and a line counting the one left out.
#[test]
fn a_brief_agenda_shows_seven_items_then_counts_the_rest() {
    let env = Env::new().with_people();
    brief_dana(&env);
    assert_eq!(agenda_items(&env), 0, "{}", env.ok(&["prep"]));
    for t in ["Topic 1", "Topic 2", "Topic 3"] {
        env.ok(&["add", "topic", t, "--with", "Dana"]);
    }
    for w in ["Win 1", "Win 2"] {
        env.ok(&["add", "win", w, "--with", "Dana"]);
    }
    for b in ["Blocker 1", "Blocker 2"] {
        env.ok(&["add", "blocker", b, "--with", "Dana", "--ask", "Approve"]);
    }
    let shown = [
        "Topic 1",
        "Topic 2",
        "Topic 3",
        "Win 1",
        "Win 2",
        "Blocker 1",
        "Blocker 2",
    ];
    // At the cap.
    assert_eq!(agenda_items(&env), 7);
    let md = env.ok(&["prep"]);
    let lines = bullets(&md);
    assert_eq!(lines.len(), 7, "{md}");
    for (line, title) in lines.iter().zip(shown) {
        assert!(line.starts_with(&format!("- {title} ")), "{line} / {title}");
    }
    assert!(!md.contains("more item"), "{md}");
    assert!(md.ends_with("not escalated yet_\n"), "{md}");

    // One over: a high risk matters more than a win (docs/prep.md#how-much-is-shown), so the
    // last win is left out, and the risk shows in its section, after the blockers.
    env.ok(&[
        "add",
        "risk",
        "Risk 1",
        "--with",
        "Dana",
        "--severity",
        "high",
        "--mitigation",
        "Fallback",
    ]);
    assert_eq!(agenda_items(&env), 8);
    let md = env.ok(&["prep"]);
    let lines = bullets(&md);
    assert_eq!(lines.len(), 7, "{md}");
    let shown = [
        "Topic 1",
        "Topic 2",
        "Topic 3",
        "Win 1",
        "Blocker 1",
        "Blocker 2",
        "Risk 1",
    ];
    for (line, title) in lines.iter().zip(shown) {
        assert!(line.starts_with(&format!("- {title} ")), "{line} / {title}");
    }
    assert!(!md.contains("Win 2"), "{md}");
    assert!(
        md.ends_with("\n\n_…and 1 more win: `upward prep \"Dana Whitfield\" --all`._\n"),
        "{md}"
    );
    // --all: every item, and no line.
    let md = env.ok(&["prep", "--all"]);
    assert_eq!(bullets(&md).len(), 8, "{md}");
    assert!(md.contains("- Win 2 ") && !md.contains("more item"), "{md}");
    // Not brief: every item.
    env.ok(&["person", "set", "Dana", "length", "detailed"]);
    let md = env.ok(&["prep"]);
    assert_eq!(bullets(&md).len(), 8, "{md}");
    assert!(
        md.contains("- Risk 1 ") && !md.contains("more item"),
        "{md}"
    );
}

/// A `brief` update holds 8 item lines (docs/update.md): at 8 all of them; at 9 still 8, one
/// taken from each section in turn, while the subject counts all 9.
#[test]
fn a_brief_update_keeps_eight_item_lines() {
    let env = Env::new().with_people();
    brief_dana(&env);
    for i in 1..=4 {
        env.ok(&["add", "win", &format!("Win {i}")]);
        env.ok(&[
            "add",
            "priority",
            &format!("Priority {i}"),
            "--due",
            &format!("+{}d", 7 * i),
        ]);
    }
    let all = [
        "Win 1",
        "Win 2",
        "Win 3",
        "Win 4",
        "Priority 1",
        "Priority 2",
        "Priority 3",
        "Priority 4",
    ];
    // At the cap.
    let text = env.ok(&["update"]);
    let lines = bullets(&text);
    assert_eq!(lines.len(), 8, "{text}");
    for (line, title) in lines.iter().zip(all) {
        assert!(line.starts_with(&format!("- {title}")), "{line} / {title}");
    }
    assert!(
        text.starts_with("Subject: Status update since Mon 16 Nov: 4 done, 4 in progress\n"),
        "{text}"
    );

    // One over: Done and In progress take turns (4 + 4), so the fifth win is left out; the
    // subject still counts it.
    env.ok(&["add", "win", "Win 5"]);
    let text = env.ok(&["update"]);
    let lines = bullets(&text);
    assert_eq!(lines.len(), 8, "{text}");
    for (line, title) in lines.iter().zip(all) {
        assert!(line.starts_with(&format!("- {title}")), "{line} / {title}");
    }
    assert!(!text.contains("Win 5"), "{text}");
    assert!(
        text.starts_with("Subject: Status update since Mon 16 Nov: 5 done, 4 in progress\n"),
        "{text}"
    );
    // Not brief: every line.
    env.ok(&["person", "set", "Dana", "length", "detailed"]);
    let text = env.ok(&["update"]);
    assert_eq!(bullets(&text).len(), 9, "{text}");
    assert!(text.contains("- Win 5\n"), "{text}");
}

#[test]
fn update_follows_style_and_counts_from_the_last_update_sent() {
    let env = Env::new().with_people();
    env.ok(&["person", "set", "Dana", "channel", "email"]);
    env.ok(&["add", "win", "Shipped search", "--metric", "0 errors"]);
    let u = env.json(&["update"]);
    assert_eq!(keys(&u)[..3], ["person", "channel", "text"]);
    assert_eq!(u["channel"], "email");
    let text = u["text"].as_str().unwrap();
    assert!(text.starts_with("Subject:"), "{text}");
    assert!(text.contains("Shipped search"), "{text}");
    // No contact recorded: one cadence (7 days) back.
    assert_eq!(u["since"], "2026-11-16");
    let chat = env.json(&["update", "--channel", "chat"]);
    assert!(!chat["text"].as_str().unwrap().starts_with("Subject:"));
    env.ok(&["update", "--sent"]);
    let later = Env {
        now: "2026-11-30".into(),
        ..env
    };
    assert_eq!(later.json(&["update"])["since"], "2026-11-23");
}

#[test]
fn intake_reports_the_trade_off_and_accept_reranks() {
    let env = Env::new().with_people();
    // Mon 23 Nov: A takes Mon–Wed, B Thu–Fri.
    env.ok(&[
        "add",
        "priority",
        "A",
        "--effort",
        "3d",
        "--due",
        "2026-11-25",
    ]);
    env.ok(&[
        "add",
        "priority",
        "B",
        "--effort",
        "2d",
        "--due",
        "2026-11-27",
    ]);
    let v = env.json(&[
        "intake",
        "Urgent report",
        "--from",
        "Dana",
        "--due",
        "2026-11-24",
        "--effort",
        "2d",
    ]);
    for k in [
        "fits",
        "working_days",
        "effort_ahead",
        "would_slip",
        "message",
    ] {
        assert!(v.get(k).is_some(), "{k} missing in {v}");
    }
    assert_eq!(v["fits"], false);
    assert_eq!(v["working_days"], 2);
    assert_eq!(v["effort_ahead"], 0);
    assert_eq!(titles(&v["would_slip"]), ["A", "B"]);
    assert!(
        v["message"].as_str().unwrap().contains("Are we aligned"),
        "{v}"
    );
    // Nothing was written without --accept.
    assert_eq!(env.json(&["list", "priority"]).as_array().unwrap().len(), 2);
    let accepted = env.json(&[
        "intake",
        "Urgent report",
        "--from",
        "Dana",
        "--due",
        "2026-11-24",
        "--effort",
        "2d",
        "--accept",
    ]);
    assert_eq!(accepted["accepted"]["rank"], 1);
    assert_eq!(
        ranks(&env),
        [
            ("Urgent report".into(), 1),
            ("A".into(), 2),
            ("B".into(), 3)
        ]
    );
    // A request due far out meets its own date at the last rank and pushes nothing back,
    // yet does not fit: A and B are already late behind the urgent report, with or without it.
    let late = env.json(&[
        "intake",
        "Later thing",
        "--from",
        "Dana",
        "--due",
        "2027-01-29",
        "--effort",
        "1d",
    ]);
    assert_eq!(late["fits"], false, "{late}");
    assert_eq!(late["misses_own_date"], false, "{late}");
    assert_eq!(late["rank"], 4, "after the three priorities: {late}");
    assert_eq!(late["would_slip"], serde_json::json!([]), "{late}");
    assert_eq!(titles(&late["already_late"]), ["A", "B"]);
    assert!(
        env.fails(
            1,
            &[
                "intake", "x", "--from", "Dana", "--due", "fri", "--effort", "-2d"
            ]
        )
        .contains("accepted")
    );
}

/// The titles of a JSON list of items.
fn titles(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect()
}

/// The open priorities as `list priority --json` shows them: (title, rank), in rank order.
fn ranks(env: &Env) -> Vec<(String, i64)> {
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
}

/// A request with room before its date and no priority late: it fits, at the last rank,
/// and `--accept` without `--rank` puts it there.
#[test]
fn intake_that_fits_goes_last_and_accept_puts_it_there() {
    let env = Env::new().with_people();
    // Mon 23 Nov: A takes Mon–Wed (due Wed), B Thu–Fri (due in three weeks).
    env.ok(&[
        "add",
        "priority",
        "A",
        "--effort",
        "3d",
        "--due",
        "2026-11-25",
    ]);
    env.ok(&[
        "add",
        "priority",
        "B",
        "--effort",
        "2d",
        "--due",
        "2026-12-11",
    ]);
    let request = [
        "intake",
        "Later thing",
        "--from",
        "Dana",
        "--due",
        "2027-01-29",
        "--effort",
        "1d",
    ];
    let v = env.json(&request);
    assert_eq!(v["fits"], true, "{v}");
    assert_eq!(v["would_slip"], serde_json::json!([]), "{v}");
    assert_eq!(v["already_late"], serde_json::json!([]), "{v}");
    assert_eq!(v["rank"], 3, "last + 1: {v}");
    assert_eq!(v["effort_ahead"], 5, "{v}");
    assert_eq!(v["finish"], "2026-11-30", "{v}");
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("without delaying anything else"),
        "{v}"
    );
    assert_eq!(v["accepted"], Value::Null);
    assert_eq!(ranks(&env), [("A".into(), 1), ("B".into(), 2)]);

    let mut accept = request.to_vec();
    accept.push("--accept");
    let accepted = env.json(&accept);
    assert_eq!(accepted["fits"], true, "{accepted}");
    assert_eq!(accepted["accepted"]["rank"], 3, "{accepted}");
    assert_eq!(accepted["accepted"]["person"], "Dana Whitfield");
    assert_eq!(
        ranks(&env),
        [("A".into(), 1), ("B".into(), 2), ("Later thing".into(), 3)]
    );
}

/// The default `--accept` rank is the lowest at which the request meets its date (docs/
/// intake.md, "Fits behind"): here in the middle, ahead of a priority with room to spare.
#[test]
fn intake_accept_without_rank_goes_where_it_fits() {
    let env = Env::new().with_people();
    // P1 3d due Wed 25 Nov; P2 5d due Thu 31 Dec. The request, 2d due Fri 27 Nov, meets its
    // date at rank 2 (3 + 2 = 5 working days, Mon–Fri) but not at rank 3 (3 + 5 + 2 = 10).
    env.ok(&[
        "add",
        "priority",
        "P1",
        "--effort",
        "3d",
        "--due",
        "2026-11-25",
    ]);
    env.ok(&[
        "add",
        "priority",
        "P2",
        "--effort",
        "5d",
        "--due",
        "2026-12-31",
    ]);
    let v = env.json(&[
        "intake",
        "Audit export",
        "--from",
        "Dana",
        "--due",
        "2026-11-27",
        "--effort",
        "2d",
        "--accept",
    ]);
    assert_eq!(v["fits"], true, "{v}");
    assert_eq!(v["would_slip"], serde_json::json!([]), "{v}");
    assert_eq!(v["rank"], 2, "{v}");
    assert_eq!(v["effort_ahead"], 3, "{v}");
    assert_eq!(v["finish"], "2026-11-27", "{v}");
    assert_eq!(v["accepted"]["rank"], 2, "{v}");
    assert_eq!(
        ranks(&env),
        [
            ("P1".into(), 1),
            ("Audit export".into(), 2),
            ("P2".into(), 3)
        ]
    );
}

#[test]
fn decline_drafts_a_respectful_no() {
    let env = Env::new().with_people();
    env.ok(&[
        "add",
        "priority",
        "Billing migration",
        "--due",
        "2026-12-18",
    ]);
    let d = env.json(&[
        "decline",
        "Run the hackathon",
        "--from",
        "Sam",
        "--reason",
        "Billing needs me until March",
        "--alternative",
        "Priya could run it",
    ]);
    assert_eq!(keys(&d)[..3], ["person", "channel", "text"]);
    let t = d["text"].as_str().unwrap();
    assert!(
        t.contains("Run the hackathon")
            && t.contains("for now: billing needs me until March.")
            && t.contains("Priya could run it")
            && t.contains("Billing migration"),
        "{t}"
    );
    assert!(
        env.fails(1, &["decline", "x", "--from", "Sam", "--reason", " "])
            .contains("--reason")
    );
}

#[test]
fn review_groups_wins_counts_follow_through_and_escapes_html() {
    let env = Env::new().with_people();
    env.ok(&[
        "add",
        "win",
        "<script>alert('x')</script> & co",
        "--tag",
        "perf",
        "--metric",
        "p99 -38%",
        "--date",
        "2026-10-01",
    ]);
    env.ok(&["add", "win", "Old win", "--date", "2025-01-01"]);
    let p1 = id(&env.json(&["add", "promise", "On time", "--due", "2026-11-20"]));
    env.ok(&["done", &p1, "--date", "2026-11-19"]);
    let p2 = id(&env.json(&["add", "promise", "Late", "--due", "2026-11-10"]));
    env.ok(&["done", &p2, "--date", "2026-11-12"]);
    env.ok(&["add", "promise", "Open", "--due", "2026-12-10"]);
    let r = env.json(&["review"]);
    let wins = r["wins"].as_array().unwrap();
    assert_eq!(
        wins.len(),
        1,
        "the 2025 win is outside the last 6 months: {r}"
    );
    assert_eq!(wins[0]["tag"], "perf");
    let p = &r["follow_through"]["promises"];
    assert_eq!(
        (
            p["kept_on_time"].as_i64(),
            p["kept_late"].as_i64(),
            p["open"].as_i64()
        ),
        (Some(1), Some(1), Some(1))
    );
    let all = env.json(&["review", "--from", "2025-01-01"]);
    assert_eq!(
        all["wins"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["wins"].as_array().unwrap().len())
            .sum::<usize>(),
        2
    );
    let html = env.ok(&["review", "--format", "html"]);
    assert!(
        html.starts_with("<!DOCTYPE html>") || html.starts_with("<!doctype html>"),
        "{}",
        &html[..60]
    );
    assert!(!html.contains("<script>alert"), "user text must be escaped");
    assert!(html.contains("&lt;script&gt;"));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no external assets"
    );
    let md = env.ok(&["review"]);
    assert!(md.contains("p99 -38%"), "{md}");
    assert!(
        env.fails(1, &["review", "--from", "2026-12-01", "--to", "2026-11-01"])
            .contains("after")
    );
}

/// User-written `<b>`, `<p>` and `<span>` (tags the page itself uses) reach the HTML review
/// page escaped, from every field it shows: the page's only tags are the renderer's own.
#[test]
fn review_html_escapes_tags_the_page_itself_uses() {
    let env = Env::new();
    env.ok(&[
        "init",
        "--me",
        "<b>Eve</b>",
        "--manager",
        "<span>Dana</span>",
    ]);
    env.ok(&[
        "add",
        "win",
        "<b>Bold</b> <p>para</p> <span>s</span>",
        "--metric",
        "<b>+5%</b>",
        "--impact",
        "<p>impact</p>",
        "--body",
        "<br>line\n<span class=\"meta\">x</span>",
        "--tag",
        "<b>",
        "--date",
        "2026-11-01",
    ]);
    env.ok(&[
        "add",
        "expectation",
        "<b>exp</b>",
        "--metric",
        "<span>m</span>",
    ]);
    env.ok(&[
        "add",
        "feedback",
        "<b>fb</b>",
        "--with",
        "<span>Dana</span>",
        "--direction",
        "received",
        "--body",
        "<p>said</p>",
    ]);
    env.ok(&["add", "goal", "<p>goal</p>", "--body", "<span>why</span>"]);
    let html = env.ok(&["review", "--format", "html"]);
    for escaped in [
        "<h1>Review packet: &lt;b&gt;Eve&lt;/b&gt;</h1>",
        "for a conversation with &lt;span&gt;Dana&lt;/span&gt;.",
        "<h3>&lt;b&gt; (1)</h3>",
        "<strong>&lt;b&gt;Bold&lt;/b&gt; &lt;p&gt;para&lt;/p&gt; &lt;span&gt;s&lt;/span&gt;</strong>",
        "<span class=\"metric\">&lt;b&gt;+5%&lt;/b&gt;</span>. &lt;p&gt;impact&lt;/p&gt;.",
        "<p class=\"body\">&lt;br&gt;line<br>&lt;span class=&quot;meta&quot;&gt;x&lt;/span&gt;</p>",
        "Measured by &lt;span&gt;m&lt;/span&gt;.",
        "<span class=\"meta\">(&lt;span&gt;Dana&lt;/span&gt;, Mon 23 Nov, positive)</span>",
        "<p class=\"body\">&lt;p&gt;said&lt;/p&gt;</p>",
        "<strong>&lt;p&gt;goal&lt;/p&gt;</strong>",
        "<p class=\"body\">&lt;span&gt;why&lt;/span&gt;</p>",
    ] {
        assert!(html.contains(escaped), "{escaped}\n{html}");
    }
    // Every tag on the page is one the renderer writes: no bare <b>, <p> or <span>.
    let own = [
        "!DOCTYPE html",
        "html lang=\"en\"",
        "/html",
        "head",
        "/head",
        "meta charset=\"utf-8\"",
        "meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"",
        "title",
        "/title",
        "style",
        "/style",
        "body",
        "/body",
        "header",
        "/header",
        "h1",
        "/h1",
        "p class=\"period\"",
        "p class=\"summary\"",
        "p class=\"body\"",
        "/p",
        "section",
        "/section",
        "h2",
        "/h2",
        "h3",
        "/h3",
        "ul",
        "/ul",
        "li",
        "/li",
        "strong",
        "/strong",
        "span class=\"meta\"",
        "span class=\"metric\"",
        "/span",
        "br",
    ];
    for tag in html.split('<').skip(1) {
        let tag = &tag[..tag.find('>').expect("a tag ends")];
        assert!(own.contains(&tag), "<{tag}> is not the renderer's:\n{html}");
    }
}

#[test]
fn nudges_list_what_needs_attention_with_the_spec_shape() {
    let env = Env::new().with_people();
    let a = id(&env.json(&[
        "add",
        "action",
        "Overdue thing",
        "--with",
        "Dana",
        "--due",
        "2026-11-20",
    ]));
    env.ok(&[
        "add",
        "risk",
        "Big one",
        "--severity",
        "high",
        "--mitigation",
        "m",
    ]);
    let n = env.json(&["nudges"]);
    let n = n.as_array().unwrap();
    for (i, x) in n.iter().enumerate() {
        assert_eq!(keys(x), ["kind", "text", "person", "id", "rank"]);
        assert_eq!(x["rank"], i + 1);
    }
    assert_eq!(n[0]["kind"], "overdue");
    assert_eq!(n[0]["id"].to_string(), a);
    assert!(n.iter().any(|x| x["kind"] == "risk"));
    assert!(
        n.iter()
            .any(|x| x["kind"] == "cadence" && x["person"] == "Dana Whitfield")
    );
    assert!(!n.iter().any(|x| x["kind"] == "career"));
    let text = env.ok(&["nudges"]);
    assert_eq!(text.lines().count(), n.len(), "one line each: {text}");
}

#[test]
fn reflect_stores_scores_and_shows_the_trend() {
    let env = Env {
        now: "2026-10-01".into(),
        ..Env::new().with_people()
    };
    env.ok(&["reflect", "--score", "rapport=2", "--score", "visibility=3"]);
    let later = Env {
        now: "2026-11-23".into(),
        ..env
    };
    let t = later.json(&[
        "reflect",
        "Dana",
        "--score",
        "rapport=4",
        "--answer",
        "rapport=Better since the offsite",
    ]);
    assert_eq!(t["person"], "Dana Whitfield");
    let rapport = t["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["area"] == "rapport")
        .unwrap();
    assert_eq!(
        (rapport["score"].as_i64(), rapport["previous"].as_i64()),
        (Some(4), Some(2))
    );
    assert!(
        later
            .fails(1, &["reflect", "--score", "mood=3"])
            .contains("accepted: priorities")
    );
    assert!(
        later
            .fails(1, &["reflect", "--score", "rapport=6"])
            .contains("1 to 5")
    );
    assert!(later.fails(1, &["reflect"]).contains("--score"));
    let export: Value = serde_json::from_str(&later.ok(&["export"])).unwrap();
    assert_eq!(export["reflections"].as_array().unwrap().len(), 2);
}

#[test]
fn add_hints_go_to_stderr_and_keep_json_pure() {
    let env = Env::new();
    let out = env.run(&["--json", "add", "risk", "No mitigation yet"]);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("mitigation") && err.contains(&format!("upward edit {}", v["id"])),
        "{err}"
    );
    let out = env.run(&["add", "blocker", "No ask"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("ask"));
    for i in 0..5 {
        env.ok(&["add", "promise", &format!("P{i}"), "--due", "2026-11-26"]);
    }
    let out = env.run(&["add", "promise", "One too many", "--due", "2026-11-29"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("make promises you can keep"));
    let out = env.run(&["add", "promise", "Next week", "--due", "2026-11-30"]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("make promises you can keep"));
}

#[test]
fn update_does_not_repeat_what_the_last_update_already_said() {
    let env = Env::new().with_people();
    let run = |t: &str, args: &[&str]| {
        let out = env
            .command()
            .env("UPWARD_NOW", t)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    run(
        "2026-11-23T10:00:00Z",
        &["add", "win", "Told in the morning update"],
    );
    run("2026-11-23T12:00:00Z", &["update", "--sent"]);
    run(
        "2026-11-23T15:00:00Z",
        &["add", "win", "Won after the update went out"],
    );
    let text = run("2026-11-25T09:00:00Z", &["update"]);
    assert!(text.contains("Won after the update went out"), "{text}");
    assert!(!text.contains("Told in the morning update"), "{text}");
}

/// Runs upward on a pseudo-terminal (util-linux `script`), typing `input`.
pub fn on_terminal(env: &Env, args: &str, input: &str) -> String {
    use std::io::Write;
    let mut child = env
        .command_for("script")
        .args([
            "-qec",
            &format!("{} {args}", env!("CARGO_BIN_EXE_upward")),
            "/dev/null",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("util-linux `script` runs upward on a terminal");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

#[test]
fn meet_and_reflect_ask_on_a_terminal() {
    let env = Env::new().with_people();
    let topic = id(&env.json(&["add", "topic", "Budget", "--with", "Dana"]));
    env.ok(&["add", "win", "Shipped search"]);
    // Discuss the topic, not the win; a note; one action for them.
    let out = on_terminal(
        &env,
        "meet",
        "y\nn\nGood chat\nSend the numbers@them:fri\n\n",
    );
    assert!(out.contains("discussed?"), "{out}");
    assert_eq!(env.json(&["show", &topic])["status"], "done");
    let actions = env.json(&["list", "action"]);
    assert_eq!(actions[0]["owner"], "them");
    assert_eq!(actions[0]["due"], "2026-11-27");
    // Five questions: a score and an answer each (two skipped).
    let out = on_terminal(
        &env,
        "reflect",
        "4\nGood\n3\n\n\n\n2\nThey missed the launch\n5\n\n",
    );
    assert!(out.contains("visibility"), "{out}");
    let export: Value = serde_json::from_str(&env.ok(&["export"])).unwrap();
    let r = &export["reflections"][0];
    assert_eq!(
        r["scores"],
        serde_json::json!({"priorities": 4, "expectations": 3, "visibility": 2, "rapport": 5})
    );
    assert_eq!(r["answers"]["visibility"], "They missed the launch");
}
