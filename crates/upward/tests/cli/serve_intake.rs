//! `upward serve`'s intake against the command line's: the API's JSON byte for byte, and an
//! accepted request (through the API and through the page's form) leaves the same workspace
//! as `upward intake --accept` on a twin. Also the helpers the other `serve_*` tests use to
//! act as a browser (the session cookie, the CSRF token, a posted form).

use crate::harness::Env;
use crate::server::Server;
use serde_json::Value;

/// A browser signed in to a server: its session cookie and the CSRF token of its pages.
pub struct Browser {
    agent: ureq::Agent,
    base: String,
    cookie: String,
    csrf: String,
}

/// What the browser got back: status, `Location`, body.
pub struct Got {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

impl Browser {
    /// Opens the printed address (cookie), then Today (the CSRF token of the page).
    pub fn login(server: &Server) -> Browser {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .new_agent();
        let r = agent
            .get(format!("{}/?token={}", server.base, server.token))
            .call()
            .unwrap();
        assert_eq!(r.status().as_u16(), 303);
        let cookie = r.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let mut b = Browser {
            agent,
            base: server.base.clone(),
            cookie,
            csrf: String::new(),
        };
        let today = b.get("/").body;
        let at = today.find(r#"name="csrf-token" content=""#).unwrap() + 27;
        b.csrf = today[at..at + 64].to_string();
        b
    }

    fn got(r: ureq::http::Response<ureq::Body>) -> Got {
        let mut r = r;
        Got {
            status: r.status().as_u16(),
            location: r
                .headers()
                .get("location")
                .map(|l| l.to_str().unwrap().to_string()),
            body: r.body_mut().read_to_string().unwrap_or_default(),
        }
    }

    pub fn get(&self, path: &str) -> Got {
        Self::got(
            self.agent
                .get(format!("{}{path}", self.base))
                .header("Cookie", &self.cookie)
                .call()
                .unwrap(),
        )
    }

    /// Posts a form as a page of the server does: cookie, Origin, CSRF token.
    pub fn post(&self, path: &str, fields: &[(&str, &str)]) -> Got {
        let mut body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        body.push(format!("csrf={}", self.csrf));
        Self::got(
            self.agent
                .post(format!("{}{path}", self.base))
                .header("Cookie", &self.cookie)
                .header("Origin", &self.base)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .send(body.join("&"))
                .unwrap(),
        )
    }
}

/// Percent-encodes a form value.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A JSON value with every UUID replaced by a mark: two twins made by the same steps differ
/// only in them.
pub fn without_uuids(mut v: Value) -> Value {
    fn walk(v: &mut Value) {
        match v {
            Value::String(s) if uuid_like(s) => *s = "<uuid>".into(),
            Value::Array(a) => a.iter_mut().for_each(walk),
            Value::Object(m) => m.values_mut().for_each(walk),
            _ => {}
        }
    }
    fn uuid_like(s: &str) -> bool {
        s.len() == 36
            && s.chars().enumerate().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => c == '-',
                _ => c.is_ascii_hexdigit(),
            })
    }
    walk(&mut v);
    v
}

/// The whole workspace (its export), UUIDs aside.
pub fn state(env: &Env) -> Value {
    without_uuids(serde_json::from_str(&env.state().unwrap()).unwrap())
}

/// Me, my manager Dana, a peer Sam, and three ranked priorities with efforts and dates.
fn workspace() -> Env {
    let env = Env::new().with_people();
    env.ok(&[
        "add",
        "priority",
        "Billing migration",
        "--effort",
        "2w",
        "--due",
        "2026-12-18",
    ]);
    env.ok(&[
        "add",
        "priority",
        "Rate limiter",
        "--effort",
        "3d",
        "--due",
        "fri",
    ]);
    env.ok(&["add", "priority", "Dashboards", "--effort", "1w"]);
    env
}

const ASK: [&str; 8] = [
    "New dashboard",
    "--from",
    "Sam",
    "--due",
    "2w",
    "--effort",
    "5d",
    "--json",
];

#[test]
fn the_analysis_is_the_command_lines() {
    let env = workspace();
    let server = env.serve();
    let mut args = vec!["intake"];
    args.extend(ASK);
    assert_eq!(
        server.json("/api/v1/intake?title=New%20dashboard&from=Sam&due=2w&effort=5d"),
        env.json(&args)
    );
    assert_eq!(
        server.json("/api/v1/intake?title=Tiny&from=Dana&due=2026-12-31&effort=1d"),
        env.json(&[
            "intake",
            "Tiny",
            "--from",
            "Dana",
            "--due",
            "2026-12-31",
            "--effort",
            "1d",
            "--json"
        ])
    );
}

#[test]
fn accepting_through_the_api_is_intake_accept() {
    let (env, twin) = (workspace(), workspace());
    let server = env.serve();
    let a = server.send(
        "POST",
        "/api/v1/intake",
        &serde_json::json!({"title": "New dashboard", "from": "Sam", "due": "2w", "effort": "5d", "rank": "2"}),
    );
    assert_eq!(a.status, 201, "{}", a.body);
    let mut args = vec!["intake"];
    args.extend(ASK);
    args.extend(["--accept", "--rank", "2"]);
    let cli = twin.json(&args);
    assert_eq!(without_uuids(a.json()), without_uuids(cli));
    drop(server);
    assert_eq!(state(&env), state(&twin));
}

#[test]
fn accepting_through_the_page_is_intake_accept() {
    let (env, twin) = (workspace(), workspace());
    let server = env.serve();
    let browser = Browser::login(&server);
    let page = browser.get("/intake?title=New+dashboard&from=Sam&due=2w&effort=5d");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Plan with the request"));
    // The accept form carries the request as the page resolved it.
    let due = {
        let hidden = r#"type="hidden" name="due" value=""#;
        let at = page.body.find(hidden).unwrap() + hidden.len();
        page.body[at..at + 10].to_string()
    };
    let got = browser.post(
        "/intake",
        &[
            ("title", "New dashboard"),
            ("from", "Sam Ortiz"),
            ("due", &due),
            ("effort", "5d"),
        ],
    );
    assert_eq!(got.status, 303, "{}", got.body);
    let shown = browser.get(got.location.as_deref().unwrap());
    assert!(shown.body.contains("Added priority #4"), "{}", shown.body);
    let mut args = vec!["intake"];
    args.extend(ASK);
    args.push("--accept");
    twin.json(&args);
    drop(server);
    assert_eq!(state(&env), state(&twin));
}
