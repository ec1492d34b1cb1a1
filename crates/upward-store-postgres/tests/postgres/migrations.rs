//! Migrations: a fresh database is brought to this build's version once, however many servers
//! open it at the same moment; a database from a newer build is refused and left as it was.
//! Each test works in a schema of its own, so that it can tamper with the recorded version
//! without disturbing the tests running beside it.

use crate::common::{Schema, item, open, raw, url};
use upward_domain::Kind;
use upward_store::{StoreError, StoreExt};
use upward_store_postgres::{PgStore, SCHEMA_VERSION};
use uuid::Uuid;

#[test]
fn a_database_from_a_newer_build_is_refused_and_left_unchanged() {
    let Some(url) = url() else { return };
    let schema = Schema::new(&url);
    let ws = Uuid::new_v4();
    open(&schema.url(), ws)
        .write(|tx| tx.insert_item(&item(Kind::Note, "kept")))
        .expect("write");
    let newer = SCHEMA_VERSION as i32 + 1;
    raw(&schema.url())
        .execute(
            "INSERT INTO upward_migrations (version) VALUES ($1)",
            &[&newer],
        )
        .expect("bump the version");
    let before = schema.contents();
    assert!(
        before.iter().any(|r| r.starts_with("items: ")),
        "{before:?}"
    );

    for workspace in [ws, Uuid::new_v4()] {
        match PgStore::open(&schema.url(), workspace) {
            Err(StoreError::TooNew { found, known, .. }) => {
                assert_eq!((found, known), (i64::from(newer), SCHEMA_VERSION));
            }
            Err(e) => panic!("refused, but not as too new: {e}"),
            Ok(_) => {
                panic!("a database of schema {newer} was opened by a build of {SCHEMA_VERSION}")
            }
        }
    }
    assert_eq!(schema.contents(), before, "refusing changed the database");
}

#[test]
fn servers_opening_a_fresh_database_at_once_migrate_it_once() {
    let Some(url) = url() else { return };
    let schema = Schema::new(&url);
    let opened: Vec<Result<(), String>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..6)
            .map(|_| {
                let url = schema.url();
                s.spawn(move || {
                    let mut store =
                        PgStore::open(&url, Uuid::new_v4()).map_err(|e| e.to_string())?;
                    store
                        .write(|tx| tx.insert_item(&item(Kind::Note, "n")))
                        .map(|_| ())
                        .map_err(|e| e.to_string())
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("no panic"))
            .collect()
    });
    for r in opened {
        r.expect("every server opens and writes");
    }
    let versions: Vec<i32> = raw(&schema.url())
        .query(
            "SELECT version FROM upward_migrations ORDER BY version",
            &[],
        )
        .expect("versions")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(versions, (1..=SCHEMA_VERSION as i32).collect::<Vec<_>>());
}

#[test]
fn every_key_and_index_starts_with_the_workspace() {
    let Some(url) = url() else { return };
    let schema = Schema::new(&url);
    drop(open(&schema.url(), Uuid::new_v4()));
    let rows = raw(&schema.url())
        .query(
            "SELECT c.relname::text, i.relname::text,
                    (SELECT a.attname::text FROM pg_attribute a
                      WHERE a.attrelid = c.oid AND a.attnum = ix.indkey[0])
               FROM pg_index ix
               JOIN pg_class i ON i.oid = ix.indexrelid
               JOIN pg_class c ON c.oid = ix.indrelid
               JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = $1 AND c.relname <> 'upward_migrations'",
            &[&schema.name],
        )
        .expect("indexes");
    assert!(rows.len() > 10, "{} indexes", rows.len());
    for r in rows {
        let (table, index, first): (String, String, Option<String>) =
            (r.get(0), r.get(1), r.get(2));
        assert_eq!(
            first.as_deref(),
            Some("workspace"),
            "index {index} of {table} does not start with the workspace"
        );
    }
}
