//! `upward server …` run for real: the binary's commands on a server database (SQLite on a
//! temp file, and PostgreSQL when `UPWARD_TEST_POSTGRES` is set), and `upward server start` as
//! a child on a free port of 127.0.0.1, spoken to over HTTP. Its stderr is kept: no secret may
//! ever appear in it.

use crate::harness::Env;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read as _, Write as _};
use std::process::{Child, Output, Stdio};
use std::sync::{Arc, Mutex};

pub(crate) const PASSWORD: &str = "correct horse battery staple";

/// A server database for a test: its URL, and for SQLite the file.
pub(crate) struct Db {
    pub(crate) url: String,
    pub(crate) file: Option<std::path::PathBuf>,
}

pub(crate) fn sqlite(env: &Env) -> Db {
    let file = env.dir.path().join("server.db");
    Db {
        url: format!("sqlite://{}", file.display()),
        file: Some(file),
    }
}

/// PostgreSQL from `UPWARD_TEST_POSTGRES`; without it the test skips loudly (and fails under
/// `CI` or `UPWARD_NO_SKIP`).
pub(crate) fn postgres() -> Option<Db> {
    match std::env::var("UPWARD_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => Some(Db { url, file: None }),
        _ if std::env::var_os("CI").is_some() || std::env::var_os("UPWARD_NO_SKIP").is_some() => {
            panic!(
                "UPWARD_TEST_POSTGRES is not set, and CI or UPWARD_NO_SKIP is: the PostgreSQL tests must run"
            )
        }
        _ => {
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: PostgreSQL tests need UPWARD_TEST_POSTGRES (run scripts/postgres run cargo test)"
            );
            None
        }
    }
}

pub(crate) fn email(who: &str) -> String {
    format!("{who}-{}@example.com", uuid::Uuid::new_v4().simple())
}

impl Env {
    /// `upward server ARGS` with the minimum argon2 cost.
    pub(crate) fn server(&self, args: &[&str]) -> Output {
        self.command()
            .env("UPWARD_TEST_ARGON2_MIN", "1")
            .arg("server")
            .args(args)
            .output()
            .unwrap()
    }

    pub(crate) fn server_stdin(&self, args: &[&str], input: &str) -> Output {
        let mut child = self
            .command()
            .env("UPWARD_TEST_ARGON2_MIN", "1")
            .arg("server")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    /// `upward server start` on a free port, with extra environment variables.
    pub(crate) fn start(&self, db: &Db, vars: &[(&str, &str)]) -> Team {
        self.start_at(db, "127.0.0.1:0", vars)
    }

    /// `upward server start` listening on `listen` (a restart on the port it had).
    pub(crate) fn start_at(&self, db: &Db, listen: &str, vars: &[(&str, &str)]) -> Team {
        let mut c = self.command();
        c.env("UPWARD_TEST_ARGON2_MIN", "1")
            .args(["server", "start", "--database", &db.url, "--listen", listen])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in vars {
            c.env(k, v);
        }
        let mut child = c.spawn().unwrap();
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut pipe = child.stderr.take().unwrap();
        let sink = stderr.clone();
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let base = line
            .trim()
            .strip_prefix("upward server is at ")
            .unwrap_or_else(|| {
                panic!(
                    "the first line names the address: {line:?}; stderr: {}",
                    stderr.lock().unwrap()
                )
            })
            .to_string();
        Team {
            child: Some(child),
            base,
            stderr,
            reader: Some(reader),
            agent: ureq::Agent::config_builder()
                .http_status_as_error(false)
                .max_redirects(0)
                .build()
                .new_agent(),
            cookie: None,
        }
    }
}

pub(crate) struct Team {
    pub(crate) child: Option<Child>,
    /// `http://127.0.0.1:PORT`
    pub(crate) base: String,
    stderr: Arc<Mutex<String>>,
    reader: Option<std::thread::JoinHandle<()>>,
    agent: ureq::Agent,
    /// The browser's session cookie.
    pub(crate) cookie: Option<String>,
}

pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: String,
    headers: Vec<(String, String)>,
}

