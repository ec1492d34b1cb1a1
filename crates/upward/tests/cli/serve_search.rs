//! `GET /api/v1/search` against `upward search --json`.

use crate::harness::Env;

#[test]
fn search_answers_what_the_command_line_prints() {
    let env = Env::new().with_people();
    env.ok(&[
        "person",
        "set",
        "Dana",
        "pressures",
        "The board wants lower latency",
    ]);
    env.ok(&[
        "add",
        "win",
        "Cut checkout latency",
        "--body",
        "Moved the pricing call off the hot path",
    ]);
    env.ok(&[
        "add",
        "note",
        "Lunch with <b>Sam</b>",
        "--body",
        "Talked about latency budgets",
    ]);
    let server = env.serve();
    for (query, args) in [
        ("q=latency", vec!["search", "latency"]),
        ("q=cut%20lat", vec!["search", "cut lat"]),
        (
            "q=latency&limit=1",
            vec!["search", "latency", "--limit", "1"],
        ),
        ("q=%22NEAR(", vec!["search", "\"NEAR("]),
        ("q=nothing-here", vec!["search", "nothing-here"]),
    ] {
        assert_eq!(
            server.json(&format!("/api/v1/search?{query}")),
            env.json(&args),
            "{query}"
        );
    }
    let bad = server.get("/api/v1/search?q=x&limit=-3");
    assert_eq!(bad.status, 400, "{}", bad.body);
}
