//! SQLite's failures in the contract's words: a full disk, a failing disk, a damaged file,
//! a file that is not ours. Every error that leaves this crate goes through [`classify`] (or
//! [`unreadable`] while a file is being identified), so no SQLite message reaches a user as
//! it is, and none names the failure three times.
//!
//! What SQLite does not say (whose file it is, how it is damaged) is read from the file's
//! first bytes, a [`Head`]. Never by opening and closing the database file while one of this
//! process's connections has it open: closing any descriptor of a file drops every POSIX
//! lock the process holds on it, SQLite's included, and another process could then take the
//! database for unused and checkpoint and delete its WAL under the connection. So a `Head` is
//! read through a descriptor that outlives the connection ([`Head::read_from`], the store's
//! `in_use` file), or before any connection is opened ([`Head::read`]).

use crate::schema::{APPLICATION_ID, MIGRATIONS};
use rusqlite::ErrorCode;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use upward_store::StoreError;

/// The first bytes of a database file (its header, and as much of its first pages as was
/// read) and its length.
#[derive(Debug, Clone, Default)]
pub(crate) struct Head {
    pub bytes: Vec<u8>,
    pub len: u64,
}

/// How much of a file identifies it: upward's schema is on its first pages.
const IDENTIFY: usize = 65536;

impl Head {
    /// Reads through `file`, a descriptor that stays open while connections use the file
    /// (positional reads: the descriptor is not moved, nothing is opened or closed).
    pub(crate) fn read_from(file: &File, n: usize) -> Head {
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        let mut bytes = vec![0u8; n.min(len as usize)];
        let mut got = 0;
        while got < bytes.len() {
            match file.read_at(&mut bytes[got..], got as u64) {
                Ok(0) | Err(_) => break,
                Ok(k) => got += k,
            }
        }
        bytes.truncate(got);
        Head { bytes, len }
    }

    /// Opens the file and reads it: only while no connection of this process has the file
    /// open (see the module's note). `None` if it cannot be read.
    pub(crate) fn read(path: &Path) -> Option<Head> {
        File::open(path).ok().map(|f| Head::read_from(&f, IDENTIFY))
    }

    /// Its first page or so, for [`check_file`] (a cheap read on every open).
    pub(crate) const HEADER: usize = 4096;
    /// Enough to find upward's schema, for identifying a file SQLite could not read.
    pub(crate) const IDENTIFY: usize = IDENTIFY;
}

/// SQLite's error in the contract's terms, for the database at `path`. Reads nothing but the
/// size of the `-wal` and `-shm` files beside it.
pub(crate) fn classify(e: rusqlite::Error, path: &Path) -> StoreError {
    let rusqlite::Error::SqliteFailure(f, msg) = &e else {
        return StoreError::Backend(e.to_string());
    };
    let path = path.to_path_buf();
    match f.code {
        ErrorCode::ConstraintViolation => StoreError::Conflict(format!(
            "the record clashes with one already stored ({})",
            msg.clone().unwrap_or_else(|| f.to_string())
        )),
        ErrorCode::DiskFull => StoreError::DiskFull { path },
        ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase => StoreError::Damaged {
            path,
            detail: MALFORMED.into(),
        },
        ErrorCode::SystemIoFailure if f.extended_code == SQLITE_IOERR_SHORT_READ => {
            StoreError::Damaged {
                detail: short_read_detail(&path),
                path,
            }
        }
        ErrorCode::SystemIoFailure => StoreError::Io {
            path,
            source: std::io::Error::other(io_words(f.extended_code)),
        },
        ErrorCode::CannotOpen => StoreError::Io {
            path,
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "SQLite could not open it or its -wal file",
            ),
        },
        ErrorCode::ReadOnly | ErrorCode::PermissionDenied => StoreError::Io {
            path,
            source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        },
        ErrorCode::TooBig | ErrorCode::NoLargeFileSupport => StoreError::Io {
            path,
            source: std::io::Error::from(std::io::ErrorKind::FileTooLarge),
        },
        _ => StoreError::Backend(msg.clone().unwrap_or_else(|| f.to_string())),
    }
}

/// What SQLite says of a malformed file, when nothing more precise is known.
const MALFORMED: &str = "part of the file is unreadable: SQLite finds it malformed";

