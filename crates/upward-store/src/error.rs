//! The one error type of every backend: what went wrong, in words a user can act on, with no
//! driver type inside.
//!
//! Each message that is about the database file says three things on one line: what
//! happened, that nothing was changed, and what to do. A backend classifies its driver's
//! failures into these variants (a full disk is [`StoreError::DiskFull`], a failing disk
//! [`StoreError::Io`], a damaged file [`StoreError::Damaged`]), so front ends match on
//! meaning and never print a driver's message three times over. Where the way out is a step
//! in upward (a damaged file: check it), [`StoreError::next`] carries it as data and each
//! front end spells it.

use std::path::PathBuf;
use thiserror::Error;
use upward_domain::{DomainError, Next};

#[derive(Debug, Error)]
pub enum StoreError {
    /// The file is another program's, or no database at all.
    #[error(
        "{0} is not an upward database — it was left untouched; give the path of your upward database with --db (or UPWARD_DB)"
    )]
    NotUpward(PathBuf),
    /// An upward database whose schema is newer than this build's.
    #[error(
        "{path} was written by a newer upward (schema {found}, this build knows {known}) — upgrade upward; the file was left untouched"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: usize,
    },
    /// An upward database that cannot be read as it should: cut short, a page overwritten, a
    /// header garbled, its write-ahead log lost. `detail` says which, in words.
    /// Its way out is a step ([`StoreError::next`]): a check that says what can be saved.
    #[error(
        "{path} is a damaged upward database ({detail}) — nothing was changed; check it to see what can be saved and how"
    )]
    Damaged { path: PathBuf, detail: String },
    /// The disk (or a size limit) has no room for what the command had to write.
    #[error(
        "the disk holding {path} is full: free some space and run the command again; nothing was changed"
    )]
    DiskFull { path: PathBuf },
    /// The file or its folder could not be read or written.
    #[error("{}", io_message(path, source))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A record that is not there (the text says which and how to find one).
    #[error("{0}")]
    NotFound(String),
    /// A write that would break a rule of the data: a name or id already taken.
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// A write attempted in a read transaction: a bug in the caller.
    #[error("a read transaction cannot write — this is a bug in upward")]
    ReadOnly,
    /// The backend failed (its driver's message, as text).
    #[error("database error: {0}")]
    Backend(String),
    #[error("stored data does not read back ({0}) — the database may have been edited by hand")]
    Corrupt(String),
    /// What this backend does not hold (sync's log lives in a SQLite workspace).
    #[error("{0}")]
    Unsupported(String),
}

impl StoreError {
    /// The step that gets the user past this error, when there is one to take in upward.
    pub fn next(&self) -> Option<Next> {
        match self {
            StoreError::Damaged { .. } => Some(Next::Doctor),
            StoreError::Domain(e) => e.next(),
            _ => None,
        }
    }
}

/// "What happened: what to do; nothing was changed", for a failed read or write of `path`.
fn io_message(path: &std::path::Path, e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let path = path.display();
    match e.kind() {
        K::StorageFull | K::QuotaExceeded => format!(
            "the disk holding {path} is full: free some space and run the command again; nothing was changed"
        ),
        K::PermissionDenied => format!(
            "permission denied for {path}: make sure you own it and its folder (`ls -l`), then run the command again; nothing was changed"
        ),
        K::ReadOnlyFilesystem => format!(
            "{path} is on a read-only file system: mount it writable or give another --db path; nothing was changed"
        ),
        K::NotFound => format!(
            "{path} or its folder is missing: check the path and run the command again; nothing was changed"
        ),
        K::FileTooLarge => format!(
            "{path} has reached the largest file this system allows: free some space or raise the limit (`ulimit -f`); nothing was changed"
        ),
        _ => format!(
            "the disk failed while reading or writing {path} ({e}): check the disk (`dmesg`, its free space) and run the command again; nothing was changed"
        ),
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Error, ErrorKind};

    fn io(kind: ErrorKind) -> String {
        StoreError::Io {
            path: "/d/x.db".into(),
            source: Error::from(kind),
        }
        .to_string()
    }

    #[test]
    fn every_file_error_says_what_happened_that_nothing_changed_and_what_to_do() {
        let all = [
            StoreError::NotUpward("/d/x.db".into()).to_string(),
            StoreError::TooNew {
                path: "/d/x.db".into(),
                found: 9,
                known: 2,
            }
            .to_string(),
            StoreError::Damaged {
                path: "/d/x.db".into(),
                detail: "the file is cut short".into(),
            }
            .to_string(),
            StoreError::DiskFull {
                path: "/d/x.db".into(),
            }
            .to_string(),
            io(ErrorKind::PermissionDenied),
            io(ErrorKind::StorageFull),
            io(ErrorKind::ReadOnlyFilesystem),
            io(ErrorKind::NotFound),
            io(ErrorKind::Other),
        ];
        for m in &all {
            assert!(!m.contains('\n'), "{m}");
            assert!(
                m.contains("untouched") || m.contains("nothing was changed"),
                "{m}"
            );
        }
        let damaged = StoreError::Damaged {
            path: "/d/x.db".into(),
            detail: "cut short".into(),
        };
        assert_eq!(damaged.next(), Some(Next::Doctor));
        assert_eq!(
            all[3],
            "the disk holding /d/x.db is full: free some space and run the command again; nothing was changed"
        );
        assert_eq!(all[5], all[3]);
    }
}
