//! `upward serve`'s items API against the command line: the same request answers the same
//! JSON, and the same change through either leaves the same items (on twin workspaces).

use crate::harness::Env;
use serde_json::{Value, json};

/// Every UUID replaced by a mark: twins differ only in those.
pub fn normalized(v: &Value) -> Value {
    match v {
        Value::String(s) if uuid_like(s) => json!("<uuid>"),
        Value::Array(a) => Value::Array(a.iter().map(normalized).collect()),
        Value::Object(m) => {
            Value::Object(m.iter().map(|(k, v)| (k.clone(), normalized(v))).collect())
        }
        v => v.clone(),
    }
}

fn uuid_like(s: &str) -> bool {
    s.len() == 36
        && s.chars().enumerate().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

/// Me, Dana my manager, Sam a peer, and a few items of several kinds.
pub fn workspace() -> Env {
    let env = Env::new().with_people();
    env.ok(&[
        "add",
        "promise",
        "Ship the <b>rate</b> limiter",
        "--due",
        "-2d",
        "--with",
        "Dana",
    ]);
    env.ok(&[
        "add",
        "risk",
        "Vendor sunset",
        "--severity",
        "high",
        "--tag",
        "infra",
    ]);
    env.ok(&["add", "priority", "Billing migration", "--effort", "2w"]);
    env.ok(&[
        "add",
        "priority",
        "On-call rotation",
        "--effort",
        "3d",
        "--rank",
        "1",
    ]);
    env.ok(&[
        "add", "win", "Cut p99", "--metric", "p99 -38%", "--date", "-5d", "--tag", "infra",
    ]);
    env.ok(&[
        "add",
        "feedback",
        "Great demo",
        "--with",
        "Dana",
        "--direction",
        "given",
    ]);
    env.ok(&["add", "topic", "Career path", "--with", "Dana"]);
    env.ok(&["done", "3"]);
    env
}

#[test]
fn the_items_api_answers_what_list_and_show_print() {
    let env = workspace();
    let server = env.serve();
    let cases: &[(&str, &[&str])] = &[
        ("", &["list"]),
        ("?kind=priority", &["list", "priority"]),
        (
            "?kind=priority&status=all",
            &["list", "priority", "--status", "all"],
        ),
        ("?kind=win", &["list", "win"]),
        ("?status=all", &["list", "--status", "all"]),
        ("?status=done", &["list", "--status", "done"]),
        ("?person=Dana", &["list", "--with", "Dana"]),
        (
            "?tag=infra&status=all",
            &["list", "--tag", "infra", "--status", "all"],
        ),
        (
            "?since=-3d&status=all",
            &["list", "--since", "-3d", "--status", "all"],
        ),
    ];
    for (query, args) in cases {
        assert_eq!(
            server.json(&format!("/api/v1/items{query}")),
            env.json(args),
            "{query}"
        );
    }
    for id in ["1", "4", "6"] {
        assert_eq!(
            server.json(&format!("/api/v1/items/{id}")),
            env.json(&["show", id])
        );
    }
}

#[test]
fn a_change_through_the_api_leaves_what_the_command_line_leaves() {
    let (api, cli) = (workspace(), workspace());
    let server = api.serve();
    let added = server.send(
        "POST",
        "/api/v1/items",
        &json!({"kind": "risk", "title": "Data loss", "person": "Sam", "severity": "medium",
            "likelihood": "low", "due": "fri", "tags": ["a", "b"], "visibility": "shared"}),
    );
    assert_eq!(added.status, 201, "{}", added.body);
    let by_cli = cli.json(&[
        "add",
        "risk",
        "Data loss",
        "--with",
        "Sam",
        "--severity",
        "medium",
        "--likelihood",
        "low",
        "--due",
        "fri",
        "--tag",
        "a",
        "--tag",
        "b",
        "--shared",
    ]);
    assert_eq!(normalized(&added.json()), normalized(&by_cli));
    let steps: &[(&str, &str, Value, &[&str])] = &[
        (
            "PATCH",
            "/api/v1/items/1",
            json!({"due": "+3d", "title": "Ship it"}),
            &["edit", "1", "--due", "+3d", "--title", "Ship it"],
        ),
        (
            "PATCH",
            "/api/v1/items/4",
            json!({"rank": 2}),
            &["edit", "4", "--rank", "2"],
        ),
        (
            "POST",
            "/api/v1/items/1/done",
            json!({"date": "yesterday"}),
            &["done", "1", "--date", "yesterday"],
        ),
        (
            "POST",
            "/api/v1/items/2/drop",
            json!({"why": "vendor stayed"}),
            &["drop", "2", "--why", "vendor stayed"],
        ),
        (
            "POST",
            "/api/v1/items/3/reopen",
            json!(null),
            &["reopen", "3"],
        ),
        ("POST", "/api/v1/items/4/done", json!({}), &["done", "4"]),
    ];
    for (method, path, body, args) in steps {
        let a = if body.is_null() {
            server.send(method, path, &json!({}))
        } else {
            server.send(method, path, body)
        };
        assert_eq!(a.status, 200, "{path}: {}", a.body);
        assert_eq!(normalized(&a.json()), normalized(&cli.json(args)), "{path}");
    }
    drop(server);
    assert_eq!(
        normalized(&api.json(&["list", "--status", "all"])),
        normalized(&cli.json(&["list", "--status", "all"]))
    );
}

#[test]
fn the_items_pages_answer_and_a_refusal_is_json_under_the_api() {
    let env = workspace();
    let server = env.serve();
    let a = server.send(
        "POST",
        "/api/v1/items",
        &json!({"kind": "unicorn", "title": "x"}),
    );
    assert_eq!(a.status, 400);
    assert!(a.json()["error"].as_str().unwrap().contains("unicorn"));
    assert_eq!(server.get("/api/v1/items/999").status, 404);
    let form = server.post_form("/items", &[("kind", "idea"), ("title", "A <i>thought</i>")]);
    assert_eq!(form.status, 303, "{}", form.body);
    assert_eq!(form.header("location"), Some("/items/8"));
    let page = server.get("/items/8");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("A &lt;i&gt;thought&lt;/i&gt;"));
    assert_eq!(server.get("/items?kind=priority&status=all").status, 200);
    assert_eq!(server.get("/items/new?kind=feedback").status, 200);
}
