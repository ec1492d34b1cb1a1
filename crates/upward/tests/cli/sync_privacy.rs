//! Only what is shared leaves the machine (docs/sync.md), proved on the real binaries: a
//! report's workspace full of private text and private UUIDs, each a unique marker, and a
//! few shared things, synced twice through a recording TCP proxy to `upward server start` on
//! SQLite and on PostgreSQL. Then no private marker or UUID is anywhere the server or the
//! network saw it: the server's database (the SQLite file and its WAL; PostgreSQL's
//! `pg_dump`), its log, and the HTTP traffic both ways (raw, and every base64-looking token
//! decoded). The shared markers are found in the same places, so the search can find.

use crate::harness::Env;
use crate::server_team::{Db, PASSWORD, email, postgres, sqlite, stderr};
use serde_json::Value;
use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

const DANA: &str = "Dana Whitfield";

/// Every byte that went through the proxy, one buffer per connection and direction.
type Recording = Arc<Mutex<Vec<Arc<Mutex<Vec<u8>>>>>>;

/// A TCP proxy on 127.0.0.1 that forwards every connection to `upstream` and records both
/// directions. Gives its `http://127.0.0.1:PORT` and the recording.
fn recording_proxy(upstream: &str) -> (String, Recording) {
    let target = upstream
        .strip_prefix("http://")
        .expect("the server is plain HTTP on loopback")
        .to_string();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let rec: Recording = Arc::default();
    let all = rec.clone();
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(client) = client else { continue };
            let Ok(server) = TcpStream::connect(&target) else {
                continue;
            };
            // The server answers only to its own address: the requests' Host is rewritten
            // on the way (the recording keeps them as sent).
            let host = Some((format!("host: {addr}"), format!("host: {target}")));
            for (from, to, host) in [
                (
                    client.try_clone().unwrap(),
                    server.try_clone().unwrap(),
                    host,
                ),
                (server, client, None),
            ] {
                let buf = Arc::new(Mutex::new(Vec::new()));
                all.lock().unwrap().push(buf.clone());
                std::thread::spawn(move || pump(from, to, &buf, host.as_ref()));
            }
        }
    });
    (format!("http://{addr}"), rec)
}

fn pump(
    mut from: TcpStream,
    mut to: TcpStream,
    buf: &Mutex<Vec<u8>>,
    host: Option<&(String, String)>,
) {
    let mut chunk = [0u8; 16384];
    loop {
        match from.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let sent = &chunk[..n];
                buf.lock().unwrap().extend_from_slice(sent);
                let out = match host {
                    Some((from_host, to_host)) => replace_header(sent, from_host, to_host),
                    None => sent.to_vec(),
                };
                if to.write_all(&out).is_err() {
                    break;
                }
            }
        }
    }
    let _ = to.shutdown(std::net::Shutdown::Write);
}

/// `bytes` with the header line starting `from` (any case) starting `to` instead.
fn replace_header(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    let lower = bytes.to_ascii_lowercase();
    match lower.windows(from.len()).position(|w| w == from.as_bytes()) {
        Some(at) => [&bytes[..at], to.as_bytes(), &bytes[at + from.len()..]].concat(),
        None => bytes.to_vec(),
    }
}

/// The traffic so far: every buffer, then the base64 decoding of every token that looks like
/// base64 in it (at each of the four alignments), each part separated by a NUL.
fn traffic(rec: &Recording) -> Vec<u8> {
    let mut raw = Vec::new();
    for b in rec.lock().unwrap().iter() {
        raw.extend_from_slice(&b.lock().unwrap());
        raw.push(0);
    }
    let mut decoded = Vec::new();
    let is_b64 = |c: u8| c.is_ascii_alphanumeric() || c == b'+' || c == b'/' || c == b'=';
    let mut i = 0;
    while i < raw.len() {
        if !is_b64(raw[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < raw.len() && is_b64(raw[i]) {
            i += 1;
        }
        let token = &raw[start..i];
        if token.len() >= 16 {
            for piece in token.split(|c| *c == b'=').filter(|p| p.len() >= 16) {
                for skip in 0..4 {
                    decoded.extend(base64_decode(&piece[skip..]));
                    decoded.push(0);
                }
            }
        }
    }
    raw.push(0);
    raw.extend(decoded);
    raw
}

/// Standard base64 without padding; a trailing partial group gives what bytes it holds.
fn base64_decode(s: &[u8]) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            _ => 63,
        }
    };
    let mut out = Vec::new();
    for group in s.chunks(4) {
        let mut n = 0u32;
        for (k, c) in group.iter().enumerate() {
            n |= value(*c) << (18 - 6 * k);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..group.len().max(1)]);
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// The forms a text may take where it is looked for: itself, and its bytes in hex (a bytea
/// in `pg_dump`).
fn text_forms(text: &str) -> Vec<Vec<u8>> {
    vec![text.as_bytes().to_vec(), hex(text.as_bytes()).into_bytes()]
}

