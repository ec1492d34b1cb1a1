//! Sync under faults, through the real binaries (docs/sync.md):
//!
//! - `upward sync` killed with SIGKILL at seeded moments of a sync (100 runs on SQLite, fewer
//!   on PostgreSQL), some of them slowed between its steps by `UPWARD_TEST_SYNC_PAUSE_MS` and
//!   aimed at the window between a push's answer and its record here; then a sync to the end:
//!   nothing lost, nothing duplicated, both sides the same.
//! - The server killed with SIGKILL while a push of 400 operations is in flight: the push is
//!   all or nothing on the server, `upward sync` says so in one line and keeps the operations,
//!   and after a restart on the same database the next sync ends with both sides the same.
//! - A hostile server (a proxy on 127.0.0.1 between the workspace and the real server) that
//!   answers garbage, a cut answer, or a pull page with a forged operation: one line naming
//!   the problem, exit 1, the workspace unchanged to the byte (its sync tables too).
//! - A protocol the server does not speak (`UPWARD_TEST_PROTOCOL`): the server's 426 says
//!   which side to upgrade; nothing is lost.
//! - A push refused because the other member closed the space in the middle of a sync: one
//!   line, the operations kept, and the next sync says they never reached the space.

use crate::crash::Rng;
use crate::harness::{Env, holds_write_lock};
use crate::server_team::{Db, Team, email, postgres, sqlite, stderr};
use crate::sync::{DANA, add_user, report_at, space};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use upward_server_store::{OpRow, ServerStore, ServerStoreExt, open};
use uuid::Uuid;

/// A server, the report Alex's workspace logged in to it, and the space between Alex and the
/// manager Dana (who only uses the API).
struct Pair {
    server: Env,
    db: Db,
    team: Team,
    alex: Env,
    dana_email: String,
    token: String,
    space: String,
    store: Arc<dyn ServerStore>,
}

/// Sets up the pair; `via` turns the server's URL into the one Alex logs in to (a proxy).
fn pair(server: Env, db: Db, via: impl FnOnce(&str) -> String) -> Pair {
    let (alex_email, dana_email) = (email("alex"), email("dana"));
    add_user(&server, &db, &alex_email, "Alex Kim");
    add_user(&server, &db, &dana_email, DANA);
    let mut team = server.start(&db, &[]);
    let alex = report_at(&via(&team.base), &alex_email, &dana_email);
    let (token, space) = space(&mut team, &alex, &dana_email);
    alex.json(&["sync"]);
    let store = open(&db.url).unwrap();
    Pair {
        server,
        db,
        team,
        alex,
        dana_email,
        token,
        space,
        store,
    }
}

impl Pair {
    fn space_id(&self) -> Uuid {
        self.space.parse().unwrap()
    }

    /// The server's log of the space.
    fn log(&self) -> Vec<OpRow> {
        let space = self.space_id();
        self.store
            .read(|tx| tx.ops_after(space, 0, usize::MAX >> 1))
            .unwrap()
    }

    fn head(&self) -> i64 {
        let space = self.space_id();
        self.store.read(|tx| tx.head(space)).unwrap()
    }

    /// Dana adds a topic (and an action of hers when `action`) through the API.
    fn dana_adds(&mut self, n: usize, action: bool) {
        let t = self.team.api(
            "POST",
            &format!("/api/v1/spaces/{}/topics", self.space),
            Some(&self.token),
            Some(json!({"title": format!("Dana topic {n}")})),
        );
        assert_eq!(t.status, 201, "{}", t.body);
        if action {
            let a = self.team.api(
                "POST",
                &format!("/api/v1/spaces/{}/actions", self.space),
                Some(&self.token),
                Some(json!({"title": format!("Dana action {n}"), "owner": self.dana_email, "due": "2026-11-30"})),
            );
            assert_eq!(a.status, 201, "{}", a.body);
        }
    }

