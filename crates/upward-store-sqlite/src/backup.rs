//! Copies of a database file: made with SQLite's online backup API (a consistent copy while
//! other processes read and write), verified by opening the copy and running
//! `integrity_check` on it, and put back in place by a restore that keeps the file it
//! replaces.
//!
//! A copy is a single file (its journal mode is DELETE, so it has no `-wal` beside it),
//! private to the user (0600), and appears under its name only once it is complete, synced
//! and verified: a copy that fails, or fails its check, is removed and never replaces an
//! earlier one.

use crate::SqliteStore;
use crate::errors::{self, Head, SQLITE_IOERR_READ, SQLITE_IOERR_SHORT_READ, sidecar};
use crate::schema::{APPLICATION_ID, MIGRATIONS};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, ErrorCode, OpenFlags};
use serde::Serialize;
use std::fs::{File, OpenOptions, TryLockError};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use upward_store::StoreError;

/// How long a copy waits for a lock on either file before giving up.
const LOCK_TIMEOUT: Duration = Duration::from_secs(60);

/// A verified copy.
#[derive(Debug, Clone, Serialize)]
pub struct Copy {
    pub path: PathBuf,
    pub bytes: u64,
    /// Its `PRAGMA user_version`.
    pub schema_version: i64,
    /// `integrity_check`'s answer: `ok`.
    pub integrity_check: String,
}

impl SqliteStore {
    /// Writes a consistent copy of the database to `dest`, replacing what is there, and
    /// verifies it: the copy is made in a temporary file beside `dest` in one read
    /// transaction (so it is the state of one moment, while others keep writing), synced,
    /// opened and checked with `integrity_check`, and only then renamed to `dest`. A copy that
    /// fails its check means the database itself is damaged: it is removed and the error is
    /// [`StoreError::Damaged`] for the database.
    pub fn backup_to(&self, dest: &Path) -> Result<Copy, StoreError> {
        copy_verified(&self.conn, &self.path, dest)
    }

    /// Sets the most pages the file may grow to (SQLite's `max_page_count`, for this
    /// connection): a write beyond it fails as on a full disk. For tests of a full disk.
    #[doc(hidden)]
    pub fn limit_pages(&self, pages: i64) -> Result<(), StoreError> {
        self.conn
            .pragma_update(None, "max_page_count", pages)
            .map_err(|e| errors::classify(e, &self.path))
    }
}

/// A temporary file beside `dest`, for a copy on its way there: hidden, named after it and
/// this process.
pub(crate) fn temp_beside(dest: &Path, what: &str) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "upward.db".into());
    dest.with_file_name(format!(".{name}.{what}-{}", std::process::id()))
}

