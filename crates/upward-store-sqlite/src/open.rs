//! Opening a database file safely: never write to a file that is not ours or is newer than
//! this build, create new files private to the user, then migrate.
//!
//! Commands that only read open it with [`open_read_only`]: nothing is written to the
//! database's directory, not even SQLite's WAL index. For that, the `-wal` and `-shm` files
//! stay beside the database between commands (a store that may write checkpoints the WAL
//! into the database and truncates it when it closes, but never deletes the two files, see
//! [`checkpoint_on_close`]), so a reader never creates or removes them.
//!
//! Every open [`Store`](crate::Store) also holds a shared `flock` on the file, so that a
//! command which created the file and then failed can tell whether another process is using
//! it before it removes it again ([`remove_if_unused_and_empty`]). Without that, a failing
//! command racing the first use of a database could unlink it under a process that was about
//! to write, and that write would go to a file no one can see any more.

use crate::errors::{self, Head, sidecar};
use crate::schema::{APPLICATION_ID, MIGRATIONS};
use crate::{Error, Result};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::fs::{DirBuilder, File, OpenOptions, TryLockError};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
use std::path::Path;
use std::time::{Duration, Instant};
use upward_store::StoreError;

/// How long a command waits for another process's transaction before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// An open database: the connection, whether this process created the file (so a command
/// that fails may remove it again, and only then), and the shared lock saying the file is in
/// use. The lock must outlive the connection (closing any descriptor of a file drops the
/// process's POSIX locks on it, SQLite's included), so `Store` declares it after `conn`.
pub(crate) struct Opened {
    pub conn: Connection,
    pub created: bool,
    /// Opened by [`open_read_only`] (`SQLITE_OPEN_READONLY`): it cannot write.
    pub read_only: bool,
    pub in_use: File,
}

pub(crate) fn open(path: &Path) -> Result<Opened> {
    let io = |source| -> Error {
        StoreError::Io {
            path: path.to_path_buf(),
            source,
        }
        .into()
    };
    if path.is_dir() {
        return Err(StoreError::NotUpward(path.to_path_buf()).into());
    }
    // Lock the file that is at `path` once we hold the lock: a failing command may have
    // removed it between our opening and our locking it; then open (or create) it again.
    let mut created = false;
    let in_use = loop {
        created |= create_if_missing(path)?;
        let file = File::open(path).map_err(io)?;
        // Best effort: where the file system has no flock, the removal's `try_lock` fails too
        // and nothing is removed.
        let _ = file.lock_shared();
        if same_file(&file, path) {
            break file;
        }
    };
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| errors::unreadable(path, &Head::read_from(&in_use, Head::IDENTIFY), e))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Closing the last connection to a database in WAL mode would otherwise copy its pending
    // WAL into it and delete the WAL and the WAL index: a write to a file we refuse (another
    // application's database, or one from a newer upward) until the file is known to be
    // ours, and afterwards the removal of the two files that let the next read-only command
    // read without writing. A store checkpoints when it closes instead
    // ([`checkpoint_on_close`]).
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;

    // Identify the file before anything could write to it.
    let (app, version, tables) = match probe(&conn) {
        Ok(v) => v,
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::DatabaseBusy
                || e.code == rusqlite::ErrorCode::DatabaseLocked =>
        {
            return Err(Error::Sqlite(rusqlite::Error::SqliteFailure(e, None)));
        }
        Err(e) => {
            let head = Head::read_from(&in_use, Head::IDENTIFY);
            return Err(errors::unreadable(path, &head, e).into());
        }
    };
    let fresh = app == 0 && version == 0 && tables == 0;
    if !fresh && app != APPLICATION_ID {
        let head = Head::read_from(&in_use, Head::IDENTIFY);
        return Err(errors::not_ours(path, &head, app).into());
    }
    if version > MIGRATIONS.len() as i64 || version < 0 {
        return Err(errors::newer(path, version).into());
    }
    if !fresh {
        // Through `in_use`: opening and closing the file here would drop SQLite's locks.
        // Inside a read transaction: another process's checkpoint may be growing the file
        // and then emptying its WAL this very moment, and a header read after the growth
        // with a size read before it and a WAL seen empty after it would look cut short.
        // While this snapshot is held, no checkpoint copies past it or empties the WAL.
        let tx = conn.unchecked_transaction()?;
        tx.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })?;
        errors::check_file(path, &Head::read_from(&in_use, Head::HEADER))?;
        tx.finish()?;
    }

    conn.pragma_update(None, "foreign_keys", "ON")?;
    // WAL lets readers and one writer work at once; FULL syncs every commit to disk, because
    // what users write here is irreplaceable.
    set_wal(&conn)?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    migrate(&conn).map_err(|e| match e {
        Error::Sqlite(e) => errors::migration_failed(path, e).into(),
        e => e,
    })?;
    // Another process may have migrated the schema after this connection first read it (at
    // `probe`): statements are prepared against the schema the connection holds, and rows are
    // bound by the column names of the statement as prepared, so a table that gained columns
    // would be missing them. Reading the schema table checks its version and loads the
    // current one first.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })?;
    Ok(Opened {
        conn,
        created,
        read_only: false,
        in_use,
    })
}