impl Answer {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn csrf(&self) -> String {
        let at = self
            .body
            .find("name=\"csrf\" value=\"")
            .expect("a CSRF field")
            + "name=\"csrf\" value=\"".len();
        self.body[at..at + 64].to_string()
    }
}

impl Team {
    pub(crate) fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: String,
    ) -> Answer {
        let mut req = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(c) = &self.cookie {
            req = req.header("Cookie", c);
        }
        let mut r = self
            .agent
            .run(req.body(body).unwrap())
            .expect("the server answers");
        let headers: Vec<(String, String)> = r
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        for (k, v) in &headers {
            if k.eq_ignore_ascii_case("set-cookie") {
                let pair = v.split(';').next().unwrap().to_string();
                self.cookie = if v.contains("Max-Age=0") {
                    None
                } else {
                    Some(pair)
                };
            }
        }
        Answer {
            status: r.status().as_u16(),
            body: r.body_mut().read_to_string().unwrap_or_default(),
            headers,
        }
    }

    pub(crate) fn get(&mut self, path: &str) -> Answer {
        self.send("GET", path, &[], String::new())
    }

    pub(crate) fn api(
        &mut self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        let auth = token.map(|t| format!("Bearer {t}"));
        let mut headers = vec![("Content-Type", "application/json")];
        if let Some(a) = &auth {
            headers.push(("Authorization", a));
        }
        let saved = self.cookie.take();
        let a = self.send(
            method,
            path,
            &headers,
            body.map(|b| b.to_string()).unwrap_or_default(),
        );
        self.cookie = saved;
        a
    }

    pub(crate) fn form(&mut self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&");
        let origin = self.base.clone();
        self.send(
            "POST",
            path,
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Origin", &origin),
            ],
            body,
        )
    }

    pub(crate) fn token(&mut self, email: &str, password: &str) -> String {
        let a = self.api(
            "POST",
            "/api/v1/login",
            None,
            Some(json!({"email": email, "password": password})),
        );
        assert_eq!(a.status, 200, "{}", a.body);
        a.json()["token"].as_str().unwrap().to_string()
    }

    /// Stops it with SIGTERM (it must exit 0) and gives back all it wrote on stderr.
    pub(crate) fn stop(mut self) -> String {
        let mut child = self.child.take().unwrap();
        std::process::Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(
            status.code(),
            Some(0),
            "upward server stops cleanly on SIGTERM"
        );
        if let Some(r) = self.reader.take() {
            r.join().unwrap();
        }
        self.stderr.lock().unwrap().clone()
    }
}

impl Drop for Team {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect()
}

pub(crate) fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The link `add-user` or `reset-password` printed.
pub(crate) fn printed_link(o: &Output) -> String {
    let out = stdout(o);
    out.split_whitespace()
        .find(|w| w.contains("/set-password?token="))
        .unwrap_or_else(|| panic!("a link in: {out}"))
        .to_string()
}

