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

/// Migration 2 (issue #15) on a database of schema 1 with data: what it adds is filled in as
/// an old export is read (`Export::upgrade_v2`), and the SQLite schema's migration 3 does.
#[test]
fn schema_2_fills_in_the_risk_state_and_who_confirmed() {
    let Some(url) = url() else { return };
    let schema = Schema::new(&url);
    let ws = Uuid::new_v4();
    let c = crate::common::clock();
    let (risk, done_risk, priority) = open(&schema.url(), ws)
        .write(|tx| -> upward_store::Result<_> {
            let dana = tx.insert_person(&upward_domain::Person::new(
                "Dana",
                upward_domain::Relation::Manager,
                c.now,
            )?)?;
            let mut r = item(Kind::Risk, "Vendor late");
            r.severity = Some(upward_domain::Level::High);
            r.communicated = Some(c.today);
            let r = tx.insert_item(&r)?;
            let mut d = item(Kind::Risk, "Gone");
            d.status = upward_domain::Status::Done;
            d.done = Some(c.today);
            let d = tx.insert_item(&d)?;
            let mut p = item(Kind::Priority, "Billing");
            p.confirmed = Some(c.today);
            let p = tx.insert_item(&p)?;
            let m = tx.insert_meeting(&upward_domain::Meeting {
                id: 0,
                uuid: Uuid::new_v4(),
                person: dana.to_ref(),
                date: c.today,
                notes: None,
                shared_notes: None,
                their_notes: None,
                discussed: vec![],
                created_at: c.now,
            })?;
            tx.update_meeting(&upward_domain::Meeting {
                discussed: vec![p.uuid],
                ..m
            })?;
            Ok((r.uuid, d.uuid, (p.uuid, dana.uuid)))
        })
        .expect("write");
    // Back to schema 1: without what migrations 2 to 5 added.
    raw(&schema.url())
        .batch_execute(
            "DROP TABLE meeting_effects, tombstones, declines;
             ALTER TABLE people DROP COLUMN technical, DROP COLUMN exec, DROP COLUMN email,
                 DROP COLUMN account;
             ALTER TABLE meetings DROP COLUMN shared_notes, DROP COLUMN their_notes;
             ALTER TABLE items DROP COLUMN confirmed_by, DROP COLUMN remaining, DROP COLUMN state,
                 DROP COLUMN outcome, DROP COLUMN communicated_severity,
                 DROP COLUMN communicated_likelihood, DROP COLUMN communicated_state,
                 DROP COLUMN for_item, DROP COLUMN answers, DROP COLUMN original_due,
                 DROP COLUMN renegotiated;
             DELETE FROM upward_migrations WHERE version > 1;",
        )
        .expect("back to schema 1");
    let snap = open(&schema.url(), ws)
        .read(|tx| tx.snapshot_of(upward_store::Scope::default(), Kind::ALL))
        .expect("read");
    let get = |uuid: Uuid| snap.items.iter().find(|i| i.uuid == uuid).expect("kept");
    // Migration 4: a person recorded before it has `technical` and `exec` unset; migration
    // 5: `email` and `account`, and a meeting its shared and their notes.
    assert!(
        !snap.people.is_empty()
            && snap.people.iter().all(|p| p.technical.is_none()
                && p.exec.is_none()
                && p.email.is_none()
                && p.account.is_none())
    );
    assert!(
        !snap.meetings.is_empty()
            && snap
                .meetings
                .iter()
                .all(|m| m.shared_notes.is_none() && m.their_notes.is_none())
    );
    let r = get(risk);
    assert_eq!(r.state, Some(upward_domain::RiskState::Open));
    assert_eq!(
        (r.communicated_severity, r.communicated_state),
        (
            Some(upward_domain::Level::High),
            Some(upward_domain::RiskState::Open)
        )
    );
    assert_eq!(get(done_risk).state, Some(upward_domain::RiskState::Closed));
    assert_eq!(get(done_risk).communicated_state, None);
    assert_eq!(get(priority.0).confirmed_by, Some(priority.1));
    assert_eq!(get(priority.0).renegotiated, 0);
}
