//! `SqliteStore::open_read_only`: a command that only reads writes nothing to the database's
//! directory (no file created, written, truncated or removed, no checkpoint), still sees one
//! consistent snapshot while another process writes, and refuses what `SqliteStore::open`
//! refuses.

use rusqlite::Connection;
use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use upward_domain::{Clock, Item, ItemInput, Kind, Person, Relation};
use upward_store::{Scope, StoreError, StoreExt};
use upward_store_sqlite::{MIGRATIONS, SqliteStore};

fn clock() -> Clock {
    Clock::fixed("2026-11-23").unwrap()
}

fn note(title: &str) -> Item {
    Item::new(
        Kind::Note,
        ItemInput {
            title: Some(title.into()),
            ..Default::default()
        },
        &clock(),
        1,
    )
    .unwrap()
}

fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(suffix);
    p.into()
}

/// Every file in `dir`: its content, size, inode and modification time to the nanosecond.
fn files(dir: &Path) -> BTreeMap<String, (Vec<u8>, u64, u64, i64, i64)> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let m = e.metadata().unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                (
                    std::fs::read(e.path()).unwrap(),
                    m.len(),
                    m.ino(),
                    m.mtime(),
                    m.mtime_nsec(),
                ),
            )
        })
        .collect()
}

/// A database with Dana and one note, as a store that writes leaves it.
fn workspace(dir: &Path) -> PathBuf {
    let db = dir.join("upward.db");
    let mut store = SqliteStore::open(&db).unwrap();
    store
        .write(|tx| -> upward_store::Result<_> {
            tx.insert_person(&Person::new("Dana", Relation::Manager, clock().now)?)?;
            tx.insert_item(&note("first"))?;
            Ok(())
        })
        .unwrap();
    db
}

fn titles(store: &mut SqliteStore) -> Vec<String> {
    store
        .read(|tx| tx.snapshot_of(Scope::default(), Kind::ALL))
        .unwrap()
        .items
        .into_iter()
        .map(|i| i.title)
        .collect()
}

#[test]
fn a_store_that_writes_leaves_its_wal_files_checkpointed_and_empty() {
    let dir = tempfile::tempdir().unwrap();
    let db = workspace(dir.path());
    assert_eq!(std::fs::metadata(sidecar(&db, "-wal")).unwrap().len(), 0);
    assert!(sidecar(&db, "-shm").exists());
    // Every commit is in the database file itself.
    let copy = dir.path().join("copy.db");
    std::fs::copy(&db, &copy).unwrap();
    let n: i64 = Connection::open(&copy)
        .unwrap()
        .query_row("SELECT count(*) FROM items", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
}

#[test]
fn a_read_only_store_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = workspace(dir.path());
    let before = files(dir.path());
    assert_eq!(before.len(), 3, "{:?}", before.keys());
    {
        let mut store = SqliteStore::open_read_only(&db).unwrap();
        assert!(!store.created());
        assert_eq!(titles(&mut store), ["first"]);
        assert_eq!(titles(&mut store), ["first"]);
        let refused = store.write(|tx| tx.insert_item(&note("second")));
        assert!(matches!(refused, Err(StoreError::Conflict(_))));
    }
    assert!(files(dir.path()) == before, "the directory changed");
}

/// Another process with a store that writes on `db`, driven line by line: `add TITLE` adds a
/// note and answers `done`. It is this test binary again, running `writer_process`.
struct Writer {
    child: std::process::Child,
    to: std::process::ChildStdin,
    from: std::io::BufReader<std::process::ChildStdout>,
}

