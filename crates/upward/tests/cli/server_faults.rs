//! The team server under faults, through the real `upward server start`:
//!
//! - PostgreSQL stopped for 10 s under load (a private cluster, paused and resumed with
//!   `scripts/postgres`): 503 while it is down (never a 500, never a hang), everything works
//!   again without a restart, and every topic the server said it created is there.
//! - The server killed with SIGKILL while writers are in flight (seeded, on SQLite and on
//!   PostgreSQL): after a restart on the same database, each request is all or nothing, the
//!   log's positions are dense, and the records are the fold of the log.
//! - A PostgreSQL database of a newer server schema is refused, unchanged (the SQLite half
//!   is `server_team::a_newer_server_database_is_refused_unchanged`).

use crate::crash::Rng;
use crate::harness::{Env, holds_write_lock};
use crate::server_team::{Db, PASSWORD, Team, email, postgres, sqlite, stderr, stdout};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use upward_server_store::{ServerStoreExt, open};
use upward_space::{Action, Envelope, Hlc, Op, Record, RecordType, admit};
use uuid::Uuid;

/// No request may take longer than this, whatever the database does: a connection is waited
/// for at most 5 s and connecting times out after 5 s (docs/server.md, Storage); seen: a
/// little over 5 s.
const REQUEST_BOUND: Duration = Duration::from_secs(11);

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/postgres")
}

/// A private PostgreSQL cluster (`scripts/postgres start`), stopped and deleted on drop, so
/// that pausing it disturbs no other test.
struct Cluster {
    url: String,
    dir: String,
}

impl Cluster {
    fn start() -> Cluster {
        let out = std::process::Command::new(script())
            .arg("start")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "scripts/postgres start: {}",
            stderr(&out)
        );
        let text = stdout(&out);
        let var = |name: &str| {
            let line = text
                .lines()
                .find_map(|l| l.strip_prefix(&format!("export {name}=")))
                .unwrap_or_else(|| panic!("{name} in {text}"));
            // `printf %q` quotes only what needs it; our URLs and paths need none.
            line.trim_matches('\'').to_string()
        };
        Cluster {
            url: var("UPWARD_TEST_POSTGRES"),
            dir: var("UPWARD_TEST_POSTGRES_DIR"),
        }
    }

    fn run(&self, what: &str) {
        let out = std::process::Command::new(script())
            .args([what, &self.dir])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "scripts/postgres {what}: {}",
            stderr(&out)
        );
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = std::process::Command::new(script())
            .args(["stop", &self.dir])
            .output();
    }
}

/// A fresh database of its own in the shared test cluster (`UPWARD_TEST_POSTGRES`), dropped
/// afterwards: its tables and its activity are this test's alone.
struct FreshPg {
    admin: String,
    name: String,
    url: String,
}

impl FreshPg {
    fn new() -> Option<FreshPg> {
        let admin = postgres()?.url;
        let name = format!("upward_faults_{}", Uuid::new_v4().simple());
        let mut c = ::postgres::Client::connect(&admin, ::postgres::NoTls).unwrap();
        c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        let (head, _) = admin.rsplit_once('/').unwrap();
        let url = format!("{head}/{name}");
        Some(FreshPg { admin, name, url })
    }

    fn client(&self) -> ::postgres::Client {
        ::postgres::Client::connect(&self.url, ::postgres::NoTls).unwrap()
    }
}

