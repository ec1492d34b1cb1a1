//! `upward serve`'s decline against the command line's: the draft's JSON byte for byte, a
//! decline recorded through the API and through the page leaves the same workspace as
//! `upward decline --sent` on a twin, and the list is `upward declines --json`.

use crate::harness::Env;
use crate::serve_intake::{Browser, state, without_uuids};

fn workspace() -> Env {
    let env = Env::new().with_people();
    env.ok(&[
        "add",
        "priority",
        "Billing migration",
        "--effort",
        "2w",
        "--due",
        "2026-12-18",
    ]);
    env
}

const CLI: [&str; 9] = [
    "decline",
    "Run the Q1 hackathon",
    "--from",
    "Dana",
    "--reason",
    "the billing migration needs me until mid-December",
    "--alternative",
    "Judge the final round",
    "--json",
];

const QUERY: &str = "/api/v1/decline?title=Run%20the%20Q1%20hackathon&from=Dana&reason=the%20billing%20migration%20needs%20me%20until%20mid-December&alternative=Judge%20the%20final%20round";

#[test]
fn the_draft_and_the_list_are_the_command_lines() {
    let env = workspace();
    let server = env.serve();
    assert_eq!(server.json(QUERY), env.json(&CLI));
    let with_after = format!("{QUERY}&after=2027-01-15");
    let mut args = CLI.to_vec();
    args.extend(["--after", "2027-01-15"]);
    assert_eq!(server.json(&with_after), env.json(&args));
    assert_eq!(
        server.json("/api/v1/declines"),
        env.json(&["declines", "--json"])
    );
}

#[test]
fn recording_through_the_api_is_decline_sent() {
    let (env, twin) = (workspace(), workspace());
    let server = env.serve();
    let a = server.send(
        "POST",
        "/api/v1/declines",
        &serde_json::json!({
            "title": "Run the Q1 hackathon", "from": "Dana",
            "reason": "the billing migration needs me until mid-December",
            "alternatives": ["Judge the final round"]
        }),
    );
    assert_eq!(a.status, 201, "{}", a.body);
    let mut args = CLI.to_vec();
    args.push("--sent");
    assert_eq!(without_uuids(a.json()), without_uuids(twin.json(&args)));
    assert_eq!(
        without_uuids(server.json("/api/v1/declines")),
        without_uuids(twin.json(&["declines", "--json"]))
    );
    drop(server);
    assert_eq!(state(&env), state(&twin));
}

#[test]
fn recording_through_the_page_is_decline_sent() {
    let (env, twin) = (workspace(), workspace());
    let server = env.serve();
    let browser = Browser::login(&server);
    let got = browser.post(
        "/declines",
        &[
            ("title", "Run the Q1 hackathon"),
            ("from", "Dana Whitfield"),
            (
                "reason",
                "the billing migration needs me until mid-December",
            ),
            ("alternative", "Judge the final round"),
        ],
    );
    assert_eq!(got.status, 303, "{}", got.body);
    let list = browser.get(got.location.as_deref().unwrap());
    assert!(
        list.body.contains("Recorded as decline #1"),
        "{}",
        list.body
    );
    let mut args = CLI.to_vec();
    args.push("--sent");
    twin.json(&args);
    drop(server);
    assert_eq!(state(&env), state(&twin));
}