/// Copies the database open on `src` (the file `src_path`) to `dest`, verified; see
/// [`SqliteStore::backup_to`].
fn copy_verified(src: &Connection, src_path: &Path, dest: &Path) -> Result<Copy, StoreError> {
    let temp = temp_beside(dest, "tmp");
    let result = (|| {
        copy_to(src, src_path, &temp, "DELETE")?;
        let copy = verify(&temp).map_err(|e| match e {
            // The copy is the database page for page: its damage is the database's.
            StoreError::Damaged { detail, .. } => StoreError::Damaged {
                path: src_path.to_path_buf(),
                detail,
            },
            e => e,
        })?;
        std::fs::rename(&temp, dest).map_err(|source| StoreError::Io {
            path: dest.to_path_buf(),
            source,
        })?;
        sync_dir(dest);
        Ok(Copy {
            path: dest.to_path_buf(),
            ..copy
        })
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// Copies every page of the database open on `src` into the new file `dest` (created 0600)
/// in one step, sets the copy's journal mode and syncs it.
fn copy_to(
    src: &Connection,
    src_path: &Path,
    dest: &Path,
    journal: &str,
) -> Result<(), StoreError> {
    let io = |source| StoreError::Io {
        path: dest.to_path_buf(),
        source,
    };
    // Private from its first byte (a file left over by a killed copy is replaced).
    let _ = std::fs::remove_file(dest);
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(dest)
        .map_err(io)?;
    // Errors reading the source are the database's; errors writing are the copy's.
    let at = |e: rusqlite::Error| match &e {
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(f.code, ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
                || f.extended_code == SQLITE_IOERR_READ
                || f.extended_code == SQLITE_IOERR_SHORT_READ =>
        {
            errors::classify(e, src_path)
        }
        _ => errors::classify(e, dest),
    };
    let mut to = Connection::open_with_flags(
        dest,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(at)?;
    {
        let backup = Backup::new(src, &mut to).map_err(at)?;
        let deadline = Instant::now() + LOCK_TIMEOUT;
        // All pages in one step: one read transaction on the source, so the copy is one
        // moment's state and never restarts because another process wrote meanwhile.
        loop {
            match backup.step(-1).map_err(at)? {
                StepResult::Done => break,
                StepResult::More => {}
                StepResult::Busy | StepResult::Locked if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                StepResult::Busy | StepResult::Locked => {
                    return Err(StoreError::Backend(format!(
                        "{} stayed locked by another program for {} s — nothing was copied; run the command again",
                        src_path.display(),
                        LOCK_TIMEOUT.as_secs()
                    )));
                }
                _ => {}
            }
        }
    }
    let _: String = to
        .query_row(&format!("PRAGMA journal_mode = {journal}"), [], |r| {
            r.get(0)
        })
        .map_err(at)?;
    drop(to);
    File::open(dest).and_then(|f| f.sync_all()).map_err(io)?;
    Ok(())
}

/// Syncs a file's directory, so a rename into it survives a crash. Best effort.
fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = File::open(dir).and_then(|d| d.sync_all());
    }
}

/// Opens a copy (or any upward database file) without writing to it and checks it: upward's
/// application id, a schema this build knows, and `integrity_check` answering `ok`.
pub fn verify(path: &Path) -> Result<Copy, StoreError> {
    let bytes = std::fs::metadata(path)
        .map_err(|source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        })?
        .len();
    // Before any connection: see `errors`' note on reading a file SQLite has open.
    let head = Head::read(path).unwrap_or_default();
    let conn = open_read_only(path, &head)?;
    let (app, version) = conn
        .query_row(
            "SELECT (SELECT application_id FROM pragma_application_id),
                    (SELECT user_version FROM pragma_user_version)",
            [],
            |r| Ok((r.get::<_, i32>(0)?, r.get::<_, i64>(1)?)),
        )
        .map_err(|e| errors::unreadable(path, &head, e))?;
    if app != APPLICATION_ID {
        return Err(errors::not_ours(path, &head, app));
    }
    if !(0..=MIGRATIONS.len() as i64).contains(&version) {
        return Err(errors::newer(path, version));
    }
    errors::check_file(path, &head)?;
    let lines =
        integrity_lines(&conn, "integrity_check", None).map_err(|e| {
            match errors::classify(e, path) {
                StoreError::Damaged { path, .. } => StoreError::Damaged {
                    path,
                    detail:
                        "SQLite's integrity check cannot finish: part of the file is unreadable"
                            .into(),
                },
                e => e,
            }
        })?;
    if lines != ["ok"] {
        return Err(StoreError::Damaged {
            path: path.to_path_buf(),
            detail: format!(
                "SQLite's integrity check fails: {}",
                lines.first().map(String::as_str).unwrap_or("no answer")
            ),
        });
    }
    Ok(Copy {
        path: path.to_path_buf(),
        bytes,
        schema_version: version,
        integrity_check: "ok".into(),
    })
}

/// A connection that cannot write to the file: read-only, and no checkpoint when it closes.
/// `head` (read before) identifies the file if SQLite cannot.
pub(crate) fn open_read_only(path: &Path, head: &Head) -> Result<Connection, StoreError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| errors::unreadable(path, head, e))?;
    conn.busy_timeout(LOCK_TIMEOUT)
        .map_err(|e| errors::classify(e, path))?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)
        .map_err(|e| errors::classify(e, path))?;
    Ok(conn)
}