impl Drop for FreshPg {
    fn drop(&mut self) {
        if let Ok(mut c) = ::postgres::Client::connect(&self.admin, ::postgres::NoTls) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// Two accounts (added with the binary) and an active space between them: the tokens of
/// both, the space's id and the second member's email.
fn pair(env: &Env, db: &Db, team: &mut Team) -> (String, String, String, String) {
    let (ana, ben) = (email("ana"), email("ben"));
    for (who, name) in [(&ana, "Ana"), (&ben, "Ben")] {
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
    let (ta, tb) = (team.token(&ana, PASSWORD), team.token(&ben, PASSWORD));
    let inv = team.api(
        "POST",
        "/api/v1/spaces",
        Some(&ta),
        Some(json!({"with": ben, "as": "report"})),
    );
    assert_eq!(inv.status, 201, "{}", inv.body);
    let id = inv.json()["id"].as_str().unwrap().to_string();
    let accept = team.api(
        "POST",
        &format!("/api/v1/spaces/{id}/accept"),
        Some(&tb),
        None,
    );
    assert_eq!(accept.status, 200, "{}", accept.body);
    (ta, tb, id, ben)
}

/// A client for the worker threads: no redirects, statuses as answers, and a global
/// timeout above [`REQUEST_BOUND`] so that a hang is seen as one rather than waited out.
fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(REQUEST_BOUND * 2))
        .build()
        .new_agent()
}

/// One request: its status and body, or the transport error.
fn call(
    agent: &ureq::Agent,
    base: &str,
    method: &str,
    path: &str,
    token: &str,
    body: Option<&Value>,
) -> Result<(u16, String), String> {
    let req = ureq::http::Request::builder()
        .method(method)
        .uri(format!("{base}{path}"))
        .header("Authorization", format!("Bearer {token}"))
        .header("Content-Type", "application/json")
        .body(body.map(|b| b.to_string()).unwrap_or_default())
        .unwrap();
    let mut r = agent.run(req).map_err(|e| e.to_string())?;
    let status = r.status().as_u16();
    let text = r.body_mut().read_to_string().unwrap_or_default();
    Ok((status, text))
}

/// One request of the outage run.
#[derive(Debug, Clone)]
struct Event {
    /// `topic N`, `agenda` or `healthz`.
    what: String,
    start: Duration,
    end: Duration,
    status: u16,
    body: String,
}

#[test]
fn postgres_stopped_under_load_answers_503_and_recovers_without_a_restart() {
    if postgres().is_none() {
        return;
    }
    let cluster = Cluster::start();
    let env = Env::new();
    let db = Db {
        url: cluster.url.clone(),
        file: None,
    };
    let mut team = env.start(&db, &[]);
    let (ta, _tb, space, _) = pair(&env, &db, &mut team);
    let base = team.base.clone();

    let t0 = Instant::now();
    let total = Duration::from_secs(30);
    let events = Arc::new(Mutex::new(Vec::<Event>::new()));
    let counter = Arc::new(AtomicU64::new(0));
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let (events, counter, base, ta, space) = (
                events.clone(),
                counter.clone(),
                base.clone(),
                ta.clone(),
                space.clone(),
            );
            std::thread::spawn(move || {
                let agent = agent();
                while t0.elapsed() < total {
                    let n = counter.fetch_add(1, Ordering::SeqCst);
                    let title = format!("outage topic {n}");
                    let body =
                        json!({"title": title, "body": "written while the database may be away"});
                    let topics = format!("/api/v1/spaces/{space}/topics");
                    let agenda = format!("/api/v1/spaces/{space}/agenda");
                    for (what, method, path, body) in [
                        (format!("topic {n}"), "POST", topics.as_str(), Some(&body)),
                        ("agenda".to_string(), "GET", agenda.as_str(), None),
                        ("healthz".to_string(), "GET", "/healthz", None),
                    ] {
                        let start = t0.elapsed();
                        let answer = call(&agent, &base, method, path, &ta, body);
                        let end = t0.elapsed();
                        let (status, body) = answer.unwrap_or_else(|e| {
                            panic!(
                                "{what} at {start:?}: no answer after {:?}: {e}",
                                end - start
                            )
                        });
                        events.lock().unwrap().push(Event {
                            what,
                            start,
                            end,
                            status,
                            body,
                        });
                    }
                    std::thread::sleep(Duration::from_millis(25));
                }
            })
        })
        .collect();

    let until = |at: u64| {
        let at = Duration::from_secs(at);
        if let Some(left) = at.checked_sub(t0.elapsed()) {
            std::thread::sleep(left);
        }
    };
    until(10);
    let pause_start = t0.elapsed();
    cluster.run("pause");
    let down = t0.elapsed();
    until(20);
    let resume_start = t0.elapsed();
    cluster.run("resume");
    let back = t0.elapsed();
    for w in workers {
        w.join().expect("a client thread failed");
    }
    let events = events.lock().unwrap().clone();

    // Every answer is 200/201 or 503; no 500, no hang; a 503 under /api/ says why in JSON.
    let mut slowest = Duration::ZERO;
    for e in &events {
        assert!(
            matches!(e.status, 200 | 201 | 503),
            "{} at {:?}: {} {}",
            e.what,
            e.start,
            e.status,
            e.body
        );
        slowest = slowest.max(e.end - e.start);
        assert!(
            e.end - e.start < REQUEST_BOUND,
            "{} took {:?}",
            e.what,
            e.end - e.start
        );
        if e.status == 503 {
            let v: Value = serde_json::from_str(&e.body)
                .unwrap_or_else(|_| panic!("{}: a 503 in JSON: {}", e.what, e.body));
            assert!(v["error"].is_string(), "{}: {}", e.what, e.body);
            if e.what == "healthz" {
                assert_eq!(v["status"], "unavailable");
            }
        }
    }
    // Before the outage everything worked; while the database was fully down, nothing did.
    let before: Vec<_> = events.iter().filter(|e| e.end < pause_start).collect();
    assert!(
        before.len() > 20,
        "load before the outage: {}",
        before.len()
    );
    assert!(
        before.iter().all(|e| e.status != 503),
        "503 before the outage"
    );
    // A request waits at most 5 s for a connection, so the ones started while it was down
    // are 503, unless they were still waiting when it came back and got one then.
    let during: Vec<_> = events
        .iter()
        .filter(|e| e.start >= down && e.start < resume_start)
        .collect();
    assert!(during.len() >= 4, "requests while down: {}", during.len());
    for e in &during {
        assert!(
            e.status == 503 || e.end > resume_start,
            "{} started while the database was down, answered {} before it was back: {}",
            e.what,
            e.status,
            e.body
        );
    }
    let refused: Vec<_> = events.iter().filter(|e| e.status == 503).collect();
    assert!(refused.len() >= 8, "503s: {}", refused.len());
    assert!(
        refused.iter().any(|e| e.what == "healthz"),
        "healthz was 503"
    );
    assert!(
        refused.iter().any(|e| e.what.starts_with("topic")),
        "a topic was 503"
    );
    assert!(
        refused.iter().any(|e| e.what == "agenda"),
        "the agenda was 503"
    );
    // Recovery: from `resume` returning to the first healthy answer; from then on, every
    // request works, on the same server process.
    let recovered = events
        .iter()
        .filter(|e| e.start >= back && e.what == "healthz" && e.status == 200)
        .map(|e| e.end)
        .min()
        .expect("healthz is 200 again after the database is back");
    let recovery = recovered.saturating_sub(back);
    assert!(
        recovery < Duration::from_secs(10),
        "recovery took {recovery:?}"
    );
    let after: Vec<_> = events.iter().filter(|e| e.start >= recovered).collect();
    assert!(after.len() > 20, "load after recovery: {}", after.len());
    for e in &after {
        assert_ne!(
            e.status, 503,
            "{} after recovery at {:?}: {}",
            e.what, e.start, e.body
        );
    }
    assert!(
        team.child.as_mut().unwrap().try_wait().unwrap().is_none(),
        "the server is the same process"
    );

    // Nothing is lost: every topic answered 201 is in the space, and none answered 503 is,
    // except one whose request was already in flight when the database began to stop: a
    // transaction cut during its commit may be kept (docs/server.md, Storage). A request
    // started once the database was down, or after it came back, committed nothing.
    let items = team.api(
        "GET",
        &format!("/api/v1/spaces/{space}/items"),
        Some(&ta),
        None,
    );
    assert_eq!(items.status, 200, "{}", items.body);
    let titles: Vec<String> = items
        .json()
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["title"].as_str().map(str::to_string))
        .filter(|t| t.starts_with("outage topic "))
        .collect();
    let present: BTreeSet<&str> = titles.iter().map(String::as_str).collect();
    assert_eq!(present.len(), titles.len(), "no topic twice");
    let (mut created, mut refused, mut kept_in_flight) = (0, 0, 0);
    for e in events.iter().filter(|e| e.what.starts_with("topic ")) {
        let title = format!("outage {}", e.what);
        let there = present.contains(title.as_str());
        match e.status {
            201 => {
                created += 1;
                assert!(there, "{title} was answered 201 and is lost");
            }
            _ => {
                refused += 1;
                if there {
                    kept_in_flight += 1;
                    assert!(
                        e.start < down,
                        "{title} was answered 503, started at {:?} after the database was down ({down:?}), and is there",
                        e.start
                    );
                }
            }
        }
    }
    assert_eq!(
        present.len(),
        created + kept_in_flight,
        "only the topics sent are there"
    );
    let log = team.stop();
    // `METHOD PATH STATUS MSms`
    assert!(
        !log.lines().any(|l| l
            .split_whitespace()
            .nth(2)
            .is_some_and(|s| s.starts_with('5') && s != "503")),
        "no 5xx but 503 in the log:\n{log}"
    );
    eprintln!(
        "outage: {} requests, {created} topics created, {refused} refused with 503 ({kept_in_flight} of them kept, cut in their commit); pause took {:?}, database down {:?}..{:?}, recovered {recovery:?} after resume; slowest request {slowest:?}",
        events.len(),
        down - pause_start,
        down,
        back,
    );
}