/// The forms a UUID may take: hyphenated, simple (also its bytes in hex), its 16 bytes, and
/// the hex of its hyphenated text.
fn uuid_forms(id: &str) -> Vec<Vec<u8>> {
    let u = uuid::Uuid::parse_str(id).unwrap();
    vec![
        u.hyphenated().to_string().into_bytes(),
        u.simple().to_string().into_bytes(),
        u.as_bytes().to_vec(),
        hex(u.hyphenated().to_string().as_bytes()).into_bytes(),
    ]
}

/// What must never leave, and what must: a label and the forms to look for.
struct Secrets {
    private: Vec<(String, Vec<Vec<u8>>)>,
}

impl Secrets {
    fn text(&mut self, label: &str, text: &str) {
        self.private.push((label.to_string(), text_forms(text)));
    }

    fn uuid(&mut self, label: &str, id: &str) {
        self.private.push((label.to_string(), uuid_forms(id)));
    }

    /// The private things found in `hay` (by label).
    fn found_in(&self, hay: &[u8]) -> Vec<String> {
        self.private
            .iter()
            .filter(|(_, forms)| forms.iter().any(|f| contains(hay, f)))
            .map(|(l, _)| l.clone())
            .collect()
    }
}

fn marker(what: &str) -> String {
    format!(
        "zq{what}{}",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    )
}

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

fn uuid_of(v: &Value) -> String {
    v["uuid"].as_str().expect("a uuid").to_string()
}

fn id_of(v: &Value) -> String {
    v["id"].to_string()
}

/// The server's database as bytes to search: the SQLite file and its WAL, or PostgreSQL's
/// plain `pg_dump` of the test database.
fn database_bytes(db: &Db) -> Vec<u8> {
    match &db.file {
        Some(file) => {
            let mut all = std::fs::read(file).expect("the server's database file");
            let wal = file.with_file_name(format!(
                "{}-wal",
                file.file_name().unwrap().to_string_lossy()
            ));
            if let Ok(w) = std::fs::read(&wal) {
                all.push(0);
                all.extend(w);
            }
            all
        }
        None => {
            let out = std::process::Command::new("pg_dump")
                .args(["--no-owner", "--format=plain", "--dbname", &db.url])
                .output()
                .expect("pg_dump (PostgreSQL's client) on PATH");
            assert!(out.status.success(), "pg_dump: {}", stderr(&out));
            out.stdout
        }
    }
}

