//! The PostgreSQL backend against a real server: the contract suite (each test in a schema
//! of its own, so tests share the cluster and can tamper with their version), and what only
//! a server that can go away has to prove: requests fail as unavailable while it is down and
//! work again when it is back, without reopening the store.
//!
//! The server comes from `UPWARD_TEST_POSTGRES` (a URL): `scripts/postgres run cargo test -p
//! upward-server-store` gives a throw-away one. Without it each test says SKIPPED on a
//! laptop, and fails under `CI` or `UPWARD_NO_SKIP`.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};
use upward_server_store::contract::Fixture;
use upward_server_store::{SCHEMA_VERSION, ServerStore, ServerStoreExt, StoreError, open};
use uuid::Uuid;

/// The test server's URL, or the skip rule: skipped loudly on a laptop, a failure in CI.
fn url() -> Option<String> {
    match std::env::var("UPWARD_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var_os("CI").is_some() || std::env::var_os("UPWARD_NO_SKIP").is_some() => {
            panic!(
                "UPWARD_TEST_POSTGRES is not set, and CI or UPWARD_NO_SKIP is: the PostgreSQL \
                 tests must run (scripts/test starts a server for them)"
            )
        }
        _ => {
            // Straight to the process's stderr: the harness swallows a passing test's output.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: PostgreSQL tests need UPWARD_TEST_POSTGRES (run scripts/postgres run \
                 cargo test -p upward-server-store)"
            );
            None
        }
    }
}

fn raw(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).expect("connect")
}

/// A fresh schema, dropped when the test ends; its URL puts the store's tables in it.
struct Schema {
    admin: String,
    name: String,
}

impl Schema {
    fn new(url: &str) -> Schema {
        let name = format!("upward_server_test_{}", Uuid::new_v4().simple());
        raw(url)
            .batch_execute(&format!("CREATE SCHEMA {name}"))
            .expect("create schema");
        Schema {
            admin: url.to_string(),
            name,
        }
    }

    fn url(&self) -> String {
        let sep = if self.admin.contains('?') { '&' } else { '?' };
        format!(
            "{}{sep}options=-c%20search_path%3D{}",
            self.admin, self.name
        )
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        if let Ok(mut db) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = db.batch_execute(&format!("DROP SCHEMA {} CASCADE", self.name));
        }
    }
}

/// Every row of every table in `schema`, as text, in a stable order.
fn contents(url: &str, schema: &str) -> Vec<u8> {
    let mut db = raw(url);
    let tables: Vec<String> = db
        .query(
            "SELECT table_name::text FROM information_schema.tables
              WHERE table_schema = $1 ORDER BY 1",
            &[&schema],
        )
        .expect("tables")
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut out = Vec::new();
    for t in tables {
        for row in db
            .query(
                &format!("SELECT t::text FROM {schema}.{t} t ORDER BY 1"),
                &[],
            )
            .expect("rows")
        {
            out.extend_from_slice(format!("{t}: {}\n", row.get::<_, String>(0)).as_bytes());
        }
    }
    out
}

/// A TCP port on this machine where nothing listens.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

fn fixture() -> Option<Fixture> {
    let admin = url()?;
    let schema = Schema::new(&admin);
    let url = schema.url();
    let store = open(&url).unwrap_or_else(|e| panic!("open: {e}"));
    let (versions, name) = (url.clone(), schema.name.clone());
    Some(Fixture {
        store,
        url,
        set_version: Box::new(move |v| {
            let mut db = raw(&versions);
            let mut tx = db.transaction().expect("begin");
            tx.execute("DELETE FROM server_migrations", &[])
                .expect("forget the versions");
            tx.execute(
                "INSERT INTO server_migrations (version) SELECT generate_series(1, $1)",
                &[&(v as i32)],
            )
            .expect("set the version");
            tx.commit().expect("commit");
        }),
        fingerprint: Box::new(move || contents(&admin, &name)),
        unreachable: Some(format!(
            "postgres://upward:s3cret@127.0.0.1:{}/upward",
            closed_port()
        )),
        keep: Box::new(schema),
    })
}

mod contract {
    upward_server_store::server_contract_suite!(crate::fixture);
}

#[test]
fn the_tables_are_the_servers_own() {
    let Some(admin) = url() else { return };
    let schema = Schema::new(&admin);
    drop(open(&schema.url()).expect("open"));
    let mut db = raw(&admin);
    let tables: Vec<String> = db
        .query(
            "SELECT table_name::text FROM information_schema.tables
              WHERE table_schema = $1 ORDER BY 1",
            &[&schema.name],
        )
        .expect("tables")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(!tables.is_empty());
    for t in &tables {
        assert!(
            t.starts_with("server_"),
            "{t} could clash with another crate's tables"
        );
    }
    let version: i32 = db
        .query_one(
            &format!("SELECT max(version) FROM {}.server_migrations", schema.name),
            &[],
        )
        .expect("version")
        .get(0);
    assert_eq!(i64::from(version), SCHEMA_VERSION);
}

