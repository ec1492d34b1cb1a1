//! Whole journeys through `upward serve` in a real browser, as a person takes them: headless
//! Chromium against the real binary, on an empty workspace (a journey that needs something to
//! start from sets it up with the command line, and says so). Every step goes through the
//! pages: fields typed into, boxes ticked with Space, forms submitted with Enter (from a field,
//! or Tab to the button), links clicked. Each page visited is screenshotted
//! (`target/browser-screenshots/journey-*.png`) and checked by axe (a serious or critical
//! violation fails). The tools and the skip rule are those of browser.rs.

use crate::browser::{Browser, ENTER};
use crate::harness::Env;
use crate::server::Server;
use serde_json::Value;
use std::time::{Duration, Instant};

/// A page of a journey reached: a screenshot, then axe over it.
pub(crate) fn seen(browser: &mut Browser, journey: &str, step: &str) {
    browser.screenshot(&format!("journey-{journey}-{step}"));
    let report = browser.axe();
    assert!(report.passes > 0, "axe ran on {journey}/{step}");
    report.assert_passes(&format!("{journey}/{step} ({})", browser.path()));
}

/// Follows the link of the navigation to `path` (a click, as a person would).
fn nav(browser: &Browser, path: &str) {
    browser.click(&format!("nav a[href=\"{path}\"]"));
    browser.wait_for_path(path);
}

/// The nudges Today shows, each as its text.
fn nudges(browser: &Browser) -> Vec<String> {
    browser.wait_for("main h1");
    browser.texts("ul.nudges > li")
}

