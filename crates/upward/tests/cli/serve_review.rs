//! `upward serve`'s review against the command line's: the packet's JSON byte for byte, for
//! the default period and a chosen one, and the page drawn for the same period.

use crate::harness::Env;
use crate::serve_intake::Browser;

fn workspace() -> Env {
    let env = Env::new().with_people();
    env.ok(&[
        "add",
        "win",
        "Cut checkout p99",
        "--metric",
        "p99 -38%",
        "--tag",
        "perf",
        "--date",
        "2026-09-14",
    ]);
    env.ok(&[
        "add",
        "win",
        "Led the incident review",
        "--tag",
        "leadership",
        "--date",
        "2026-10-02",
    ]);
    env.ok(&[
        "add",
        "promise",
        "Send the design doc",
        "--with",
        "Sam",
        "--due",
        "-3d",
    ]);
    env.ok(&[
        "add",
        "expectation",
        "Own the billing platform",
        "--metric",
        "99.9% uptime",
    ]);
    env
}

#[test]
fn the_packet_is_the_command_lines() {
    let env = workspace();
    let server = env.serve();
    assert_eq!(
        server.json("/api/v1/review"),
        env.json(&["review", "--json"])
    );
    assert_eq!(
        server.json("/api/v1/review?from=2026-09-01&to=2026-10-31"),
        env.json(&[
            "review",
            "--from",
            "2026-09-01",
            "--to",
            "2026-10-31",
            "--json"
        ])
    );
    assert_eq!(
        server.json("/api/v1/review?from=-3m"),
        env.json(&["review", "--from", "-3m", "--json"])
    );
    let bad = server.get("/api/v1/review?from=2026-11-24&to=2026-11-01");
    assert_eq!(bad.status, 400);
    let cli = env.fails(1, &["review", "--from", "2026-11-24", "--to", "2026-11-01"]);
    assert!(cli.contains(bad.json()["error"].as_str().unwrap()), "{cli}");
}

#[test]
fn the_page_draws_the_packet_and_its_charts() {
    let env = workspace();
    let server = env.serve();
    let browser = Browser::login(&server);
    let page = browser.get("/review?from=2026-09-01&to=2026-10-31");
    assert_eq!(page.status, 200, "{}", page.body);
    for part in [
        "Cut checkout p99",
        "p99 -38%",
        // Tags as the packet orders them (as many wins each: by name): leadership, perf.
        r#"<th scope="col">leadership</th><th scope="col">perf</th>"#,
        r#"<th scope="row">2026-09</th><td>0</td><td>1</td>"#,
        r#"<th scope="row">2026-10</th><td>1</td><td>0</td>"#,
        r#"aria-labelledby="chart-wins-title""#,
    ] {
        assert!(page.body.contains(part), "{part} missing");
    }
}
