//! `upward serve`'s people API against the command line: the same answers on the same
//! workspace, and the same workspace after the same change made through either.

use crate::harness::Env;
use serde_json::{Value, json};

/// The value without what differs between twin workspaces by design (random UUIDs).
pub fn strip(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !k.ends_with("uuid"))
                .map(|(k, v)| (k.clone(), strip(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(strip).collect()),
        other => other.clone(),
    }
}

#[test]
fn people_list_and_show_answer_what_the_command_line_prints() {
    let env = Env::new().with_people();
    env.ok(&["person", "rm", "Sam"]);
    let server = env.serve();
    assert_eq!(server.json("/api/v1/people"), env.json(&["person", "list"]));
    assert_eq!(
        server.json("/api/v1/people?all=true"),
        env.json(&["person", "list", "--all"])
    );
    assert_eq!(
        server.json("/api/v1/people/dana"),
        env.json(&["person", "show", "dana"])
    );
    assert_eq!(
        server.json("/api/v1/people/Sam%20Ortiz"),
        env.json(&["person", "show", "Sam Ortiz"])
    );
    let missing = server.get("/api/v1/people/Nobody");
    assert_eq!(missing.status, 404, "{}", missing.body);
    assert!(missing.json()["error"].as_str().unwrap().contains("Nobody"));
    env.fails(1, &["person", "show", "Nobody"]);
}

#[test]
fn adding_setting_and_init_through_the_api_do_what_the_commands_do() {
    let web = Env::new();
    let cli = Env::new();
    let server = web.serve();

    let init = server.send(
        "POST",
        "/api/v1/init",
        &json!({"me": "Alex", "role": "Staff engineer", "manager": "Dana Whitfield"}),
    );
    assert_eq!(init.status, 200, "{}", init.body);
    let by_cli = cli.json(&[
        "init",
        "--me",
        "Alex",
        "--role",
        "Staff engineer",
        "--manager",
        "Dana Whitfield",
    ]);
    assert_eq!(strip(&init.json()), strip(&by_cli));

    let added = server.send(
        "POST",
        "/api/v1/people",
        &json!({"name": "Sam Ortiz", "relation": "peer", "role": "Platform lead", "cadence": "2w"}),
    );
    assert_eq!(added.status, 201, "{}", added.body);
    let by_cli = cli.json(&[
        "person",
        "add",
        "Sam Ortiz",
        "--relation",
        "peer",
        "--role",
        "Platform lead",
        "--cadence",
        "2w",
    ]);
    assert_eq!(strip(&added.json()), strip(&by_cli));
    assert_eq!(added.json(), web.json(&["person", "show", "Sam Ortiz"]));

    let set = server.send(
        "PATCH",
        "/api/v1/people/Dana",
        &json!({"goals": "Ship billing by Q2", "length": "brief", "trust": 4}),
    );
    assert_eq!(set.status, 200, "{}", set.body);
    cli.json(&["person", "set", "Dana", "goals", "Ship billing by Q2"]);
    cli.json(&["person", "set", "Dana", "length", "brief"]);
    let by_cli = cli.json(&["person", "set", "Dana", "trust", "4"]);
    assert_eq!(strip(&set.json()), strip(&by_cli));
    assert_eq!(set.json(), web.json(&["person", "show", "Dana"]));

    // A write after reads of this server (which keeps its read stores open) works.
    assert_eq!(server.json("/api/v1/people/Dana"), set.json());
    let again = server.send(
        "PATCH",
        "/api/v1/people/Dana",
        &json!({"pressures": "Board review"}),
    );
    assert_eq!(again.status, 200, "{}", again.body);
    cli.json(&["person", "set", "Dana", "pressures", "Board review"]);

    assert_eq!(
        strip(&web.json(&["person", "list", "--all"])),
        strip(&cli.json(&["person", "list", "--all"]))
    );

    // Refused the same way, and nothing written.
    let before = web.state();
    let bad = server.send(
        "POST",
        "/api/v1/people",
        &json!({"name": "X", "relation": "self"}),
    );
    assert_eq!(bad.status, 400, "{}", bad.body);
    let said = bad.json()["error"].as_str().unwrap().to_string();
    let cli_said = cli.fails(1, &["person", "add", "X", "--relation", "self"]);
    assert_eq!(format!("error: {said}"), cli_said);
    let taken = server.send(
        "POST",
        "/api/v1/people",
        &json!({"name": "sam ortiz", "relation": "peer"}),
    );
    assert_eq!(taken.status, 409, "{}", taken.body);
    let bad = server.send(
        "PATCH",
        "/api/v1/people/Dana",
        &json!({"trust": 9, "goals": "never written"}),
    );
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert_eq!(web.state(), before);
}