#[test]
fn a_schema_1_database_is_migrated_and_its_tokens_have_no_device() {
    let Some(admin) = url() else { return };
    let schema = Schema::new(&admin);
    // A database as the first release left it: schema 1, an account with a token.
    let mut db = raw(&schema.url());
    db.batch_execute(
        "CREATE TABLE server_migrations (
            version    integer PRIMARY KEY,
            applied_at timestamptz NOT NULL DEFAULT now()
        )",
    )
    .expect("versions");
    db.batch_execute(include_str!("../migrations/postgres/0001_server.sql"))
        .expect("schema 1");
    db.batch_execute(
        "INSERT INTO server_migrations (version) VALUES (1);
         INSERT INTO server_accounts VALUES
           ('00000000-0000-0000-0000-000000000001', 'a@example.com', 'a@example.com', 'A', NULL,
            'UTC', false, 1, NULL);
         INSERT INTO server_tokens VALUES
           ('00000000-0000-0000-0000-000000000002', '\\x0303030303030303030303030303030303030303030303030303030303030303', '00000000-0000-0000-0000-000000000001',
            'laptop', 1, NULL);",
    )
    .expect("a token");
    drop(db);
    let store = open(&schema.url()).expect("migrated");
    let tokens = store
        .read(|tx| tx.tokens_of(Uuid::from_u128(1)))
        .expect("read");
    assert_eq!(tokens.len(), 1);
    assert_eq!(
        (tokens[0].name.as_str(), tokens[0].device),
        ("laptop", None)
    );
    let version: i32 = raw(&schema.url())
        .query_one("SELECT max(version) FROM server_migrations", &[])
        .expect("version")
        .get(0);
    assert_eq!(i64::from(version), SCHEMA_VERSION);
    drop(store);
}

/// A cluster of this test's own, stopped and deleted when it ends.
struct Cluster {
    script: PathBuf,
    dir: String,
    url: String,
}

impl Cluster {
    fn start() -> Cluster {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/postgres");
        let out = Command::new(&script)
            .arg("start")
            .output()
            .expect("scripts/postgres start");
        assert!(
            out.status.success(),
            "scripts/postgres start: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).expect("utf-8");
        let var = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("export {name}=")))
                .unwrap_or_else(|| panic!("no {name} in {text}"))
                .to_string()
        };
        Cluster {
            script,
            dir: var("UPWARD_TEST_POSTGRES_DIR"),
            url: var("UPWARD_TEST_POSTGRES"),
        }
    }

    fn run(&self, what: &str) {
        let status = Command::new(&self.script)
            .args([what, &self.dir])
            .status()
            .expect("scripts/postgres");
        assert!(status.success(), "scripts/postgres {what}");
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new(&self.script)
            .args(["stop", &self.dir])
            .status();
    }
}

/// What a request gets while the database is down: unavailable, in bounded time.
fn down(store: &dyn ServerStore, what: &str) {
    let started = Instant::now();
    let results = [
        ("write", store.write(|tx| tx.set_setting("k", "down")).err()),
        ("read", store.read(|tx| tx.setting("k")).err()),
        ("ping", store.ping().err()),
    ];
    for (name, e) in results {
        assert!(
            matches!(e, Some(StoreError::Unavailable(_))),
            "{what}: a {name} while PostgreSQL is down: {e:?}"
        );
    }
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{what}: gave up in {:?}",
        started.elapsed()
    );
}

#[test]
fn requests_are_unavailable_while_postgres_is_down_and_work_when_it_is_back() {
    if url().is_none() {
        return;
    }
    let cluster = Cluster::start();
    let store = open(&cluster.url).expect("open");
    store
        .write(|tx| tx.set_setting("k", "before"))
        .expect("write");

    // Down between requests.
    cluster.run("pause");
    down(&*store, "between requests");
    cluster.run("resume");
    assert_eq!(
        store
            .read(|tx| tx.setting("k"))
            .expect("the first read after")
            .as_deref(),
        Some("before")
    );
    store
        .write(|tx| tx.set_setting("k", "after"))
        .expect("the first write after");

    // Down in the middle of a write transaction: it is unavailable, and nothing of it stays.
    let r = store.write(|tx| {
        tx.set_setting("k", "lost")?;
        cluster.run("pause");
        tx.set_setting("other", "lost")
    });
    assert!(matches!(r, Err(StoreError::Unavailable(_))), "{r:?}");
    let e = store.ping().err();
    assert!(matches!(e, Some(StoreError::Unavailable(_))), "{e:?}");
    cluster.run("resume");
    let (k, other) = store
        .read(|tx| Ok((tx.setting("k")?, tx.setting("other")?)))
        .expect("read after");
    assert_eq!((k.as_deref(), other), (Some("after"), None));

    // Opening while it is down is unavailable too, and names no password.
    cluster.run("pause");
    let e = open(&cluster.url).err().expect("refused");
    assert!(matches!(e, StoreError::Unavailable(_)), "{e:?}");
    let password = cluster
        .url
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once('@'))
        .and_then(|(user, _)| user.split_once(':'))
        .map(|(_, p)| p.to_string())
        .expect("the URL has a password");
    assert!(!e.to_string().contains(&password), "{e}");
    cluster.run("resume");
    store.ping().expect("back");
}