/// Whether the server holds a write transaction open right now.
type Probe<'a> = Box<dyn FnMut(u32) -> bool + 'a>;

/// What the writers sent and heard back: `topic N` or `meeting N`, and the status (`None`:
/// no answer, the server was killed under it).
type Outcomes = Arc<Mutex<BTreeMap<u64, (bool, Option<u16>)>>>;

const ACTIONS: usize = 5;

fn meeting_date(n: u64) -> String {
    let d = jiff::civil::date(2001, 1, 1)
        .checked_add(jiff::Span::new().days(i64::try_from(n).unwrap()))
        .unwrap();
    d.to_string()
}

/// Kills the server `runs` times at seeded moments (half of them aimed at a write
/// transaction seen by `probe`) while 4 writers send topics with large
/// bodies and meetings with [`ACTIONS`] actions, restarting it on the same database each
/// time, and checks the space after each restart.
fn killed_mid_write(db: &Db, mut probe: Probe, runs: usize, seed: u64) {
    let env = Env::new();
    let mut team = env.start(db, &[]);
    let (ta, tb, space, ben) = pair(&env, db, &mut team);
    let outcomes: Outcomes = Arc::default();
    let counter = Arc::new(AtomicU64::new(0));
    let mut rng = Rng::new(seed);
    let mut inside = 0;
    let big = "large body ".repeat(3000);
    for run in 0..runs {
        let stop = Arc::new(AtomicBool::new(false));
        let writers: Vec<_> = (0..4)
            .map(|w| {
                let (stop, counter, outcomes, base, space, ben, big) = (
                    stop.clone(),
                    counter.clone(),
                    outcomes.clone(),
                    team.base.clone(),
                    space.clone(),
                    ben.clone(),
                    big.clone(),
                );
                let token = if w % 2 == 0 { ta.clone() } else { tb.clone() };
                std::thread::spawn(move || {
                    let agent = agent();
                    while !stop.load(Ordering::SeqCst) {
                        let n = counter.fetch_add(1, Ordering::SeqCst);
                        let topic = n % 2 == 0;
                        let (path, body) = if topic {
                            (
                                format!("/api/v1/spaces/{space}/topics"),
                                json!({"title": format!("kill topic {n}"), "body": format!("{n} {big}")}),
                            )
                        } else {
                            let actions: Vec<Value> = (0..ACTIONS)
                                .map(|k| json!({"title": format!("kill meeting {n} action {k}"), "owner": ben}))
                                .collect();
                            (
                                format!("/api/v1/spaces/{space}/meetings"),
                                json!({"date": meeting_date(n), "notes": format!("kill meeting {n}"), "actions": actions}),
                            )
                        };
                        outcomes.lock().unwrap().insert(n, (topic, None));
                        match call(&agent, &base, "POST", &path, &token, Some(&body)) {
                            Ok((status, text)) => {
                                assert!(
                                    status == 201 || status == 200,
                                    "{path}: {status} {text}"
                                );
                                outcomes.lock().unwrap().insert(n, (topic, Some(status)));
                            }
                            // Killed under it: the server is gone; so is this writer.
                            Err(_) => return,
                        }
                    }
                })
            })
            .collect();
        let delay = Duration::from_millis(150 + rng.below(1200));
        std::thread::sleep(delay);
        // Half of the kills at the random moment; the other half aimed: from that moment,
        // at the first sight (within 2 s) of a write transaction.
        let pid = team.child.as_ref().unwrap().id();
        let mut hit = probe(pid);
        let aim_until = Instant::now() + Duration::from_secs(2);
        while run % 2 == 1 && !hit && Instant::now() < aim_until {
            std::thread::sleep(Duration::from_micros(200));
            hit = probe(pid);
        }
        if hit {
            inside += 1;
        }
        team.child.as_mut().unwrap().kill().unwrap();
        team.child.as_mut().unwrap().wait().unwrap();
        stop.store(true, Ordering::SeqCst);
        for w in writers {
            w.join().expect("a writer failed");
        }
        drop(team);
        team = env.start(db, &[]);
        assert_eq!(team.get("/healthz").status, 200, "run {run}");
        check_space(&mut team, db, &ta, &space, &outcomes.lock().unwrap());
    }
    team.stop();
    let sent = outcomes.lock().unwrap().len();
    eprintln!(
        "{}: {runs} kills, {inside} inside a write transaction; {sent} requests sent",
        db.url.split(':').next().unwrap()
    );
    assert!(
        inside * 4 >= runs,
        "only {inside} of {runs} kills landed inside a write"
    );
}

