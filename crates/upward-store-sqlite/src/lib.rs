//! The personal workspace: one SQLite file per user, private to them, behind the storage
//! contract of `upward-store`.
//!
//! [`SqliteStore::open`] refuses what is not an upward database or is newer than this build,
//! and runs the pending migrations; [`SqliteStore::open_read_only`] does the same for a
//! command that only reads, without writing anything to the database's directory. A write
//! transaction is `BEGIN IMMEDIATE` (writers queue on the busy timeout instead of failing); a
//! read transaction is a deferred one over WAL, so it sees one state and never blocks a
//! writer.
//!
//! All row mapping stays in this crate, by column name, one binding per table; callers see
//! only domain types and `StoreError`, never a `rusqlite` type.

mod backup;
mod errors;
mod health;
mod items;
mod open;
mod people;
mod records;
mod removals;
mod salvage;
mod schema;
mod search;
mod sync;

use rusqlite::{Connection, TransactionBehavior};
use std::path::{Path, PathBuf};
use upward_store::{Store, StoreError, Transaction};

pub use backup::{Copy, Restored, restore, verify};
pub use health::{Check, Health, check};
pub use salvage::{Salvage, salvage};
pub use schema::MIGRATIONS;
pub use search::fts_query;

/// The newest schema version this build knows.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

/// The version of the SQLite library compiled in.
pub fn sqlite_version() -> &'static str {
    rusqlite::version()
}

/// Errors inside this crate: SQLite's, or the contract's. Converted to [`StoreError`] at the
/// trait's edge, where SQLite's become words.
#[derive(Debug)]
pub(crate) enum Error {
    Sqlite(rusqlite::Error),
    Store(StoreError),
}

pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        Error::Sqlite(e)
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Error {
        Error::Store(e)
    }
}

impl From<upward_domain::DomainError> for Error {
    fn from(e: upward_domain::DomainError) -> Error {
        Error::Store(e.into())
    }
}

impl From<Error> for StoreError {
    fn from(e: Error) -> StoreError {
        error_at(e, Path::new("the database"))
    }
}

/// An internal error in the contract's terms, SQLite's classified for the file at `path`.
pub(crate) fn error_at(e: Error, path: &Path) -> StoreError {
    match e {
        // A value that does not parse, in a file only upward writes: the file is damaged.
        Error::Store(StoreError::Corrupt(what)) => StoreError::Damaged {
            path: path.to_path_buf(),
            detail: format!("a stored value does not read back: {what}"),
        },
        Error::Store(e) => e,
        Error::Sqlite(e) => errors::classify(e, path),
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
                .map_err(|_| StoreError::Corrupt(format!("{column} = {v:?}")).into())
        })
        .transpose()
}

/// Runs `sql` with those of `params` that it names: one binding of a table's row serves its
/// insert and its update (an update has no `:id`, and may leave a column out).
pub(crate) fn execute_named(
    conn: &rusqlite::Connection,
    sql: &str,
    params: &[(&str, &dyn rusqlite::ToSql)],
) -> Result<usize> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut bound: Vec<(&str, &dyn rusqlite::ToSql)> = Vec::with_capacity(params.len());
    for &(name, value) in params {
        if stmt.parameter_index(name)?.is_some() {
            bound.push((name, value));
        }
    }
    Ok(stmt.execute(bound.as_slice())?)
}

/// An open upward database file.
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    created: bool,
    /// Opened by [`SqliteStore::open_read_only`]: [`Store::begin_write`] is refused.
    refuse_writes: bool,
    /// The connection cannot write (`SQLITE_OPEN_READONLY`); otherwise (a store that may
    /// write, or a read-only one that had to create or migrate the file) it checkpoints when
    /// it closes.
    read_only: bool,
    /// A shared lock on the file while it is open; dropped after `conn` (see `open`).
    _in_use: std::fs::File,
}