pub(crate) const SQLITE_IOERR_READ: std::ffi::c_int = 10 | (1 << 8);
pub(crate) const SQLITE_IOERR_SHORT_READ: std::ffi::c_int = 10 | (2 << 8);

/// SQLite's extended I/O error codes, in words.
fn io_words(extended: std::ffi::c_int) -> String {
    let what = match extended >> 8 {
        1 => "a read failed",
        3 => "a write failed",
        4 | 24 => "the disk did not confirm a write (fsync)",
        5 => "the file could not be cut to size",
        7 => "the file's size could not be read",
        10 | 25 => "a file could not be removed",
        15 | 18 | 19 | 21 => "the shared-memory file (-shm) failed",
        13 => "the file could not be grown",
        _ => "disk I/O error",
    };
    format!("{what}, SQLite code {extended}")
}

/// What is wrong with a file SQLite finds malformed, from its first bytes: its header
/// garbled, its size against what its header promises, else a part of it unreadable.
pub(crate) fn detail(head: &Head) -> String {
    let (h, len) = (&head.bytes, head.len);
    if h.len() < 100 {
        return format!("the file is cut short inside its header: {len} bytes");
    }
    if let Some(garbled) = garbled_header(h) {
        return garbled;
    }
    let page_size = page_size(h);
    let pages = u64::from(u32::from_be_bytes([h[28], h[29], h[30], h[31]]));
    if !len.is_multiple_of(page_size) {
        format!("the file is cut short in the middle of a page: {len} bytes")
    } else if pages > PLAUSIBLE_PAGES {
        format!("its header is garbled: it counts {pages} pages")
    } else if pages * page_size > len {
        format!(
            "the file is cut short: {len} bytes of the {} its header promises",
            pages * page_size
        )
    } else {
        MALFORMED.into()
    }
}

/// A page count beyond this (64 GiB at 4 KiB pages) is a garbled header, not a large file.
const PLAUSIBLE_PAGES: u64 = 1 << 24;

/// The page size a header states (which may be invalid).
fn page_size(h: &[u8]) -> u64 {
    match u16::from_be_bytes([h[16], h[17]]) {
        1 => 65536,
        n => u64::from(n),
    }
}

/// What is wrong with a 100-byte SQLite header that SQLite refuses (to read, or to write),
/// if anything.
fn garbled_header(h: &[u8]) -> Option<String> {
    if !h.starts_with(SQLITE_MAGIC) {
        return Some(
            "its header is garbled: the file no longer starts as a SQLite database".into(),
        );
    }
    let size = page_size(h);
    if !size.is_power_of_two() || size < 512 {
        return Some(format!("its header is garbled: the page size reads {size}"));
    }
    if h[18] > 2 || h[19] > 2 {
        return Some(format!(
            "its header is garbled: its file format bytes read {} and {}",
            h[18], h[19]
        ));
    }
    None
}

/// Checks what SQLite does not check when it opens a file: a header it would refuse only
/// when writing (its format bytes), and a size short of what the header promises (SQLite
/// reads the missing pages as zeros). The promise counts only when SQLite itself trusts it
/// (the change counter matches the version-valid-for number) and no write-ahead log is
/// pending (a checkpoint cut short by a crash may have grown the header before the file).
pub(crate) fn check_file(path: &Path, head: &Head) -> Result<(), StoreError> {
    let (h, len) = (&head.bytes, head.len);
    if h.len() < 100 {
        return Ok(());
    }
    let damaged = |detail: String| {
        Err(StoreError::Damaged {
            path: path.to_path_buf(),
            detail,
        })
    };
    if let Some(garbled) = garbled_header(h) {
        return damaged(garbled);
    }
    let page_size = page_size(h);
    if !len.is_multiple_of(page_size) {
        return damaged(format!(
            "the file is cut short in the middle of a page: {len} bytes"
        ));
    }
    let trusted = h[24..28] == h[92..96];
    let pages = u64::from(u32::from_be_bytes([h[28], h[29], h[30], h[31]]));
    let wal_pending = std::fs::metadata(sidecar(path, "-wal")).is_ok_and(|m| m.len() > 0);
    if trusted && !wal_pending && pages * page_size > len {
        return damaged(detail(head));
    }
    Ok(())
}