impl Writer {
    fn start(db: &Path) -> Writer {
        use std::process::{Command, Stdio};
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "writer_process", "--ignored", "--nocapture"])
            .args(["--test-threads", "1"])
            .env("UPWARD_TEST_WRITER_DB", db)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let to = child.stdin.take().unwrap();
        let from = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut w = Writer { child, to, from };
        w.wait_for("ready");
        w
    }

    fn wait_for(&mut self, word: &str) {
        use std::io::BufRead;
        let mut line = String::new();
        loop {
            line.clear();
            assert!(
                self.from.read_line(&mut line).unwrap() > 0,
                "the writer ended"
            );
            // libtest prints the test's name before its output, on the same line.
            if line.trim_end().ends_with(word) {
                return;
            }
        }
    }

    fn add(&mut self, title: &str) {
        use std::io::Write;
        writeln!(self.to, "add {title}").unwrap();
        self.to.flush().unwrap();
        self.wait_for("done");
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The other process of [`Writer`]; does nothing when run with the others.
#[test]
#[ignore = "run by the tests that need a second process"]
fn writer_process() {
    use std::io::BufRead;
    let Some(db) = std::env::var_os("UPWARD_TEST_WRITER_DB") else {
        return;
    };
    let mut store = SqliteStore::open(Path::new(&db)).unwrap();
    println!("ready");
    for line in std::io::stdin().lock().lines() {
        let line = line.unwrap();
        if let Some(title) = line.strip_prefix("add ") {
            store.write(|tx| tx.insert_item(&note(title))).unwrap();
            println!("done");
        }
    }
}

#[test]
fn a_read_only_store_sees_one_snapshot_while_another_process_writes() {
    let dir = tempfile::tempdir().unwrap();
    let db = workspace(dir.path());
    let mut writer = Writer::start(&db);
    let mut reader = SqliteStore::open_read_only(&db).unwrap();
    writer.add("second");
    assert_eq!(titles(&mut reader), ["first", "second"]);
    let (inside, after) = reader
        .read(|tx| -> upward_store::Result<_> {
            let before = tx.snapshot_of(Scope::default(), Kind::ALL)?.items.len();
            writer.add("third");
            Ok((
                before,
                tx.snapshot_of(Scope::default(), Kind::ALL)?.items.len(),
            ))
        })
        .unwrap();
    assert_eq!((inside, after), (2, 2), "one read saw two snapshots");
    assert_eq!(titles(&mut reader), ["first", "second", "third"]);
    drop(reader);
    drop(writer);
    let mut again = SqliteStore::open_read_only(&db).unwrap();
    assert_eq!(titles(&mut again), ["first", "second", "third"]);
}

/// While another process rebuilds the WAL index, a connection that maps it read-only is
/// refused a read transaction (`SQLITE_READONLY_RECOVERY`): the store reconnects and reads.
#[test]
fn a_read_only_store_reconnects_when_the_wal_index_cannot_be_used_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = workspace(dir.path());
    let mut writer = Writer::start(&db);
    writer.add("second");
    let spoil_the_index = || {
        // The index's header as it is in the instant a process rebuilds it.
        let shm = sidecar(&db, "-shm");
        let mut bytes = std::fs::read(&shm).unwrap();
        bytes[..136].fill(0);
        std::fs::write(&shm, bytes).unwrap();
    };
    // When opening,
    spoil_the_index();
    let mut reader = SqliteStore::open_read_only(&db).unwrap();
    assert_eq!(titles(&mut reader), ["first", "second"]);
    drop(reader);
    // and when a read begins.
    let mut reader = SqliteStore::open_read_only(&db).unwrap();
    spoil_the_index();
    assert_eq!(titles(&mut reader), ["first", "second"]);
    writer.add("third");
    assert_eq!(titles(&mut reader), ["first", "second", "third"]);
}

#[test]
fn a_database_without_wal_files_is_opened_as_before_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = workspace(dir.path());
    // As an upward before this one left it: checkpointed, the WAL files removed.
    for suffix in ["-wal", "-shm"] {
        std::fs::remove_file(sidecar(&db, suffix)).unwrap();
    }
    {
        let mut store = SqliteStore::open_read_only(&db).unwrap();
        assert!(!store.created());
        assert_eq!(titles(&mut store), ["first"]);
    }
    assert!(sidecar(&db, "-wal").exists() && sidecar(&db, "-shm").exists());
    let before = files(dir.path());
    let mut store = SqliteStore::open_read_only(&db).unwrap();
    assert_eq!(titles(&mut store), ["first"]);
    drop(store);
    assert!(files(dir.path()) == before, "the directory changed");
}

