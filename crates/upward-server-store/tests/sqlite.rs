//! The SQLite backend on a temporary file: the contract suite, and what only a file has to
//! prove (its mode, and what is refused before anything is written to it).

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use upward_server_store::contract::Fixture;
use upward_server_store::{SCHEMA_VERSION, ServerStoreExt, StoreError, open};

/// The file's bytes, and which of its companion files exist.
fn fingerprint(path: &Path) -> Vec<u8> {
    let mut out = std::fs::read(path).expect("the database file");
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        out.extend_from_slice(format!("{suffix}:{}", Path::new(&side).exists()).as_bytes());
    }
    out
}

/// Sets `PRAGMA user_version` behind the store's back.
fn set_version(path: &Path, version: i64) {
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.pragma_update(None, "user_version", version)
        .expect("set the version");
}

fn fresh() -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("server.db");
    let url = format!("sqlite://{}", path.display());
    (dir, path, url)
}

fn fixture() -> Option<Fixture> {
    let (dir, path, url) = fresh();
    let store = open(&url).expect("open");
    let (p1, p2) = (path.clone(), path);
    Some(Fixture {
        store,
        url,
        set_version: Box::new(move |v| set_version(&p1, v)),
        fingerprint: Box::new(move || fingerprint(&p2)),
        unreachable: None,
        keep: Box::new(dir),
    })
}

mod contract {
    upward_server_store::server_contract_suite!(crate::fixture);
}

#[test]
fn the_file_is_private_and_its_folder_is_made() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("new/deeper/server.db");
    let store = open(&format!("sqlite://{}", path.display())).expect("open");
    store.write(|tx| tx.set_setting("k", "v")).expect("write");
    let mode = |p: &Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().expect("folder")), 0o700);
}

#[test]
fn a_relative_path_and_three_slashes_work() {
    let (dir, path, _) = fresh();
    let absolute = open(&format!("sqlite://{}", path.display())).expect("absolute");
    assert!(path.is_absolute() && format!("sqlite://{}", path.display()).starts_with("sqlite:///"));
    absolute
        .write(|tx| tx.set_setting("where", "here"))
        .expect("write");
    drop(absolute);
    // The same file through a path relative to the working directory.
    let cwd = std::env::current_dir().expect("cwd");
    let relative: PathBuf = std::iter::repeat_n("..", cwd.components().count())
        .collect::<PathBuf>()
        .join(path.strip_prefix("/").expect("absolute"));
    let again = open(&format!("sqlite://{}", relative.display())).expect("relative");
    assert_eq!(
        again
            .read(|tx| tx.setting("where"))
            .expect("read")
            .as_deref(),
        Some("here")
    );
    drop(dir);
}

/// Opens `path` and expects it refused as not a server database, unchanged.
fn refused_unchanged(path: &Path, says: &str) {
    let before = fingerprint(path);
    let url = format!("sqlite://{}", path.display());
    match open(&url).err() {
        Some(StoreError::NotServerDatabase(m)) => {
            assert!(m.contains(says), "{m}");
            assert!(
                m.contains(&path.display().to_string()),
                "names the file: {m}"
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(before == fingerprint(path), "the refused file is unchanged");
}

#[test]
fn an_upward_personal_workspace_is_refused_unchanged() {
    let (_dir, path, _) = fresh();
    let workspace = upward_store_sqlite::SqliteStore::open(&path).expect("a personal workspace");
    drop(workspace);
    refused_unchanged(&path, "personal workspace");
}

#[test]
fn random_bytes_and_other_programs_databases_are_refused_unchanged() {
    let (dir, path, _) = fresh();
    let mut bytes = Vec::new();
    for i in 0..4096u32 {
        bytes.push((i.wrapping_mul(2_654_435_761) >> 13) as u8);
    }
    std::fs::write(&path, &bytes).expect("write");
    refused_unchanged(&path, "not an SQLite database");

    let short = dir.path().join("short.db");
    std::fs::write(&short, b"hello").expect("write");
    refused_unchanged(&short, "not an SQLite database");

    let other = dir.path().join("other.db");
    let conn = rusqlite::Connection::open(&other).expect("open");
    conn.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');")
        .expect("another program's database");
    drop(conn);
    refused_unchanged(&other, "another program's");

    let folder = dir.path().join("folder");
    std::fs::create_dir(&folder).expect("mkdir");
    assert!(matches!(
        open(&format!("sqlite://{}", folder.display())).err(),
        Some(StoreError::NotServerDatabase(_))
    ));
}

#[test]
fn the_version_is_checked_through_the_write_ahead_log_too() {
    // A newer version recorded only in the WAL (not yet copied into the file's header) is
    // still refused: the header check lets it through, SQLite's reading does not.
    let (_dir, path, url) = fresh();
    drop(open(&url).expect("create"));
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.pragma_update(None, "wal_autocheckpoint", 0)
        .expect("no checkpoint");
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 5)
        .expect("set");
    // Keep `conn` open so the WAL is not checkpointed into the file.
    match open(&url).err() {
        Some(StoreError::TooNew { found, .. }) => assert_eq!(found, SCHEMA_VERSION + 5),
        other => panic!("expected TooNew, got {other:?}"),
    }
    drop(conn);
}

#[test]
fn a_schema_1_database_is_migrated_and_its_tokens_have_no_device() {
    let (_dir, path, url) = fresh();
    // A database as the first release left it: schema 1, an account with a token.
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch(include_str!("../migrations/sqlite/0001_server.sql"))
            .expect("schema 1");
        conn.pragma_update(None, "application_id", 0x5550_5753)
            .expect("id");
        conn.pragma_update(None, "user_version", 1)
            .expect("version");
        conn.execute_batch(
            "INSERT INTO server_accounts VALUES
               (x'00000000000000000000000000000001', 'a@example.com', 'a@example.com', 'A', NULL, 'UTC', 0, 1, NULL);
             INSERT INTO server_tokens VALUES
               (x'00000000000000000000000000000002', x'0000000000000000000000000000000000000000000000000000000000000003',
                x'00000000000000000000000000000001', 'laptop', 1, NULL);",
        )
        .expect("a token");
    }
    let store = open(&url).expect("migrated");
    let account = uuid::Uuid::from_u128(1);
    let tokens = store.read(|tx| tx.tokens_of(account)).expect("read");
    assert_eq!(tokens.len(), 1);
    assert_eq!(
        (tokens[0].name.as_str(), tokens[0].device),
        ("laptop", None)
    );
    let conn = rusqlite::Connection::open(&path).expect("open");
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(version, SCHEMA_VERSION);
}