/// Why a read came back short: the write-ahead log lost (deleted while a program had the
/// database open: its index, the `-shm`, still counts its frames), else the file cut short.
pub(crate) fn short_read_detail(path: &Path) -> String {
    let wal = sidecar(path, "-wal");
    let wal_len = std::fs::metadata(&wal).map(|m| m.len()).ok();
    if sidecar(path, "-shm").exists() && wal_len.is_none_or(|n| n == 0) {
        format!(
            "its write-ahead log {} is missing or empty while its index says it holds recent changes — was it deleted while a program had the database open? If one still has it open, closing that program writes the changes back",
            file_name(&wal)
        )
    } else {
        "the file is shorter than SQLite expects: it may have been cut short".into()
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

/// `path` with `suffix` appended (`upward.db` → `upward.db-wal`).
pub(crate) fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

/// What the first bytes of a file say about whose it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    /// upward's: its application id, or upward's schema in its first pages.
    Upward,
    /// Another program's file, or no database.
    Foreign,
    /// A SQLite file cut off inside its 100-byte header: whose it was cannot be read.
    Unknown,
}

/// The text of upward's schema that SQLite keeps on a database's first pages: found there,
/// the file is ours even when its header is garbled.
const SCHEMA_MARKS: [&[u8]; 2] = [b"CREATE TABLE meeting_items", b"items_fts USING fts5"];
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

fn marked(head: &[u8]) -> bool {
    SCHEMA_MARKS
        .iter()
        .any(|m| head.windows(m.len()).any(|w| w == *m))
}

/// Whose file this is, from its first bytes alone (`head`, up to its first 64 KiB).
pub(crate) fn owner(head: &[u8]) -> Owner {
    if marked(head) {
        return Owner::Upward;
    }
    if !head.starts_with(SQLITE_MAGIC) {
        return Owner::Foreign;
    }
    if head.len() < 100 {
        return Owner::Unknown;
    }
    let app = i32::from_be_bytes([head[68], head[69], head[70], head[71]]);
    if app == APPLICATION_ID {
        Owner::Upward
    } else {
        Owner::Foreign
    }
}

/// The error for a file that SQLite could not identify (its probe failed with `e`): damaged
/// if it is ours or whose it was cannot be told, not ours otherwise. A full disk or a failing
/// one is said as such.
pub(crate) fn unreadable(path: &Path, head: &Head, e: rusqlite::Error) -> StoreError {
    let classified = classify(e, path);
    if matches!(
        classified,
        StoreError::DiskFull { .. } | StoreError::Io { .. }
    ) {
        return classified;
    }
    match owner(&head.bytes) {
        Owner::Upward | Owner::Unknown => match classified {
            StoreError::Damaged { detail, .. } if detail != MALFORMED => StoreError::Damaged {
                path: path.to_path_buf(),
                detail,
            },
            _ => StoreError::Damaged {
                path: path.to_path_buf(),
                detail: detail(head),
            },
        },
        Owner::Foreign => StoreError::NotUpward(path.to_path_buf()),
    }
}

/// The error for a readable file whose application id is not upward's: damaged if upward's
/// schema is in it (the id was overwritten), not ours otherwise.
pub(crate) fn not_ours(path: &Path, head: &Head, app: i32) -> StoreError {
    if marked(&head.bytes) {
        StoreError::Damaged {
            path: path.to_path_buf(),
            detail: format!(
                "its header is garbled: the application id reads {app:#010x} instead of upward's"
            ),
        }
    } else {
        StoreError::NotUpward(path.to_path_buf())
    }
}

/// The largest schema version taken for a newer upward's; beyond it (or below zero) the
/// version in the header is garbage.
const PLAUSIBLE_VERSION: i64 = 10_000;

/// The error for a schema version this build does not know: a newer upward's, or a garbled
/// header.
pub(crate) fn newer(path: &Path, found: i64) -> StoreError {
    if !(0..=PLAUSIBLE_VERSION).contains(&found) {
        StoreError::Damaged {
            path: path.to_path_buf(),
            detail: format!("its header is garbled: the schema version reads {found}"),
        }
    } else {
        StoreError::TooNew {
            path: path.to_path_buf(),
            found,
            known: MIGRATIONS.len(),
        }
    }
}

/// The error for a migration that failed: a full or failing disk as such; a schema that is
/// already there (a version number in the header older than the tables) is damage.
pub(crate) fn migration_failed(path: &Path, e: rusqlite::Error) -> StoreError {
    match &e {
        rusqlite::Error::SqliteFailure(f, Some(msg))
            if f.code == ErrorCode::Unknown && msg.contains("already exists") =>
        {
            StoreError::Damaged {
                path: path.to_path_buf(),
                detail: "its header is garbled: the schema version is older than its tables".into(),
            }
        }
        _ => classify(e, path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite_header(app: i32) -> Vec<u8> {
        let mut h = vec![0u8; 4096];
        h[..16].copy_from_slice(SQLITE_MAGIC);
        h[16..18].copy_from_slice(&4096u16.to_be_bytes());
        h[18] = 2;
        h[19] = 2;
        h[68..72].copy_from_slice(&app.to_be_bytes());
        h
    }

    #[test]
    fn owner_by_application_id_or_schema_text() {
        assert_eq!(owner(&sqlite_header(APPLICATION_ID)), Owner::Upward);
        assert_eq!(owner(&sqlite_header(0)), Owner::Foreign);
        assert_eq!(owner(&sqlite_header(0x1234)), Owner::Foreign);
        // The id flipped, the schema still on the first page.
        let mut h = sqlite_header(!APPLICATION_ID);
        h[200..226].copy_from_slice(b"CREATE TABLE meeting_items");
        assert_eq!(owner(&h), Owner::Upward);
        // The magic garbled too.
        h[0] ^= 0xff;
        assert_eq!(owner(&h), Owner::Upward);
        // Cut inside the header: cannot tell.
        assert_eq!(owner(&sqlite_header(APPLICATION_ID)[..50]), Owner::Unknown);
        assert_eq!(owner(b"hello, world"), Owner::Foreign);
        assert_eq!(owner(b""), Owner::Foreign);
    }

    #[test]
    fn the_detail_says_how_a_header_or_size_is_wrong() {
        let head = |bytes: Vec<u8>, len: u64| detail(&Head { bytes, len });
        let mut h = sqlite_header(APPLICATION_ID);
        h[28..32].copy_from_slice(&10u32.to_be_bytes());
        assert_eq!(
            head(h.clone(), 4096),
            "the file is cut short: 4096 bytes of the 40960 its header promises"
        );
        assert_eq!(
            head(h.clone(), 5000),
            "the file is cut short in the middle of a page: 5000 bytes"
        );
        assert_eq!(head(h.clone(), 40960), MALFORMED);
        assert_eq!(
            head(h[..50].to_vec(), 50),
            "the file is cut short inside its header: 50 bytes"
        );
        let mut g = h.clone();
        g[28] = 0xff;
        assert!(head(g, 40960).contains("counts"));
        let mut g = h.clone();
        g[16] ^= 0xff;
        assert!(head(g, 40960).contains("page size"));
        let mut g = h.clone();
        g[18] = 0xfd;
        assert!(head(g, 40960).contains("file format bytes read 253 and 2"));
        let mut g = h;
        g[3] ^= 0xff;
        assert!(head(g, 40960).contains("no longer starts as a SQLite database"));
    }

    #[test]
    fn versions_beyond_belief_are_damage() {
        let p = Path::new("/nonexistent/x.db");
        assert!(matches!(newer(p, 3), StoreError::TooNew { found: 3, .. }));
        assert!(matches!(
            newer(p, PLAUSIBLE_VERSION),
            StoreError::TooNew { .. }
        ));
        assert!(matches!(
            newer(p, PLAUSIBLE_VERSION + 1),
            StoreError::Damaged { .. }
        ));
        assert!(matches!(newer(p, -1), StoreError::Damaged { .. }));
    }

    #[test]
    fn io_errors_are_words() {
        let e = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(13),
            Some("database or disk is full".into()),
        );
        let m = classify(e, Path::new("/d/u.db")).to_string();
        assert_eq!(
            m,
            "the disk holding /d/u.db is full: free some space and run the command again; nothing was changed"
        );
        let e = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(10 | (4 << 8)), None);
        let m = classify(e, Path::new("/d/u.db")).to_string();
        assert!(m.contains("did not confirm a write"), "{m}");
        assert!(m.ends_with("nothing was changed"), "{m}");
    }
}