    /// Both sides agree after a sync to the end: the same items with the same fields, as
    /// many as `expected`, no duplicate anywhere, every operation on both sides and pushed,
    /// the cursor at the head.
    fn check(&mut self, expected: usize, what: &str) {
        let mine = shared_items(&self.alex);
        let theirs = dana_items(&mut self.team, &self.token, &self.space);
        assert_eq!(mine, theirs, "{what}: the two sides differ");
        assert_eq!(theirs.len(), expected, "{what}: items on the server");
        let log = self.log();
        let ids: BTreeSet<Uuid> = log.iter().map(|o| o.id).collect();
        assert_eq!(
            ids.len(),
            log.len(),
            "{what}: an operation twice in the log"
        );
        let positions: Vec<i64> = log.iter().map(|o| o.position).collect();
        let dense: Vec<i64> = (1..=i64::try_from(log.len()).unwrap()).collect();
        assert_eq!(positions, dense, "{what}: the log has gaps");
        let local = sync_ops(&self.alex);
        let local_ids: BTreeSet<Uuid> = local.iter().map(|o| o.0).collect();
        assert_eq!(
            local_ids.len(),
            local.len(),
            "{what}: twice in the local log"
        );
        assert_eq!(local_ids, ids, "{what}: the logs differ");
        assert!(
            local.iter().all(|o| o.1 && o.2.is_some()),
            "{what}: an operation is not marked pushed"
        );
        assert_eq!(cursor(&self.alex), self.head(), "{what}: cursor");
    }
}

fn dana_items(team: &mut Team, token: &str, space: &str) -> BTreeMap<String, (String, String)> {
    let items = team
        .api(
            "GET",
            &format!("/api/v1/spaces/{space}/items"),
            Some(token),
            None,
        )
        .json();
    let mut out = BTreeMap::new();
    for i in items.as_array().unwrap() {
        let uuid = i["uuid"].as_str().unwrap().to_string();
        let fields = (
            i["title"].as_str().unwrap_or("").to_string(),
            i["status"].as_str().unwrap_or("").to_string(),
        );
        assert!(
            out.insert(uuid, fields).is_none(),
            "twice on the server: {i}"
        );
    }
    out
}

/// Alex's items shared with Dana, by UUID: (title, status). No UUID and no title twice.
fn shared_items(alex: &Env) -> BTreeMap<String, (String, String)> {
    let all = alex.json(&["list", "--with", DANA, "--status", "all"]);
    let mut out = BTreeMap::new();
    let mut titles = BTreeSet::new();
    for i in all.as_array().unwrap() {
        if i["visibility"] != "shared" {
            continue;
        }
        let title = i["title"].as_str().unwrap().to_string();
        assert!(
            titles.insert(title.clone()),
            "{title} twice in the workspace"
        );
        let uuid = i["uuid"].as_str().unwrap().to_string();
        let fields = (title, i["status"].as_str().unwrap_or("").to_string());
        assert!(
            out.insert(uuid, fields).is_none(),
            "twice in the workspace: {i}"
        );
    }
    out
}

fn workspace(env: &Env) -> rusqlite::Connection {
    let c =
        rusqlite::Connection::open_with_flags(&env.db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    c.busy_timeout(Duration::from_secs(10)).unwrap();
    c
}

/// The workspace's log: (id, pushed, position).
fn sync_ops(env: &Env) -> Vec<(Uuid, bool, Option<i64>)> {
    let c = workspace(env);
    let mut st = c
        .prepare("SELECT id, pushed, position FROM sync_ops ORDER BY seq")
        .unwrap();
    st.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?.parse().unwrap(),
            r.get::<_, i64>(1)? != 0,
            r.get::<_, Option<i64>>(2)?,
        ))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

fn cursor(env: &Env) -> i64 {
    workspace(env)
        .query_row("SELECT cursor FROM sync_spaces", [], |r| r.get(0))
        .unwrap()
}

/// Every row of the workspace's sync tables, as text.
fn sync_tables(env: &Env) -> BTreeMap<&'static str, Vec<String>> {
    let c = workspace(env);
    let mut out = BTreeMap::new();
    for t in ["sync_device", "sync_spaces", "sync_ops", "sync_records"] {
        let mut st = c.prepare(&format!("SELECT * FROM {t}")).unwrap();
        let n = st.column_count();
        let rows: Vec<String> = st
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        out.insert(t, rows);
    }
    out
}

