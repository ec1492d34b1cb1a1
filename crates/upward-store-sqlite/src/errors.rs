//! SQLite's failures in the contract's words: a full disk, a failing disk, a damaged file,
//! a file that is not ours. Every error that leaves this crate goes through [`classify`] (or
//! [`unreadable`] while a file is being identified), so no SQLite message reaches a user as
//! it is, and none names the failure three times.

use crate::schema::{APPLICATION_ID, MIGRATIONS};
use rusqlite::ErrorCode;
use std::io::Read;
use std::path::{Path, PathBuf};
use upward_store::StoreError;

/// SQLite's error in the contract's terms, for the database at `path`.
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
            detail: corrupt_detail(&path),
            path,
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
        ErrorCode::ReadOnly
            if let Some(detail) = header(&path)
                .filter(|h| h.len() >= 100)
                .and_then(|h| garbled_header(&h)) =>
        {
            StoreError::Damaged { path, detail }
        }
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

const SQLITE_IOERR_SHORT_READ: std::ffi::c_int = 10 | (2 << 8);

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

/// Why SQLite found the file malformed, in words: its header garbled, its size against what
/// its header promises, else a part of it unreadable.
fn corrupt_detail(path: &Path) -> String {
    let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let Some(h) = header(path).filter(|h| h.len() >= 100) else {
        return format!("the file is cut short inside its header: {len} bytes");
    };
    if let Some(garbled) = garbled_header(&h) {
        return garbled;
    }
    let page_size = page_size(&h);
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
        "part of the file is unreadable: SQLite finds it malformed".into()
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

/// What is wrong with a 100-byte SQLite header that SQLite refuses outright, if anything.
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

/// Why a read came back short: the write-ahead log lost (deleted while a program had the
/// database open), else the file cut short.
fn short_read_detail(path: &Path) -> String {
    let wal = sidecar(path, "-wal");
    let shm = sidecar(path, "-shm");
    let wal_len = std::fs::metadata(&wal).map(|m| m.len()).ok();
    if shm.exists() && wal_len.is_none_or(|n| n == 0) {
        format!(
            "its write-ahead log {} is missing or empty while its index says it holds recent changes — was it deleted while a program had the database open? If one still has it open, closing that program writes the changes back",
            file_name(&wal)
        )
    } else {
        corrupt_detail(path)
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

/// The first page of the file (up to 64 KiB), as far as it can be read.
fn header(path: &Path) -> Option<Vec<u8>> {
    let mut head = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(65536)
        .read_to_end(&mut head)
        .ok()?;
    Some(head)
}

/// What the first bytes of a file say about whose it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    /// upward's: its application id, or upward's schema in its first page.
    Upward,
    /// Another program's file, or no database.
    Foreign,
    /// A SQLite file cut off inside its 100-byte header: whose it was cannot be read.
    Unknown,
}

/// The text of upward's schema that SQLite keeps on a database's first page: found there,
/// the file is ours even when its header is garbled.
const SCHEMA_MARKS: [&[u8]; 2] = [b"CREATE TABLE meeting_items", b"items_fts USING fts5"];
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Whose file this is, from its first bytes alone (`head`, up to its first 64 KiB).
pub(crate) fn owner(head: &[u8]) -> Owner {
    let marked = SCHEMA_MARKS
        .iter()
        .any(|m| head.windows(m.len()).any(|w| w == *m));
    if marked {
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
pub(crate) fn unreadable(path: &Path, e: rusqlite::Error) -> StoreError {
    let classified = classify(e, path);
    if matches!(
        classified,
        StoreError::DiskFull { .. } | StoreError::Io { .. }
    ) {
        return classified;
    }
    match header(path).map(|h| owner(&h)) {
        Some(Owner::Upward | Owner::Unknown) => match classified {
            e @ StoreError::Damaged { .. } => e,
            _ => StoreError::Damaged {
                path: path.to_path_buf(),
                detail: corrupt_detail(path),
            },
        },
        _ => StoreError::NotUpward(path.to_path_buf()),
    }
}

/// The error for a readable file whose application id is not upward's: damaged if upward's
/// schema is in it (the id was overwritten), not ours otherwise.
pub(crate) fn not_ours(path: &Path, app: i32) -> StoreError {
    let marked = header(path).is_some_and(|h| {
        SCHEMA_MARKS
            .iter()
            .any(|m| h.windows(m.len()).any(|w| w == *m))
    });
    if marked {
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
