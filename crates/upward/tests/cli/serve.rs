//! `upward serve` end to end: the printed address, the guard, the clean stop, and the API
//! answering with exactly the command line's `--json`.

use crate::harness::Env;

fn workspace(env: &Env) {
    env.ok(&["init", "--me", "Alex", "--manager", "Dana Whitfield"]);
    env.ok(&[
        "add",
        "promise",
        "Ship the <b>rate</b> limiter",
        "--due",
        "-2d",
    ]);
    env.ok(&["add", "risk", "Vendor sunset", "--severity", "high"]);
}

#[test]
fn serve_prints_one_line_with_a_fresh_token_and_stops_cleanly_on_sigint_and_sigterm() {
    let env = Env::new();
    workspace(&env);
    let a = env.serve();
    let b = env.serve();
    assert!(a.base.starts_with("http://127.0.0.1:"), "{}", a.base);
    assert_ne!(a.base, b.base, "each on its own port");
    assert!(a.token.len() >= 32 && a.token.chars().all(|c| c.is_ascii_hexdigit()));
    assert_ne!(a.token, b.token, "a fresh token each run");
    assert_eq!(a.get_with("/", &[]).status, 401);
    assert_eq!(a.get("/api/v1/nudges").status, 200);
    assert_eq!(a.stop_with("INT"), Some(0));
    assert_eq!(b.stop_with("TERM"), Some(0));
}

#[test]
fn a_port_that_is_taken_is_a_one_line_error() {
    let env = Env::new();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let err = env.fails(1, &["serve", "--no-open", "--port", &port]);
    assert!(
        err.contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

#[test]
fn the_api_answers_what_the_command_line_prints() {
    let env = Env::new();
    workspace(&env);
    let server = env.serve();
    assert_eq!(
        server.json("/api/v1/nudges"),
        env.json(&["nudges", "--json"])
    );
}
