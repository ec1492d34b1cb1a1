//! Sync end to end through the real binaries (docs/sync.md): `upward server start` on SQLite
//! and on PostgreSQL, a report's workspace that syncs with `upward remote login` and `upward
//! sync`, and a manager who only uses the web API. Both edit offline, sync in every order,
//! and end with the same agenda.

use crate::harness::Env;
use crate::server_team::{Db, PASSWORD, Team, email, postgres, sqlite, stderr, stdout};
use serde_json::{Value, json};
use std::collections::BTreeSet;

pub(crate) const DANA: &str = "Dana Whitfield";

pub(crate) fn add_user(env: &Env, db: &Db, email: &str, name: &str) {
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

/// A report's workspace logged in to the server.
pub(crate) fn report(team: &Team, alex_email: &str, dana_email: &str) -> Env {
    let alex = Env::new();
    alex.ok(&["init", "--me", "Alex Kim", "--manager", DANA]);
    alex.ok(&["person", "set", DANA, "email", dana_email]);
    login(&alex, team, alex_email);
    alex
}

/// A report's workspace logged in to the server at `base` (or a proxy in front of it).
pub(crate) fn report_at(base: &str, alex_email: &str, dana_email: &str) -> Env {
    let alex = Env::new();
    alex.ok(&["init", "--me", "Alex Kim", "--manager", DANA]);
    alex.ok(&["person", "set", DANA, "email", dana_email]);
    login_at(&alex, base, alex_email);
    alex
}

pub(crate) fn login(env: &Env, team: &Team, who: &str) {
    login_at(env, &team.base, who);
}

pub(crate) fn login_at(env: &Env, base: &str, who: &str) {
    let out = env.run_stdin(
        &["remote", "login", base, "--email", who, "--password-stdin"],
        format!("{PASSWORD}\n").as_bytes(),
    );
    assert!(out.status.success(), "login: {}", stderr(&out));
    let printed = format!("{}{}", stdout(&out), stderr(&out));
    let creds = env.dir.path().join("config/upward/credentials.toml");
    let text = std::fs::read_to_string(&creds).expect("the credentials file");
    let token = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("token = "))
        .expect("a token line")
        .trim_matches('"')
        .to_string();
    assert!(!printed.contains(&token), "the token is never printed");
    assert_eq!(crate::harness::mode(&creds) & 0o777, 0o600);
    let account = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("account = "))
        .expect("the account the login answered");
    assert!(
        uuid::Uuid::try_parse(account.trim_matches('"')).is_ok(),
        "{account}"
    );
}

/// The space between the two, accepted by Dana through the API. Gives Dana's token and the
/// space's id.
pub(crate) fn space(team: &mut Team, alex: &Env, dana_email: &str) -> (String, String) {
    alex.ok(&["remote", "invite", DANA]);
    let token = team.token(dana_email, PASSWORD);
    let spaces = team.api("GET", "/api/v1/spaces", Some(&token), None).json();
    let id = spaces[0]["id"]
        .as_str()
        .expect("the invitation")
        .to_string();
    let a = team.api(
        "POST",
        &format!("/api/v1/spaces/{id}/accept"),
        Some(&token),
        None,
    );
    assert_eq!(a.status, 200, "{}", a.body);
    (token, id)
}

fn sync(env: &Env) -> Value {
    env.json(&["sync"])
}

