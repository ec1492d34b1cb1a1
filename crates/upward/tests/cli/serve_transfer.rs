//! `GET /api/v1/export` and `POST /api/v1/import` against `upward export` and `upward import`.

use crate::harness::Env;
use serde_json::Value;

#[test]
fn the_export_is_the_command_lines_byte_for_byte() {
    let env = Env::new().with_people();
    env.ok(&["add", "win", "Cut <b>latency</b>", "--tag", "perf"]);
    let server = env.serve();
    let a = server.get("/api/v1/export");
    assert_eq!(a.status, 200);
    assert_eq!(a.body, env.ok(&["export"]));
    assert_eq!(a.json(), env.json(&["export"]));
}

#[test]
fn an_import_through_the_api_does_what_the_command_does() {
    let from = Env::new().with_people();
    from.ok(&[
        "add",
        "priority",
        "Billing migration",
        "--effort",
        "2w",
        "--due",
        "2026-12-18",
    ]);
    from.ok(&["meet", "--notes", "Talked budgets"]);
    let file = from.path("export.json");
    from.ok(&["export", "-o", file.to_str().unwrap()]);
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();

    let web = Env::new();
    let cli = Env::new();
    let server = web.serve();
    let a = server.send("POST", "/api/v1/import", &doc);
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.json(), cli.json(&["import", file.to_str().unwrap()]));
    assert_eq!(web.state(), cli.state());

    // Again: refused without merge, as the command refuses; with merge, the same report.
    let again = server.send("POST", "/api/v1/import?merge=false", &doc);
    assert_eq!(again.status, 400, "{}", again.body);
    let said = again.json()["error"].as_str().unwrap().to_string();
    assert!(
        cli.fails(1, &["import", file.to_str().unwrap()])
            .contains(&said),
        "{said}"
    );
    let merged = server.send("POST", "/api/v1/import?merge=true", &doc);
    assert_eq!(merged.status, 200, "{}", merged.body);
    assert_eq!(
        merged.json(),
        cli.json(&["import", file.to_str().unwrap(), "--merge"])
    );
    assert_eq!(web.state(), cli.state());
}
