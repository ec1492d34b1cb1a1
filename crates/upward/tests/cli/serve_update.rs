//! `upward serve`'s update against the command line: the draft answers what `update --json`
//! prints in every channel and length, and "mark as sent" records what `update --sent` does.

use crate::serve_items::{normalized, workspace};

#[test]
fn the_update_api_answers_what_update_prints() {
    let env = workspace();
    let server = env.serve();
    assert_eq!(server.json("/api/v1/update"), env.json(&["update"]));
    for channel in ["in-person", "chat", "email", "video"] {
        for length in ["brief", "detailed"] {
            assert_eq!(
                server.json(&format!(
                    "/api/v1/update/Dana?channel={channel}&length={length}"
                )),
                env.json(&["update", "Dana", "--channel", channel, "--length", length]),
                "{channel} {length}"
            );
        }
    }
    assert_eq!(
        server.json("/api/v1/update/Sam?since=-10d"),
        env.json(&["update", "Sam", "--since", "-10d"])
    );
    let page = server.get("/update/Dana?channel=email&length=detailed");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("data-copy=\"draft\""));
}

#[test]
fn mark_as_sent_records_what_update_sent_records() {
    let (web, cli) = (workspace(), workspace());
    let server = web.serve();
    let sent = server.send(
        "POST",
        "/api/v1/update/Dana/sent",
        &serde_json::json!({"channel": "email"}),
    );
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert_eq!(
        sent.json(),
        cli.json(&["update", "Dana", "--channel", "email", "--sent"])
    );
    let form = server.post_form(
        "/update/Sam%20Ortiz/sent",
        &[("channel", "chat"), ("length", "brief")],
    );
    assert_eq!(form.status, 303, "{}", form.body);
    cli.ok(&[
        "update",
        "Sam Ortiz",
        "--channel",
        "chat",
        "--length",
        "brief",
        "--sent",
    ]);
    let export = |env: &crate::harness::Env| {
        let v: serde_json::Value = serde_json::from_str(&env.state().unwrap()).unwrap();
        normalized(&v["updates"])
    };
    assert_eq!(export(&web), export(&cli));
    assert_eq!(
        server.json("/api/v1/update/Dana"),
        cli.json(&["update", "Dana"])
    );
}
