//! The team server's JSON API fuzzed by schemathesis from its own document: the real `upward
//! server start` (on PostgreSQL from scripts/postgres, and on SQLite), every operation of
//! `/api/v1/openapi.json`, at most 20 generated examples each, with the bearer token of a member
//! of a space full of content (so that the space's routes answer with content, not only 404s).
//! A 5xx answer, or an answer whose body does not match the schema the document gives for its
//! status, fails the test. The run and its bounds are api_fuzz.rs's (the pinned schemathesis of
//! scripts/web-tools, `--max-examples 20`, a time limit, a fixed seed); its test of a broken
//! API shows the checks catch both kinds of failure.

use crate::api_fuzz::schemathesis;
use crate::harness::Env;
use crate::server_team::{Db, PASSWORD, Team, email, postgres, sqlite, stderr};
use crate::web_tools::tool;
use serde_json::{Value, json};

fn add_user(env: &Env, db: &Db, email: &str, name: &str) {
    let out = env.server_stdin(
        &[
            "add-user",
            email,
            "--name",
            name,
            "--database",
            &db.url,
            "--password-stdin",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert!(out.status.success(), "add-user {email}: {}", stderr(&out));
}

/// `METHOD PATH` with `token` and a JSON `body`; the answer's JSON, after checking its status.
fn call(team: &mut Team, token: &str, method: &str, path: &str, body: Value, want: u16) -> Value {
    let body = (!body.is_null()).then_some(body);
    let a = team.api(method, path, Some(token), body);
    assert_eq!(a.status, want, "{method} {path}: {}", a.body);
    if a.body.is_empty() {
        Value::Null
    } else {
        a.json()
    }
}

/// A report (Ana) and her manager (Bo) with an active space holding something of every kind:
/// topics of both, actions of both (one done), a 1:1 with notes, a win, a goal, an update,
/// both cards and a cadence; and an invitation Ana sent to a third account, still pending.
/// Returns Ana's token, and the ids schemathesis is to use in paths.
fn space_with_content(env: &Env, db: &Db, team: &mut Team) -> (String, Ids) {
    let ana = email("ana");
    let bo = email("bo");
    let cy = email("cy");
    let dee = email("dee");
    add_user(env, db, &ana, "Ana Ruiz");
    add_user(env, db, &bo, "Bo Lind");
    add_user(env, db, &cy, "Cy Okafor");
    add_user(env, db, &dee, "Dee Park");
    let a = team.token(&ana, PASSWORD);
    let b = team.token(&bo, PASSWORD);
    let d = team.token(&dee, PASSWORD);
    let space = call(
        team,
        &a,
        "POST",
        "/api/v1/spaces",
        json!({"with": bo, "as": "report"}),
        201,
    );
    let id = space["id"].as_str().expect("the space's id").to_string();
    let s = format!("/api/v1/spaces/{id}");
    call(team, &b, "POST", &format!("{s}/accept"), Value::Null, 200);
    let invited = call(
        team,
        &a,
        "POST",
        "/api/v1/spaces",
        json!({"with": cy, "as": "peer"}),
        201,
    );
    let invitation_to_ana = call(
        team,
        &d,
        "POST",
        "/api/v1/spaces",
        json!({"with": ana, "as": "manager"}),
        201,
    );
    let spare = call(
        team,
        &a,
        "POST",
        "/api/v1/tokens",
        json!({"name": "spare"}),
        201,
    );
    let t1 = call(
        team,
        &a,
        "POST",
        &format!("{s}/topics"),
        json!({"title": "Promotion timeline", "body": "Before the review cycle"}),
        201,
    );
    call(
        team,
        &b,
        "POST",
        &format!("{s}/topics"),
        json!({"title": "Hiring plan for Q1"}),
        201,
    );
    call(
        team,
        &b,
        "POST",
        &format!("{s}/meetings"),
        json!({
            "date": "today",
            "notes": "Ana drafts the packet.",
            "discussed": [t1["uuid"]],
            "actions": [
                {"title": "Draft the promotion packet", "owner": ana, "due": "2026-11-30"},
                {"title": "Share the Q1 headcount", "owner": bo, "due": "2026-12-04"}
            ]
        }),
        201,
    );
    let action = call(
        team,
        &a,
        "POST",
        &format!("{s}/actions"),
        json!({"title": "Book the design review", "owner": ana, "due": "friday"}),
        201,
    );
    call(
        team,
        &a,
        "POST",
        &format!("{s}/items/{}/status", action["id"]),
        json!({"status": "done"}),
        200,
    );
    call(
        team,
        &a,
        "POST",
        &format!("{s}/items"),
        json!({"kind": "win", "title": "Shipped the rate limiter", "impact": "Two teams unblocked"}),
        201,
    );
    call(
        team,
        &a,
        "POST",
        &format!("{s}/items"),
        json!({"kind": "goal", "title": "Lead the platform roadmap", "due": "2027-06-30"}),
        201,
    );
    call(
        team,
        &a,
        "POST",
        &format!("{s}/updates"),
        json!({"channel": "email", "text": "The limiter is live."}),
        201,
    );
    call(
        team,
        &a,
        "PUT",
        &format!("{s}/card"),
        json!({"channel": "chat", "length": "brief", "feedback": "high"}),
        200,
    );
    call(
        team,
        &b,
        "PUT",
        &format!("{s}/card"),
        json!({"channel": "in-person", "decides_by": "data"}),
        200,
    );
    call(
        team,
        &b,
        "PUT",
        &format!("{s}/cadence"),
        json!({"cadence": "14d"}),
        200,
    );
    // The content is there for the token schemathesis gets.
    let items = call(team, &a, "GET", &format!("{s}/items"), Value::Null, 200);
    assert_eq!(items.as_array().map(Vec::len), Some(7), "{items}");
    let ids = Ids {
        space: id,
        item: t1["uuid"].as_str().expect("a uuid").to_string(),
        invitation: invited["id"].as_str().expect("an id").to_string(),
        invitation_to_ana: invitation_to_ana["id"].as_str().expect("an id").to_string(),
        spare_token: spare["id"].as_str().expect("an id").to_string(),
    };
    (a, ids)
}

/// The ids of the content schemathesis is pointed at.
struct Ids {
    /// The space with content (every `{id}` of a path).
    space: String,
    /// A topic Ana added (every `{item}`).
    item: String,
    /// The invitation Ana sent, still pending: the `{id}` of cancelling, closing and deleting a
    /// space, so that none ends the space with content halfway through the run.
    invitation: String,
    /// An invitation Ana received, pending: the `{id}` of accepting and declining one.
    invitation_to_ana: String,
    /// A second token of Ana's: the `{id}` of revoking one (not the token the run uses).
    spare_token: String,
}

/// schemathesis.toml in the run's working directory (it reads it from there): the path
/// parameters fixed to real ids, so that the operations of a space reach one with content
/// instead of only answering 404 to random uuids. The bodies and queries are still generated.
fn config(env: &Env, ids: &Ids) {
    let dir = env.path("schemathesis");
    std::fs::create_dir_all(&dir).expect("a working directory");
    let Ids {
        space,
        item,
        invitation,
        invitation_to_ana,
        spare_token,
    } = ids;
    let toml = format!(
        r#"[parameters]
"path.id" = "{space}"
"path.item" = "{item}"

[[operations]]
include-path = ["/spaces/{{id}}/accept", "/spaces/{{id}}/decline"]
parameters = {{ "path.id" = "{invitation_to_ana}" }}

[[operations]]
include-path = ["/spaces/{{id}}/cancel", "/spaces/{{id}}/close"]
parameters = {{ "path.id" = "{invitation}" }}

[[operations]]
include-path = "/tokens/{{id}}"
parameters = {{ "path.id" = "{spare_token}" }}

[[operations]]
include-path = "/spaces/{{id}}"
include-method = "DELETE"
parameters = {{ "path.id" = "{invitation}" }}
"#
    );
    std::fs::write(dir.join("schemathesis.toml"), toml).expect("writing schemathesis.toml");
}

fn schemathesis_finds_no_server_error_on_the_team_server(db: Db) {
    let Some(st) = tool("UPWARD_SCHEMATHESIS", "API fuzz tests (schemathesis)") else {
        return;
    };
    let env = Env::new();
    let mut team = env.start(&db, &[]);
    let (token, ids) = space_with_content(&env, &db, &mut team);
    config(&env, &ids);
    let (ok, output) = schemathesis(&st, &env, &team.base, &token);
    let log = team.stop();
    assert!(
        ok,
        "schemathesis found failures against upward server start:\n{output}\nthe server's log (its tail):\n{}",
        tail(&log, 40)
    );
    // It ran, against every operation, signed in: an empty document or a refused token would
    // pass anything.
    assert!(
        output.contains("Operations:") && !output.contains("0 selected"),
        "schemathesis tested no operation:\n{output}"
    );
    let answered = log
        .lines()
        .filter(|l| l.contains(" /api/v1/spaces/") && l.contains(" 200 "))
        .count();
    assert!(
        answered > 20,
        "the space's routes answered 200 only {answered} times: the token did not reach the space\n{}",
        tail(&log, 40)
    );
}

fn tail(log: &str, n: usize) -> String {
    let lines: Vec<&str> = log.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

#[test]
fn schemathesis_finds_no_server_error_on_the_team_server_on_postgres() {
    if let Some(db) = postgres() {
        schemathesis_finds_no_server_error_on_the_team_server(db);
    }
}

#[test]
fn schemathesis_finds_no_server_error_on_the_team_server_on_sqlite() {
    let env = Env::new();
    schemathesis_finds_no_server_error_on_the_team_server(sqlite(&env));
}