/// The id of the item `add --json` made.
fn added(env: &Env, args: &[&str]) -> String {
    env.json(args)["id"].as_i64().unwrap().to_string()
}

/// One `error:` line, exit 1, nothing on stdout, no panic.
fn one_error_line(out: &Output, what: &str) -> String {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "{what}: {err}");
    assert!(out.stdout.is_empty(), "{what}: stdout on error");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "{what}: one line: {err}");
    assert!(lines[0].starts_with("error: "), "{what}: {err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
    lines[0].to_string()
}

// ---------------------------------------------------------------------------------------
// 1. `upward sync` killed.

/// Where a killed sync stopped, seen from both sides before the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    /// Nothing of this run's changes logged.
    BeforeMake,
    /// Logged, not on the server.
    BeforePush,
    /// On the server, not marked pushed here.
    PushedUnmarked,
    /// Pushed, not all pulled.
    MidPull,
    /// The sync had finished.
    Done,
}

fn stage(p: &Pair, logged_before: usize) -> Stage {
    let local = sync_ops(&p.alex);
    let server: BTreeSet<Uuid> = p.log().iter().map(|o| o.id).collect();
    let unpushed: Vec<_> = local.iter().filter(|o| !o.1).collect();
    if local.len() == logged_before {
        Stage::BeforeMake
    } else if unpushed.iter().any(|o| server.contains(&o.0)) {
        Stage::PushedUnmarked
    } else if !unpushed.is_empty() {
        Stage::BeforePush
    } else if cursor(&p.alex) < p.head() {
        Stage::MidPull
    } else {
        Stage::Done
    }
}

fn spawn_sync(env: &Env, pause_ms: Option<u64>) -> Child {
    let mut c = env.command();
    c.args(["--json", "sync"])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(ms) = pause_ms {
        c.env("UPWARD_TEST_SYNC_PAUSE_MS", ms.to_string());
    }
    c.spawn().unwrap()
}

/// How long a whole `upward sync` takes (the process included), after a round of changes.
fn timed_sync(env: &Env, pause_ms: Option<u64>) -> Duration {
    let start = Instant::now();
    let status = spawn_sync(env, pause_ms).wait().unwrap();
    assert!(status.success());
    start.elapsed()
}

const PAUSE_MS: u64 = 20;

