//! upward's own texts never mislead (the issue "Texts that never mislead"): a brief update
//! says what it left out and never leaves out bad news; my manager's agenda ranks every
//! priority; a reflection's trend compares like with like; a decline offers the date its
//! reason implies and never speaks of its reader in the third person; nudges come in the
//! documented order. Each through the real binary, at the boundary. Today is Mon 23 Nov 2026.

use crate::harness::{Env, id};
use serde_json::Value;

fn text(v: &Value) -> &str {
    v["text"].as_str().unwrap()
}

/// `n` items of one kind, titled `Title 0`, `Title 1`, …, with the same extra flags.
fn add_many(env: &Env, kind: &str, title: &str, n: usize, flags: &[&str]) {
    for i in 0..n {
        let name = format!("{title} {i}");
        let mut args = vec!["add", kind, name.as_str()];
        args.extend_from_slice(flags);
        env.ok(&args);
    }
}

// ---- update: a brief update says what it left out, and never leaves out bad news ----

/// Dana reads email, brief (the default length): 2 wins, `priorities` priorities, a blocker,
/// a medium risk and 2 promises.
fn busy_week(priorities: usize) -> Env {
    let env = Env::new().with_people();
    env.ok(&["person", "set", "Dana", "channel", "email"]);
    add_many(&env, "win", "Win", 2, &[]);
    add_many(&env, "priority", "Priority", priorities, &[]);
    env.ok(&[
        "add",
        "blocker",
        "No staging DB",
        "--ask",
        "Approve INFRA-1",
    ]);
    env.ok(&[
        "add",
        "risk",
        "On-call load",
        "--severity",
        "medium",
        "--mitigation",
        "Swap shifts",
    ]);
    add_many(&env, "promise", "Promise", 2, &["--due", "fri"]);
    env
}

#[test]
fn a_brief_update_at_the_cap_leaves_nothing_out_and_one_over_says_so() {
    let env = busy_week(2);
    let u = env.json(&["update"]);
    let t = text(&u);
    assert_eq!(t.lines().filter(|l| l.starts_with("- ")).count(), 8, "{t}");
    assert!(!t.contains("…and"), "{t}");
    assert_eq!(
        u["omitted"],
        serde_json::json!({"done": 0, "in_progress": 0, "risks": 0, "next": 0})
    );

    let env = busy_week(3);
    let u = env.json(&["update"]);
    let t = text(&u);
    assert!(
        t.starts_with(
            "Subject: Status update since Mon 16 Nov: 2 done, 3 in progress, 1 blocker, 1 risk\n"
        ),
        "{t}"
    );
    assert_eq!(t.lines().filter(|l| l.starts_with("- ")).count(), 8, "{t}");
    assert!(
        t.contains("\n\n…and 1 more in progress.\n\nThanks,\nAlex\n"),
        "{t}"
    );
    assert_eq!(u["omitted"]["in_progress"], 1);
    assert_eq!(
        u.as_object().unwrap().keys().collect::<Vec<_>>(),
        [
            "person", "channel", "text", "since", "sent", "omitted", "brief", "warnings"
        ],
        "keys are only ever added"
    );
    // The same line on every channel; a detailed reader gets everything and no such line.
    // (A brief chat also keeps to its 12 lines, so it leaves out more.)
    let chat = env.ok(&["update", "--channel", "chat"]);
    assert!(chat.lines().count() <= 12, "{chat}");
    assert!(chat.lines().last().unwrap().starts_with("…and "), "{chat}");
    env.ok(&["person", "set", "Dana", "length", "detailed"]);
    let u = env.json(&["update"]);
    assert!(!text(&u).contains("…and"), "{}", text(&u));
    assert_eq!(u["omitted"]["in_progress"], 0);
}