impl SqliteStore {
    /// Opens (creating if needed, mode 0600 in a 0700 directory) and migrates the database.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let opened = open::open(path).map_err(|e| error_at(e, path))?;
        Ok(SqliteStore::from(opened, path))
    }

    /// Opens the database for a command that only reads: nothing is created, written,
    /// truncated or removed in its directory, and no checkpoint runs, while readers still see
    /// one consistent snapshot as other processes write. A database that does not exist yet,
    /// needs migrating, or was last closed by an upward before this one (so it has no WAL
    /// files beside it) is opened as [`SqliteStore::open`] opens it, once;
    /// [`Store::begin_write`] on the store returned is refused either way.
    pub fn open_read_only(path: &Path) -> Result<SqliteStore, StoreError> {
        let opened = open::open_read_only(path).map_err(|e| error_at(e, path))?;
        let mut store = SqliteStore::from(opened, path);
        store.refuse_writes = true;
        Ok(store)
    }

    fn from(opened: open::Opened, path: &Path) -> SqliteStore {
        SqliteStore {
            conn: opened.conn,
            path: path.to_path_buf(),
            created: opened.created,
            refuse_writes: false,
            read_only: opened.read_only,
            _in_use: opened.in_use,
        }
    }

    /// Removes the database file at `path` (with its WAL and shared-memory files) if no
    /// process has it open and it holds no people and no items: for a command that created
    /// the file and then failed, so that it leaves no trace. Returns whether it removed it.
    pub fn remove_if_unused_and_empty(path: &Path) -> Result<bool, StoreError> {
        open::remove_if_unused_and_empty(path).map_err(|e| error_at(e, path))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether opening created the file (it did not exist before this process opened it).
    pub fn created(&self) -> bool {
        self.created
    }

    fn begin(
        &mut self,
        behavior: TransactionBehavior,
        writable: bool,
    ) -> Result<Box<dyn Transaction + '_>, StoreError> {
        if writable && self.refuse_writes {
            return Err(StoreError::Conflict(
                "upward opened the database read-only for a command that writes — please report it"
                    .into(),
            ));
        }
        if self.read_only {
            self.start_read_only_snapshot()?;
        }
        let tx = self
            .conn
            .transaction_with_behavior(behavior)
            .map_err(|e| errors::classify(e, &self.path))?;
        Ok(Box::new(Tx {
            conn: tx,
            writable,
            people: Default::default(),
        }))
    }

    /// Checks, before a read transaction of a store opened read-only, that a snapshot can
    /// start: a connection that maps the WAL index read-only may be refused one while another
    /// process writes (see `open::Shm::ReadOnly`); then the store reconnects with a shared
    /// index, which is never refused for that reason. (A check apart from the transaction
    /// that follows, because that one borrows the connection the reconnection replaces.)
    fn start_read_only_snapshot(&mut self) -> Result<(), StoreError> {
        let path = self.path.clone();
        let classify = |e| errors::classify(e, &path);
        let started = {
            let tx =
                rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Deferred)
                    .map_err(classify)?;
            let started = tx.query_row("PRAGMA schema_version", [], |_| Ok(()));
            tx.finish().map_err(classify)?;
            started
        };
        match started {
            Ok(()) => Ok(()),
            Err(e) if open::is_read_only_shm_refusal(&e) => {
                // Closed before the new one opens: SQLite shares one mapping of the index
                // among a process's connections, and this one's is read-only.
                drop(std::mem::replace(
                    &mut self.conn,
                    Connection::open_in_memory().map_err(classify)?,
                ));
                self.conn = open::connect_read_only(&path, open::Shm::Shared)
                    .map_err(|e| error_at(e, &path))?;
                Ok(())
            }
            Err(e) => Err(classify(e)),
        }
    }
}

impl Drop for SqliteStore {
    fn drop(&mut self) {
        if !self.read_only {
            open::checkpoint_on_close(&self.conn);
        }
    }
}

impl Store for SqliteStore {
    fn begin_read(&mut self) -> Result<Box<dyn Transaction + '_>, StoreError> {
        self.begin(TransactionBehavior::Deferred, false)
    }

    fn begin_write(&mut self) -> Result<Box<dyn Transaction + '_>, StoreError> {
        self.begin(TransactionBehavior::Immediate, true)
    }
}

/// One transaction. Dropping it without [`Transaction::commit`] rolls back.
pub(crate) struct Tx<'a> {
    conn: rusqlite::Transaction<'a>,
    writable: bool,
    /// Everyone (archived too), once read in this transaction: a use case asks several times
    /// (resolving a name, finding the manager, its snapshot). Forgotten when a person is
    /// added or changed.
    people: std::cell::RefCell<Option<Vec<upward_domain::Person>>>,
}

impl Tx<'_> {
    /// Refuses a write in a read transaction.
    pub(crate) fn writing(&self) -> Result<()> {
        if self.writable {
            Ok(())
        } else {
            Err(StoreError::ReadOnly.into())
        }
    }
}

impl Tx<'_> {
    /// The file this transaction reads and writes, for messages.
    fn path(&self) -> PathBuf {
        PathBuf::from(self.conn.path().unwrap_or_default())
    }

    /// Runs an internal call and gives its error in the contract's terms.
    fn edge<T>(&self, r: Result<T>) -> Result<T, StoreError> {
        r.map_err(|e| error_at(e, &self.path()))
    }
}

