//! Copies, checks and restores of a database file (`upward backup`, `upward doctor`): a copy
//! is whole, private and checked; a check never changes the file and says what is damaged;
//! a restore keeps the file it replaces, byte for byte; a full disk is said as such.

use rusqlite::Connection;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use upward_domain::{Clock, Item, ItemInput, Kind, Meeting, Person, Relation};
use upward_store::{Scope, StoreError, StoreExt};
use upward_store_sqlite::SqliteStore;

fn clock() -> Clock {
    Clock::fixed("2026-11-23").unwrap()
}

/// A database with a person, `n` items with bodies long enough to fill many pages, and a 1:1.
fn filled(dir: &Path, n: usize) -> PathBuf {
    let path = dir.join("upward.db");
    let mut store = SqliteStore::open(&path).unwrap();
    store
        .write(|tx| -> upward_store::Result<()> {
            let dana = tx.insert_person(&Person::new("Dana", Relation::Manager, clock().now)?)?;
            let mut first = None;
            for i in 0..n {
                let mut item = Item::new(
                    Kind::Note,
                    ItemInput {
                        title: Some(format!("note {i} about latency")),
                        body: Some(format!("{i} ").repeat(300)),
                        ..Default::default()
                    },
                    &clock(),
                    1,
                )?;
                item.person = Some(dana.to_ref());
                let item = tx.insert_item(&item)?;
                first.get_or_insert(item.uuid);
            }
            tx.insert_meeting(&Meeting {
                id: 0,
                uuid: uuid::Uuid::new_v4(),
                person: dana.to_ref(),
                date: clock().today,
                notes: Some("talked about latency".into()),
                shared_notes: None,
                their_notes: None,
                discussed: first.into_iter().collect(),
                created_at: clock().now,
            })?;
            Ok(())
        })
        .unwrap();
    drop(store);
    path
}

/// Everything in the database, as the export would have it.
fn contents(path: &Path) -> String {
    let mut store = SqliteStore::open(path).unwrap();
    let snap = store
        .read(|tx| tx.snapshot_of(Scope::default(), Kind::ALL))
        .unwrap();
    format!("{:?}{:?}{:?}", snap.people, snap.items, snap.meetings)
}

/// The pages of a table or index, from SQLite's `dbstat`.
fn pages_of(path: &Path, name: &str) -> Vec<u64> {
    let conn = Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT pageno FROM dbstat WHERE name = ?1 ORDER BY pageno")
        .unwrap();
    stmt.query_map([name], |r| r.get::<_, i64>(0).map(|p| p as u64))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Overwrites page `page` (1-based) with zeros.
fn zero_page(path: &Path, page: u64) {
    use std::io::{Seek, SeekFrom, Write};
    let mut f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    f.seek(SeekFrom::Start((page - 1) * 4096)).unwrap();
    f.write_all(&[0u8; 4096]).unwrap();
}

#[test]
fn a_backup_is_whole_private_checked_and_a_single_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = filled(dir.path(), 50);
    let dest = dir.path().join("copy.db");
    let store = SqliteStore::open(&db).unwrap();
    let copy = store.backup_to(&dest).unwrap();
    drop(store);
    assert_eq!(copy.integrity_check, "ok");
    assert_eq!(
        copy.schema_version,
        upward_store_sqlite::SCHEMA_VERSION as i64
    );
    assert_eq!(copy.bytes, std::fs::metadata(&dest).unwrap().len());
    assert_eq!(
        std::fs::metadata(&dest).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // Journal mode DELETE: nothing else is needed to read it.
    let header = std::fs::read(&dest).unwrap();
    assert_eq!((header[18], header[19]), (1, 1));
    assert!(!dir.path().join("copy.db-wal").exists());
    assert_eq!(contents(&dest), contents(&db));
    // No temporary file is left.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(names.is_empty(), "{names:?}");
    // A second backup replaces the first.
    let store = SqliteStore::open(&db).unwrap();
    store.backup_to(&dest).unwrap();
    assert!(upward_store_sqlite::verify(&dest).is_ok());
}

#[test]
fn a_sound_database_checks_ok_and_the_check_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = filled(dir.path(), 20);
    let before = std::fs::read(&db).unwrap();
    let health = upward_store_sqlite::check(&db).unwrap();
    assert!(health.ok(), "{health:#?}");
    let names: Vec<&str> = health.checks.iter().map(|c| c.check.as_str()).collect();
    assert_eq!(
        names,
        [
            "file",
            "schema_version",
            "integrity_check",
            "foreign_key_check",
            "items_fts",
            "meetings_fts",
            "people_fts"
        ]
    );
    assert_eq!(health.schema_version, Some(health.schema_known as i64));
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

/// Damages a fresh database with `damage`, checks it, and returns what the check found; the
/// check must leave the file as the damage left it.
fn check_damaged(damage: impl FnOnce(&Path)) -> upward_store_sqlite::Health {
    let dir = tempfile::tempdir().unwrap();
    let db = filled(dir.path(), 60);
    damage(&db);
    let before = std::fs::read(&db).unwrap();
    let health = upward_store_sqlite::check(&db).unwrap();
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the check changed the file"
    );
    assert!(!health.ok(), "{health:#?}");
    health
}

