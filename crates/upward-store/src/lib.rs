//! upward's storage: one SQLite file per user, private to them.
//!
//! [`Store::open`] refuses what is not an upward database or is newer than this build, and
//! runs the pending migrations. Every command then works inside one transaction
//! ([`Store::write`] or [`Store::read`]): it happens whole or not at all, also when the process
//! is killed, and concurrent processes wait for each other (busy timeout, `BEGIN IMMEDIATE`).
//!
//! All row mapping stays in this crate; callers see only domain types. The methods of [`Tx`]
//! are the storage contract a second backend (PostgreSQL for the team server) will implement,
//! and `tests/contract.rs` is written once against it.

mod export;
mod items;
mod open;
mod people;
mod records;
mod schema;
pub mod search;

use rusqlite::{Connection, TransactionBehavior};
use std::path::{Path, PathBuf};
use thiserror::Error;
use upward_domain::DomainError;

pub use export::ImportReport;
pub use items::ItemFilter;
pub use records::Scope;
pub use schema::MIGRATIONS;
pub use search::Hit;

/// The newest schema version this build knows.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

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
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("cannot use the database {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("stored data does not read back ({0}) — the database may have been edited by hand")]
    Corrupt(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open upward database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    created: bool,
    /// A shared lock on the file while it is open; dropped after `conn` (see `open`).
    _in_use: std::fs::File,
}

/// One transaction. Dropping it without [`Store::write`] returning `Ok` rolls back.
pub struct Tx<'a> {
    conn: &'a Connection,
}

impl Store {
    /// Opens (creating if needed, mode 0600 in a 0700 directory) and migrates the database.
    pub fn open(path: &Path) -> Result<Store> {
        let opened = open::open(path)?;
        Ok(Store {
            conn: opened.conn,
            path: path.to_path_buf(),
            created: opened.created,
            _in_use: opened.in_use,
        })
    }

    /// Removes the database file at `path` (with its WAL and shared-memory files) if no
    /// process has it open and it holds no people and no items: for a command that created
    /// the file and then failed, so that it leaves no trace. Returns whether it removed it.
    pub fn remove_if_unused_and_empty(path: &Path) -> Result<bool> {
        open::remove_if_unused_and_empty(path)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether opening created the file (it did not exist before this process opened it).
    pub fn created(&self) -> bool {
        self.created
    }

    /// Runs `f` in one write transaction (taken at once, so writers queue instead of failing)
    /// and commits only if it returns `Ok`.
    pub fn write<T, E>(&mut self, f: impl FnOnce(&Tx) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let out = f(&Tx { conn: &tx })?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }

    /// Runs `f` in one read transaction: a consistent view while other processes write.
    pub fn read<T, E>(&mut self, f: impl FnOnce(&Tx) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)
            .map_err(StoreError::from)?;
        let out = f(&Tx { conn: &tx })?;
        tx.finish().map_err(StoreError::from)?;
        Ok(out)
    }
}

impl Tx<'_> {
    /// "Empty" as a plain import requires it (docs/merge.md): no people and no items.
    pub fn is_empty(&self) -> Result<bool> {
        let n: i64 = self.conn.query_row(
            "SELECT (SELECT count(*) FROM people) + (SELECT count(*) FROM items)",
            [],
            |r| r.get(0),
        )?;
        Ok(n == 0)
    }

    /// `PRAGMA integrity_check`, for `upward doctor` and the crash tests.
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
}

/// Maps text read from a column back into a domain value, or reports corruption.
pub(crate) fn parse_col<T: std::str::FromStr>(
    value: Option<String>,
    column: &str,
) -> Result<Option<T>> {
    value
        .map(|v| {
            v.parse::<T>()
                .map_err(|_| StoreError::Corrupt(format!("{column} = {v:?}")))
        })
        .transpose()
}
