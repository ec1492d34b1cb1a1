//! `upward calendar` (docs/calendar.md): the iCalendar feed of the next 1:1s by cadence, the
//! due dates of open promises and actions and the review reminder, read back by a real
//! parser (Python's icalendar, pinned in scripts/icalendar-requirements.txt and installed by
//! scripts/web-tools) and checked for what a calendar app relies on: all-day DATE values and
//! UIDs that stay the same from one run to the next.

use crate::harness::{Env, id, mode};
use crate::web_tools::tool;
use serde_json::Value;
use std::path::Path;

/// Reads an .ics file with Python's icalendar: each event's UID, summary, start and end (and
/// whether they are dates), DTSTAMP, categories and description, and the parser's errors.
const READ_ICS: &str = r#"
import json, sys, datetime, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
events = []
errors = list(cal.errors)
for e in cal.walk("VEVENT"):
    errors += list(e.errors)
    start, end = e.decoded("dtstart"), e.decoded("dtend")
    events.append({
        "uid": str(e["uid"]),
        "summary": str(e["summary"]),
        "description": str(e["description"]),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "all_day": type(start) is datetime.date and type(end) is datetime.date,
        "dtstamp": e.decoded("dtstamp").isoformat(),
        "categories": [str(c) for c in e["categories"].cats],
    })
print(json.dumps({"prodid": str(cal["prodid"]), "version": str(cal["version"]),
                  "errors": [str(x) for x in errors], "events": events}))
"#;

