//! What every PostgreSQL test needs: the server's URL (or the skip rule), a fresh workspace,
//! items to write.

use std::io::Write;
use upward_domain::{Clock, Item, ItemInput, Kind};
use upward_store::Store;
use upward_store::contract::Fixture;
use upward_store_postgres::PgStore;
use uuid::Uuid;

/// The test server's URL. Without one, a test on a laptop is skipped, loudly; in CI (`CI` set)
/// and under `scripts/test` (`UPWARD_NO_SKIP` set) it fails, so that neither can pass by
/// skipping the PostgreSQL tests.
pub fn url() -> Option<String> {
    match std::env::var("UPWARD_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var_os("CI").is_some() || std::env::var_os("UPWARD_NO_SKIP").is_some() => {
            panic!(
                "UPWARD_TEST_POSTGRES is not set, and CI or UPWARD_NO_SKIP is: the PostgreSQL \
                 tests must run (scripts/test starts a server for them)"
            )
        }
        _ => {
            // Straight to the process's stderr: the test harness would swallow an `eprintln!`
            // of a test that passes, and a skip must be seen.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: PostgreSQL tests need UPWARD_TEST_POSTGRES (run scripts/postgres run cargo test)"
            );
            None
        }
    }
}

/// Opens `workspace` in the test database.
pub fn open(url: &str, workspace: Uuid) -> PgStore {
    PgStore::open(url, workspace).unwrap_or_else(|e| panic!("opening {workspace}: {e}"))
}

/// A fresh workspace for the contract suite, with a way to open it again (another process,
/// as far as the contract is concerned).
pub fn fixture() -> Option<Fixture> {
    let url = url()?;
    let workspace = Uuid::new_v4();
    let store = open(&url, workspace);
    Some(Fixture {
        store: Box::new(store),
        another: Box::new(move || Box::new(open(&url, workspace)) as Box<dyn Store>),
        keep: Box::new(()),
    })
}

pub fn clock() -> Clock {
    Clock::fixed("2026-11-23").expect("a fixed clock")
}

pub fn item(kind: Kind, title: &str) -> Item {
    Item::new(
        kind,
        ItemInput {
            title: Some(title.into()),
            ..Default::default()
        },
        &clock(),
        1,
    )
    .expect("a valid item")
}

/// The same URL with its tables in `schema` (through the connection's `search_path`): a
/// database of its own, as far as migrations can tell.
pub fn in_schema(url: &str, schema: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}options=-c%20search_path%3D{schema}")
}

/// A raw connection, for what the store will not do (create a schema, tamper with versions).
pub fn raw(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).expect("connect")
}

/// A fresh schema, dropped when the test ends.
pub struct Schema {
    admin: String,
    pub name: String,
}

impl Schema {
    pub fn new(url: &str) -> Schema {
        let name = format!("upward_test_{}", Uuid::new_v4().simple());
        raw(url)
            .batch_execute(&format!("CREATE SCHEMA {name}"))
            .expect("create schema");
        Schema {
            admin: url.to_string(),
            name,
        }
    }

    pub fn url(&self) -> String {
        in_schema(&self.admin, &self.name)
    }

    /// Every row of every table in the schema, as text, in a stable order.
    pub fn contents(&self) -> Vec<String> {
        let mut db = raw(&self.url());
        let tables: Vec<String> = db
            .query(
                "SELECT table_name::text FROM information_schema.tables
                  WHERE table_schema = $1 ORDER BY 1",
                &[&self.name],
            )
            .expect("tables")
            .iter()
            .map(|r| r.get(0))
            .collect();
        let mut out = Vec::new();
        for t in tables {
            let rows = db
                .query(&format!("SELECT t::text FROM {t} t ORDER BY 1"), &[])
                .expect("rows");
            out.extend(
                rows.iter()
                    .map(|r| format!("{t}: {}", r.get::<_, String>(0))),
            );
        }
        out
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        if let Ok(mut db) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = db.batch_execute(&format!("DROP SCHEMA {} CASCADE", self.name));
        }
    }
}