/// A database from an older schema is migrated as `SqliteStore::open` does, and, as any store
/// that wrote, the migration is checkpointed into the file and the WAL left empty (a reader
/// would otherwise read the whole WAL into memory every time).
#[test]
fn an_older_database_is_migrated_and_checkpointed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("upward.db");
    // A database of schema 1, as the version that had it made it (the upgrade test's fixture).
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1.db"),
        &db,
    )
    .unwrap();
    assert!(!sidecar(&db, "-wal").exists());
    // (No WAL files beside it: the read-only store has to open the file as
    // `SqliteStore::open` does.)
    let older = || -> i64 {
        Connection::open(&db)
            .unwrap()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(older(), 1);
    {
        let mut store = SqliteStore::open_read_only(&db).unwrap();
        assert!(!titles(&mut store).is_empty());
        assert!(store.write(|tx| tx.insert_item(&note("no"))).is_err());
    }
    assert_eq!(std::fs::metadata(sidecar(&db, "-wal")).unwrap().len(), 0);
    assert!(sidecar(&db, "-shm").exists());
    assert_eq!(older() as usize, MIGRATIONS.len());
}

#[test]
fn a_missing_database_is_created_and_migrated_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new").join("upward.db");
    let mut store = SqliteStore::open_read_only(&db).unwrap();
    assert!(store.created());
    assert!(store.read(|tx| tx.is_empty()).unwrap());
    drop(store);
    let version: i64 = Connection::open(&db)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version as usize, MIGRATIONS.len());
}

/// Runs `sql` on `db` as another program would, leaving the change in the WAL (no checkpoint
/// when it closes), so the WAL files stay.
fn change(db: &Path, sql: &str) {
    let conn = Connection::open(db).unwrap();
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
        true,
    )
    .unwrap();
    conn.execute_batch(sql).unwrap();
}

#[test]
fn a_read_only_store_refuses_what_open_refuses_and_leaves_it_untouched() {
    for (sql, newer) in [
        ("PRAGMA user_version = 999", true),
        ("PRAGMA application_id = 7", false),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let db = workspace(dir.path());
        change(&db, sql);
        let before = files(dir.path());
        assert_eq!(before.len(), 3);
        match SqliteStore::open_read_only(&db) {
            Err(StoreError::TooNew { found: 999, .. }) if newer => {}
            // upward's schema under another application id: a garbled header.
            Err(StoreError::Damaged { .. }) if !newer => {}
            Err(e) => panic!("{sql}: {e}"),
            Ok(_) => panic!("{sql}: opened"),
        }
        assert!(files(dir.path()) == before, "{sql}: the directory changed");
    }
    // Another application's database, in WAL mode with its files beside it.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("other.db");
    change(
        &db,
        "PRAGMA journal_mode = WAL; CREATE TABLE t (x); INSERT INTO t VALUES (1);",
    );
    let before = files(dir.path());
    assert_eq!(before.len(), 3);
    assert!(matches!(
        SqliteStore::open_read_only(&db),
        Err(StoreError::NotUpward(_))
    ));
    assert!(files(dir.path()) == before, "the directory changed");
}

/// Paths SQLite would read as part of a URI are escaped.
#[test]
fn a_read_only_store_opens_a_path_with_uri_characters() {
    let dir = tempfile::tempdir().unwrap();
    let odd = dir.path().join("a?b#c%d e");
    std::fs::create_dir(&odd).unwrap();
    let db = workspace(&odd);
    let before = files(&odd);
    let mut store = SqliteStore::open_read_only(&db).unwrap();
    assert_eq!(titles(&mut store), ["first"]);
    drop(store);
    assert!(files(&odd) == before, "the directory changed");
}