fn add_user_with_a_password_then_sign_in_through_the_api(db: Db) {
    let env = Env::new();
    let ana = email("ana");
    let out = env.server_stdin(
        &[
            "add-user",
            &ana,
            "--name",
            "Ana Ruiz",
            "--database",
            &db.url,
            "--password-stdin",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("added Ana Ruiz"), "{}", stdout(&out));
    assert!(
        !stdout(&out).contains("set-password"),
        "no link when a password is given"
    );
    let mut team = env.start(&db, &[]);
    let health = team.get("/healthz");
    assert_eq!(health.status, 200);
    assert_eq!(health.json(), json!({"status": "ok"}));
    let token = team.token(&ana, PASSWORD);
    let me = team.api("GET", "/api/v1/me", Some(&token), None);
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(me.json()["name"], "Ana Ruiz");
    let wrong = team.api(
        "POST",
        "/api/v1/login",
        None,
        Some(json!({"email": ana, "password": "not the password"})),
    );
    assert_eq!(wrong.status, 401);
    team.stop();
}

#[test]
fn add_user_with_a_password_then_sign_in_through_the_api_on_sqlite() {
    let env = Env::new();
    add_user_with_a_password_then_sign_in_through_the_api(sqlite(&env));
}

#[test]
fn add_user_with_a_password_then_sign_in_through_the_api_on_postgres() {
    if let Some(db) = postgres() {
        add_user_with_a_password_then_sign_in_through_the_api(db);
    }
}

/// Sign in from a printed link and from the login page, create, use and revoke tokens,
/// invite by email into a space, write a topic and a meeting, export, sign out: every secret
/// of the run (and its SHA-256, as the database keeps some), and every piece of the space's
/// content, is then looked for in the server's stderr (and must not be there).
fn a_printed_link_sets_the_password_and_no_secret_reaches_the_log(db: Db) {
    let env = Env::new();
    let mut team = env.start(&db, &[]);
    let bo = email("bo");
    let out = env.server(&[
        "add-user",
        &bo,
        "--name",
        "Bo",
        "--database",
        &db.url,
        "--public-url",
        &team.base,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let link = printed_link(&out);
    assert!(
        link.starts_with(&format!("{}/set-password?token=", team.base)),
        "{link}"
    );
    let link_token = link.rsplit('=').next().unwrap().to_string();
    let path = link.strip_prefix(&team.base).unwrap().to_string();
    let form = team.get(&path);
    assert_eq!(form.status, 200, "{}", form.body);
    let csrf = form.csrf();
    let set = team.form(
        "/set-password",
        &[
            ("token", &link_token),
            ("password", PASSWORD),
            ("confirm", PASSWORD),
            ("csrf", &csrf),
        ],
    );
    assert_eq!(set.status, 303, "{}", set.body);
    let session = team.cookie.clone().expect("signed in");
    let home = team.get("/");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Signed in as Bo"), "{}", home.body);
    let csrf = home.csrf();
    let token = team.token(&bo, PASSWORD);
    assert_eq!(
        team.api("GET", "/api/v1/tokens", Some(&token), None).status,
        200
    );
    // A second token, used, then revoked.
    let made = team.api(
        "POST",
        "/api/v1/tokens",
        Some(&token),
        Some(json!({"name": "laptop"})),
    );
    assert_eq!(made.status, 201, "{}", made.body);
    let laptop = made.json()["token"].as_str().unwrap().to_string();
    let laptop_id = made.json()["id"].as_str().unwrap().to_string();
    assert_eq!(
        team.api("GET", "/api/v1/me", Some(&laptop), None).status,
        200
    );
    let revoked = team.api(
        "DELETE",
        &format!("/api/v1/tokens/{laptop_id}"),
        Some(&token),
        None,
    );
    assert_eq!(revoked.status, 204, "{}", revoked.body);
    assert_eq!(
        team.api("GET", "/api/v1/me", Some(&laptop), None).status,
        401
    );
    // A space: an invitation by email, accepted; a topic, a meeting with an action, an
    // export. Each piece of content carries a marker that must stay out of the log.
    let cy = email("cy");
    let added = env.server_stdin(
        &[
            "add-user",
            &cy,
            "--name",
            "Cy",
            "--database",
            &db.url,
            "--password-stdin",
        ],
        PASSWORD,
    );
    assert!(added.status.success(), "{}", stderr(&added));
    let cy_token = team.token(&cy, PASSWORD);
    let marker = |what: &str| format!("{what}-marker-{}", uuid::Uuid::new_v4().simple());
    let (title, body, notes, action) = (
        marker("title"),
        marker("body"),
        marker("notes"),
        marker("action"),
    );
    let inv = team.api(
        "POST",
        "/api/v1/spaces",
        Some(&token),
        Some(json!({"with": cy, "as": "manager"})),
    );
    assert_eq!(inv.status, 201, "{}", inv.body);
    let space = inv.json()["id"].as_str().unwrap().to_string();
    let base = format!("/api/v1/spaces/{space}");
    let accepted = team.api("POST", &format!("{base}/accept"), Some(&cy_token), None);
    assert_eq!(accepted.status, 200, "{}", accepted.body);
    let topic = team.api(
        "POST",
        &format!("{base}/topics"),
        Some(&token),
        Some(json!({"title": title, "body": body})),
    );
    assert_eq!(topic.status, 201, "{}", topic.body);
    let meeting = team.api(
        "POST",
        &format!("{base}/meetings"),
        Some(&cy_token),
        Some(
            json!({"date": "today", "notes": notes, "discussed": [topic.json()["uuid"]],
                    "actions": [{"title": action, "owner": bo}]}),
        ),
    );
    assert_eq!(meeting.status, 201, "{}", meeting.body);
    let export = team.api("GET", &format!("{base}/export"), Some(&token), None);
    assert_eq!(export.status, 200);
    for m in [&title, &body, &notes, &action] {
        assert!(export.body.contains(m.as_str()), "{m} was stored");
    }
    let out = team.form("/logout", &[("csrf", &csrf)]);
    assert_eq!(out.status, 303);
    team.cookie = Some(session.clone());
    assert_eq!(team.get("/").status, 303, "the old cookie opens nothing");
    // The login page, and out again.
    team.cookie = None;
    let page = team.get("/login");
    assert_eq!(page.status, 200);
    let login_csrf = page.csrf();
    let signed = team.form(
        "/login",
        &[
            ("email", &bo),
            ("password", PASSWORD),
            ("csrf", &login_csrf),
        ],
    );
    assert_eq!(signed.status, 303, "{}", signed.body);
    let second = team.cookie.clone().expect("signed in again");
    let home = team.get("/");
    assert_eq!(home.status, 200);
    let out = team.form("/logout", &[("csrf", &home.csrf())]);
    assert_eq!(out.status, 303);
    let log = team.stop();
    for line in [
        "POST /set-password 303",
        "GET /set-password 200",
        "POST /api/v1/login 200",
        "POST /api/v1/tokens 201",
        "POST /login 303",
        "POST /logout 303",
    ] {
        assert!(log.contains(line), "{line}: {log}");
    }
    assert!(log.contains(&format!("GET {base}/export 200")), "{log}");
    assert!(log.contains(&format!("POST {base}/meetings 201")), "{log}");
    let cookie_value = session.split_once('=').unwrap().1;
    let second_value = second.split_once('=').unwrap().1;
    let secrets = [
        ("the password", PASSWORD),
        ("the link token", link_token.as_str()),
        ("the API token", token.as_str()),
        ("the revoked API token", laptop.as_str()),
        ("the other member's API token", cy_token.as_str()),
        ("the session cookie", cookie_value),
        ("the second session cookie", second_value),
        ("the CSRF token", csrf.as_str()),
        ("the login page's CSRF token", login_csrf.as_str()),
        ("the topic's title", title.as_str()),
        ("the topic's body", body.as_str()),
        ("the meeting's notes", notes.as_str()),
        ("the action's title", action.as_str()),
        ("the invited email", cy.as_str()),
    ];
    for (what, secret) in secrets {
        assert!(!log.contains(secret), "{what} is in the log:\n{log}");
        let hash: String = <sha2::Sha256 as sha2::Digest>::digest(secret.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert!(
            !log.to_lowercase().contains(&hash),
            "{what}'s SHA-256 is in the log:\n{log}"
        );
    }
    assert!(!log.contains("token="), "no query string: {log}");
}

#[test]
fn a_printed_link_sets_the_password_and_no_secret_reaches_the_log_on_sqlite() {
    let env = Env::new();
    a_printed_link_sets_the_password_and_no_secret_reaches_the_log(sqlite(&env));
}

#[test]
fn a_printed_link_sets_the_password_and_no_secret_reaches_the_log_on_postgres() {
    if let Some(db) = postgres() {
        a_printed_link_sets_the_password_and_no_secret_reaches_the_log(db);
    }
}

fn disable_user_ends_sessions_and_tokens(db: Db) {
    let env = Env::new();
    let cy = email("cy");
    let out = env.server_stdin(
        &[
            "add-user",
            &cy,
            "--name",
            "Cy",
            "--database",
            &db.url,
            "--password-stdin",
        ],
        PASSWORD,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let mut team = env.start(&db, &[]);
    let token = team.token(&cy, PASSWORD);
    let out = env.server(&["disable-user", &cy.to_uppercase(), "--database", &db.url]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("disabled Cy"), "{}", stdout(&out));
    assert_eq!(
        team.api("GET", "/api/v1/me", Some(&token), None).status,
        401
    );
    let again = team.api(
        "POST",
        "/api/v1/login",
        None,
        Some(json!({"email": cy, "password": PASSWORD})),
    );
    assert_eq!(again.status, 401);
    // reset-password refuses a disabled account; an unknown email is one line, exit 1.
    let r = env.server(&["reset-password", &cy, "--database", &db.url]);
    assert_eq!(r.status.code(), Some(1));
    assert!(stderr(&r).contains("disabled"), "{}", stderr(&r));
    team.stop();
}

#[test]
fn disable_user_ends_sessions_and_tokens_on_sqlite() {
    let env = Env::new();
    disable_user_ends_sessions_and_tokens(sqlite(&env));
}

#[test]
fn disable_user_ends_sessions_and_tokens_on_postgres() {
    if let Some(db) = postgres() {
        disable_user_ends_sessions_and_tokens(db);
    }
}

#[test]
fn reset_password_prints_a_new_link_and_the_old_one_ends() {
    let env = Env::new();
    let db = sqlite(&env);
    let di = email("di");
    let first = env.server(&["add-user", &di, "--name", "Di", "--database", &db.url]);
    assert!(first.status.success(), "{}", stderr(&first));
    let old = printed_link(&first);
    assert!(
        old.starts_with("http://127.0.0.1:8080/set-password?token="),
        "{old}"
    );
    let second = env
        .command()
        .env("UPWARD_SERVER_DATABASE", &db.url)
        .args([
            "server",
            "reset-password",
            &di,
            "--public-url",
            "https://team.example.com",
        ])
        .output()
        .unwrap();
    assert!(second.status.success(), "{}", stderr(&second));
    let new = printed_link(&second);
    assert!(
        new.starts_with("https://team.example.com/set-password?token="),
        "{new}"
    );
    assert!(stdout(&second).contains("valid 24 h"));
    let mut team = env.start(&db, &[]);
    for (link, works) in [(old, false), (new, true)] {
        let token = link.rsplit('=').next().unwrap().to_string();
        team.cookie = None;
        let form = team.get(&format!("/set-password?token={token}"));
        let csrf = form.csrf();
        let set = team.form(
            "/set-password",
            &[
                ("token", &token),
                ("password", PASSWORD),
                ("confirm", PASSWORD),
                ("csrf", &csrf),
            ],
        );
        assert_eq!(set.status, if works { 303 } else { 400 }, "{}", set.body);
    }
    team.token(&di, PASSWORD);
    team.stop();
}

#[test]
fn a_session_ends_after_its_idle_time() {
    let env = Env::new();
    let db = sqlite(&env);
    let ed = email("ed");
    let out = env.server_stdin(
        &[
            "add-user",
            &ed,
            "--name",
            "Ed",
            "--database",
            &db.url,
            "--password-stdin",
        ],
        PASSWORD,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let mut team = env.start(&db, &[("UPWARD_TEST_SESSION_IDLE_SECS", "2")]);
    let page = team.get("/login");
    let csrf = page.csrf();
    let signed = team.form(
        "/login",
        &[("email", &ed), ("password", PASSWORD), ("csrf", &csrf)],
    );
    assert_eq!(signed.status, 303, "{}", signed.body);
    // Requests within the idle time keep it alive.
    for _ in 0..3 {
        std::thread::sleep(std::time::Duration::from_millis(900));
        assert_eq!(team.get("/").status, 200);
    }
    std::thread::sleep(std::time::Duration::from_millis(2500));
    let after = team.get("/");
    assert_eq!(after.status, 303, "idle too long");
    assert_eq!(after.header("location"), Some("/login"));
    team.stop();
}

#[test]
fn a_newer_server_database_is_refused_unchanged() {
    let env = Env::new();
    let db = sqlite(&env);
    let out = env.server_stdin(
        &[
            "add-user",
            &email("fi"),
            "--name",
            "Fi",
            "--database",
            &db.url,
            "--password-stdin",
        ],
        PASSWORD,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let file = db.file.clone().unwrap();
    {
        let c = rusqlite::Connection::open(&file).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
    }
    let before = std::fs::read(&file).unwrap();
    let start = env.server(&["start", "--database", &db.url, "--listen", "127.0.0.1:0"]);
    assert_eq!(start.status.code(), Some(1), "{}", stdout(&start));
    let err = stderr(&start);
    assert!(err.contains("newer"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    let add = env.server(&[
        "add-user",
        &email("gu"),
        "--name",
        "Gu",
        "--database",
        &db.url,
    ]);
    assert_eq!(add.status.code(), Some(1));
    assert_eq!(std::fs::read(&file).unwrap(), before, "unchanged");
}

#[test]
fn bad_input_is_one_line_exit_1_and_the_database_unchanged() {
    let env = Env::new();
    let db = sqlite(&env);
    let ana = email("ana");
    let ok = env.server(&["add-user", &ana, "--name", "Ana", "--database", &db.url]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let file = db.file.clone().unwrap();
    let before = std::fs::read(&file).unwrap();
    let nowhere = format!("sqlite://{}", env.dir.path().join("never.db").display());
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (
            vec![
                "add-user",
                "x@example.com",
                "--name",
                "X",
                "--database",
                "mysql://u:hunter2@h/db",
            ],
            "",
            "sqlite://PATH",
        ),
        (
            vec![
                "add-user",
                "not-an-email",
                "--name",
                "X",
                "--database",
                &db.url,
            ],
            "",
            "not an email address",
        ),
        (
            vec![
                "add-user",
                "x@example.com",
                "--name",
                " ",
                "--database",
                &db.url,
            ],
            "",
            "name",
        ),
        (
            vec!["add-user", &ana, "--name", "Again", "--database", &db.url],
            "",
            "already exists",
        ),
        (
            vec![
                "add-user",
                "y@example.com",
                "--name",
                "Y",
                "--database",
                &db.url,
                "--password-stdin",
            ],
            "short",
            "at least 12",
        ),
        (
            vec![
                "add-user",
                "y@example.com",
                "--name",
                "Y",
                "--database",
                &db.url,
                "--password-stdin",
            ],
            "",
            "no password",
        ),
        (
            vec![
                "add-user",
                "y@example.com",
                "--name",
                "Y",
                "--database",
                &db.url,
                "--public-url",
                "ftp://x",
            ],
            "",
            "--public-url",
        ),
        (
            vec![
                "reset-password",
                "nobody@example.com",
                "--database",
                &db.url,
            ],
            "",
            "no account",
        ),
        (
            vec!["disable-user", "nobody@example.com", "--database", &db.url],
            "",
            "no account",
        ),
        (
            vec!["start", "--database", &db.url, "--listen", "localhost"],
            "",
            "--listen",
        ),
        (
            vec![
                "start",
                "--database",
                &db.url,
                "--public-url",
                "https://x/path",
            ],
            "",
            "--public-url",
        ),
        (
            vec!["start", "--database", &db.url, "--trusted-proxy", "proxy"],
            "",
            "--trusted-proxy",
        ),
        (
            vec![
                "add-user",
                "z@example.com",
                "--name",
                "Z",
                "--database",
                &nowhere,
                "--password-stdin",
            ],
            "short",
            "at least 12",
        ),
    ];
    for (args, input, says) in cases {
        let out = env.server_stdin(&args, input);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stdout(&out));
        let err = stderr(&out);
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: one line: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(!err.contains("hunter2"), "no password of a URL: {err}");
        assert_eq!(std::fs::read(&file).unwrap(), before, "{args:?}: unchanged");
    }
    assert!(
        !env.dir.path().join("never.db").exists(),
        "bad input creates no database"
    );
    // A usage error (no --database and no UPWARD_SERVER_DATABASE): exit 2.
    let usage = env.server(&["disable-user", "x@example.com"]);
    assert_eq!(usage.status.code(), Some(2), "{}", stderr(&usage));
    assert!(stderr(&usage).contains("--database"), "{}", stderr(&usage));
}

/// A space written by both members through the running server, exported by one of them, and
/// imported into a fresh workspace with `upward import FILE --merge`: every item is there.
fn a_space_exported_from_the_server_imports_with_merge(db: Db) {
    let env = Env::new();
    let (ana, ben) = (email("ana"), email("ben"));
    for (who, name) in [(&ana, "Ana Ruiz"), (&ben, "Ben Okafor")] {
        let out = env.server_stdin(
            &[
                "add-user",
                who,
                "--name",
                name,
                "--database",
                &db.url,
                "--password-stdin",
            ],
            &format!("{PASSWORD}\n"),
        );
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let mut team = env.start(&db, &[]);
    let (ta, tb) = (team.token(&ana, PASSWORD), team.token(&ben, PASSWORD));
    let inv = team.api(
        "POST",
        "/api/v1/spaces",
        Some(&ta),
        Some(json!({"with": ben, "as": "report"})),
    );
    assert_eq!(inv.status, 201, "{}", inv.body);
    let id = inv.json()["id"].as_str().unwrap().to_string();
    let base = format!("/api/v1/spaces/{id}");
    assert_eq!(
        team.api("POST", &format!("{base}/accept"), Some(&tb), None)
            .status,
        200
    );
    let topic = team.api(
        "POST",
        &format!("{base}/topics"),
        Some(&ta),
        Some(json!({"title": "Offsite plans"})),
    );
    assert_eq!(topic.status, 201, "{}", topic.body);
    let uuid = topic.json()["uuid"].clone();
    let action = team.api(
        "POST",
        &format!("{base}/actions"),
        Some(&tb),
        Some(json!({"title": "Book rooms", "owner": ana})),
    );
    assert_eq!(action.status, 201, "{}", action.body);
    let meeting = team.api(
        "POST",
        &format!("{base}/meetings"),
        Some(&tb),
        Some(json!({"date": "today", "notes": "Good talk", "discussed": [uuid], "actions": [{"title": "Send the agenda", "owner": ben}]})),
    );
    assert_eq!(meeting.status, 201, "{}", meeting.body);
    let export = team.api("GET", &format!("{base}/export"), Some(&ta), None);
    assert_eq!(export.status, 200);
    team.stop();

    let fresh = Env::new();
    let file = fresh.path("space.json");
    std::fs::write(&file, &export.body).unwrap();
    fresh.ok(&["import", file.to_str().unwrap(), "--merge"]);
    let list = fresh.json(&["list", "--status", "all"]);
    let titles: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["title"].as_str())
        .collect();
    for t in ["Offsite plans", "Book rooms", "Send the agenda"] {
        assert!(titles.contains(&t), "{t} in {titles:?}");
    }
    let people = fresh.json(&["person", "list"]);
    assert!(people.to_string().contains("Ben Okafor"), "{people}");
}

#[test]
fn a_space_exported_from_the_server_imports_with_merge_on_sqlite() {
    let env = Env::new();
    a_space_exported_from_the_server_imports_with_merge(sqlite(&env));
}

#[test]
fn a_space_exported_from_the_server_imports_with_merge_on_postgres() {
    if let Some(db) = postgres() {
        a_space_exported_from_the_server_imports_with_merge(db);
    }
}