fn sync_killed(db: Db, server: Env, runs: usize, seed: u64) {
    let mut p = pair(server, db, str::to_string);
    let mut rng = Rng::new(seed);
    let mut expected = 0;
    let mut mine: Vec<(String, String)> = Vec::new(); // (id, title)
    let mut dana_actions = 0;
    let mut round = |p: &mut Pair, n: usize, expected: &mut usize| {
        let title = format!("Alex topic {n}");
        let id = added(
            &p.alex,
            &["add", "topic", &title, "--with", DANA, "--shared"],
        );
        mine.push((id, title));
        *expected += 1;
        // An edit of the item shared the round before, a tick of one two rounds before.
        if mine.len() >= 2 {
            let at = mine.len() - 2;
            let (id, title) = &mut mine[at];
            *title = format!("{title} edited {n}");
            p.alex.ok(&["edit", id, "--title", title]);
        }
        if mine.len() >= 3 && n.is_multiple_of(2) {
            let at = mine.len() - 3;
            let (id, _) = &mine[at];
            p.alex.ok(&["done", id]);
        }
        p.dana_adds(n, n.is_multiple_of(3));
        *expected += 1 + usize::from(n.is_multiple_of(3));
    };
    // The durations to spread the kills over: a sync of one round, plain and paused.
    round(&mut p, 0, &mut expected);
    let plain = timed_sync(&p.alex, None);
    round(&mut p, 1, &mut expected);
    let paused = timed_sync(&p.alex, Some(PAUSE_MS));
    p.check(expected, "before the kills");
    let mut stages: BTreeMap<Stage, usize> = BTreeMap::new();
    for run in 0..runs {
        let n = run + 2;
        round(&mut p, n, &mut expected);
        // Ticks of Dana's actions, pulled in an earlier round.
        if n % 5 == 0 {
            let list = p.alex.json(&["list", "action", "--with", DANA]);
            if let Some(a) = list.as_array().unwrap().iter().find(|i| {
                i["title"]
                    .as_str()
                    .is_some_and(|t| t.starts_with("Dana action"))
            }) {
                p.alex.ok(&["done", &a["id"].to_string()]);
                dana_actions += 1;
            }
        }
        let logged_before = sync_ops(&p.alex).len();
        let head_before = p.head();
        // run % 4: 0, 2 a seeded moment of a plain sync; 1 of a paused one; 3 aimed at the
        // window between the push's commit on the server and its record here.
        let pause = matches!(run % 4, 1 | 3).then_some(PAUSE_MS);
        let mut child = spawn_sync(&p.alex, pause);
        if run % 4 == 3 {
            let until = Instant::now() + Duration::from_secs(20);
            while p.head() == head_before && Instant::now() < until {
                std::thread::sleep(Duration::from_micros(300));
            }
            std::thread::sleep(Duration::from_micros(rng.below(PAUSE_MS * 800)));
        } else {
            let span = if pause.is_some() { paused } else { plain };
            let us = u64::try_from(span.as_micros()).unwrap();
            std::thread::sleep(Duration::from_micros(rng.below(us + us / 10)));
        }
        let _ = child.kill();
        child.wait().unwrap();
        *stages.entry(stage(&p, logged_before)).or_default() += 1;
        let again = p.alex.json(&["sync"]);
        assert!(again["pushed"].is_u64(), "{again}");
        if run % 10 == 9 {
            let idle = p.alex.json(&["sync"]);
            assert_eq!(
                (&idle["pushed"], &idle["pulled"]),
                (&json!(0), &json!(0)),
                "run {run}: a sync with nothing new sends and brings nothing: {idle}"
            );
        }
        p.check(expected, &format!("run {run}"));
    }
    let log = p.log().len();
    eprintln!(
        "{}: {runs} kills of upward sync (plain sync {plain:?}, paused {paused:?}): {stages:?}; {log} operations, {expected} items, {dana_actions} of Dana's actions ticked",
        p.db.url.split(':').next().unwrap()
    );
    let inside: usize = stages
        .iter()
        .filter(|(s, _)| !matches!(s, Stage::BeforeMake | Stage::Done))
        .map(|(_, n)| n)
        .sum();
    assert!(
        inside * 4 >= runs,
        "only {inside} of {runs} kills inside a sync"
    );
    assert!(
        stages.get(&Stage::PushedUnmarked).copied().unwrap_or(0) * 8 >= runs,
        "too few kills between a push's commit and its record: {stages:?}"
    );
    drop(p.store);
    p.team.stop();
    drop(p.server);
}

#[test]
fn sync_killed_at_random_points_loses_and_duplicates_nothing_on_sqlite() {
    let server = Env::new();
    let db = sqlite(&server);
    sync_killed(db, server, 100, 0x5eed_1201);
}

#[test]
fn sync_killed_at_random_points_loses_and_duplicates_nothing_on_postgres() {
    if let Some(db) = postgres() {
        sync_killed(db, Env::new(), 30, 0x5eed_1202);
    }
}

// ---------------------------------------------------------------------------------------
// 3. A hostile server: a proxy on 127.0.0.1 in front of the real one.

/// What the proxy answers to a pull (`GET …/ops`); every other request goes to the server.
#[derive(Clone)]
enum Mode {
    Honest,
    /// Bytes that are not HTTP, then the connection closed.
    NotHttp,
    /// An HTTP 200 whose body is not JSON.
    NotJson,
    /// A Content-Length larger than the body, then the connection closed.
    Truncated,
    /// A page made from the cursor and the server's whole log (its operations as JSON).
    Page(Make),
}

struct Proxy {
    base: String,
    mode: Arc<Mutex<Mode>>,
}

impl Proxy {
    fn start(upstream: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let mode = Arc::new(Mutex::new(Mode::Honest));
        let m = mode.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { return };
                let (m, upstream) = (m.clone(), upstream.clone());
                std::thread::spawn(move || serve(conn, &upstream, &m));
            }
        });
        Proxy { base, mode }
    }

    fn set(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
    }
}

