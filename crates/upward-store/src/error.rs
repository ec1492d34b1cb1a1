//! The one error type of every backend: what went wrong, in words a user can act on, with no
//! driver type inside.

use std::path::PathBuf;
use thiserror::Error;
use upward_domain::DomainError;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("{0} is not an upward database — it was left untouched; give another --db path")]
    NotUpward(PathBuf),
    #[error(
        "{path} was written by a newer upward (schema {found}, this build knows {known}) — upgrade upward; the file was left untouched"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: usize,
    },
    /// A record that is not there (the text says which and how to find one).
    #[error("{0}")]
    NotFound(String),
    /// A write that would break a rule of the data: a name or id already taken.
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("cannot use the database {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A write attempted in a read transaction: a bug in the caller.
    #[error("a read transaction cannot write — this is a bug in upward")]
    ReadOnly,
    /// The backend failed (its driver's message, as text).
    #[error("database error: {0}")]
    Backend(String),
    #[error("stored data does not read back ({0}) — the database may have been edited by hand")]
    Corrupt(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