/// The space after a kill and a restart: all or nothing per request, a dense log, and the
/// records equal to the fold of the log.
fn check_space(
    team: &mut Team,
    db: &Db,
    token: &str,
    space: &str,
    outcomes: &BTreeMap<u64, (bool, Option<u16>)>,
) {
    let items = team.api(
        "GET",
        &format!("/api/v1/spaces/{space}/items"),
        Some(token),
        None,
    );
    assert_eq!(items.status, 200, "{}", items.body);
    let items = items.json();
    let meetings = team.api(
        "GET",
        &format!("/api/v1/spaces/{space}/meetings"),
        Some(token),
        None,
    );
    assert_eq!(meetings.status, 200, "{}", meetings.body);
    let meetings = meetings.json();
    let titles: BTreeMap<String, &Value> = items
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| Some((i["title"].as_str()?.to_string(), i)))
        .collect();
    let by_date: BTreeMap<String, &Value> = meetings
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["date"].as_str().unwrap().to_string(), m))
        .collect();
    for (n, (topic, status)) in outcomes {
        if *topic {
            let title = format!("kill topic {n}");
            if status.is_some() {
                assert!(
                    titles.contains_key(&title),
                    "{title} was answered and is lost"
                );
            }
        } else {
            let there = by_date.get(&meeting_date(*n));
            if status.is_some() {
                assert!(there.is_some(), "meeting {n} was answered and is lost");
            }
            let actions = (0..ACTIONS)
                .filter(|k| titles.contains_key(&format!("kill meeting {n} action {k}")))
                .count();
            let expected = if there.is_some() { ACTIONS } else { 0 };
            assert_eq!(actions, expected, "meeting {n}: all its actions or none");
            if let Some(m) = there {
                assert_eq!(m["actions"].as_array().unwrap().len(), ACTIONS, "{m}");
                assert!(
                    m.to_string().contains(&format!("kill meeting {n}")),
                    "its notes: {m}"
                );
            }
        }
    }
    // The log through the store: positions 1..N, and the records its fold.
    let store = open(&db.url).unwrap();
    let space: Uuid = space.parse().unwrap();
    let (ops, records) = store
        .read(|tx| Ok((tx.ops_after(space, 0, usize::MAX >> 1)?, tx.records(space)?)))
        .unwrap();
    let positions: Vec<i64> = ops.iter().map(|o| o.position).collect();
    let dense: Vec<i64> = (1..=i64::try_from(ops.len()).unwrap()).collect();
    assert_eq!(
        positions, dense,
        "the log's positions are 1..N without gaps"
    );
    let mut folded: BTreeMap<Uuid, (i64, Record)> = BTreeMap::new();
    for row in &ops {
        let op = Op::from_parts(
            Envelope {
                id: row.id,
                space: row.space,
                record: row.record,
                record_type: RecordType::from_str(&row.record_type).unwrap(),
                action: Action::from_str(&row.action).unwrap(),
                author: row.author,
                device: row.device,
                clock: Hlc(row.clock),
                protocol: u16::try_from(row.protocol).unwrap(),
            },
            &row.payload,
        )
        .unwrap();
        let before = folded.get(&op.record).map(|(_, r)| r);
        let after = admit(before, &op).unwrap();
        let seq = folded.get(&op.record).map_or(row.position, |(s, _)| *s);
        folded.insert(op.record, (seq, after));
    }
    assert_eq!(
        records.len(),
        folded.len(),
        "one record per record in the log"
    );
    for r in &records {
        let (seq, want) = folded
            .get(&r.id)
            .unwrap_or_else(|| panic!("record {} has no operation", r.id));
        assert_eq!(
            r.seq, *seq,
            "record {}'s seq is its first operation's",
            r.id
        );
        assert_eq!(r.removed, want.is_removed());
        assert_eq!(
            &Record::from_bytes(&r.state).unwrap(),
            want,
            "record {}",
            r.id
        );
    }
    // Large bodies are whole (the item shape of the API leaves bodies out: the records).
    let whole = "large body ".repeat(3000);
    let mut bodies = 0;
    for (_, record) in folded.values() {
        if let Some(n) = record
            .text("title")
            .and_then(|t| t.strip_prefix("kill topic "))
        {
            assert_eq!(record.text("body"), Some(format!("{n} {whole}").as_str()));
            bodies += 1;
        }
    }
    let created = outcomes
        .values()
        .filter(|(topic, s)| *topic && s.is_some())
        .count();
    assert!(
        bodies >= created,
        "{bodies} topics stored, {created} answered"
    );
}