/// The application id, schema version and number of schema objects, read in one read
/// transaction: another process may be creating the schema this very moment, and an
/// application id read before its commit with a version read after it would look foreign.
fn probe(conn: &Connection) -> rusqlite::Result<(i32, i64, i64)> {
    let tx = conn.unchecked_transaction()?;
    let app: i32 = tx.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let tables: i64 = tx.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    tx.finish()?;
    Ok((app, version, tables))
}

/// How a read-only connection reaches the WAL index (the `-shm` file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shm {
    /// Mapped read-only (SQLite's `readonly_shm`). When no other process has the database
    /// open, SQLite does not trust the file and builds the index in this process's memory
    /// from the WAL (which a closing store leaves empty): nothing is written. When another
    /// process has it open, its index is used as it is, which works unless no reader mark
    /// fits the newest commit; then SQLite answers `SQLITE_READONLY_CANTINIT` (or
    /// `_RECOVERY` in the instant a new writer rebuilds the index) and the store reconnects
    /// with [`Shm::Shared`].
    ReadOnly,
    /// Mapped read-write like any reader's: it may record a reader mark in the index, or
    /// rebuild it when this is the only process using the database.
    Shared,
}

/// The page cache of a read-only connection, in pages (256 KiB): a read command reads each
/// table page it needs about once, so a cache that keeps the b-trees' inner pages and
/// recycles the rest serves it as well as SQLite's default 2 MB, and what it recycles is
/// memory already touched. With the default, every page read was a fresh page of memory for
/// the kernel to fault in as well: at 50,000 items nudges faulted 736 times and read 382
/// pages; with this cache 407 and 400, prep 430 and 290 (639 and 287), list 894 and 1,549
/// (1,340 and 1,380). Set after the probe, whose pages it would otherwise read again.
const READ_CACHE_PAGES: i64 = 64;

/// Opens an upward database to read it without writing anything to its directory (no file
/// created, written, truncated or removed, no checkpoint), when it can: the file exists, its
/// WAL and WAL index are beside it (as every store since this one leaves them) and its schema
/// is current. Otherwise it is opened as [`open`] does (created, given a WAL, migrated),
/// once. Refuses what `open` refuses, with the same errors.
pub(crate) fn open_read_only(path: &Path) -> Result<Opened> {
    if !path.is_file() || !sidecar(path, "-wal").is_file() || !sidecar(path, "-shm").is_file() {
        return open(path);
    }
    // The shared lock as in `open`, on the file at `path` (a failing command may just have
    // removed it: then `open` creates it again).
    let Ok(in_use) = File::open(path) else {
        return open(path);
    };
    let _ = in_use.lock_shared();
    if !same_file(&in_use, path) {
        drop(in_use);
        return open(path);
    }
    for shm in [Shm::ReadOnly, Shm::Shared] {
        let Ok(conn) = connect_read_only(path, shm) else {
            break;
        };
        match probe(&conn) {
            Ok((app, version, tables)) => {
                // Refused as `open` refuses, with the same errors, writing nothing.
                let fresh = app == 0 && version == 0 && tables == 0;
                if !fresh && app != APPLICATION_ID {
                    let head = Head::read_from(&in_use, Head::IDENTIFY);
                    return Err(errors::not_ours(path, &head, app).into());
                }
                if version > MIGRATIONS.len() as i64 || version < 0 {
                    return Err(errors::newer(path, version).into());
                }
                if fresh || version < MIGRATIONS.len() as i64 {
                    // Not created or not migrated yet: that takes a writer.
                    break;
                }
                // Through `in_use`: opening and closing the file here would drop SQLite's
                // locks. Inside a read transaction, as in `open`: no checkpoint grows the
                // file and empties its WAL between reading its size and its header.
                let tx = conn.unchecked_transaction()?;
                tx.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
                    r.get::<_, i64>(0)
                })?;
                errors::check_file(path, &Head::read_from(&in_use, Head::HEADER))?;
                tx.finish()?;
                // A hint: a connection that could not take it reads as well with the default.
                let _ = conn.pragma_update(None, "cache_size", READ_CACHE_PAGES);
                return Ok(Opened {
                    conn,
                    created: false,
                    read_only: true,
                    in_use,
                });
            }
            Err(e) if shm == Shm::ReadOnly && is_read_only_shm_refusal(&e) => continue,
            Err(_) => break,
        }
    }
    drop(in_use);
    open(path)
}

/// A connection that cannot write (`SQLITE_OPEN_READONLY`), does not checkpoint when it
/// closes, and maps the WAL index as `shm` says.
pub(crate) fn connect_read_only(path: &Path, shm: Shm) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(uri(path, shm == Shm::ReadOnly), flags)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // A read-only connection could not checkpoint anyway (that takes a write lock on the
    // file); say so, so that closing does not even try.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
    Ok(conn)
}

