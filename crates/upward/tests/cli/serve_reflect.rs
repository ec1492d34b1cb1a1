//! `upward serve`'s reflect against the command line's: a reflection stored through the API
//! answers what `upward reflect … --json` prints on a twin, the latest trend is that answer,
//! and one saved through the page leaves the same workspace as the command.

use crate::harness::Env;
use crate::serve_intake::{Browser, state, without_uuids};

fn workspace() -> Env {
    let env = Env::new().with_people();
    env.ok(&[
        "add",
        "promise",
        "Send the design doc",
        "--with",
        "Dana",
        "--due",
        "-3d",
    ]);
    env.ok(&[
        "reflect",
        "Dana",
        "--score",
        "rapport=3",
        "--score",
        "visibility=3",
    ]);
    env
}

const CLI: [&str; 10] = [
    "reflect",
    "Dana",
    "--score",
    "rapport=4",
    "--score",
    "visibility=2",
    "--answer",
    "visibility=they missed the migration",
    "--json",
    "--no-color",
];

#[test]
fn storing_through_the_api_answers_what_the_command_prints() {
    let (env, twin) = (workspace(), workspace());
    let server = env.serve();
    let a = server.send(
        "POST",
        "/api/v1/reflections",
        &serde_json::json!({
            "person": "Dana",
            "scores": {"rapport": 4, "visibility": 2},
            "answers": {"visibility": "they missed the migration"}
        }),
    );
    assert_eq!(a.status, 201, "{}", a.body);
    let cli = twin.json(&CLI);
    assert_eq!(a.json(), cli);
    assert_eq!(server.json("/api/v1/reflect/Dana"), cli);
    drop(server);
    assert_eq!(state(&env), state(&twin));
}

#[test]
fn the_latest_trend_is_what_the_command_printed_when_it_stored_it() {
    let env = workspace();
    let printed = env.json(&CLI);
    let server = env.serve();
    assert_eq!(
        without_uuids(server.json("/api/v1/reflect/Dana%20Whitfield")),
        without_uuids(printed)
    );
    assert_eq!(server.get("/api/v1/reflect/Sam").status, 404);
}

#[test]
fn saving_through_the_page_is_reflect() {
    let (env, twin) = (workspace(), workspace());
    let server = env.serve();
    let browser = Browser::login(&server);
    let got = browser.post(
        "/reflect/Dana",
        &[
            ("score-rapport", "4"),
            ("score-visibility", "2"),
            ("answer-visibility", "they missed the migration"),
        ],
    );
    assert_eq!(got.status, 303, "{}", got.body);
    let page = browser.get(got.location.as_deref().unwrap().split('#').next().unwrap());
    assert!(
        page.body.contains("Focus on visibility (2/5)"),
        "{}",
        page.body
    );
    twin.json(&CLI);
    drop(server);
    assert_eq!(state(&env), state(&twin));
}