/// The feed as Python's icalendar reads it, or `None` (skipped) when the tool is not set up.
fn parsed(file: &Path) -> Option<Value> {
    let python = tool(
        "UPWARD_ICALENDAR_PYTHON",
        "calendar tests with Python's icalendar",
    )?;
    let out = std::process::Command::new(python)
        .args(["-c", READ_ICS])
        .arg(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "icalendar could not read the feed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

/// Dana on a 2-week cadence met 10 days ago, Sam on a weekly one never met, a promise to Sam
/// due Friday, an action of Dana's two days overdue, and items that are not events.
fn workspace() -> (Env, String, String) {
    let env = Env::new().with_people();
    env.ok(&["person", "set", "Dana", "cadence", "2w"]);
    env.ok(&["person", "set", "Sam", "cadence", "1w"]);
    env.ok(&["meet", "Dana", "--date", "-10d", "--notes", "Roadmap"]);
    let promise = id(&env.json(&[
        "add",
        "promise",
        "Send the design doc",
        "--with",
        "Sam",
        "--due",
        "fri",
    ]));
    let action = id(&env.json(&[
        "add",
        "action",
        "Approve RDS",
        "--owner",
        "them",
        "--with",
        "Dana",
        "--due",
        "-2d",
    ]));
    // Not events: no due date, done, a priority.
    env.ok(&["add", "action", "Someday"]);
    let kept = id(&env.json(&["add", "promise", "Kept", "--due", "fri"]));
    env.ok(&["done", &kept]);
    env.ok(&["add", "priority", "Billing", "--due", "2w"]);
    (env, promise, action)
}

#[test]
fn the_feed_loads_in_a_real_parser_with_all_day_events_and_stable_uids() {
    let (env, promise, action) = workspace();
    let file = env.path("upward.ics");
    let out = env.run(&["calendar", "-o", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "-o writes the file, not stdout");
    assert!(String::from_utf8_lossy(&out.stderr).contains("wrote 5 events to"));
    assert_eq!(
        mode(&file),
        0o600,
        "the feed holds names and titles: private"
    );
    let text = std::fs::read_to_string(&file).unwrap();
    // What a calendar app relies on, checked on the bytes too.
    assert!(
        text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
        "{text}"
    );
    assert!(
        text.split("\r\n")
            .all(|l| l.len() <= 75 && !l.contains('\n')),
        "lines end with CRLF and are folded at 75 octets"
    );
    assert_eq!(text, env.ok(&["calendar"]), "stdout has the same feed");

    let json = env.json(&["calendar"]);
    let events = json["events"].as_array().unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["one_on_one", "action", "one_on_one", "promise", "review"]
    );
    let uuid = |args: &[&str], key: &str| env.json(args)[key].as_str().unwrap().to_string();
    let dana = uuid(&["person", "show", "Dana"], "uuid");
    let me = uuid(&["person", "show", "me"], "uuid");
    let promise_uuid = uuid(&["show", &promise], "uuid");
    let action_uuid = uuid(&["show", &action], "uuid");

    let Some(feed) = parsed(&file) else { return };
    assert_eq!(feed["errors"], serde_json::json!([]), "{feed}");
    assert_eq!(feed["version"], "2.0");
    assert_eq!(feed["prodid"], "-//upward//upward calendar//EN");
    let got: Vec<(String, String, String, String)> = feed["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert_eq!(e["all_day"], true, "{e}");
            assert_eq!(
                e["dtstamp"], "2026-11-23T12:00:00+00:00",
                "the one clock: {e}"
            );
            (
                e["uid"].as_str().unwrap().to_string(),
                e["summary"].as_str().unwrap().to_string(),
                e["start"].as_str().unwrap().to_string(),
                e["end"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let s = |a: &str, b: &str, c: &str, d: &str| {
        (a.to_string(), b.to_string(), c.to_string(), d.to_string())
    };
    assert_eq!(got[0].1, "1:1 with Sam Ortiz (none on record)");
    assert_eq!(got[0].2, "2026-11-23");
    assert_eq!(
        got[1],
        s(
            &format!("item-{action_uuid}@upward"),
            "Overdue: Dana Whitfield's action: Approve RDS",
            "2026-11-23",
            "2026-11-24"
        )
    );
    // Met on 13 Nov, every 2 weeks: 27 Nov, as the cadence nudge counts.
    assert_eq!(
        got[2],
        s(
            &format!("one-on-one-{dana}@upward"),
            "1:1 with Dana Whitfield",
            "2026-11-27",
            "2026-11-28"
        )
    );
    assert_eq!(
        got[3],
        s(
            &format!("item-{promise_uuid}@upward"),
            "Promise to Sam Ortiz: Send the design doc",
            "2026-11-27",
            "2026-11-28"
        )
    );
    // The workspace began today: the first review is in six months.
    assert_eq!(
        got[4],
        s(
            &format!("review-{me}@upward"),
            "Review packet: prepare your performance conversation",
            "2027-05-23",
            "2027-05-24"
        )
    );
    let descriptions: Vec<&str> = feed["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["description"].as_str().unwrap())
        .collect();
    assert!(
        descriptions[2].ends_with("\nupward prep \"Dana Whitfield\""),
        "{}",
        descriptions[2]
    );
    assert!(descriptions[4].ends_with("\nupward review --format html > review.html"));
}

#[test]
fn a_new_run_moves_an_event_under_the_same_uid() {
    let (mut env, promise, _) = workspace();
    let before = env.json(&["calendar"]);
    let find = |v: &Value, kind: &str, person: Option<&str>| -> (String, String) {
        let e = v["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["kind"] == kind && (person.is_none() || e["person"] == person.unwrap()))
            .unwrap_or_else(|| panic!("no {kind} in {v}"));
        (
            e["uid"].as_str().unwrap().to_string(),
            e["date"].as_str().unwrap().to_string(),
        )
    };
    let (dana_uid, dana_day) = find(&before, "one_on_one", Some("Dana Whitfield"));
    let (promise_uid, promise_day) = find(&before, "promise", None);
    env.ok(&["meet", "Dana", "--notes", "Weekly"]);
    env.ok(&["edit", &promise, "--due", "2026-12-01"]);
    env.now = "2026-11-24".into();
    let after = env.json(&["calendar"]);
    let (uid, day) = find(&after, "one_on_one", Some("Dana Whitfield"));
    assert_eq!(
        (uid.as_str(), dana_day.as_str(), day.as_str()),
        (dana_uid.as_str(), "2026-11-27", "2026-12-07")
    );
    let (uid, day) = find(&after, "promise", None);
    assert_eq!(
        (uid.as_str(), promise_day.as_str(), day.as_str()),
        (promise_uid.as_str(), "2026-11-27", "2026-12-01")
    );
    // A promise kept leaves the feed.
    env.ok(&["done", &promise]);
    let done = env.json(&["calendar"]);
    assert!(
        !done["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["uid"] == promise_uid.as_str())
    );
}

#[test]
fn the_review_reminder_is_six_months_after_the_workspace_began() {
    let mut env = Env::new();
    env.now = "2026-05-31".into();
    env.ok(&["init", "--me", "Alex"]);
    let day = |env: &Env| -> String {
        let v = env.json(&["calendar"]);
        let e = v["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["kind"] == "review")
            .cloned()
            .unwrap();
        e["date"].as_str().unwrap().to_string()
    };
    // 31 May → 30 Nov (no 31st), then 31 May again.
    assert_eq!(day(&env), "2026-11-30");
    env.now = "2026-11-30".into();
    assert_eq!(day(&env), "2026-11-30");
    env.now = "2026-12-01".into();
    assert_eq!(day(&env), "2027-05-31");
}

#[test]
fn an_empty_workspace_has_an_empty_feed_and_a_bad_path_is_one_error_line() {
    let env = Env::new();
    env.ok(&["init", "--me", "Alex"]);
    let json = env.json(&["calendar"]);
    assert_eq!(
        json["events"].as_array().unwrap().len(),
        1,
        "only the review: {json}"
    );
    let err = env.fails(1, &["calendar", "-o", "/nonexistent-dir/upward.ics"]);
    assert!(
        err.contains("cannot write /nonexistent-dir/upward.ics"),
        "{err}"
    );
}