/// Whether a read-only connection with a read-only WAL index was refused a read transaction
/// for that reason (see [`Shm::ReadOnly`]), so a [`Shm::Shared`] one would succeed.
pub(crate) fn is_read_only_shm_refusal(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ReadOnly)
}

/// `path` as an SQLite URI (`file:` with `%`, `?` and `#` escaped), with `readonly_shm=1`
/// when asked.
fn uri(path: &Path, readonly_shm: bool) -> std::ffi::OsString {
    use std::os::unix::ffi::{OsStrExt, OsStringExt};
    let bytes = path.as_os_str().as_bytes();
    // An absolute path gets an empty authority (`file:///…`), so a path starting with `//`
    // is not read as one.
    let mut out: Vec<u8> = if bytes.starts_with(b"/") {
        b"file://".to_vec()
    } else {
        b"file:".to_vec()
    };
    for &b in bytes {
        match b {
            b'%' | b'?' | b'#' => out.extend_from_slice(format!("%{b:02X}").as_bytes()),
            _ => out.push(b),
        }
    }
    if readonly_shm {
        out.extend_from_slice(b"?readonly_shm=1");
    }
    std::ffi::OsString::from_vec(out)
}

/// What a store that may write does as it closes, in place of SQLite's checkpoint on close
/// (turned off in [`open`]): copy the WAL into the database and truncate it to nothing, so
/// the database file alone holds every commit (for a backup that copies only it) and the
/// next reader has no WAL to read, but keep the `-wal` and `-shm` files, so that read-only
/// commands find them and need not create them. It never waits: while another process is
/// reading or writing, it copies what it can (as SQLite's automatic checkpoints do) and
/// leaves the rest to the next store that closes.
pub(crate) fn checkpoint_on_close(conn: &Connection) {
    let _ = conn.busy_timeout(Duration::ZERO);
    let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
}

/// Creates the file (and its directory, 0700) if there is none; true if this call did.
fn create_if_missing(path: &Path) -> Result<bool> {
    let io = |source| -> Error {
        StoreError::Io {
            path: path.to_path_buf(),
            source,
        }
        .into()
    };
    if path.exists() {
        return Ok(false);
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.exists()
    {
        DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(io)?;
    }
    // Create the file ourselves so it is 0600 from its first byte; SQLite gives its WAL and
    // shared-memory files the same mode.
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(io(e)),
    }
}

/// Whether `file` is still the file named `path`.
fn same_file(file: &File, path: &Path) -> bool {
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Switches the file to WAL. On a new file the switch upgrades a read lock to a write lock,
/// and SQLite answers "database is locked" at once, without calling its busy handler, when
/// another process makes the same switch (several commands creating one database together):
/// wait and retry, as the busy timeout would.
fn set_wal(conn: &Connection) -> Result<()> {
    let deadline = Instant::now() + BUSY_TIMEOUT;
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy && Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(5));
            }
            other => return Ok(other?),
        }
    }
}

/// Runs each pending migration in its own transaction. Another process may be migrating at
/// the same moment, so the version is read again inside the write lock. A database that is
/// up to date is only read: taking the write lock to find that out would make every command,
/// readers too, wait for whoever is writing.
fn migrate(conn: &Connection) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current as usize >= MIGRATIONS.len() {
        return Ok(());
    }
    loop {
        let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let Some(sql) = MIGRATIONS.get(version as usize) else {
            tx.finish()?;
            return Ok(());
        };
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
    }
}

/// Removes the database at `path` with its WAL, shared-memory and journal files if no
/// process has it open and it holds no people and no items. Returns whether it did.
pub(crate) fn remove_if_unused_and_empty(path: &Path) -> Result<bool> {
    let io = |source| -> Error {
        StoreError::Io {
            path: path.to_path_buf(),
            source,
        }
        .into()
    };
    let file = File::open(path).map_err(io)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => return Ok(false),
        Err(TryLockError::Error(e)) => return Err(io(e)),
    }
    if !same_file(&file, path) {
        return Ok(false);
    }
    // No store has it open (each holds a shared lock), and none can until this exclusive lock
    // is released, by when the name is gone and their `open` creates a new file.
    let empty = {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
        tables == 0
            || conn.query_row(
                "SELECT (SELECT count(*) FROM people) + (SELECT count(*) FROM items)",
                [],
                |r| r.get::<_, i64>(0),
            )? == 0
    };
    if !empty {
        return Ok(false);
    }
    // The WAL before the database: a stale WAL beside a new database of the same name would
    // be replayed into it.
    for suffix in ["-wal", "-shm", "-journal", ""] {
        match std::fs::remove_file(sidecar(path, suffix)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(e)),
            _ => {}
        }
    }
    Ok(true)
}