impl Transaction for Tx<'_> {
    fn commit(self: Box<Self>) -> Result<(), StoreError> {
        let path = self.path();
        self.conn.commit().map_err(|e| errors::classify(e, &path))
    }

    fn is_empty(&self) -> Result<bool, StoreError> {
        self.edge((|| {
            let n: i64 = self.conn.query_row(
                "SELECT (SELECT count(*) FROM people) + (SELECT count(*) FROM items)",
                [],
                |r| r.get(0),
            )?;
            Ok(n == 0)
        })())
    }

    fn people(&self, archived: bool) -> Result<Vec<upward_domain::Person>, StoreError> {
        self.edge(self.people_(archived))
    }

    fn insert_person(
        &self,
        p: &upward_domain::Person,
    ) -> Result<upward_domain::Person, StoreError> {
        self.edge(self.insert_person_(p))
    }

    fn update_person(&self, p: &upward_domain::Person) -> Result<(), StoreError> {
        self.edge(self.update_person_(p))
    }

    fn item(&self, id: i64) -> Result<Option<upward_domain::Item>, StoreError> {
        self.edge(
            self.query_items("WHERE items.id = ?1", &[&id])
                .map(|mut v| v.pop()),
        )
    }

    fn item_by_uuid(&self, uuid: uuid::Uuid) -> Result<Option<upward_domain::Item>, StoreError> {
        self.edge(
            self.query_items("WHERE items.uuid = ?1", &[&uuid.to_string()])
                .map(|mut v| v.pop()),
        )
    }

    fn items(
        &self,
        filter: &upward_store::ItemFilter,
    ) -> Result<Vec<upward_domain::Item>, StoreError> {
        self.edge(self.items_(filter))
    }

    fn insert_item(&self, item: &upward_domain::Item) -> Result<upward_domain::Item, StoreError> {
        self.edge(self.insert_item_(item))
    }

    fn update_item(&self, item: &upward_domain::Item) -> Result<(), StoreError> {
        self.edge(self.update_item_(item))
    }

    fn insert_meeting(
        &self,
        m: &upward_domain::Meeting,
    ) -> Result<upward_domain::Meeting, StoreError> {
        self.edge(self.insert_meeting_(m))
    }

    fn update_meeting(&self, m: &upward_domain::Meeting) -> Result<(), StoreError> {
        self.edge(self.update_meeting_(m))
    }

    fn meetings(
        &self,
        discussed_since: Option<jiff::civil::Date>,
    ) -> Result<Vec<upward_domain::Meeting>, StoreError> {
        self.edge(self.meetings_(discussed_since, upward_store::History::All))
    }

    fn last_meeting(&self, person: uuid::Uuid) -> Result<Option<jiff::civil::Date>, StoreError> {
        self.edge(self.last_meeting_(person))
    }

    fn insert_update(
        &self,
        u: &upward_domain::UpdateSent,
    ) -> Result<upward_domain::UpdateSent, StoreError> {
        self.edge(self.insert_update_(u))
    }

    fn last_update(&self, person: uuid::Uuid) -> Result<Option<jiff::civil::Date>, StoreError> {
        self.edge(self.last_update_(person))
    }

    fn updates(&self) -> Result<Vec<upward_domain::UpdateSent>, StoreError> {
        self.edge(self.updates_(upward_store::History::All))
    }

    fn insert_reflection(
        &self,
        r: &upward_domain::Reflection,
    ) -> Result<upward_domain::Reflection, StoreError> {
        self.edge(self.insert_reflection_(r))
    }

    fn reflections(&self) -> Result<Vec<upward_domain::Reflection>, StoreError> {
        self.edge(self.reflections_(upward_store::History::All))
    }

    fn insert_effects(&self, effects: &[upward_domain::Effect]) -> Result<(), StoreError> {
        self.edge(self.insert_effects_(effects))
    }

    fn effects(
        &self,
        meeting: Option<uuid::Uuid>,
    ) -> Result<Vec<upward_domain::Effect>, StoreError> {
        self.edge(self.effects_(meeting))
    }

    fn remove_meeting(&self, tombstone: &upward_domain::Tombstone) -> Result<(), StoreError> {
        self.edge(self.remove_meeting_(tombstone))
    }

    fn tombstones(&self) -> Result<Vec<upward_domain::Tombstone>, StoreError> {
        self.edge(self.tombstones_())
    }

    fn insert_decline(
        &self,
        d: &upward_domain::Decline,
    ) -> Result<upward_domain::Decline, StoreError> {
        self.edge(self.insert_decline_(d))
    }

    fn declines(&self) -> Result<Vec<upward_domain::Decline>, StoreError> {
        self.edge(self.declines_())
    }

    fn snapshot_of(
        &self,
        scope: upward_store::Scope,
        kinds: &[upward_domain::Kind],
    ) -> Result<upward_domain::Snapshot, StoreError> {
        self.edge(self.snapshot_of_(scope, kinds))
    }

    fn search(&self, query: &str, limit: usize) -> Result<Vec<upward_store::Hit>, StoreError> {
        self.edge(self.search_(query, limit))
    }

    fn integrity_check(&self) -> Result<String, StoreError> {
        self.edge(
            self.conn
                .query_row("PRAGMA integrity_check", [], |r| r.get(0))
                .map_err(Error::from),
        )
    }

    fn device(&self) -> Result<Option<uuid::Uuid>, StoreError> {
        self.edge(self.device_())
    }

    fn set_device(&self, device: uuid::Uuid) -> Result<(), StoreError> {
        self.edge(self.set_device_(device))
    }

    fn sync_links(&self) -> Result<Vec<upward_store::SyncLink>, StoreError> {
        self.edge(self.sync_links_())
    }

    fn put_sync_link(&self, link: &upward_store::SyncLink) -> Result<(), StoreError> {
        self.edge(self.put_sync_link_(link))
    }

    fn delete_sync_space(&self, space: uuid::Uuid) -> Result<(), StoreError> {
        self.edge(self.delete_sync_space_(space))
    }

    fn sync_op(&self, id: uuid::Uuid) -> Result<Option<upward_store::SyncOp>, StoreError> {
        self.edge(self.sync_op_(id))
    }

    fn insert_sync_op(&self, op: &upward_store::SyncOp) -> Result<bool, StoreError> {
        self.edge(self.insert_sync_op_(op))
    }

    fn update_sync_op(&self, op: &upward_store::SyncOp) -> Result<(), StoreError> {
        self.edge(self.update_sync_op_(op))
    }

    fn unpushed_ops(&self, space: uuid::Uuid) -> Result<Vec<upward_store::SyncOp>, StoreError> {
        self.edge(self.unpushed_ops_(space))
    }

    fn sync_ops(&self, space: uuid::Uuid) -> Result<Vec<upward_store::SyncOp>, StoreError> {
        self.edge(self.sync_ops_(space))
    }

    fn unapplied_ops(&self) -> Result<Vec<upward_store::SyncOp>, StoreError> {
        self.edge(self.unapplied_ops_())
    }

    fn sync_record(
        &self,
        space: uuid::Uuid,
        record: uuid::Uuid,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        self.edge(self.sync_record_(space, record))
    }

    fn sync_records(&self, space: uuid::Uuid) -> Result<Vec<(uuid::Uuid, Vec<u8>)>, StoreError> {
        self.edge(self.sync_records_(space))
    }

    fn put_sync_record(
        &self,
        space: uuid::Uuid,
        record: uuid::Uuid,
        state: &[u8],
    ) -> Result<(), StoreError> {
        self.edge(self.put_sync_record_(space, record, state))
    }

    fn change_mark(&self) -> Result<Option<i64>, StoreError> {
        self.edge(self.change_mark_().map(Some))
    }

    fn changed_since(
        &self,
        person: uuid::Uuid,
        mark: i64,
    ) -> Result<upward_store::Changed, StoreError> {
        self.edge(self.changed_since_(person, mark))
    }

    fn shared_among(
        &self,
        person: uuid::Uuid,
        items: &[uuid::Uuid],
    ) -> Result<Vec<uuid::Uuid>, StoreError> {
        self.edge(self.shared_among_(person, items))
    }

    fn meeting_days(
        &self,
        person: uuid::Uuid,
        only: Option<&[uuid::Uuid]>,
    ) -> Result<Vec<(uuid::Uuid, jiff::civil::Date)>, StoreError> {
        self.edge(self.meeting_days_(person, only))
    }

    fn items_referring(
        &self,
        person: uuid::Uuid,
        to: &[uuid::Uuid],
    ) -> Result<Vec<upward_domain::Item>, StoreError> {
        self.edge(self.items_referring_(person, to))
    }

    fn meetings_on_days(
        &self,
        person: uuid::Uuid,
        days: &[jiff::civil::Date],
        discussing: &[uuid::Uuid],
    ) -> Result<Vec<upward_domain::Meeting>, StoreError> {
        self.edge(self.meetings_on_days_(person, days, discussing))
    }
}
