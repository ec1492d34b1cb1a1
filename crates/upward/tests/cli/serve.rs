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

#[test]
fn serve_and_the_command_line_writing_at_once_lose_nothing() {
    let env = std::sync::Arc::new(Env::new());
    workspace(&env);
    let before = env
        .json(&["list", "--status", "all", "--json"])
        .as_array()
        .unwrap()
        .len();
    let server = env.serve();
    const EACH: usize = 20;
    let cli = {
        let env = env.clone();
        std::thread::spawn(move || {
            for n in 0..EACH {
                env.ok(&["add", "note", &format!("from the terminal {n}")]);
            }
        })
    };
    for n in 0..EACH {
        let a = server.send(
            "POST",
            "/api/v1/items",
            &serde_json::json!({"kind": "note", "title": format!("from the browser {n}")}),
        );
        assert_eq!(a.status, 201, "{}", a.body);
        // Reads between the writes, as a page would.
        assert_eq!(server.get("/api/v1/nudges").status, 200);
    }
    cli.join().unwrap();
    let items = server.json("/api/v1/items?status=all");
    let titles: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles.len(), before + 2 * EACH);
    for n in 0..EACH {
        assert!(titles.contains(&format!("from the terminal {n}").as_str()));
        assert!(titles.contains(&format!("from the browser {n}").as_str()));
    }
    // The command line sees the same.
    assert_eq!(env.json(&["list", "--status", "all", "--json"]), items);
}

/// Every page with everything it loads (the stylesheet and the script) weighs under 100 KB.
#[test]
fn every_page_weighs_under_100_kb_with_its_assets() {
    let env = Env::new();
    let tour = env.dir.path().join("sample.db");
    env.command()
        .args(["tour", "--db"])
        .arg(&tour)
        .output()
        .unwrap();
    let mut env = env;
    env.db = tour;
    let server = env.serve();
    let assets: usize = ["/assets/style.css", "/assets/app.js"]
        .iter()
        .map(|p| server.get(p).body.len())
        .sum();
    for page in crate::serve::PAGES {
        let a = server.get(page);
        assert_eq!(a.status, 200, "{page}: {}", a.body);
        let weight = a.body.len() + assets;
        assert!(
            weight < 100_000,
            "{page} weighs {weight} bytes with its assets"
        );
    }
}

/// Every page a person reaches from the navigation, on the tour's workspace (whose manager is
/// Dana); the browser tests check each with axe-core too.
pub const PAGES: &[&str] = &[
    "/",
    "/people",
    "/people/Dana",
    "/agenda",
    "/agenda/Dana?shared=1",
    "/meetings",
    "/update",
    "/update/Dana?channel=chat&length=brief",
    "/intake",
    "/intake?title=New+dashboard&from=Dana&due=2w&effort=5d",
    "/decline",
    "/review",
    "/reflect",
    "/items",
    "/items/new",
    "/items/new?kind=risk",
    "/items/1",
    "/search?q=billing",
    "/transfer",
];