/// The items of the space as Dana's API lists them: (title, status).
pub(crate) fn dana_items(team: &mut Team, token: &str, space: &str) -> BTreeSet<(String, String)> {
    let items = team
        .api(
            "GET",
            &format!("/api/v1/spaces/{space}/items"),
            Some(token),
            None,
        )
        .json();
    items
        .as_array()
        .expect("a list of items")
        .iter()
        .map(|i| {
            (
                i["title"].as_str().unwrap_or("").to_string(),
                i["status"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// The shared items of Dana in Alex's workspace: (title, status).
pub(crate) fn alex_items(alex: &Env) -> BTreeSet<(String, String)> {
    let all = alex.json(&["list", "--with", DANA, "--status", "all"]);
    all.as_array()
        .expect("a list")
        .iter()
        .filter(|i| i["visibility"] == "shared")
        .map(|i| {
            (
                i["title"].as_str().unwrap_or("").to_string(),
                i["status"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn titles(v: &Value) -> String {
    v.to_string()
}

fn report_and_manager_end_with_the_same_agenda(db: Db) {
    let server = Env::new();
    let (alex_email, dana_email) = (email("alex"), email("dana"));
    add_user(&server, &db, &alex_email, "Alex Kim");
    add_user(&server, &db, &dana_email, DANA);
    let mut team = server.start(&db, &[]);
    let alex = report(&team, &alex_email, &dana_email);
    let (token, space) = space(&mut team, &alex, &dana_email);

    // First sync: linked, nothing to push yet.
    let first = sync(&alex);
    assert_eq!(first["spaces"].as_array().unwrap().len(), 1, "{first}");

    // Alex shares a topic; Dana sees it on the space's agenda.
    alex.ok(&["add", "topic", "Offsite plans", "--with", DANA, "--shared"]);
    alex.ok(&["add", "risk", "Private worry", "--with", DANA]);
    let r = sync(&alex);
    assert!(r["pushed"].as_u64().unwrap() >= 1, "{r}");
    let agenda = team
        .api(
            "GET",
            &format!("/api/v1/spaces/{space}/agenda"),
            Some(&token),
            None,
        )
        .json();
    assert!(titles(&agenda).contains("Offsite plans"), "{agenda}");
    assert!(!titles(&agenda).contains("Private worry"), "{agenda}");

    // Dana adds a topic and an action of hers, due before today: Alex's prep and nudges.
    let t = team.api(
        "POST",
        &format!("/api/v1/spaces/{space}/topics"),
        Some(&token),
        Some(json!({"title": "Hiring plan"})),
    );
    assert_eq!(t.status, 201, "{}", t.body);
    let a = team.api(
        "POST",
        &format!("/api/v1/spaces/{space}/actions"),
        Some(&token),
        Some(json!({"title": "Intro to infra team", "owner": dana_email, "due": "2026-11-18"})),
    );
    assert_eq!(a.status, 201, "{}", a.body);
    let r = sync(&alex);
    assert!(r["pulled"].as_u64().unwrap() >= 2, "{r}");
    let prep = alex.ok(&["prep", DANA]);
    assert!(prep.contains("Hiring plan"), "{prep}");
    let nudges = alex.ok(&["nudges"]);
    assert!(nudges.contains("Intro to infra team"), "{nudges}");

    // Offline on both sides: Alex renames the topic and adds another; Dana parks hers and
    // adds one. Then sync in both orders (Alex first; Dana's edits after; Alex again).
    let items = alex.json(&["list", "topic", "--with", DANA]);
    let offsite = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == "Offsite plans")
        .unwrap()["id"]
        .to_string();
    alex.ok(&["edit", &offsite, "--title", "Offsite in March"]);
    alex.ok(&[
        "add",
        "topic",
        "Conference budget",
        "--with",
        DANA,
        "--shared",
    ]);
    let hiring = dana_item(&mut team, &token, &space, "Hiring plan");
    let p = team.api(
        "POST",
        &format!("/api/v1/spaces/{space}/items/{hiring}/status"),
        Some(&token),
        Some(json!({"status": "parked"})),
    );
    assert!(p.status < 300, "{}", p.body);
    team.api(
        "POST",
        &format!("/api/v1/spaces/{space}/topics"),
        Some(&token),
        Some(json!({"title": "Team offsite venue"})),
    );
    sync(&alex);
    let again = sync(&alex);
    assert_eq!(
        again["pushed"], 0,
        "a second sync has nothing to push: {again}"
    );
    assert_eq!(again["pulled"], 0, "nor to pull: {again}");
    assert_eq!(alex_items(&alex), dana_items(&mut team, &token, &space));

    // Alex ticks Dana's action: Dana's follow-through sees it done.
    let list = alex.json(&["list", "action", "--with", DANA]);
    let action = list
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == "Intro to infra team")
        .unwrap()["id"]
        .to_string();
    alex.ok(&["done", &action]);
    sync(&alex);
    assert_eq!(alex_items(&alex), dana_items(&mut team, &token, &space));
    assert!(
        dana_items(&mut team, &token, &space)
            .contains(&("Intro to infra team".to_string(), "done".to_string()))
    );
    // A 1:1 recorded here with shared notes: the notes and the action agreed reach Dana.
    alex.ok(&[
        "meet",
        DANA,
        "--notes",
        "Private impressions",
        "--shared-notes",
        "Went well",
        "--action",
        "Book the venue@me",
    ]);
    sync(&alex);
    assert!(
        dana_items(&mut team, &token, &space)
            .contains(&("Book the venue".to_string(), "open".to_string()))
    );
    let meetings = team
        .api(
            "GET",
            &format!("/api/v1/spaces/{space}/meetings"),
            Some(&token),
            None,
        )
        .body;
    assert!(meetings.contains("Went well"), "{meetings}");
    assert!(!meetings.contains("Private impressions"), "{meetings}");
    assert_eq!(alex_items(&alex), dana_items(&mut team, &token, &space));
    let log = team.stop();
    assert!(!log.contains(&token), "no token in the server's log");
}

fn dana_item(team: &mut Team, token: &str, space: &str, title: &str) -> String {
    let items = team
        .api(
            "GET",
            &format!("/api/v1/spaces/{space}/items"),
            Some(token),
            None,
        )
        .json();
    items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == title)
        .unwrap_or_else(|| panic!("{title} in {items}"))["uuid"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn report_and_manager_end_with_the_same_agenda_on_sqlite() {
    let env = Env::new();
    report_and_manager_end_with_the_same_agenda(sqlite(&env));
}

#[test]
fn report_and_manager_end_with_the_same_agenda_on_postgres() {
    if let Some(db) = postgres() {
        report_and_manager_end_with_the_same_agenda(db);
    }
}

#[test]
fn login_refuses_plain_http_to_another_machine_and_sync_without_login_says_what_to_do() {
    let env = Env::new();
    env.ok(&["init", "--me", "Alex Kim", "--manager", DANA]);
    let err = env.fails(
        1,
        &[
            "remote",
            "login",
            "http://upward.example.com",
            "--email",
            "a@example.com",
            "--password-stdin",
        ],
    );
    assert!(err.contains("use https://"), "{err}");
    let err = env.fails(1, &["sync"]);
    assert!(err.contains("upward remote login"), "{err}");
    let err = env.fails(1, &["share", "1"]);
    assert!(!err.is_empty());
}

/// Taskwarrior's sync server lost pending changes after a reset. Here a server restored from
/// an older copy of its database gets back what this device had pushed since: the next sync
/// sees the server's log shorter than its cursor, sends its own operations again (the server
/// takes those it still has as duplicates) and reads the space from the start.
#[test]
fn a_server_restored_from_an_older_copy_gets_back_what_this_device_pushed_since() {
    let server = Env::new();
    let db = sqlite(&server);
    let (alex_email, dana_email) = (email("alex"), email("dana"));
    add_user(&server, &db, &alex_email, "Alex Kim");
    add_user(&server, &db, &dana_email, DANA);
    let mut team = server.start(&db, &[]);
    let listen = team.base.trim_start_matches("http://").to_string();
    let alex = report(&team, &alex_email, &dana_email);
    let (token, space) = space(&mut team, &alex, &dana_email);
    alex.ok(&[
        "add",
        "topic",
        "Before the copy",
        "--with",
        DANA,
        "--shared",
    ]);
    sync(&alex);
    team.stop();
    let file = db.file.clone().unwrap();
    let copy = server.dir.path().join("older.db");
    std::fs::copy(&file, &copy).unwrap();

    let mut team = server.start_at(&db, &listen, &[]);
    alex.ok(&["add", "topic", "After the copy", "--with", DANA, "--shared"]);
    sync(&alex);
    assert_eq!(dana_items(&mut team, &token, &space).len(), 2);
    team.stop();

    // The operator restores the older copy.
    std::fs::copy(&copy, &file).unwrap();
    let _ = std::fs::remove_file(file.with_extension("db-wal"));
    let _ = std::fs::remove_file(file.with_extension("db-shm"));
    let mut team = server.start_at(&db, &listen, &[]);
    assert_eq!(
        dana_items(&mut team, &token, &space).len(),
        1,
        "the older copy"
    );
    let r = sync(&alex);
    assert!(r["pushed"].as_u64().unwrap() >= 1, "{r}");
    assert_eq!(alex_items(&alex), dana_items(&mut team, &token, &space));
    assert_eq!(dana_items(&mut team, &token, &space).len(), 2);
    let again = sync(&alex);
    assert_eq!(
        (again["pushed"].as_u64(), again["pulled"].as_u64()),
        (Some(0), Some(0)),
        "{again}"
    );
    team.stop();
}

/// The credentials keep the account the login answered, so a sync lists the spaces without
/// asking who it is; a file written before they kept it (no `account`) still syncs.
#[test]
fn credentials_without_the_account_still_sync() {
    let server = Env::new();
    let db = sqlite(&server);
    let (alex_email, dana_email) = (email("alex"), email("dana"));
    add_user(&server, &db, &alex_email, "Alex Kim");
    add_user(&server, &db, &dana_email, DANA);
    let mut team = server.start(&db, &[]);
    let alex = report(&team, &alex_email, &dana_email);
    let (token, space) = space(&mut team, &alex, &dana_email);
    assert_eq!(sync(&alex)["spaces"].as_array().unwrap().len(), 1);

    let creds = alex.dir.path().join("config/upward/credentials.toml");
    let text = std::fs::read_to_string(&creds).unwrap();
    let older: String = text
        .lines()
        .filter(|l| !l.trim().starts_with("account = "))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(older, text);
    std::fs::write(&creds, older).unwrap();
    let t = team.api(
        "POST",
        &format!("/api/v1/spaces/{space}/topics"),
        Some(&token),
        Some(json!({"title": "Asked after the upgrade"})),
    );
    assert_eq!(t.status, 201, "{}", t.body);
    let r = sync(&alex);
    assert_eq!(r["pulled"], 1, "{r}");
    assert_eq!(r["spaces"][0]["person"], DANA, "{r}");
    assert_eq!(alex_items(&alex), dana_items(&mut team, &token, &space));
}
