//! The JSON API of the real `upward serve`, fuzzed by schemathesis from its own OpenAPI document:
//! every operation `/api/v1/openapi.json` lists (the groups of routes add themselves there), at
//! most 20 generated examples each, valid and invalid. A 5xx answer, or an answer whose body does
//! not match the schema the document gives for its status, fails the test.
//!
//! schemathesis comes from `scripts/web-tools` (pinned in scripts/schemathesis-requirements.txt);
//! see web_tools.rs for the skip rule.

use crate::browser::workspace;
use crate::harness::Env;
use crate::web_tools::{TinyServer, tool};
use serde_json::json;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The longest the whole run may take before it is killed and the test fails.
const TIME_LIMIT: Duration = Duration::from_secs(300);

/// Generated examples per operation (and per stateful scenario).
const MAX_EXAMPLES: &str = "20";

/// What schemathesis checks on each answer: no 5xx, and a body of the documented shape.
const CHECKS: &str = "not_a_server_error,response_schema_conformance";

/// The phases: the schema's own examples, random valid and invalid inputs, and sequences of
/// calls along the document's links. Not `coverage`, whose boundary cases are not bounded by
/// the number of examples.
const PHASES: &str = "examples,fuzzing,stateful";

#[test]
fn schemathesis_finds_no_server_error_and_no_answer_outside_the_schema() {
    let Some(st) = tool("UPWARD_SCHEMATHESIS", "API fuzz tests (schemathesis)") else {
        return;
    };
    let env = Env::new();
    workspace(&env);
    let server = env.serve();
    let (ok, output) = schemathesis(&st, &env, &server.base, &server.token);
    assert!(
        ok,
        "schemathesis found failures against upward serve:\n{output}"
    );
    // It ran, and against something: an empty document would pass anything.
    assert!(
        output.contains("Operations:") && !output.contains("0 selected"),
        "schemathesis tested no operation:\n{output}"
    );
}

/// The check is real: an API that answers 500 on one operation and a body of the wrong shape
/// on another fails it, with both named.
#[test]
fn schemathesis_fails_an_api_with_a_server_error_and_an_answer_outside_its_schema() {
    let Some(st) = tool("UPWARD_SCHEMATHESIS", "API fuzz tests (schemathesis)") else {
        return;
    };
    let env = Env::new();
    let broken = TinyServer::serve(broken_api);
    let (ok, output) = schemathesis(&st, &env, &broken.base, "not-a-real-token");
    assert!(!ok, "schemathesis passed a broken API:\n{output}");
    assert!(
        output.contains("GET /boom") && output.contains("Server error"),
        "{output}"
    );
    assert!(
        output.contains("GET /shape") && output.contains("Response violates schema"),
        "{output}"
    );
}

/// An API whose document promises what it does not keep.
fn broken_api(path: &str) -> (u16, &'static str, String) {
    const JSON: &str = "application/json";
    match path {
        "/api/v1/openapi.json" => (
            200,
            JSON,
            json!({
                "openapi": "3.1.0",
                "info": {"title": "broken", "version": "1"},
                "servers": [{"url": "/api/v1"}],
                "paths": {
                    "/boom": {"get": {"responses": {"200": {"description": "never"}}}},
                    "/shape": {"get": {"responses": {"200": {
                        "description": "a rank",
                        "content": {"application/json": {"schema": {
                            "type": "object",
                            "required": ["rank"],
                            "properties": {"rank": {"type": "integer"}}
                        }}}
                    }}}}
                }
            })
            .to_string(),
        ),
        "/api/v1/shape" => (200, JSON, r#"{"rank": "first"}"#.to_string()),
        "/api/v1/boom" => (500, JSON, r#"{"error": "boom"}"#.to_string()),
        _ => (404, JSON, r#"{"error": "no such path"}"#.to_string()),
    }
}

/// Runs the pinned schemathesis against the document at `{base}/api/v1/openapi.json` with the
/// bearer `token`, in a working directory of `env`'s (it writes .hypothesis/ and
/// .schemathesis/ there). Returns whether it passed, and everything it printed.
pub(crate) fn schemathesis(st: &Path, env: &Env, base: &str, token: &str) -> (bool, String) {
    // A fixed seed by default, so that a run in CI can be repeated; another seed explores more.
    let seed = std::env::var("UPWARD_SCHEMATHESIS_SEED").unwrap_or_else(|_| "1".to_string());
    let work = env.path("schemathesis");
    std::fs::create_dir_all(&work).expect("a working directory");
    let mut child = Command::new(st)
        .current_dir(&work)
        .env("NO_COLOR", "1")
        .args(["run", &format!("{base}/api/v1/openapi.json")])
        .args(["--header", &format!("Authorization: Bearer {token}")])
        .args([
            "--max-examples",
            MAX_EXAMPLES,
            "--checks",
            CHECKS,
            "--phases",
            PHASES,
        ])
        .args(["--seed", &seed, "--request-timeout", "10"])
        .args(["--generation-database", "none", "--no-color"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting schemathesis");
    let output = wait_bounded(&mut child, TIME_LIMIT);
    let status = child.wait().expect("schemathesis's exit status");
    (
        status.success(),
        format!("(schemathesis {status}, seed {seed})\n{output}"),
    )
}

/// Collects the child's stdout and stderr until it exits; kills it after `limit` (a panic).
fn wait_bounded(child: &mut std::process::Child, limit: Duration) -> String {
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let deadline = Instant::now() + limit;
    while child.try_wait().ok().flatten().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("schemathesis ran for more than {limit:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
    format!("{out}{err}")
}
