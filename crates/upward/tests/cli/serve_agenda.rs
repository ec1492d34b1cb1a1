//! `upward serve`'s agenda and 1:1s against the command line: the prep answers what `prep
//! --json` prints, and a 1:1 recorded through the page or the API changes the same things as
//! `upward meet` with the same choices (on twin workspaces).

use crate::serve_items::{normalized, workspace};

#[test]
fn the_prep_api_answers_what_prep_prints() {
    let env = workspace();
    let server = env.serve();
    let cases: &[(&str, &[&str])] = &[
        ("/api/v1/prep", &["prep"]),
        ("/api/v1/prep?shared=1", &["prep", "--shared"]),
        ("/api/v1/prep/Dana?all=1", &["prep", "Dana", "--all"]),
        ("/api/v1/prep/Sam", &["prep", "Sam"]),
        (
            "/api/v1/prep/Sam%20Ortiz?shared=1",
            &["prep", "Sam Ortiz", "--shared"],
        ),
    ];
    for (path, args) in cases {
        assert_eq!(server.json(path), env.json(args), "{path}");
    }
    let page = server.get("/agenda/Dana");
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("Ship the &lt;b&gt;rate&lt;/b&gt; limiter")
    );
    assert!(
        !page.body.contains("upward prep"),
        "a page shows links, not commands"
    );
}

/// Everything a 1:1 can change, without the UUIDs twins differ in.
fn state(env: &crate::harness::Env) -> (serde_json::Value, serde_json::Value) {
    (
        normalized(&env.json(&["list", "--status", "all"])),
        normalized(&env.json(&["meetings"])),
    )
}

#[test]
fn a_meeting_recorded_through_the_page_changes_what_meet_changes() {
    let (web, cli) = (workspace(), workspace());
    let server = web.serve();
    let a = server.post_form(
        "/meetings",
        &[
            ("person", "Dana Whitfield"),
            ("discussed", "1"),
            ("discussed", "7"),
            ("consent_asked", "6"),
            ("action_title_0", "Send the plan"),
            ("action_owner_0", "me"),
            ("action_due_0", "fri"),
            ("action_title_1", "Intro to the VP"),
            ("action_owner_1", "them"),
            ("action_due_1", ""),
            ("action_title_2", ""),
            ("action_owner_2", "me"),
            ("action_due_2", ""),
            ("notes", "Agreed on <b>Q1</b>\nand more"),
            ("date", ""),
        ],
    );
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(a.header("location"), Some("/meetings/1"));
    cli.ok(&[
        "meet",
        "Dana",
        "--discussed",
        "1,7",
        "--consent-asked",
        "6",
        "--action",
        "Send the plan@me:fri",
        "--action",
        "Intro to the VP@them",
        "--notes",
        "Agreed on <b>Q1</b>\nand more",
    ]);
    assert_eq!(state(&web), state(&cli));
    // The items discussed come in the order of their UUIDs, which twins do not share.
    let by_id = |mut v: serde_json::Value| {
        if let Some(a) = v["discussed"].as_array_mut() {
            a.sort_by_key(|i| i["id"].as_i64());
        }
        normalized(&v)
    };
    assert_eq!(
        by_id(server.json("/api/v1/meetings/1")),
        by_id(cli.json(&["meeting", "show", "1"]))
    );
    let page = server.get("/meetings/1");
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("Agreed on &lt;b&gt;Q1&lt;/b&gt;<br>and more")
    );
    // Undo through the page and through the command line: the same again.
    let undo = server.post_form("/meetings/1/undo", &[]);
    assert_eq!(undo.status, 303, "{}", undo.body);
    cli.ok(&["meeting", "undo", "1"]);
    assert_eq!(state(&web), state(&cli));
}

#[test]
fn the_meetings_api_answers_what_meet_and_meetings_print() {
    let (web, cli) = (workspace(), workspace());
    let server = web.serve();
    let met = server.send(
        "POST",
        "/api/v1/meetings",
        &serde_json::json!({"person": "Dana", "discussed": [1, 6], "notes": "n",
            "actions": ["Follow up@them:+3d"]}),
    );
    assert_eq!(met.status, 201, "{}", met.body);
    let by_cli = cli.json(&[
        "meet",
        "Dana",
        "--discussed",
        "1,6",
        "--notes",
        "n",
        "--action",
        "Follow up@them:+3d",
    ]);
    assert_eq!(normalized(&met.json()), normalized(&by_cli));
    assert_eq!(server.json("/api/v1/meetings"), web.json(&["meetings"]));
    assert_eq!(
        server.json("/api/v1/meetings?person=Dana"),
        web.json(&["meetings", "Dana"])
    );
    assert_eq!(
        server.json("/api/v1/meetings?person=Sam"),
        web.json(&["meetings", "Sam"])
    );
    assert_eq!(
        server.json("/api/v1/meetings/1"),
        web.json(&["meeting", "show", "1"])
    );
    let undo = server.send("POST", "/api/v1/meetings/1/undo", &serde_json::json!({}));
    assert_eq!(undo.status, 200, "{}", undo.body);
    assert_eq!(
        normalized(&undo.json()),
        normalized(&cli.json(&["meeting", "undo", "1"]))
    );
    assert_eq!(state(&web), state(&cli));
    let bad = server.send(
        "POST",
        "/api/v1/meetings",
        &serde_json::json!({"discussed": [999]}),
    );
    assert!(bad.status == 404 || bad.status == 400, "{}", bad.body);
    assert!(bad.json()["error"].is_string());
}