/// The lines of `PRAGMA integrity_check` (or `quick_check`), of one table or all: `["ok"]`
/// when sound. SQLite's own header line (`*** in database main ***`) is left out.
pub(crate) fn integrity_lines(
    conn: &Connection,
    pragma: &str,
    table: Option<&str>,
) -> rusqlite::Result<Vec<String>> {
    let sql = match table {
        Some(t) => format!("PRAGMA {pragma}(\"{}\")", t.replace('"', "\"\"")),
        None => format!("PRAGMA {pragma}(100)"),
    };
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for row in rows {
        for line in row?.lines() {
            if !line.starts_with("*** in database") && !line.trim().is_empty() {
                out.push(line.to_string());
            }
        }
    }
    Ok(out)
}

/// What a restore did.
#[derive(Debug, Clone, Serialize)]
pub struct Restored {
    /// The backup put in place.
    pub from: PathBuf,
    /// The database file, now the backup's copy.
    pub database: PathBuf,
    /// Where the file that was replaced now is (with its `-wal`, if it had one), or `None`
    /// when there was no file.
    pub moved_aside: Option<PathBuf>,
    pub schema_version: i64,
}

/// Puts the backup `backup` in place as the database `db`, keeping the file it replaces as
/// `aside` (and its `-wal` as `aside` + `-wal`): never deleted.
///
/// The backup is verified first, then copied beside `db` (with the online backup API, so a
/// backup that has a `-wal` of its own comes whole). Only then, holding an exclusive lock on
/// `db` (refused while any upward command has it open), the old file is linked to `aside`,
/// its `-wal` and `-shm` are moved away so they cannot be replayed into the new file, and the
/// copy is renamed over `db`. At every moment `aside` or `db` holds the old file whole, and
/// `db` is the old file or the new one.
pub fn restore(db: &Path, backup: &Path, aside: &Path) -> Result<Restored, StoreError> {
    let verified = verify(backup)?;
    if aside.exists() {
        return Err(StoreError::Conflict(format!(
            "{} already exists — nothing was changed; move it away and run the restore again",
            aside.display()
        )));
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| StoreError::Io { path, source }
    };
    // Hold the old file exclusively: every open store holds a shared lock on it.
    let lock = match File::open(db) {
        Ok(f) => match f.try_lock() {
            Ok(()) => Some(f),
            Err(TryLockError::WouldBlock) => {
                return Err(StoreError::Conflict(format!(
                    "{} is in use by another upward command — nothing was changed; let it finish, then run the restore again",
                    db.display()
                )));
            }
            Err(TryLockError::Error(e)) => return Err(io(db)(e)),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io(db)(e)),
    };
    let temp = temp_beside(db, "restore");
    let result = (|| {
        let src = open_read_only(backup, &Head::read(backup).unwrap_or_default())?;
        copy_to(&src, backup, &temp, "DELETE")?;
        drop(src);
        verify(&temp)?;
        let moved_aside = if lock.is_some() {
            // The old file and its WAL under the new name first (hard links: the old file
            // stays at `db` until the copy replaces it).
            link_or_copy(db, aside).map_err(io(aside))?;
            let wal = sidecar(db, "-wal");
            if wal.exists() {
                link_or_copy(&wal, &sidecar(aside, "-wal")).map_err(io(aside))?;
            }
            for suffix in ["-wal", "-shm", "-journal"] {
                match std::fs::remove_file(sidecar(db, suffix)) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(db)(e)),
                    _ => {}
                }
            }
            Some(aside.to_path_buf())
        } else {
            None
        };
        std::fs::rename(&temp, db).map_err(io(db))?;
        sync_dir(db);
        Ok(Restored {
            from: backup.to_path_buf(),
            database: db.to_path_buf(),
            moved_aside,
            schema_version: verified.schema_version,
        })
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    drop(lock);
    result
}

/// A second name for a file (a hard link), or a copy where the file system has no links.
fn link_or_copy(from: &Path, to: &Path) -> std::io::Result<()> {
    match std::fs::hard_link(from, to) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
        Err(_) => {
            let mut out = OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(to)?;
            std::io::copy(&mut File::open(from)?, &mut out)?;
            out.sync_all()
        }
    }
}