#[test]
fn a_brief_update_never_cuts_a_blocker_or_a_high_risk() {
    let env = Env::new().with_people();
    add_many(&env, "win", "Win", 3, &[]);
    add_many(&env, "priority", "Priority", 3, &[]);
    add_many(&env, "promise", "Promise", 3, &[]);
    env.ok(&[
        "add",
        "blocker",
        "No staging DB",
        "--ask",
        "Approve INFRA-1",
    ]);
    for title in ["Vendor late", "Key person leaving"] {
        env.ok(&[
            "add",
            "risk",
            title,
            "--severity",
            "high",
            "--mitigation",
            "Plan B",
        ]);
    }
    // One line per section in turn would have kept two risk lines and cut the second high risk.
    // A brief chat holds 12 lines: its opening, 4 headings, 6 item lines and what it left out.
    let u = env.json(&["update"]);
    let t = text(&u);
    assert!(
        t.contains(
            "Risks and blockers:\n\
             - Blocked: No staging DB — ask: Approve INFRA-1\n\
             - Risk (high): Vendor late — mitigation: Plan B\n\
             - Risk (high): Key person leaving — mitigation: Plan B\n"
        ),
        "{t}"
    );
    assert!(
        t.ends_with("\n…and 2 more done, 2 more in progress and 2 more commitments.\n"),
        "{t}"
    );
    assert_eq!(t.lines().count(), 12, "{t}");
    assert_eq!(
        u["omitted"],
        serde_json::json!({"done": 2, "in_progress": 2, "risks": 0, "next": 2})
    );
}

// ---- prep: my manager's ranked list is every open priority, whoever asked for it ----