#[test]
fn sigkill_mid_write_leaves_each_request_all_or_nothing_on_sqlite() {
    let env = Env::new();
    let db = sqlite(&env);
    killed_mid_write(&db, Box::new(holds_write_lock), 20, 0x5eed_0001);
}

#[test]
fn sigkill_mid_write_leaves_each_request_all_or_nothing_on_postgres() {
    let Some(pg) = FreshPg::new() else {
        return;
    };
    let db = Db {
        url: pg.url.clone(),
        file: None,
    };
    // A transaction that has written holds a transaction id (seen from outside in
    // pg_stat_activity); this database is this test's alone.
    let mut watcher = pg.client();
    let probe = move |_pid: u32| {
        let n: i64 = watcher
            .query_one(
                "SELECT count(*) FROM pg_stat_activity
                 WHERE datname = current_database() AND pid <> pg_backend_pid()
                   AND backend_xid IS NOT NULL",
                &[],
            )
            .unwrap()
            .get(0);
        n > 0
    };
    killed_mid_write(&db, Box::new(probe), 20, 0x5eed_0002);
}

/// Every row of the server's tables, as text: what "unchanged" compares.
fn server_tables(c: &mut ::postgres::Client) -> Vec<String> {
    let tables: Vec<String> = c
        .query(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = 'public' ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut out = Vec::new();
    for t in tables {
        let rows = c
            .query(&format!("SELECT t::text FROM {t} t ORDER BY 1"), &[])
            .unwrap();
        out.push(format!("{t}: {} rows", rows.len()));
        out.extend(rows.iter().map(|r| r.get::<_, String>(0)));
    }
    out
}

#[test]
fn a_newer_server_database_is_refused_unchanged_on_postgres() {
    let Some(pg) = FreshPg::new() else {
        return;
    };
    let env = Env::new();
    let out = env.server_stdin(
        &[
            "add-user",
            &email("fi"),
            "--name",
            "Fi",
            "--database",
            &pg.url,
            "--password-stdin",
        ],
        PASSWORD,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let mut c = pg.client();
    c.batch_execute("INSERT INTO server_migrations (version) VALUES (99)")
        .unwrap();
    let before = server_tables(&mut c);
    assert!(
        before
            .iter()
            .any(|l| l.starts_with("server_accounts: 1 rows")),
        "{before:?}"
    );
    let start = env.server(&["start", "--database", &pg.url, "--listen", "127.0.0.1:0"]);
    assert_eq!(start.status.code(), Some(1), "{}", stdout(&start));
    let err = stderr(&start);
    assert!(err.contains("newer"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert!(!err.contains(&pg.url), "no password of the URL: {err}");
    let add = env.server_stdin(
        &[
            "add-user",
            &email("gu"),
            "--name",
            "Gu",
            "--database",
            &pg.url,
            "--password-stdin",
        ],
        PASSWORD,
    );
    assert_eq!(add.status.code(), Some(1), "{}", stdout(&add));
    assert!(stderr(&add).contains("newer"), "{}", stderr(&add));
    assert_eq!(stderr(&add).trim().lines().count(), 1);
    assert_eq!(server_tables(&mut c), before, "unchanged");
}