fn only_what_is_shared_leaves(db: Db) {
    let server = Env::new();
    let (alex_email, dana_email) = (email("alex"), email("dana"));
    add_user(&server, &db, &alex_email, "Alex Kim");
    add_user(&server, &db, &dana_email, DANA);
    let mut team = server.start(&db, &[]);
    let (proxy, rec) = recording_proxy(&team.base);

    let alex = Env::new();
    alex.ok(&["init", "--me", "Alex Kim", "--manager", DANA]);
    alex.ok(&["person", "set", DANA, "email", &dana_email]);
    let out = alex.run_stdin(
        &[
            "remote",
            "login",
            &proxy,
            "--email",
            &alex_email,
            "--password-stdin",
        ],
        format!("{PASSWORD}\n").as_bytes(),
    );
    assert!(out.status.success(), "login: {}", stderr(&out));

    let mut s = Secrets {
        private: Vec::new(),
    };

    // Every profile field of my manager and of me.
    for who in [DANA, "me"] {
        for field in [
            "goals",
            "priorities",
            "pressures",
            "motivations",
            "values",
            "strengths",
            "blind_spots",
            "pet_peeves",
            "happiest",
            "role",
        ] {
            let m = marker(field);
            alex.ok(&["person", "set", who, field, &m]);
            s.text(&format!("{who}'s {field}"), &m);
        }
        alex.ok(&["person", "set", who, "trust", "2"]);
    }
    alex.ok(&["person", "set", "me", "channel", "video"]);
    let me = alex.json(&["person", "show", "me"]);
    s.uuid("my person's UUID", &uuid_of(&me));
    let dana = alex.json(&["person", "show", DANA]);
    s.uuid("my manager's person UUID", &uuid_of(&dana));

    // A person who is in no space, with a name that is a marker, and an item of theirs.
    let local = marker("localname");
    let local_name = format!("Pat {local}");
    alex.ok(&["person", "add", &local_name, "--relation", "peer"]);
    s.text("a local person's name", &local);
    let pat = alex.json(&["add", "topic", &marker("pattitle"), "--with", &local_name]);
    s.text("Pat's topic", pat["title"].as_str().unwrap());
    s.uuid("Pat's topic's UUID", &uuid_of(&pat));

    // Private items of several kinds, every text field a marker.
    let mut private_ids = Vec::new();
    let mut add_private = |s: &mut Secrets, kind: &str, flags: &[&str]| -> Value {
        let title = marker(&format!("{kind}title"));
        let mut args: Vec<String> = vec!["add".into(), kind.into(), title.clone()];
        args.extend(["--with".into(), DANA.into()]);
        let body = marker(&format!("{kind}body"));
        args.extend(["--body".into(), body.clone()]);
        s.text(&format!("a private {kind}'s title"), &title);
        s.text(&format!("a private {kind}'s body"), &body);
        for f in flags {
            let m = marker(f);
            args.extend([format!("--{f}"), m.clone()]);
            s.text(&format!("a private {kind}'s {f}"), &m);
        }
        let tag = marker("tag");
        args.extend(["--tag".into(), tag.clone()]);
        s.text(&format!("a private {kind}'s tag"), &tag);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let item = alex.json(&refs);
        s.uuid(&format!("a private {kind}'s UUID"), &uuid_of(&item));
        private_ids.push(id_of(&item));
        item
    };
    add_private(&mut s, "risk", &["mitigation", "outcome"]);
    add_private(&mut s, "blocker", &["ask", "data"]);
    add_private(&mut s, "win", &["impact", "metric"]);
    add_private(&mut s, "promise", &[]);
    add_private(&mut s, "priority", &[]);
    add_private(&mut s, "feedback", &[]);
    let goal = add_private(&mut s, "goal", &[]);
    let dropped = add_private(&mut s, "topic", &[]);
    let why = marker("why");
    alex.ok(&["drop", &id_of(&dropped), "--why", &why]);
    s.text("a dropped item's why", &why);
    let alone = alex.json(&["add", "note", &marker("notetitle")]);
    s.text("a note of no one's", alone["title"].as_str().unwrap());
    s.uuid("a note of no one's UUID", &uuid_of(&alone));

    // Shared: a topic, a win for the private goal (the reference must not leave), my card.
    let shared_title = marker("sharedtitle");
    let shared_body = marker("sharedbody");
    let shared = alex.json(&[
        "add",
        "topic",
        &shared_title,
        "--with",
        DANA,
        "--body",
        &shared_body,
        "--shared",
    ]);
    let shared_win = marker("sharedwin");
    alex.json(&[
        "add",
        "win",
        &shared_win,
        "--with",
        DANA,
        "--for",
        &id_of(&goal),
        "--shared",
    ]);

    // A 1:1 with private notes and shared ones, discussing a private and a shared item, with
    // an action agreed (shared afterwards: its meeting becomes the space's).
    let notes = marker("privatenotes");
    let shared_notes = marker("sharednotes");
    let action_title = marker("sharedaction");
    let met = alex.json(&[
        "meet",
        DANA,
        "--notes",
        &notes,
        "--shared-notes",
        &shared_notes,
        "--discussed",
        &format!("{},{}", private_ids[0], id_of(&shared)),
        "--action",
        &format!("{action_title}@me"),
    ]);
    s.text("a 1:1's private notes", &notes);
    s.uuid("a 1:1's UUID", &uuid_of(&met["meeting"]));
    // A 1:1 with only private notes, a week before.
    let notes2 = marker("privatenotes");
    let met2 = alex.json(&["meet", DANA, "--date", "2026-11-16", "--notes", &notes2]);
    s.text("a private 1:1's notes", &notes2);
    s.uuid("a private 1:1's UUID", &uuid_of(&met2["meeting"]));

    // A reflection and a decline, all private.
    let answer = marker("reflection");
    alex.ok(&[
        "reflect",
        DANA,
        "--score",
        "rapport=3",
        "--answer",
        &format!("rapport={answer}"),
    ]);
    s.text("a reflection's answer", &answer);
    let reason = marker("declinereason");
    let declined = marker("declinetitle");
    alex.ok(&[
        "decline", &declined, "--from", DANA, "--reason", &reason, "--sent",
    ]);
    s.text("a decline's reason", &reason);
    s.text("a declined request's title", &declined);

    // The space, accepted by Dana on the web API; sync, share the card and the action, sync
    // again, then an edit of a private item and a third sync.
    let (token, space) = crate::sync::space(&mut team, &alex, &dana_email);
    let first = alex.json(&["sync"]);
    assert!(first["pushed"].as_u64().unwrap() >= 3, "{first}");
    alex.ok(&["share", "card"]);
    let actions = alex.json(&["list", "action", "--with", DANA]);
    let action = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == action_title.as_str())
        .expect("the action agreed")
        .clone();
    alex.ok(&["share", &id_of(&action)]);
    let edited = marker("editedbody");
    alex.ok(&["edit", &private_ids[1], "--body", &edited]);
    s.text("a private item's edited body", &edited);
    alex.json(&["sync"]);
    let again = alex.json(&["sync"]);
    assert_eq!(again["pushed"], 0, "{again}");

    // The search finds: what is shared is in the database and in the traffic.
    let dbytes = database_bytes(&db);
    let wire = traffic(&rec);
    let channel: [&[u8]; 2] = [b"\"channel\":\"video\"", b"\"channel\": \"video\""];
    for (what, hay) in [("the server's database", &dbytes), ("the traffic", &wire)] {
        for m in [
            &shared_title,
            &shared_body,
            &shared_notes,
            &shared_win,
            &action_title,
        ] {
            assert!(
                text_forms(m).iter().any(|f| contains(hay, f)),
                "the shared {m} is in {what}: the search can find"
            );
        }
        assert!(
            uuid_forms(&uuid_of(&shared))
                .iter()
                .any(|f| contains(hay, f)),
            "the shared item's UUID is in {what}"
        );
        assert!(
            channel
                .iter()
                .any(|c| text_forms(std::str::from_utf8(c).unwrap())
                    .iter()
                    .any(|f| contains(hay, f))),
            "my card's channel is in {what}"
        );
        let leaks = s.found_in(hay);
        assert!(leaks.is_empty(), "private data in {what}: {leaks:?}");
    }
    assert!(s.private.len() >= 60, "{} private things", s.private.len());

    // Unshared: the server's records show it removed.
    alex.ok(&["unshare", &id_of(&shared)]);
    alex.json(&["sync"]);
    let items = team
        .api(
            "GET",
            &format!("/api/v1/spaces/{space}/items"),
            Some(&token),
            None,
        )
        .json();
    assert!(
        !items.to_string().contains(&shared_title),
        "the unshared item left the space: {items}"
    );
    assert!(items.to_string().contains(&shared_win), "{items}");

    let wire = traffic(&rec);
    let log = team.stop();
    let leaks = s.found_in(log.as_bytes());
    assert!(
        leaks.is_empty(),
        "private data in the server's log: {leaks:?}"
    );
    let leaks = s.found_in(&wire);
    assert!(leaks.is_empty(), "private data in the traffic: {leaks:?}");
    let leaks = s.found_in(&database_bytes(&db));
    assert!(leaks.is_empty(), "private data in the database: {leaks:?}");
}

#[test]
fn only_what_is_shared_leaves_on_sqlite() {
    let env = Env::new();
    only_what_is_shared_leaves(sqlite(&env));
}

#[test]
fn only_what_is_shared_leaves_on_postgres() {
    if let Some(db) = postgres() {
        only_what_is_shared_leaves(db);
    }
}