fn findings(h: &upward_store_sqlite::Health) -> String {
    h.checks
        .iter()
        .flat_map(|c| c.findings.iter().map(move |f| format!("{}: {f}", c.check)))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_zeroed_page_of_items_puts_records_at_risk() {
    let h = check_damaged(|db| {
        let pages = pages_of(db, "items");
        zero_page(db, pages[pages.len() / 2]);
    });
    assert!(h.records_at_risk);
    let f = findings(&h);
    assert!(f.contains("holding the items (table items)"), "{f}");
}

#[test]
fn a_zeroed_index_page_loses_no_record() {
    let h = check_damaged(|db| {
        let pages = pages_of(db, "items_person");
        zero_page(db, *pages.last().unwrap());
    });
    assert!(!h.records_at_risk, "{h:#?}");
    assert!(findings(&h).contains("items_person"), "{}", findings(&h));
}

#[test]
fn a_zeroed_search_index_page_loses_no_record() {
    let h = check_damaged(|db| {
        let pages = pages_of(db, "items_fts_data");
        zero_page(db, *pages.last().unwrap());
    });
    assert!(!h.records_at_risk, "{h:#?}");
    assert!(findings(&h).contains("search index"), "{}", findings(&h));
}

#[test]
fn a_cut_short_file_says_so() {
    for keep in [50u64, 100, 4096, 3 * 4096 + 17] {
        let h = check_damaged(|db| {
            let f = std::fs::OpenOptions::new().write(true).open(db).unwrap();
            f.set_len(keep).unwrap();
        });
        assert!(h.records_at_risk);
        assert!(
            findings(&h).contains("cut short"),
            "{keep}: {}",
            findings(&h)
        );
    }
}

#[test]
fn a_garbled_application_id_is_damage_not_a_stranger() {
    let h = check_damaged(|db| {
        let mut bytes = std::fs::read(db).unwrap();
        bytes[68] ^= 0xff;
        std::fs::write(db, bytes).unwrap();
    });
    assert!(!h.not_upward);
    assert!(findings(&h).contains("application id"), "{}", findings(&h));
    // Everything else still reads.
    assert!(
        h.checks
            .iter()
            .any(|c| c.check == "integrity_check" && c.ok)
    );
}

#[test]
fn another_programs_file_is_not_upward() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.sqlite");
    Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .unwrap();
    let h = upward_store_sqlite::check(&other).unwrap();
    assert!(h.not_upward);
    assert!(!h.ok());
}

#[test]
fn a_backup_of_a_damaged_database_is_refused_and_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = filled(dir.path(), 60);
    let pages = pages_of(&db, "items");
    zero_page(&db, pages[pages.len() / 2]);
    let before = std::fs::read(&db).unwrap();
    let store = SqliteStore::open(&db).unwrap();
    let dest = dir.path().join("copy.db");
    match store.backup_to(&dest) {
        Err(StoreError::Damaged { path, detail }) => {
            assert_eq!(path, db);
            assert!(detail.contains("integrity check"), "{detail}");
        }
        other => panic!("{other:?}"),
    }
    drop(store);
    assert!(!dest.exists());
    assert_eq!(std::fs::read(&db).unwrap(), before);
    let stray: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with('.'))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[test]