/// Waits until the page shows `want` (a form posted and its answer still loading), and
/// returns the page's text.
pub(crate) fn wait_for_text(browser: &Browser, want: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let text = browser.text();
        if text.contains(want) {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "{} does not show {want:?}:\n{text}",
            browser.path()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The id of the item whose page is shown (`/items/ID`).
fn item_id(path: &str) -> i64 {
    path.strip_prefix("/items/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("an item's page, not {path}"))
}

/// Through the People page: who I am (Alex) and my manager (Dana Whitfield), from an empty
/// workspace.
fn init_on_the_people_page(browser: &mut Browser, journey: &str) {
    nav(browser, "/people");
    let text = browser.text();
    assert!(
        text.contains("Who you are and your manager"),
        "an empty workspace asks who you are:\n{text}"
    );
    seen(browser, journey, "people-empty");
    browser.fill("#init-me", "Alex");
    browser.fill("#init-manager", "Dana Whitfield");
    browser.press(ENTER);
    let text = wait_for_text(browser, "Dana Whitfield");
    assert!(
        text.contains("Alex") && text.contains("Dana Whitfield") && text.contains("manager"),
        "People lists me and my manager:\n{text}"
    );
}

/// Adds an item of `kind` through Items → Add an item → Add a KIND, filling `fields` (CSS
/// selector, value; a `select` is chosen, anything else typed) and the title last, then Enter
/// in the title. Returns the new item's id, from the page it lands on.
fn add_item(
    browser: &mut Browser,
    journey: &str,
    kind: &str,
    title: &str,
    fields: &[(&str, &str)],
) -> i64 {
    nav(browser, "/items");
    browser.click("main a[href=\"/items/new\"]");
    browser.wait_for_path("/items/new");
    browser.click(&format!("main a[href=\"/items/new?kind={kind}\"]"));
    browser.wait_for_path(&format!("/items/new?kind={kind}"));
    for (css, value) in fields {
        if css.starts_with("select") {
            browser.choose(css, value);
        } else {
            browser.fill(css, value);
        }
    }
    browser.fill("#f-title", title);
    seen(browser, journey, &format!("add-{kind}"));
    browser.press(ENTER);
    let path = browser.wait_for_path_prefix("/items/");
    let id = item_id(&path);
    browser.wait_for("main h1");
    let text = browser.text();
    assert!(
        text.contains(title),
        "the new {kind}'s page shows it:\n{text}"
    );
    id
}

/// The time a journey took, on stderr (the harness shows it with --nocapture).
fn took(journey: &str, start: Instant) {
    eprintln!("journey {journey}: {:.1?}", start.elapsed());
}

#[test]
fn a_first_session_from_an_empty_workspace_to_a_quieter_today() {
    let Some(mut browser) = Browser::start() else {
        return;
    };
    let start = Instant::now();
    let j = "first-session";
    let env = Env::new();
    let server: Server = env.serve();
    browser.sign_in(&server);
    seen(&mut browser, j, "today-empty");

    // Who I am and my manager, then a peer.
    init_on_the_people_page(&mut browser, j);
    seen(&mut browser, j, "people");
    browser.fill("#add-name", "Sam Ortiz");
    browser.choose("select#add-relation", "peer");
    browser.fill("#add-role", "Platform lead");
    browser.press(ENTER);
    browser.wait_for_path("/people/Sam%20Ortiz");
    let text = browser.text();
    assert!(
        text.contains("Sam Ortiz") && text.contains("Platform lead"),
        "the peer's page:\n{text}"
    );
    seen(&mut browser, j, "person-peer");
    nav(&browser, "/people");
    let people = browser.text();
    assert!(people.contains("Sam Ortiz"), "People lists Sam:\n{people}");

    // A few items, through Items → add.
    add_item(
        &mut browser,
        j,
        "priority",
        "Billing migration",
        &[("#f-due", "2026-12-18"), ("#f-effort", "2w")],
    );
    add_item(
        &mut browser,
        j,
        "risk",
        "Ledger vendor sandbox late",
        &[("select#f-severity", "high")],
    );
    let promise = add_item(
        &mut browser,
        j,
        "promise",
        "Send the design doc",
        &[("#f-with", "Dana"), ("#f-due", "yesterday")],
    );
    let topic = add_item(
        &mut browser,
        j,
        "topic",
        "Headcount for Q1",
        &[("#f-with", "Dana")],
    );
    nav(&browser, "/items");
    let items = browser.text();
    for title in [
        "Billing migration",
        "Ledger vendor sandbox late",
        "Send the design doc",
        "Headcount for Q1",
    ] {
        assert!(items.contains(title), "Items lists {title:?}:\n{items}");
    }
    seen(&mut browser, j, "items");

    // Today before the 1:1: the cadence nudge for Dana leads to the agenda.
    nav(&browser, "/");
    let before = nudges(&browser);
    let cadence = |n: &String| n.contains("Prepare the 1:1 with Dana Whitfield");
    assert!(
        before.iter().any(cadence),
        "Today nudges the 1:1 with Dana:\n{before:#?}"
    );
    seen(&mut browser, j, "today-before");
    browser.click("ul.nudges a[href=\"/agenda/Dana%20Whitfield\"]");
    browser.wait_for_path("/agenda/Dana%20Whitfield");
    let agenda = browser.text();
    for title in ["Send the design doc", "Headcount for Q1"] {
        assert!(
            agenda.contains(title),
            "the agenda has {title:?}:\n{agenda}"
        );
    }
    seen(&mut browser, j, "agenda");

    // Record the 1:1: two items discussed, an action each, notes; Tab to the button, Enter.
    browser.tick(&format!("#d-{promise}"));
    browser.tick(&format!("#d-{topic}"));
    browser.fill("#a-title-0", "Share the mock plan");
    browser.choose("select#a-owner-0", "me");
    browser.fill("#a-due-0", "fri");
    browser.fill("#a-title-1", "Approve the staging DB");
    browser.choose("select#a-owner-1", "them");
    browser.fill("#m-notes", "Agreed to build against the mock.");
    let button = browser.tab_to(5, |h| h.contains("Record the 1:1"));
    assert!(button.starts_with("<button"), "{button}");
    browser.press(ENTER);
    browser.wait_for_path_prefix("/meetings/");
    browser.wait_for("main h1");
    let meeting = browser.text();
    for want in [
        "1:1 with Dana Whitfield on 2026-11-23",
        "Agreed to build against the mock.",
        "Send the design doc",
        "Headcount for Q1",
        "Share the mock plan (mine, due 2026-11-27",
        "Approve the staging DB (theirs",
    ] {
        assert!(meeting.contains(want), "the 1:1 shows {want:?}:\n{meeting}");
    }
    seen(&mut browser, j, "meeting");

    // The update for Dana, marked as sent (Tab to the button, Enter).
    nav(&browser, "/update");
    let update = browser.text();
    assert!(
        update.contains("Update for Dana Whitfield"),
        "the update page:\n{update}"
    );
    seen(&mut browser, j, "update");
    browser.tab_to(80, |h| h.contains("Mark as sent"));
    browser.press(ENTER);
    browser.wait_for_path_prefix("/update/Dana%20Whitfield?");
    assert!(browser.path().ends_with("sent=1"), "{}", browser.path());
    browser.wait_for("p.notice");
    let sent = browser.text();
    assert!(
        sent.contains("Recorded as sent to Dana Whitfield today"),
        "the update says it was recorded:\n{sent}"
    );
    seen(&mut browser, j, "update-sent");

    // Today is quieter: no cadence nudge for Dana, fewer nudges than before.
    nav(&browser, "/");
    let after = nudges(&browser);
    assert!(
        !after.iter().any(cadence),
        "the cadence nudge for Dana is gone:\n{after:#?}"
    );
    assert!(
        after.len() < before.len(),
        "fewer nudges after the 1:1 ({} before, {} after):\nbefore: {before:#?}\nafter: {after:#?}",
        before.len(),
        after.len()
    );
    seen(&mut browser, j, "today-after");

    // What the pages did, as the command line reads it.
    let meetings = env.json(&["meetings"]);
    let meetings = meetings.as_array().expect("a list of meetings");
    assert_eq!(meetings.len(), 1, "one 1:1: {meetings:#?}");
    let actions = env.json(&["list", "action"]);
    let actions = actions.as_array().expect("a list of actions");
    assert_eq!(actions.len(), 2, "two actions: {actions:#?}");
    let mut owners: Vec<&str> = actions
        .iter()
        .map(|a| a["owner"].as_str().unwrap_or_default())
        .collect();
    owners.sort();
    assert_eq!(owners, ["me", "them"], "one action each: {actions:#?}");
    let api: Value = server.json("/api/v1/meetings");
    assert_eq!(api.as_array().map(Vec::len), Some(1), "{api:#?}");
    took(j, start);
}

#[test]
fn an_intake_accepted_lands_in_items_at_its_rank() {
    let Some(mut browser) = Browser::start() else {
        return;
    };
    let start = Instant::now();
    let j = "intake";
    // Set up with the command line: me, my manager and two ranked priorities.
    let env = Env::new();
    env.ok(&["init", "--me", "Alex", "--manager", "Dana Whitfield"]);
    env.ok(&[
        "add",
        "priority",
        "Billing migration",
        "--effort",
        "1w",
        "--due",
        "2026-12-04",
        "--rank",
        "1",
    ]);
    env.ok(&[
        "add",
        "priority",
        "Search revamp",
        "--effort",
        "2w",
        "--due",
        "2027-01-29",
        "--rank",
        "2",
    ]);
    let server = env.serve();
    browser.sign_in(&server);

    nav(&browser, "/intake");
    seen(&mut browser, j, "form");
    browser.fill("#intake-title", "New dashboard");
    browser.fill("#intake-from", "Dana");
    browser.fill("#intake-due", "2026-12-14");
    browser.fill("#intake-effort", "5d");
    browser.fill("#intake-rank", "2");
    browser.press(ENTER);
    browser.wait_for_path_prefix("/intake?");
    browser.wait_for("#plan-after");
    let before = browser.texts("#plan-before tbody tr");
    let after = browser.texts("#plan-after tbody tr");
    assert_eq!(before.len(), 2, "the plan as it stands: {before:#?}");
    assert!(
        before[0].starts_with("1\t") && before[0].contains("Billing migration"),
        "{before:#?}"
    );
    assert!(
        before[1].starts_with("2\t") && before[1].contains("Search revamp"),
        "{before:#?}"
    );
    assert_eq!(after.len(), 3, "the plan with the request: {after:#?}");
    assert!(after[0].contains("Billing migration"), "{after:#?}");
    assert!(
        after[1].starts_with("2\t") && after[1].contains("New dashboard (the request)"),
        "the request at rank 2: {after:#?}"
    );
    assert!(
        after[2].starts_with("3\t") && after[2].contains("Search revamp"),
        "{after:#?}"
    );
    let text = browser.text();
    assert!(text.contains("Draft message to Dana Whitfield"), "{text}");
    seen(&mut browser, j, "plan");

    // Accept: Tab to the button, Enter.
    let button = browser.tab_to(80, |h| h.contains("Accept: add it at rank 2"));
    assert!(button.starts_with("<button"), "{button}");
    browser.press(ENTER);
    let accepted = browser.wait_for_path_prefix("/intake?accepted=");
    let id: i64 = accepted
        .strip_prefix("/intake?accepted=")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("the id accepted: {accepted}"));
    seen(&mut browser, j, "accepted");

    // Items, filtered to the priorities: the new one between the other two.
    nav(&browser, "/items");
    browser.choose("select#q-kind", "priority");
    browser.tab_to(10, |h| h.contains(">Show<"));
    browser.press(ENTER);
    browser.wait_for_path_prefix("/items?kind=priority");
    browser.wait_for("table.items");
    let titles = browser.texts("table.items tbody th");
    assert_eq!(
        titles,
        ["Billing migration", "New dashboard", "Search revamp"],
        "the priorities, the new one second"
    );
    seen(&mut browser, j, "items");
    browser.click(&format!("table.items a[href=\"/items/{id}\"]"));
    browser.wait_for_path(&format!("/items/{id}"));
    assert_eq!(browser.value("#f-rank"), "2", "its page shows rank 2");
    seen(&mut browser, j, "item");

    let ranks: Vec<(String, i64)> = env
        .json(&["list", "priority"])
        .as_array()
        .expect("a list")
        .iter()
        .map(|p| {
            (
                p["title"].as_str().unwrap_or_default().to_string(),
                p["rank"].as_i64().unwrap_or_default(),
            )
        })
        .collect();
    assert!(
        ranks.contains(&("New dashboard".to_string(), 2)),
        "the command line sees it at rank 2: {ranks:?}"
    );
    took(j, start);
}

#[test]
fn a_reflection_saved_shows_its_trend_and_the_scores_over_time() {
    let Some(mut browser) = Browser::start() else {
        return;
    };
    let start = Instant::now();
    let j = "reflect";
    let env = Env::new();
    let server = env.serve();
    browser.sign_in(&server);
    init_on_the_people_page(&mut browser, j);

    // Twice: a first reflection, then one a little different, to see the trend against it.
    let rounds: [[(&str, &str, &str); 5]; 2] = [
        [
            ("priorities", "4", "Billing first, then hiring"),
            ("expectations", "3", "Mostly aligned"),
            ("delivery", "4", "On time so far"),
            ("visibility", "3", "They saw the latency work"),
            ("rapport", "4", "Easy to talk to"),
        ],
        [
            ("priorities", "4", "Unchanged"),
            ("expectations", "4", "Aligned after the 1:1"),
            ("delivery", "4", "Still on time"),
            ("visibility", "2", "They missed the migration"),
            ("rapport", "5", "Better than ever"),
        ],
    ];
    for (n, round) in rounds.iter().enumerate() {
        nav(&browser, "/reflect");
        if n == 0 {
            seen(&mut browser, j, "questions");
        }
        for (area, score, words) in round {
            browser.choose(&format!("select#score-{area}"), score);
            browser.fill(&format!("#answer-{area}"), words);
        }
        let button = browser.tab_to(5, |h| h.contains("Save the reflection"));
        assert!(button.starts_with("<button"), "{button}");
        browser.press(ENTER);
        browser.wait_for_path("/reflect/Dana%20Whitfield");
        browser.wait_for("#trend");
    }
    let text = browser.text();
    for want in [
        "The last reflection, 2026-11-23 (against 1 earlier, on 2026-11-23)",
        "Each area against the last time",
        "They missed the migration",
        "Scores over time on working with Dana Whitfield (1–5)",
    ] {
        assert!(
            text.contains(want),
            "the reflection shows {want:?}:\n{text}"
        );
    }
    // The trend: each area's line, the one that fell and the one that rose.
    let areas = browser.texts("#trend ~ table tbody tr, section[aria-labelledby=trend] tbody tr");
    let visibility = areas
        .iter()
        .find(|r| r.starts_with("visibility"))
        .unwrap_or_else(|| panic!("a row for visibility: {areas:#?}"));
    assert!(
        visibility.contains('2') && visibility.contains('3'),
        "visibility from 3 to 2: {visibility}"
    );
    // The chart (an SVG named by its title) and its table: one row per reflection.
    let chart = browser
        .attr("#chart-reflections svg[role=img]", "aria-labelledby")
        .expect("the chart is named");
    assert_eq!(chart, "chart-reflections-title");
    let rows = browser.texts("#chart-reflections table.chart-table tbody tr");
    assert_eq!(rows.len(), 2, "one row per reflection: {rows:#?}");
    assert!(
        rows[1].starts_with("2026-11-23") && rows[1].contains('5'),
        "{rows:#?}"
    );
    seen(&mut browser, j, "trend");
    took(j, start);
}

#[test]
fn a_search_marks_the_match_and_leads_to_the_item() {
    let Some(mut browser) = Browser::start() else {
        return;
    };
    let start = Instant::now();
    let j = "search";
    // Set up with the command line: a few items, two with a word nothing else has.
    let env = Env::new();
    env.ok(&["init", "--me", "Alex", "--manager", "Dana Whitfield"]);
    env.ok(&["add", "risk", "Zeppelin vendor may sunset the API"]);
    env.ok(&["add", "priority", "Billing migration"]);
    env.ok(&[
        "add",
        "note",
        "Dana prefers written pre-reads",
        "--body",
        "Ask about the zeppelin contract",
    ]);
    let server = env.serve();
    browser.sign_in(&server);

    nav(&browser, "/search");
    seen(&mut browser, j, "empty");
    browser.fill("#q", "zeppelin");
    browser.press(ENTER);
    browser.wait_for_path("/search?q=zeppelin");
    browser.wait_for("ol.hits");
    let hits = browser.texts("ol.hits > li");
    assert_eq!(hits.len(), 2, "two hits: {hits:#?}");
    assert!(
        hits.iter()
            .any(|h| h.contains("Zeppelin vendor may sunset the API")),
        "{hits:#?}"
    );
    assert!(
        !hits.iter().any(|h| h.contains("Billing migration")),
        "{hits:#?}"
    );
    let marked = browser.texts("ol.hits mark");
    assert!(
        !marked.is_empty() && marked.iter().all(|m| m.eq_ignore_ascii_case("zeppelin")),
        "the match is marked: {marked:?}"
    );
    let status = browser.texts("main p[role=status]");
    assert_eq!(status, ["2 matches, best first"]);
    seen(&mut browser, j, "hits");

    // Follow the risk's hit to its page.
    let risk = env.json(&["list", "risk"])[0]["id"]
        .as_i64()
        .expect("the risk's id");
    browser.click(&format!("ol.hits a[href=\"/items/{risk}\"]"));
    browser.wait_for_path(&format!("/items/{risk}"));
    browser.wait_for("main h1");
    let text = browser.text();
    assert!(
        text.contains("Zeppelin vendor may sunset the API"),
        "the item's page:\n{text}"
    );
    seen(&mut browser, j, "item");
    took(j, start);
}
