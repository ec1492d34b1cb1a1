//! `upward serve`'s tone check against the command line: `POST /api/v1/check` answers what
//! `upward check --json` prints, byte for byte (with the user's own words, read by both), and
//! the update's brief (`?brief=1`, an executive by default) what `update --brief --json` does.

use crate::harness::Env;
use crate::serve_items::workspace;
use serde_json::{Value, json};

/// Texts that cross every rule, a clean one, markup and an empty one.
const TEXTS: &[&str] = &[
    "You ALWAYS ignore my PRs!!",
    "You never review my pull requests on time!!",
    "Obviously the API is down AGAIN!!",
    "another \"urgent\" request, thanks a lot /s",
    "The API was down twice this week; could we add an alert?",
    "<script>alert(1)</script> & \u{201c}quotes\u{201d} — RDSX is NEVER up",
    "",
];

/// `upward [--json] check TEXT [--feedback]` as printed, and as one line of JSON.
fn cli_check(env: &Env, text: &str, feedback: bool) -> (String, String) {
    let mut args = vec!["--json", "check", text];
    if feedback {
        args.push("--feedback");
    }
    let printed = env.ok(&args);
    let value: Value = serde_json::from_str(&printed).unwrap();
    (printed, serde_json::to_string(&value).unwrap())
}

#[track_caller]
fn same_as_check(env: &Env, server: &crate::server::Server, text: &str, feedback: bool) {
    let a = server.send(
        "POST",
        "/api/v1/check",
        &json!({"text": text, "feedback": feedback}),
    );
    assert_eq!(a.status, 200, "{text:?}: {}", a.body);
    let (printed, compact) = cli_check(env, text, feedback);
    // The answer's bytes are the command line's JSON on one line; pretty-printed, they are
    // what it prints.
    assert_eq!(a.body, compact, "{text:?} feedback={feedback}");
    assert_eq!(
        format!("{}\n", serde_json::to_string_pretty(&a.json()).unwrap()),
        printed,
        "{text:?} feedback={feedback}"
    );
}

#[test]
fn the_check_api_answers_what_check_prints_byte_for_byte() {
    let env = Env::new();
    let server = env.serve();
    for text in TEXTS {
        for feedback in [false, true] {
            same_as_check(&env, &server, text, feedback);
        }
    }
    // Without `feedback`, as without `--feedback`.
    let a = server.send("POST", "/api/v1/check", &json!({"text": TEXTS[0]}));
    assert_eq!(a.body, cli_check(&env, TEXTS[0], false).1);
    // A body that is not a text is a one-line 400, as `check` refuses bad input.
    let bad = server.send("POST", "/api/v1/check", &json!({"text": 3}));
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(bad.json()["error"].is_string());
}

#[test]
fn the_check_api_reads_the_users_own_words_as_check_does() {
    let env = Env::new();
    let dir = env.dir.path().join("config").join("upward");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("tone-words.txt"),
        "[absolute]\n-never\nwithout exception\n[acronyms]\nRDSX\n",
    )
    .unwrap();
    let server = env.serve();
    for text in TEXTS
        .iter()
        .copied()
        .chain(["It slips without exception, RDSX or not"])
    {
        same_as_check(&env, &server, text, false);
    }
    let mine = server.send(
        "POST",
        "/api/v1/check",
        &json!({"text": "It slips without exception"}),
    );
    assert_eq!(mine.json()["warnings"][0]["found"], "without exception");
    // The page shows the same flags.
    let page = server.post_form("/check", &[("text", "It slips without exception")]);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("“without exception”"), "{}", page.body);
}

#[test]
fn the_update_brief_answers_what_update_brief_prints() {
    let env = workspace();
    env.ok(&["person", "add", "Ana Ruiz", "--relation", "skip"]);
    env.ok(&["person", "set", "Ana Ruiz", "exec", "yes"]);
    env.ok(&["person", "set", "Dana", "technical", "no"]);
    env.ok(&["add", "win", "Cut p99 latency", "--date", "-1d"]);
    let server = env.serve();
    for channel in ["chat", "email"] {
        assert_eq!(
            server.json(&format!("/api/v1/update/Dana?channel={channel}&brief=1")),
            env.json(&["update", "Dana", "--channel", channel, "--brief"]),
            "{channel}"
        );
    }
    let dana = server.json("/api/v1/update/Dana");
    assert_eq!(dana, env.json(&["update", "Dana"]));
    assert!(
        dana["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["rule"] == "jargon"),
        "{dana}"
    );
    let ana = server.json("/api/v1/update/Ana%20Ruiz");
    assert_eq!(ana, env.json(&["update", "Ana Ruiz"]));
    assert!(ana["brief"].is_object(), "an executive gets the brief");
    assert_eq!(
        server.json("/api/v1/update/Ana%20Ruiz?length=detailed"),
        env.json(&["update", "Ana Ruiz", "--length", "detailed"])
    );
    let page = server.get("/update/Ana%20Ruiz");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Headline: "), "{}", page.body);
    let both = server.get("/api/v1/update/Dana?brief=1&length=brief");
    assert_eq!(both.status, 400, "{}", both.body);
}