fn a_restore_puts_the_backup_in_place_and_keeps_the_damaged_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = filled(dir.path(), 60);
    let good = contents(&db);
    let backup = dir.path().join("backup.db");
    SqliteStore::open(&db).unwrap().backup_to(&backup).unwrap();
    let pages = pages_of(&db, "items");
    zero_page(&db, pages[1]);
    let damaged = std::fs::read(&db).unwrap();
    let aside = dir.path().join("upward.db.before-restore");

    // Refused while another store has the file open, and nothing changes.
    let open = SqliteStore::open(&db).unwrap();
    match upward_store_sqlite::restore(&db, &backup, &aside) {
        Err(StoreError::Conflict(m)) => assert!(m.contains("in use"), "{m}"),
        other => panic!("{other:?}"),
    }
    drop(open);
    assert!(!aside.exists());

    let restored = upward_store_sqlite::restore(&db, &backup, &aside).unwrap();
    assert_eq!(restored.moved_aside.as_deref(), Some(aside.as_path()));
    assert_eq!(std::fs::read(&aside).unwrap(), damaged);
    assert_eq!(contents(&db), good);
    assert!(upward_store_sqlite::check(&db).unwrap().ok());
    assert_eq!(
        std::fs::metadata(&db).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // A second restore to the same aside name is refused: nothing is overwritten.
    match upward_store_sqlite::restore(&db, &backup, &aside) {
        Err(StoreError::Conflict(m)) => assert!(m.contains("already exists"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_damaged_backup_is_not_restored() {
    let dir = tempfile::tempdir().unwrap();
    let db = filled(dir.path(), 60);
    let backup = dir.path().join("backup.db");
    SqliteStore::open(&db).unwrap().backup_to(&backup).unwrap();
    let pages = pages_of(&backup, "items");
    zero_page(&backup, pages[1]);
    let before = std::fs::read(&db).unwrap();
    let aside = dir.path().join("aside.db");
    assert!(matches!(
        upward_store_sqlite::restore(&db, &backup, &aside),
        Err(StoreError::Damaged { .. })
    ));
    assert_eq!(std::fs::read(&db).unwrap(), before);
    assert!(!aside.exists());
}

#[test]
fn a_full_disk_is_said_as_such_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = filled(dir.path(), 5);
    let before = contents(&db);
    let mut store = SqliteStore::open(&db).unwrap();
    let pages: i64 = Connection::open(&db)
        .unwrap()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    store.limit_pages(pages).unwrap();
    let r = store.write(|tx| -> upward_store::Result<()> {
        for i in 0..50 {
            tx.insert_item(&Item::new(
                Kind::Note,
                ItemInput {
                    title: Some(format!("filler {i}")),
                    body: Some("x".repeat(4000)),
                    ..Default::default()
                },
                &clock(),
                1,
            )?)?;
        }
        Ok(())
    });
    match r {
        Err(e @ StoreError::DiskFull { .. }) => assert_eq!(
            e.to_string(),
            format!(
                "the disk holding {} is full: free some space and run the command again; nothing was changed",
                db.display()
            )
        ),
        other => panic!("{other:?}"),
    }
    drop(store);
    assert_eq!(contents(&db), before);
}

/// Salvages `db` (damaged) into a new database and returns the report, the number of items
/// read back through the store, and whether the damaged file stayed as it was.
fn salvaged(db: &Path) -> (upward_store_sqlite::Salvage, usize) {
    let before = std::fs::read(db).unwrap();
    let into = db.with_file_name("rescued.db");
    let report = upward_store_sqlite::salvage(db, &into).unwrap();
    assert_eq!(
        std::fs::read(db).unwrap(),
        before,
        "salvage changed the file"
    );
    let mut store = SqliteStore::open(&into).unwrap();
    let snap = store
        .read(|tx| tx.snapshot_of(Scope::default(), Kind::ALL))
        .unwrap();
    assert!(upward_store_sqlite::check(&into).unwrap().ok());
    // What was read is consistent: every reference resolves.
    for m in &snap.meetings {
        assert!(snap.people.iter().any(|p| p.uuid == m.person.uuid));
        for d in &m.discussed {
            assert!(snap.items.iter().any(|i| i.uuid == *d));
        }
    }
    (report, snap.items.len())
}

#[test]
fn salvage_reads_every_row_but_those_on_a_zeroed_page() {
    let dir = tempfile::tempdir().unwrap();
    let db = filled(dir.path(), 60);
    let pages = pages_of(&db, "items");
    zero_page(&db, pages[pages.len() / 2]);
    let (report, items) = salvaged(&db);
    assert!(items > 50 && items < 60, "{items}: {report:#?}");
    assert_eq!(report.copied["items"], items);
    assert_eq!(report.lost.len(), 1, "{report:#?}");
    assert!(report.lost[0].contains(&format!("{} row(s) of items", 60 - items)));
    assert_eq!(report.copied["people"], 1);
    assert_eq!(report.copied["meetings"], 1);
}

#[test]
fn salvage_reads_everything_through_a_garbled_header() {
    for (offset, field) in [
        (0, "its first 16 bytes"),
        (16, "its page size"),
        (18, "its file format bytes"),
        (28, "its page count"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let db = filled(dir.path(), 60);
        let mut bytes = std::fs::read(&db).unwrap();
        bytes[offset] ^= 0xff;
        std::fs::write(&db, bytes).unwrap();
        let (report, items) = salvaged(&db);
        assert_eq!(items, 60, "byte {offset}: {report:#?}");
        assert_eq!(report.repaired_header, [field], "byte {offset}");
        assert!(report.lost.is_empty(), "byte {offset}: {report:#?}");
    }
}

#[test]
fn salvage_reads_what_is_left_of_a_cut_short_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = filled(dir.path(), 60);
    let len = std::fs::metadata(&db).unwrap().len();
    let f = std::fs::OpenOptions::new().write(true).open(&db).unwrap();
    f.set_len(len * 3 / 4 + 100).unwrap();
    drop(f);
    let (report, items) = salvaged(&db);
    assert!(
        report
            .repaired_header
            .contains(&"its page count".to_string()),
        "{report:#?}"
    );
    assert!(items < 60, "{report:#?}");
}

/// Salvage keeps what sync has nowhere else (the device, the links, the operations not pushed
/// yet) and leaves the rest to the next sync: the replica's records out, every cursor at 0,
/// the operations kept marked unapplied, and no change mark kept (the new file's marks start
/// again, so the next sync compares everything; docs/sync.md).
#[test]
fn salvage_keeps_the_unpushed_operations_and_has_the_next_sync_pull_again() {
    use upward_store::{SyncLink, SyncOp};
    let dir = tempfile::tempdir().unwrap();
    let db = filled(dir.path(), 5);
    let (space, device) = (uuid::Uuid::from_u128(0xa), uuid::Uuid::from_u128(0xde));
    let op = |n: u128, pushed: bool| SyncOp {
        id: uuid::Uuid::from_u128(n),
        space,
        seq: 0,
        envelope: b"{}".to_vec(),
        payload: vec![n as u8],
        position: pushed.then_some(n as i64),
        pushed,
        applied: true,
    };
    SqliteStore::open(&db)
        .unwrap()
        .write(|tx| -> upward_store::Result<()> {
            tx.set_device(device)?;
            tx.put_sync_link(&SyncLink {
                space,
                server: "https://upward.example.com".into(),
                person: tx.people(true)?[0].uuid,
                me: uuid::Uuid::from_u128(1),
                other: uuid::Uuid::from_u128(2),
                my_role: "report".into(),
                cursor: 9,
                clock: 5,
                status: "active".into(),
                made: Some(3),
            })?;
            tx.insert_sync_op(&op(1, true))?;
            tx.insert_sync_op(&op(2, false))?;
            tx.insert_sync_op(&op(3, false))?;
            tx.put_sync_record(space, uuid::Uuid::from_u128(7), b"state")
        })
        .unwrap();
    let (report, items) = salvaged(&db);
    assert_eq!(items, 5);
    assert!(report.lost.is_empty(), "{report:#?}");
    assert_eq!(report.copied["sync_ops"], 2, "{report:#?}");
    let mut store = SqliteStore::open(&db.with_file_name("rescued.db")).unwrap();
    let (got_device, links, unpushed, unapplied, records) = store
        .read(|tx| -> upward_store::Result<_> {
            Ok((
                tx.device()?,
                tx.sync_links()?,
                tx.unpushed_ops(space)?,
                tx.unapplied_ops()?,
                tx.sync_records(space)?,
            ))
        })
        .unwrap();
    assert_eq!(got_device, Some(device));
    assert_eq!(links.len(), 1);
    assert_eq!((links[0].cursor, links[0].clock), (0, 5));
    assert_eq!(links[0].made, None);
    let ids = |ops: &[SyncOp]| ops.iter().map(|o| o.id.as_u128()).collect::<Vec<_>>();
    assert_eq!(ids(&unpushed), [2, 3]);
    assert_eq!(ids(&unapplied), [2, 3]);
    assert!(unpushed[0].seq < unpushed[1].seq);
    assert!(records.is_empty());
}