/// The items of an agenda's section, as (id, reason).
fn section(agenda: &Value, key: &str) -> Vec<(i64, String)> {
    agenda["sections"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["key"] == key)
        .flat_map(|s| s["items"].as_array().unwrap())
        .map(|i| {
            (
                i["id"].as_i64().unwrap(),
                i["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_peers_accepted_request_is_on_my_managers_agenda_and_not_on_another_peers() {
    let env = Env::new().with_people();
    env.ok(&["person", "add", "Priya", "--relation", "peer"]);
    let first = id(&env.json(&["add", "priority", "Billing migration"]));
    let second = id(&env.json(&["add", "priority", "Rate limiter"]));
    let accepted = env.json(&[
        "intake",
        "Platform dashboard",
        "--from",
        "Sam",
        "--due",
        "2027-01-29",
        "--effort",
        "2d",
        "--accept",
    ]);
    assert_eq!(accepted["accepted"]["rank"], 3);
    let third = id(&accepted["accepted"]);

    let dana = section(&env.json(&["prep"]), "priorities");
    let ids: Vec<String> = dana.iter().map(|(i, _)| i.to_string()).collect();
    assert_eq!(ids, [first, second, third.clone()], "ranks 1, 2 and 3");
    assert_eq!(
        dana[2].1,
        "rank 3, for Sam Ortiz, due 2027-01-29, effort 2d, never confirmed"
    );
    let markdown = env.ok(&["prep"]);
    assert!(
        markdown.contains(&format!(
            "- Platform dashboard (#{third}) — _rank 3, for Sam Ortiz"
        )),
        "{markdown}"
    );

    let sam = section(&env.json(&["prep", "Sam"]), "priorities");
    assert_eq!(
        sam,
        [(
            third.parse().unwrap(),
            "rank 3, due 2027-01-29, effort 2d, never confirmed".to_string()
        )]
    );
    assert!(section(&env.json(&["prep", "Priya"]), "priorities").is_empty());
    // The update already told Dana about it; the agenda now agrees.
    let update = env.json(&["update"]);
    assert!(text(&update).contains("Platform dashboard"), "{update}");
}

// ---- reflect: the overall change compares the areas scored both times ----

#[test]
fn a_reflection_where_only_a_new_area_lowers_the_average_is_not_a_drop() {
    let then = Env {
        now: "2026-10-20".into(),
        ..Env::new().with_people()
    };
    then.ok(&[
        "reflect",
        "--score",
        "priorities=3",
        "--score",
        "visibility=3",
        "--score",
        "rapport=4",
    ]);
    let now = Env {
        now: "2026-11-23".into(),
        ..then
    };
    let scores = [
        "priorities=4",
        "expectations=3",
        "delivery=2",
        "visibility=3",
        "rapport=4",
    ];
    let mut args = vec!["reflect"];
    for s in &scores {
        args.extend(["--score", s]);
    }
    let out = now.ok(&args);
    assert!(
        out.contains(
            "\noverall       3.2/5  over the 5 areas scored\n\
             \x20             3.7/5  up from 3.3 on the 3 areas scored before\n\
             \x20             new, not compared: expectations, delivery\n"
        ),
        "{out}"
    );
    assert!(!out.contains("down from 3.3"), "{out}");

    // The same comparison in JSON, the day after (a new reflection, compared with this one).
    let next = Env {
        now: "2026-11-24".into(),
        ..now
    };
    let mut json_args = vec!["reflect"];
    for s in ["expectations=3", "delivery=3", "rapport=5"] {
        json_args.extend(["--score", s]);
    }
    let t = next.json(&json_args);
    let o = &t["overall"];
    assert_eq!(o["change"], "up", "{o}");
    assert_eq!(
        o["compared"],
        serde_json::json!(["expectations", "delivery", "rapport"])
    );
    assert_eq!(o["new"], serde_json::json!([]));
    assert_eq!(o["previous"], 3.0);
}

// ---- decline: the plan offers the date the reason implies, and speaks to its reader ----

#[test]
fn a_decline_offers_when_the_committed_work_ends_counting_working_days_only() {
    let env = Env::new().with_people();
    env.ok(&["person", "add", "Priya", "--relation", "peer"]);
    // Mon 23 Nov: 4 + 3 = 7 working days, Mon–Fri then Mon 30 Nov and Tue 1 Dec.
    env.ok(&[
        "add",
        "priority",
        "Billing",
        "--effort",
        "4d",
        "--due",
        "2026-11-26",
    ]);
    env.ok(&["add", "priority", "Rate limiter", "--effort", "3d"]);
    let decline = |extra: &[&'static str]| {
        let mut args = vec![
            "decline",
            "Run the hackathon",
            "--from",
            "Priya",
            "--reason",
            "billing needs me until December",
            "--alternative",
            "Judge the final round",
        ];
        args.extend_from_slice(extra);
        args
    };
    let d = env.json(&decline(&[]));
    assert!(
        text(&d).ends_with(
            "otherwise I can pick it up after Tue 1 Dec, when my current priorities should be done."
        ),
        "{d}"
    );
    assert!(!text(&d).contains("after \"Billing\""), "{d}");
    assert_eq!(
        d["plan"],
        serde_json::json!({"date": "2026-12-01", "basis": "projected"})
    );

    // A date I give instead; not one in the past.
    let d = env.json(&decline(&["--after", "2027-01-15"]));
    assert!(
        text(&d).ends_with("otherwise I can pick it up after Fri 15 Jan 2027."),
        "{d}"
    );
    assert_eq!(d["plan"]["basis"], "given");
    let args = decline(&["--after", "yesterday"]);
    assert!(env.fails(1, &args).contains("is in the past"));
}

#[test]
fn a_decline_never_speaks_of_its_reader_in_the_third_person() {
    let env = Env::new().with_people();
    env.ok(&["person", "add", "Priya Natarajan", "--relation", "peer"]);
    env.ok(&["add", "priority", "Billing", "--effort", "2d"]);
    let args = [
        "decline",
        "Run the hackathon",
        "--from",
        "Priya",
        "--reason",
        "billing needs me",
        "--alternative",
        "Judge the final round",
        "--alternative",
        "Suggest Priya, who ran it in 2025",
    ];
    let out = env.run(&args);
    assert!(out.status.success());
    let draft = String::from_utf8(out.stdout).unwrap();
    assert!(draft.starts_with("Hi Priya, thanks"), "{draft}");
    assert_eq!(draft.matches("Priya").count(), 1, "{draft}");
    assert!(
        draft.contains("What I can offer instead: Judge the final round."),
        "{draft}"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(
            "hint: left out \"Suggest Priya, who ran it in 2025\": it speaks of Priya Natarajan"
        ),
        "{stderr}"
    );
    let d = env.json(&args);
    assert_eq!(
        d["left_out"],
        serde_json::json!(["Suggest Priya, who ran it in 2025"])
    );
    // The same alternative is fine in a draft to Dana.
    let mut to_dana = args;
    to_dana[3] = "Dana";
    let d = env.json(&to_dana);
    assert!(
        text(&d).contains("Suggest Priya, who ran it in 2025"),
        "{d}"
    );
    assert_eq!(d["left_out"], serde_json::json!([]));
    // A reason about the reader cannot be left out: it is refused.
    let e = env.fails(
        1,
        &[
            "decline",
            "x",
            "--from",
            "Priya",
            "--reason",
            "Priya's launch needs me",
        ],
    );
    assert!(
        e.contains("speaks of Priya Natarajan in the third person"),
        "{e}"
    );
}

#[test]
fn a_decline_embeds_the_reason_tells_permanent_from_for_now_and_never_goes_over_my_managers_head() {
    let env = Env::new().with_people();
    env.ok(&["person", "add", "Vera Lind", "--relation", "skip"]);
    env.ok(&["person", "set", "Vera", "channel", "email"]);
    env.ok(&["add", "priority", "Billing", "--effort", "3d"]);
    let decline = |from: &'static str, reason: &'static str| {
        env.json(&[
            "decline",
            "Run the hackathon",
            "--from",
            from,
            "--reason",
            reason,
        ])
    };
    // "no capacity" continues the sentence; no alternative, no filler.
    let d = decline("Dana", "no capacity");
    let t = text(&d);
    assert!(t.contains("I need to say no for now: no capacity."), "{t}");
    assert!(
        !t.contains("No capacity") && !t.contains("another owner"),
        "{t}"
    );
    assert_eq!(d["permanent"], false);
    // A permanent reason: no "for now", no date, no plan; stderr says why.
    let args = [
        "decline",
        "Own the vendor questionnaires",
        "--from",
        "Dana",
        "--reason",
        "out of my team's scope",
    ];
    let d = env.json(&args);
    let t = text(&d);
    assert!(
        t.contains("I need to say no: out of my team's scope."),
        "{t}"
    );
    assert!(!t.contains("for now") && !t.contains("pick it up"), "{t}");
    assert_eq!(
        (d["permanent"].clone(), d["plan"].clone()),
        (Value::Bool(true), Value::Null)
    );
    let out = env.run(&args);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("reads as permanent"), "{stderr}");
    // To the skip-level: my manager decides what moves; no alignment question to them.
    let d = decline("Vera", "billing needs me until December");
    let t = text(&d);
    assert!(
        !t.contains("aligned") && !t.contains("decide together"),
        "{t}"
    );
    assert!(
        t.contains("If it has to come first, I will ask Dana what should move in my priorities;"),
        "{t}"
    );
    // To my manager, the question stays.
    let t = text(&decline("Dana", "billing needs me until December")).to_string();
    assert!(t.contains("let's decide together what moves"), "{t}");
}

#[test]
fn a_brief_update_keeps_data_on_its_lines_owns_a_late_promise_and_a_chat_stays_short() {
    let env = Env::new().with_people();
    env.ok(&["person", "set", "Dana", "channel", "email"]);
    env.ok(&["person", "set", "Dana", "decides_by", "data"]);
    env.ok(&[
        "add",
        "blocker",
        "No load-test environment",
        "--ask",
        "Approve INFRA-9",
        "--data",
        "2 load tests aborted",
    ]);
    env.ok(&[
        "add",
        "win",
        "Retry budget on the cart service",
        "--impact",
        "Checkout availability 99.95%",
    ]);
    let t = text(&env.json(&["update"])).to_string();
    assert!(
        t.contains(
            "- Blocked: No load-test environment (2 load tests aborted) — ask: Approve INFRA-9\n"
        ),
        "{t}"
    );
    assert!(
        t.contains("- Checkout availability 99.95%: Retry budget on the cart service\n"),
        "{t}"
    );

    // A promise to a peer, overdue: owned with an apology, never under Next as if ahead.
    env.ok(&[
        "add",
        "promise",
        "Review the SDK PR",
        "--with",
        "Sam",
        "--due",
        "2026-11-20",
    ]);
    let t = text(&env.json(&["update", "Sam"])).to_string();
    assert!(
        t.contains("- I owe you \"Review the SDK PR\" (was due Fri 20 Nov): sorry it is late — can we agree a new date?\n"),
        "{t}"
    );
    let out = env.run(&["update", "Sam"]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("is late: once you agree a new date, record it with `upward edit "),
        "{stderr}"
    );

    // A busy week to Dana by chat: the whole message within 12 lines, the bad news kept.
    add_many(&env, "win", "Win", 5, &[]);
    add_many(&env, "priority", "Priority", 6, &[]);
    add_many(&env, "promise", "Promise", 4, &["--due", "fri"]);
    let u = env.json(&["update", "--channel", "chat"]);
    let t = text(&u);
    assert_eq!(t.lines().count(), 12, "{t}");
    assert!(t.contains("(2 load tests aborted)"), "{t}");
    assert!(t.lines().last().unwrap().starts_with("…and "), "{t}");
}

// ---- intake: the verdict, the draft and the table agree ----

#[test]
fn intake_says_what_the_table_shows_offers_the_cut_that_fits_and_sends_a_peers_trade_off_to_my_manager()
 {
    let env = Env::new().with_people();
    // Five priorities, 5d each, due Tue 24 Nov: late anyway (2 working days to it).
    add_many(
        &env,
        "priority",
        "P",
        5,
        &["--effort", "5d", "--due", "2026-11-24"],
    );
    let args = [
        "intake",
        "Audit export",
        "--from",
        "Dana",
        "--due",
        "2026-11-25",
        "--effort",
        "2d",
    ];
    let i = env.json(&args);
    assert_eq!(
        (i["fits"].clone(), i["rank"].clone()),
        (Value::Bool(false), 1.into())
    );
    assert_eq!(i["later_still"].as_array().unwrap().len(), 5, "{i}");
    let t = env.ok(&args);
    assert!(
        t.contains("Fits: no: 5 priorities already late would be later still\n"),
        "{t}"
    );
    assert!(!t.contains("without delaying anything else"), "{t}");
    assert!(
        t.contains("already late, 2 working days later still."),
        "{t}"
    );
    assert!(t.contains("late anyway, later still"), "{t}");

    // The cut that fits: P 4d due Mon 30 Nov (6 working days); 8d due then misses; cut to
    // 2 it goes after P (4 + 2 = 6) and nothing moves. Not "cut the scope to fit 6".
    let env = Env::new().with_people();
    env.ok(&[
        "add",
        "priority",
        "Billing",
        "--effort",
        "4d",
        "--due",
        "2026-11-30",
    ]);
    let args = [
        "intake",
        "Audit export",
        "--from",
        "Dana",
        "--due",
        "2026-11-30",
        "--effort",
        "8d",
    ];
    let i = env.json(&args);
    assert_eq!(
        (i["working_days"].clone(), i["cut_to"].clone()),
        (6.into(), 2.into())
    );
    let t = text_of_message(&i);
    assert!(
        t.contains("cut the scope to 2 working days so that it fits"),
        "{t}"
    );
    assert!(!t.contains("fit 6"), "{t}");

    // A peer's request that pushes Billing past its date: the draft is to Dana.
    let args = [
        "intake",
        "Audit export",
        "--from",
        "Sam",
        "--due",
        "2026-11-30",
        "--effort",
        "4d",
    ];
    let i = env.json(&args);
    assert_eq!(i["message_to"], "Dana Whitfield", "{i}");
    assert!(
        text_of_message(&i).starts_with("Sam asked me to take on \"Audit export\""),
        "{i}"
    );
    assert!(
        i["requester_note"]
            .as_str()
            .unwrap()
            .contains("checking with Dana first"),
        "{i}"
    );
    let out = env.run(&args);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("the draft is to Dana Whitfield"),
        "{stderr}"
    );
    let t = String::from_utf8(out.stdout).unwrap();
    assert!(t.contains("Draft message to Dana Whitfield"), "{t}");
    assert!(t.contains("Reply to Sam Ortiz meanwhile"), "{t}");
    // Dana's own request: to her, with no holding reply.
    let mut args = args;
    args[3] = "Dana";
    let i = env.json(&args);
    assert_eq!(
        (i["message_to"].clone(), i["requester_note"].clone()),
        ("Dana Whitfield".into(), Value::Null)
    );
}

fn text_of_message(v: &Value) -> &str {
    v["message"].as_str().unwrap()
}

// ---- review: my follow-through, counted whole ----

#[test]
fn the_review_counts_a_promise_dropped_after_its_due_date_and_never_scores_my_managers_actions() {
    let env = Env::new().with_people();
    let kept = id(&env.json(&["add", "promise", "Kept", "--due", "2026-11-20"]));
    env.ok(&["done", &kept, "--date", "2026-11-19"]);
    // Today is Mon 23 Nov: dropped after it went overdue on Fri 20 Nov.
    let late = id(&env.json(&["add", "promise", "Dropped late", "--due", "2026-11-20"]));
    env.ok(&["drop", &late, "--why", "no longer needed"]);
    // Dropped before its due date: renegotiated openly, left out.
    let early = id(&env.json(&["add", "promise", "Dropped early", "--due", "2026-12-20"]));
    env.ok(&["drop", &early]);
    let mine = id(&env.json(&["add", "action", "My overdue action", "--due", "2026-11-20"]));
    env.ok(&["drop", &mine]);
    env.ok(&[
        "add",
        "action",
        "Dana's action",
        "--owner",
        "them",
        "--with",
        "Dana",
        "--due",
        "2026-11-01",
    ]);
    let r = env.json(&["review"]);
    let p = &r["follow_through"]["promises"];
    assert_eq!(
        (
            p["kept_on_time"].as_i64(),
            p["dropped_late"].as_i64(),
            p["open"].as_i64()
        ),
        (Some(1), Some(1), Some(0)),
        "{r}"
    );
    assert_eq!(
        p["on_time_rate"], 50,
        "dropped late counts against the rate: {r}"
    );
    assert_eq!(
        r["follow_through"]["actions"]["me"]["dropped_late"], 1,
        "{r}"
    );
    let md = env.ok(&["review"]);
    assert!(
        md.contains("- **Promises**: 1 kept on time, 0 kept late, 0 still open, 1 dropped after the due date (50% of kept or dropped-late promises on time).\n- **My actions**: 0 done, 0 open, 1 dropped after the due date.\n"),
        "{md}"
    );
    assert!(
        !md.contains("Their actions") && !md.contains("Dana's action"),
        "{md}"
    );
}

// ---- nudges: the documented order, most urgent first ----

#[test]
fn nudges_come_in_the_documented_order_bad_news_before_routine() {
    let week_ago = Env {
        now: "2026-11-16".into(),
        ..Env::new().with_people()
    };
    // Added last Monday: by today it has been open 5 working days without escalation.
    week_ago.ok(&[
        "add",
        "blocker",
        "No staging DB",
        "--ask",
        "Approve INFRA-1",
    ]);
    let env = Env {
        now: "2026-11-23".into(),
        ..week_ago
    };
    // Added in the reverse of the order they are listed in.
    env.ok(&["add", "goal", "Lead a cross-team project"]);
    let shipped = id(&env.json(&["add", "priority", "Exporter"]));
    env.ok(&["done", &shipped, "--date", "2026-11-20"]);
    env.ok(&[
        "add",
        "risk",
        "Vendor late",
        "--severity",
        "high",
        "--mitigation",
        "Mock",
    ]);
    env.ok(&["add", "promise", "Send the doc", "--due", "2026-11-20"]);
    let n = env.json(&["nudges"]);
    let mut kinds: Vec<&str> = n
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["kind"].as_str().unwrap())
        .collect();
    kinds.dedup();
    assert_eq!(
        kinds,
        [
            "overdue",
            "risk",
            "blocker",
            "cadence",
            "feedback",
            "career",
            "reflection"
        ],
        "{n}"
    );
}