/// One request on `conn`: read, answered as the mode says, the connection closed.
fn serve(conn: TcpStream, upstream: &str, mode: &Mutex<Mode>) {
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut head = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        if line == "\r\n" {
            break;
        }
        head.push(line.trim_end().to_string());
    }
    let (method, path) = {
        let mut f = head[0].split_whitespace();
        (f.next().unwrap().to_string(), f.next().unwrap().to_string())
    };
    let headers: Vec<(String, String)> = head[1..]
        .iter()
        .filter_map(|h| h.split_once(':'))
        .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .map_or(0, |(_, v)| v.parse().unwrap());
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).unwrap();
    let forward = |method: &str, path: &str, body: Vec<u8>| -> (u16, String) {
        let mut req = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{upstream}{path}"));
        for (k, v) in &headers {
            if matches!(
                k.as_str(),
                "authorization" | "upward-protocol" | "content-type" | "accept"
            ) {
                req = req.header(k, v);
            }
        }
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let mut r = agent.run(req.body(body).unwrap()).unwrap();
        (
            r.status().as_u16(),
            r.body_mut()
                .with_config()
                .limit(64 << 20)
                .read_to_string()
                .unwrap(),
        )
    };
    let mode = mode.lock().unwrap().clone();
    let pull = method == "GET" && path.contains("/ops?");
    let mut out = conn;
    let answer = |out: &mut TcpStream, status: u16, body: &str| {
        let _ = write!(
            out,
            "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
    };
    match (pull, mode) {
        (true, Mode::NotHttp) => {
            let _ = out.write_all(b"SSH-2.0-OpenSSH_9.6\r\n\x00\xff garbage");
        }
        (true, Mode::NotJson) => answer(&mut out, 200, "<html>It works!</html>"),
        (true, Mode::Truncated) => {
            let _ = write!(
                out,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{{\"ops\": [{{\"position\": 1"
            );
        }
        (true, Mode::Page(make)) => {
            let after: i64 = path
                .split(['?', '&'])
                .find_map(|kv| kv.strip_prefix("after="))
                .unwrap()
                .parse()
                .unwrap();
            let (route, _) = path.split_once('?').unwrap();
            let (status, text) = forward("GET", &format!("{route}?after=0&limit=5000"), Vec::new());
            assert_eq!(status, 200, "{text}");
            let all: Value = serde_json::from_str(&text).unwrap();
            let page = make(after, all["ops"].as_array().unwrap());
            answer(&mut out, 200, &page.to_string());
        }
        _ => {
            let (status, text) = forward(&method, &path, body);
            answer(&mut out, status, &text);
        }
    }
    let _ = out.flush();
}

/// A page of `ops` ending at the last one's position.
fn page(ops: Vec<Value>) -> Value {
    let last = ops
        .iter()
        .filter_map(|o| o["position"].as_i64())
        .max()
        .unwrap_or(0);
    json!({"ops": ops, "last": last, "head": last, "more": false})
}

fn b64(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// The last operation of the log, as a new one at `position`: another id.
fn forged(all: &[Value], position: i64) -> Value {
    let mut op = all.last().unwrap().clone();
    op["id"] = json!(Uuid::new_v4());
    op["position"] = json!(position);
    op
}

fn wall_ms() -> u64 {
    u64::try_from(jiff::Timestamp::now().as_millisecond()).unwrap()
}

type Make = fn(i64, &[Value]) -> Value;

#[test]
fn a_hostile_server_is_refused_in_one_line_and_the_workspace_stays_unchanged() {
    let server = Env::new();
    let db = sqlite(&server);
    let proxy: Arc<Mutex<Option<Proxy>>> = Arc::default();
    let slot = proxy.clone();
    let mut p = pair(server, db, move |base| {
        let px = Proxy::start(base.to_string());
        let url = px.base.clone();
        *slot.lock().unwrap() = Some(px);
        url
    });
    let proxy = proxy.lock().unwrap().take().unwrap();
    // Something to replay: an item of each member, synced.
    p.alex
        .ok(&["add", "topic", "Promotion case", "--with", DANA, "--shared"]);
    p.dana_adds(1, true);
    p.alex.json(&["sync"]);
    p.check(3, "honest");
    let cases: Vec<(&str, Mode, &[&str])> = vec![
        ("not HTTP", Mode::NotHttp, &["cannot reach"]),
        (
            "not JSON",
            Mode::NotJson,
            &["not upward's JSON", "It works"],
        ),
        ("cut short", Mode::Truncated, &["cut short"]),
    ];
    let forgeries: Vec<(&str, Make, &[&str])> = vec![
        (
            "a replay with another clock",
            |c, all| {
                let mut op = all.last().unwrap().clone();
                op["clock"] = json!(op["clock"].as_u64().unwrap() + 1);
                op["position"] = json!(c + 1);
                page(vec![op])
            },
            &["came back different", "replay"],
        ),
        (
            "a replay with another payload",
            |c, all| {
                let mut op = all.last().unwrap().clone();
                op["payload"] = json!(b64(r#"{"title":"Forged"}"#));
                op["position"] = json!(c + 1);
                page(vec![op])
            },
            &["came back different", "replay"],
        ),
        (
            "another space's operation",
            |c, all| {
                let mut op = forged(all, c + 1);
                op["space"] = json!(Uuid::new_v4());
                page(vec![op])
            },
            &["another space"],
        ),
        (
            "a non-member's operation",
            |c, all| {
                let mut op = forged(all, c + 1);
                op["author"] = json!(Uuid::new_v4());
                page(vec![op])
            },
            &["not a member"],
        ),
        (
            "a clock an hour ahead",
            |c, all| {
                let mut op = forged(all, c + 1);
                op["clock"] = json!((wall_ms() + 3_600_000) << 16);
                page(vec![op])
            },
            &["ahead of this machine's", "60 min"],
        ),
        (
            "a payload that is not base64",
            |c, all| {
                let mut op = forged(all, c + 1);
                op["payload"] = json!("%%% not base64 %%%");
                page(vec![op])
            },
            &["malformed", "base64"],
        ),
        (
            "a record type that does not exist",
            |c, all| {
                let mut op = forged(all, c + 1);
                op["record_type"] = json!("spaceship");
                page(vec![op])
            },
            &["does not read"],
        ),
        (
            "positions out of order",
            |c, all| page(vec![forged(all, c + 2), forged(all, c + 1)]),
            &["out of order"],
        ),
        (
            "a position at the cursor",
            |c, all| page(vec![forged(all, c)]),
            &["out of order"],
        ),
        (
            "a page that ends before its operations",
            |c, all| {
                let mut pg = page(vec![forged(all, c + 1)]);
                pg["last"] = json!(c);
                pg
            },
            &["ends at"],
        ),
    ];
    let cases = cases.into_iter().chain(
        forgeries
            .into_iter()
            .map(|(what, make, words)| (what, Mode::Page(make), words)),
    );
    for (what, mode, words) in cases {
        proxy.set(mode);
        let (export, tables) = (p.alex.state(), sync_tables(&p.alex));
        let out = p.alex.run(&["sync"]);
        let line = one_error_line(&out, what);
        assert!(
            words.iter().any(|w| line.contains(w)),
            "{what}: the line names the problem: {line}"
        );
        assert_eq!(p.alex.state(), export, "{what}: the workspace changed");
        assert_eq!(
            sync_tables(&p.alex),
            tables,
            "{what}: the sync tables changed"
        );
        eprintln!("{what}: {line}");
    }
    // Honest again: the workspace syncs as if nothing had happened.
    proxy.set(Mode::Honest);
    p.dana_adds(2, false);
    p.alex.json(&["sync"]);
    p.check(4, "honest again");
}

// ---------------------------------------------------------------------------------------
// 4. A protocol the server does not speak; 5. a push refused.

/// `upward sync` with extra environment variables.
fn sync_with(env: &Env, vars: &[(&str, &str)]) -> Output {
    let mut c = env.command();
    c.arg("sync");
    for (k, v) in vars {
        c.env(k, v);
    }
    c.output().unwrap()
}

#[test]
fn another_protocol_is_refused_with_the_side_to_upgrade_and_nothing_is_lost() {
    let server = Env::new();
    let db = sqlite(&server);
    let mut p = pair(server, db, str::to_string);
    p.alex.ok(&[
        "add",
        "topic",
        "Waits for the upgrade",
        "--with",
        DANA,
        "--shared",
    ]);
    for (protocol, words) in [
        ("2", "upgrade the server"),
        ("0", "upgrade upward on this machine"),
    ] {
        let (export, tables) = (p.alex.state(), sync_tables(&p.alex));
        let out = sync_with(&p.alex, &[("UPWARD_TEST_PROTOCOL", protocol)]);
        let line = one_error_line(&out, protocol);
        assert!(line.contains(words), "{line}");
        assert!(line.contains("nothing was lost"), "{line}");
        assert_eq!(p.alex.state(), export);
        assert_eq!(sync_tables(&p.alex), tables);
    }
    assert!(dana_items(&mut p.team, &p.token, &p.space).is_empty());
    let r = p.alex.json(&["sync"]);
    assert_eq!(r["pushed"], 1, "{r}");
    p.check(1, "after the upgrade");
}

#[test]
fn a_push_refused_because_the_space_closed_keeps_the_changes_and_says_so() {
    let server = Env::new();
    let db = sqlite(&server);
    let mut p = pair(server, db, str::to_string);
    p.alex.ok(&[
        "add",
        "topic",
        "Too late for the space",
        "--with",
        DANA,
        "--shared",
    ]);
    // Dana closes the space while the sync is between making its operations and pushing them.
    let child = p
        .alex
        .command()
        .arg("sync")
        .env("UPWARD_TEST_SYNC_PAUSE_MS", "400")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let until = Instant::now() + Duration::from_secs(30);
    while sync_ops(&p.alex).iter().all(|o| o.1) {
        assert!(Instant::now() < until, "the sync never made its operations");
        std::thread::sleep(Duration::from_millis(5));
    }
    let close = p.team.api(
        "POST",
        &format!("/api/v1/spaces/{}/close", p.space),
        Some(&p.token),
        None,
    );
    assert!(close.status < 300, "{}", close.body);
    let out = child.wait_with_output().unwrap();
    let line = one_error_line(&out, "closed");
    assert!(line.contains("closed"), "{line}");
    assert!(line.contains("stay in this workspace"), "{line}");
    let unpushed = sync_ops(&p.alex).iter().filter(|o| !o.1).count();
    assert!(unpushed >= 1, "the operations are kept");
    assert!(p.log().is_empty(), "nothing reached the space");
    // The next sync succeeds (the space is read-only now) and says what stays here.
    let out = sync_with(&p.alex, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("never reached it"),
        "{}",
        stderr(&out)
    );
    let items = p.alex.json(&["list", "--with", DANA]);
    assert!(
        items.to_string().contains("Too late for the space"),
        "{items}"
    );
    assert_eq!(sync_ops(&p.alex).iter().filter(|o| !o.1).count(), unpushed);
}

// ---------------------------------------------------------------------------------------
// 2. The server killed mid-push.

const BULK: usize = 400;

/// `BULK` new topics shared with Dana, imported into Alex's workspace in one step (an export
/// with the workspace's own people and only the new items, merged).
fn import_shared(alex: &Env, run: usize) {
    let file = alex.path("bulk.json");
    alex.ok(&["export", "-o", file.to_str().unwrap()]);
    let mut doc: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let ts = "2026-11-20T12:00:00Z";
    let items: Vec<Value> = (0..BULK)
        .map(|i| {
            json!({"id": 100_000 + run * BULK + i, "uuid": Uuid::new_v4(), "kind": "topic",
                "title": format!("Bulk {run}-{i}"), "body": "A topic long enough to weigh a little. ".repeat(4),
                "person": DANA, "status": "open", "created": "2026-11-20", "tags": [],
                "visibility": "shared", "created_at": ts, "updated_at": ts})
        })
        .collect();
    doc["items"] = Value::Array(items);
    for k in ["meetings", "updates", "reflections"] {
        doc[k] = json!([]);
    }
    std::fs::write(&file, doc.to_string()).unwrap();
    let r = alex.json(&["import", "--merge", file.to_str().unwrap()]);
    assert_eq!(r["items_added"], BULK, "{r}");
}

fn server_killed_mid_push(db: Db, server: Env, runs: usize, seed: u64, aim: bool) {
    let mut p = pair(server, db, str::to_string);
    let mut rng = Rng::new(seed);
    let listen = p.team.base.strip_prefix("http://").unwrap().to_string();
    let mut expected = 0;
    // A whole sync of one bulk push, to spread the kills over.
    import_shared(&p.alex, 0);
    expected += BULK;
    let took = timed_sync(&p.alex, None);
    p.check(expected, "the measured push");
    let (mut refused, mut inside, mut whole) = (0, 0, 0);
    for run in 1..=runs {
        import_shared(&p.alex, run);
        expected += BULK;
        let head = p.head();
        let export = p.alex.state();
        let logged = sync_ops(&p.alex);
        let server_pid = p.team.child.as_ref().unwrap().id();
        let child = p
            .alex
            .command()
            .arg("sync")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Odd runs on SQLite: at the first sight of the server's write transaction after a
        // seeded moment; the others at a seeded moment of the measured sync.
        let us = u64::try_from(took.as_micros()).unwrap();
        if aim && run % 2 == 1 {
            std::thread::sleep(Duration::from_micros(rng.below(us / 2)));
            let until = Instant::now() + Duration::from_secs(10);
            while !holds_write_lock(server_pid) && Instant::now() < until {
                std::thread::sleep(Duration::from_micros(100));
            }
            if holds_write_lock(server_pid) {
                inside += 1;
            }
        } else {
            std::thread::sleep(Duration::from_micros(rng.below(us)));
        }
        p.team.child.as_mut().unwrap().kill().unwrap();
        p.team.child.as_mut().unwrap().wait().unwrap();
        let out = child.wait_with_output().unwrap();
        // All or nothing on the server.
        let after = p.head();
        assert!(
            after == head || after == head + i64::try_from(BULK).unwrap(),
            "run {run}: the head went from {head} to {after}"
        );
        if after > head {
            whole += 1;
        }
        if out.status.success() {
            assert_eq!(after, head + i64::try_from(BULK).unwrap(), "run {run}");
        } else {
            refused += 1;
            let line = one_error_line(&out, &format!("run {run}"));
            assert!(
                line.contains("nothing was lost") || line.contains("nothing was applied"),
                "run {run}: {line}"
            );
            assert_eq!(p.alex.state(), export, "run {run}: the workspace changed");
            // The log as it was, and at most this run's operations more: marked pushed only
            // if the server has them (the push was answered, then the pull found the server
            // gone), else not pushed.
            let now = sync_ops(&p.alex);
            assert_eq!(&now[..logged.len()], &logged[..], "run {run}");
            if after == head {
                assert!(
                    now[logged.len()..].iter().all(|o| !o.1),
                    "run {run}: marked pushed, and the server does not have them"
                );
            }
        }
        p.team = p.server.start_at(&p.db, &listen, &[]);
        let r = p.alex.json(&["sync"]);
        assert!(r["pushed"].is_u64(), "{r}");
        p.check(expected, &format!("run {run}, after the restart"));
    }
    eprintln!(
        "{}: {runs} server kills during a push of {BULK} (a whole sync {took:?}): {refused} syncs failed, {inside} kills inside a write, {whole} pushes committed before the kill",
        p.db.url.split(':').next().unwrap()
    );
    assert!(
        refused * 2 >= runs,
        "only {refused} of {runs} kills hit the sync"
    );
    drop(p.store);
    p.team.stop();
}

#[test]
fn server_killed_mid_push_keeps_the_push_whole_or_absent_on_sqlite() {
    let server = Env::new();
    let db = sqlite(&server);
    server_killed_mid_push(db, server, 4, 0x5eed_1203, true);
}

#[test]
fn server_killed_mid_push_keeps_the_push_whole_or_absent_on_postgres() {
    if let Some(db) = postgres() {
        server_killed_mid_push(db, Env::new(), 3, 0x5eed_1204, false);
    }
}
