//! The team server's storage: many workspaces in one PostgreSQL database, behind the storage
//! contract of `upward-store` (the same contract suite runs here and on SQLite).
//!
//! [`PgStore::open`] connects, runs this crate's migrations (`migrations/*.sql`, in order, each
//! in its own transaction; a database from a newer build is refused untouched) and registers
//! the workspace. Every row carries its `workspace` and every key and index starts with it, so
//! spaces share tables without ever reading each other's rows; records refer to one another by
//! UUID within their workspace.
//!
//! **Transactions.** A write transaction is `BEGIN` (read committed) and then
//! `pg_advisory_xact_lock` on a key derived from the workspace's UUID: writers of one
//! workspace queue, writers of different workspaces do not, and the lock goes with the
//! transaction however it ends (a killed client's included). Read committed, not repeatable
//! read, is deliberate: a writer's reads must see what the writer before it committed while it
//! waited for the lock. A read transaction is `REPEATABLE READ READ ONLY`: one snapshot from its
//! first read on, never blocking a writer.
//!
//! **Refused writes.** PostgreSQL aborts a whole transaction on the first failed statement
//! (and then takes `COMMIT` for `ROLLBACK`, without an error). So what the contract refuses (a
//! UUID, id or name taken, a reference to a record not stored, text PostgreSQL cannot hold) is
//! found before anything is sent: each write is guarded by its conditions in the same
//! statement and explained by a second query only when it did not happen, and values are
//! checked as they are encoded. A refused write leaves the transaction usable, as in SQLite,
//! at one round trip for most writes (a savepoint per write would add two). If the server
//! fails a statement anyway, the transaction remembers it and [`Transaction::commit`] reports
//! the failure instead of pretending to commit.
//!
//! Rows are bound by column name, once per table (`from_row` and `params` in each module);
//! callers see only domain types and [`StoreError`], never a `postgres` type.

mod convert;
mod items;
mod migrate;
mod people;
mod records;
mod removals;
mod search;

use postgres::types::ToSql;
use postgres::{Client, IsolationLevel, NoTls, Row, Statement};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::time::Duration;
use upward_store::{Store, StoreError, Transaction};
use uuid::Uuid;

pub use migrate::{MIGRATIONS, SCHEMA_VERSION};

use convert::db_err;

pub(crate) type Result<T, E = StoreError> = std::result::Result<T, E>;

/// One parameter of a statement.
pub(crate) type Param<'a> = &'a (dyn ToSql + Sync);

/// The columns a record is written to, with their values: what each table's one binding
/// (`params`) gives, for insert and update alike.
pub(crate) type Values = Vec<(&'static str, Box<dyn ToSql + Sync>)>;

/// A column by which a record refers to another (by UUID), and the table of the other.
pub(crate) type Reference = (&'static str, &'static str);

/// How long a writer waits for the other writers of its workspace before giving up, as the
/// SQLite backend's busy timeout.
const LOCK_TIMEOUT: Duration = Duration::from_secs(60);

/// One workspace in a PostgreSQL database.
pub struct PgStore {
    client: Client,
    workspace: Uuid,
    /// Statements prepared on this connection, by their SQL: a statement then costs one round
    /// trip instead of two.
    statements: RefCell<HashMap<String, Statement>>,
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://user:password@host:port/dbname`),
    /// migrates it and registers `workspace` in it.
    pub fn open(url: &str, workspace: Uuid) -> Result<PgStore> {
        let mut config: postgres::Config = url
            .parse()
            .map_err(|e| StoreError::Backend(format!("not a PostgreSQL URL ({e})")))?;
        if config.get_application_name().is_none() {
            config.application_name("upward");
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        let mut client = config.connect(NoTls).map_err(db_err)?;
        client
            .batch_execute(&format!("SET lock_timeout = '{}s'", LOCK_TIMEOUT.as_secs()))
            .map_err(db_err)?;
        migrate::migrate(&mut client, &describe(&config))?;
        client
            .execute(
                "INSERT INTO workspaces (workspace) VALUES ($1) ON CONFLICT DO NOTHING",
                &[&workspace],
            )
            .map_err(db_err)?;
        Ok(PgStore {
            client,
            workspace,
            statements: RefCell::new(HashMap::new()),
        })
    }

    /// The workspace this store reads and writes.
    pub fn workspace(&self) -> Uuid {
        self.workspace
    }
}

/// The database a URL points at, without its password, for messages.
fn describe(config: &postgres::Config) -> String {
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        Some(postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!(
        "postgres://{host}:{port}/{}",
        config.get_dbname().unwrap_or_default()
    )
}

/// The advisory lock key of a workspace: its UUID folded to 64 bits. Two workspaces sharing
/// a key (one chance in 2^64) would only queue behind each other.
pub(crate) fn lock_key(workspace: Uuid) -> i64 {
    let bits = workspace.as_u128();
    ((bits >> 64) as u64 ^ bits as u64) as i64
}

impl Store for PgStore {
    fn begin_read(&mut self) -> Result<Box<dyn Transaction + '_>> {
        let tx = self
            .client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(db_err)?;
        Ok(Box::new(Tx {
            tx: RefCell::new(tx),
            statements: &self.statements,
            ws: self.workspace,
            writable: false,
            failed: Cell::new(false),
        }))
    }

    fn begin_write(&mut self) -> Result<Box<dyn Transaction + '_>> {
        let mut tx = self.client.transaction().map_err(db_err)?;
        tx.execute(
            "SELECT pg_advisory_xact_lock($1)",
            &[&lock_key(self.workspace)],
        )
        .map_err(db_err)?;
        Ok(Box::new(Tx {
            tx: RefCell::new(tx),
            statements: &self.statements,
            ws: self.workspace,
            writable: true,
            failed: Cell::new(false),
        }))
    }
}

/// One transaction on one workspace. Dropping it without [`Transaction::commit`] rolls back
/// (the `postgres` crate's transaction does).
pub(crate) struct Tx<'a> {
    tx: RefCell<postgres::Transaction<'a>>,
    statements: &'a RefCell<HashMap<String, Statement>>,
    /// The workspace: the first parameter (`$1`) of every statement.
    ws: Uuid,
    writable: bool,
    /// Whether the server failed a statement, which aborted the transaction.
    failed: Cell<bool>,
}

impl Tx<'_> {
    /// Refuses a write in a read transaction.
    fn writing(&self) -> Result<()> {
        if self.writable {
            Ok(())
        } else {
            Err(StoreError::ReadOnly)
        }
    }

    /// The driver's result in the contract's terms, remembering a failure that aborted the
    /// transaction (one from the server, or a lost connection; not a value refused while it
    /// was encoded, which never left this process).
    fn track<T>(&self, r: Result<T, postgres::Error>) -> Result<T> {
        r.map_err(|e| {
            if e.as_db_error().is_some() || e.is_closed() {
                self.failed.set(true);
            }
            db_err(e)
        })
    }

    /// The prepared statement for `sql`, prepared once per connection.
    fn statement(&self, sql: &str) -> Result<Statement> {
        if let Some(s) = self.statements.borrow().get(sql) {
            return Ok(s.clone());
        }
        let s = self.track(self.tx.borrow_mut().prepare(sql))?;
        self.statements
            .borrow_mut()
            .insert(sql.to_owned(), s.clone());
        Ok(s)
    }

    fn rows(&self, sql: &str, params: &[Param]) -> Result<Vec<Row>> {
        let s = self.statement(sql)?;
        self.track(self.tx.borrow_mut().query(&s, params))
    }

    fn row(&self, sql: &str, params: &[Param]) -> Result<Row> {
        let s = self.statement(sql)?;
        self.track(self.tx.borrow_mut().query_one(&s, params))
    }

    fn execute(&self, sql: &str, params: &[Param]) -> Result<u64> {
        let s = self.statement(sql)?;
        self.track(self.tx.borrow_mut().execute(&s, params))
    }
}

/// Writing rows, each guarded by what the contract requires of it, in the same statement.
impl Tx<'_> {
    /// The parameter number of `column` among `values`, which start at `$3`.
    fn placeholder(values: &Values, column: &str) -> String {
        let i = values
            .iter()
            .position(|(c, _)| *c == column)
            .unwrap_or_else(|| panic!("no column {column} among the values"));
        format!("${}", i + 3)
    }

    /// The condition that every reference of `values` is stored (or empty) in the workspace.
    fn references_stored(values: &Values, refs: &[Reference]) -> String {
        refs.iter()
            .map(|(column, table)| {
                let p = Self::placeholder(values, column);
                format!(
                    " AND ({p}::uuid IS NULL OR EXISTS (SELECT 1 FROM {table}
                                                       WHERE workspace = $1 AND uuid = {p}::uuid))"
                )
            })
            .collect()
    }

    fn bind<'a>(&'a self, first: Param<'a>, values: &'a Values) -> Vec<Param<'a>> {
        let mut bound: Vec<Param> = vec![&self.ws, first];
        bound.extend(values.iter().map(|(_, v)| -> Param { v.as_ref() }));
        bound
    }

    /// Inserts a row of `values` into `table` with `id`, or the next free one (the writers of
    /// a workspace hold its lock, so `max(id) + 1` is theirs alone), unless its UUID or id is
    /// taken or one of its `refs` is not stored. Returns its id, or `None` if it was not
    /// inserted (the caller says why).
    pub(crate) fn insert_row(
        &self,
        table: &str,
        id: Option<i64>,
        values: &Values,
        refs: &[Reference],
    ) -> Result<Option<i64>> {
        let columns: Vec<&str> = values.iter().map(|(c, _)| *c).collect();
        let placeholders: Vec<String> = (3..values.len() + 3).map(|i| format!("${i}")).collect();
        let uuid = Self::placeholder(values, "uuid");
        let sql = format!(
            "INSERT INTO {table} (workspace, id, {columns})
             SELECT $1, coalesce($2::bigint, (SELECT coalesce(max(id), 0) + 1 FROM {table}
                                              WHERE workspace = $1)), {placeholders}
              WHERE NOT EXISTS (SELECT 1 FROM {table}
                                 WHERE workspace = $1 AND (uuid = {uuid} OR id = $2::bigint)){refs}
             RETURNING id",
            columns = columns.join(", "),
            placeholders = placeholders.join(", "),
            refs = Self::references_stored(values, refs),
        );
        match self.rows(&sql, &self.bind(&id, values))?.first() {
            Some(r) => Ok(Some(convert::get(r, "id")?)),
            None => Ok(None),
        }
    }

    /// Writes `values` to the row of `table` with this UUID if its `refs` are stored; returns
    /// whether it did (the caller says why not).
    pub(crate) fn update_row(
        &self,
        table: &str,
        uuid: Uuid,
        values: &Values,
        refs: &[Reference],
    ) -> Result<bool> {
        let set: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(i, (c, _))| format!("{c} = ${}", i + 3))
            .collect();
        let sql = format!(
            "UPDATE {table} SET {} WHERE workspace = $1 AND uuid = $2{}",
            set.join(", "),
            Self::references_stored(values, refs)
        );
        Ok(self.execute(&sql, &self.bind(&uuid, values))? == 1)
    }

    /// Whether a record of `table` with this UUID is stored in the workspace.
    pub(crate) fn exists(&self, table: &str, uuid: Uuid) -> Result<bool> {
        let r = self.row(
            &format!(
                "SELECT EXISTS (SELECT 1 FROM {table} WHERE workspace = $1 AND uuid = $2) AS found"
            ),
            &[&self.ws, &uuid],
        )?;
        convert::get(&r, "found")
    }

    /// Why a record was not written: its UUID or id taken (on insert, `id` is `Some`), it is
    /// not stored (on update), or a record it refers to is not stored (`references`: the UUID,
    /// the table, and what to call it). `what` names the record (`item`) in the message.
    pub(crate) fn why_not(
        &self,
        table: &str,
        what: &str,
        uuid: Uuid,
        id: Option<i64>,
        references: &[(Option<Uuid>, &str, &str)],
    ) -> StoreError {
        let insert = id.is_some();
        let explain = || -> Result<StoreError> {
            let r = self.row(
                &format!(
                    "SELECT EXISTS (SELECT 1 FROM {table} WHERE workspace = $1 AND uuid = $2) AS uuid,
                            EXISTS (SELECT 1 FROM {table} WHERE workspace = $1 AND id = $3) AS id"
                ),
                &[&self.ws, &uuid, &id],
            )?;
            if insert && convert::get(&r, "uuid")? {
                return Ok(StoreError::Conflict(format!(
                    "another {what} already has the uuid {uuid}"
                )));
            }
            if insert && convert::get(&r, "id")? {
                return Ok(StoreError::Conflict(format!(
                    "{what} #{} already exists",
                    id.unwrap_or_default()
                )));
            }
            if !insert && !convert::get::<bool>(&r, "uuid")? {
                return Ok(StoreError::NotFound(format!("no {what} with uuid {uuid}")));
            }
            for (reference, table, name) in references {
                if let Some(other) = reference
                    && !self.exists(table, *other)?
                {
                    return Ok(StoreError::NotFound(format!("no {name} with uuid {other}")));
                }
            }
            Ok(StoreError::Backend(format!(
                "{what} {uuid} was not written, and nothing says why"
            )))
        };
        explain().unwrap_or_else(|e| e)
    }
}

impl Transaction for Tx<'_> {
    fn commit(self: Box<Self>) -> Result<()> {
        if self.failed.get() {
            // Dropped, so rolled back; PostgreSQL would have done the same for a COMMIT.
            return Err(StoreError::Backend(
                "a statement of this transaction failed, so none of it was kept".into(),
            ));
        }
        self.tx.into_inner().commit().map_err(db_err)
    }

    fn is_empty(&self) -> Result<bool> {
        let r = self.row(
            "SELECT NOT EXISTS (SELECT 1 FROM people WHERE workspace = $1)
                AND NOT EXISTS (SELECT 1 FROM items WHERE workspace = $1) AS empty",
            &[&self.ws],
        )?;
        convert::get(&r, "empty")
    }

    fn people(&self, archived: bool) -> Result<Vec<upward_domain::Person>> {
        self.people_(archived)
    }

    fn insert_person(&self, p: &upward_domain::Person) -> Result<upward_domain::Person> {
        self.writing()?;
        self.insert_person_(p)
    }

    fn update_person(&self, p: &upward_domain::Person) -> Result<()> {
        self.writing()?;
        self.update_person_(p)
    }

    fn item(&self, id: i64) -> Result<Option<upward_domain::Item>> {
        Ok(self.query_items("AND i.id = $2", &[&id])?.pop())
    }

    fn item_by_uuid(&self, uuid: Uuid) -> Result<Option<upward_domain::Item>> {
        Ok(self.query_items("AND i.uuid = $2", &[&uuid])?.pop())
    }

    fn items(&self, filter: &upward_store::ItemFilter) -> Result<Vec<upward_domain::Item>> {
        self.items_(filter)
    }

    fn insert_item(&self, item: &upward_domain::Item) -> Result<upward_domain::Item> {
        self.writing()?;
        self.insert_item_(item)
    }

    fn update_item(&self, item: &upward_domain::Item) -> Result<()> {
        self.writing()?;
        self.update_item_(item)
    }

    fn insert_meeting(&self, m: &upward_domain::Meeting) -> Result<upward_domain::Meeting> {
        self.writing()?;
        self.insert_meeting_(m)
    }

    fn update_meeting(&self, m: &upward_domain::Meeting) -> Result<()> {
        self.writing()?;
        self.update_meeting_(m)
    }

    fn meetings(
        &self,
        discussed_since: Option<jiff::civil::Date>,
    ) -> Result<Vec<upward_domain::Meeting>> {
        self.meetings_(discussed_since)
    }

    fn last_meeting(&self, person: Uuid) -> Result<Option<jiff::civil::Date>> {
        self.last_meeting_(person)
    }

    fn insert_update(&self, u: &upward_domain::UpdateSent) -> Result<upward_domain::UpdateSent> {
        self.writing()?;
        self.insert_update_(u)
    }

    fn last_update(&self, person: Uuid) -> Result<Option<jiff::civil::Date>> {
        self.last_update_(person)
    }

    fn updates(&self) -> Result<Vec<upward_domain::UpdateSent>> {
        self.updates_()
    }

    fn insert_reflection(
        &self,
        r: &upward_domain::Reflection,
    ) -> Result<upward_domain::Reflection> {
        self.writing()?;
        self.insert_reflection_(r)
    }

    fn reflections(&self) -> Result<Vec<upward_domain::Reflection>> {
        self.reflections_()
    }

    fn insert_effects(&self, effects: &[upward_domain::Effect]) -> Result<()> {
        self.writing()?;
        self.insert_effects_(effects)
    }

    fn effects(&self, meeting: Option<Uuid>) -> Result<Vec<upward_domain::Effect>> {
        self.effects_(meeting)
    }

    fn remove_meeting(&self, tombstone: &upward_domain::Tombstone) -> Result<()> {
        self.writing()?;
        self.remove_meeting_(tombstone)
    }

    fn tombstones(&self) -> Result<Vec<upward_domain::Tombstone>> {
        self.tombstones_()
    }

    fn insert_decline(&self, d: &upward_domain::Decline) -> Result<upward_domain::Decline> {
        self.writing()?;
        self.insert_decline_(d)
    }

    fn declines(&self) -> Result<Vec<upward_domain::Decline>> {
        self.declines_()
    }

    fn snapshot_of(
        &self,
        scope: upward_store::Scope,
        kinds: &[upward_domain::Kind],
    ) -> Result<upward_domain::Snapshot> {
        self.snapshot_of_(scope, kinds)
    }

    fn search(&self, query: &str, limit: usize) -> Result<Vec<upward_store::Hit>> {
        self.search_(query, limit)
    }

    /// The references between a workspace's records, checked whole (the foreign keys keep
    /// them, unless someone edited the tables by hand), and at most one `me`.
    fn integrity_check(&self) -> Result<String> {
        let r = self.row(
            "SELECT
                (SELECT count(*) FROM items i WHERE i.workspace = $1 AND i.person IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM people p
                                     WHERE p.workspace = $1 AND p.uuid = i.person)) AS item_people,
                (SELECT count(*) FROM items i WHERE i.workspace = $1 AND i.meeting IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM meetings m
                                     WHERE m.workspace = $1 AND m.uuid = i.meeting)) AS item_meetings,
                (SELECT count(*) FROM meetings m WHERE m.workspace = $1
                    AND NOT EXISTS (SELECT 1 FROM people p
                                     WHERE p.workspace = $1 AND p.uuid = m.person)) AS meeting_people,
                (SELECT count(*) FROM meeting_items mi WHERE mi.workspace = $1
                    AND (NOT EXISTS (SELECT 1 FROM meetings m
                                      WHERE m.workspace = $1 AND m.uuid = mi.meeting)
                      OR NOT EXISTS (SELECT 1 FROM items i
                                      WHERE i.workspace = $1 AND i.uuid = mi.item))) AS discussed,
                (SELECT count(*) FROM updates u WHERE u.workspace = $1
                    AND NOT EXISTS (SELECT 1 FROM people p
                                     WHERE p.workspace = $1 AND p.uuid = u.person)) AS update_people,
                (SELECT count(*) FROM reflections r WHERE r.workspace = $1
                    AND NOT EXISTS (SELECT 1 FROM people p
                                     WHERE p.workspace = $1 AND p.uuid = r.person)) AS reflection_people,
                (SELECT greatest(count(*) - 1, 0) FROM people
                  WHERE workspace = $1 AND is_me) AS extra_me",
            &[&self.ws],
        )?;
        let mut problems = Vec::new();
        for (column, what) in [
            ("item_people", "items refer to a person not stored"),
            ("item_meetings", "items refer to a meeting not stored"),
            ("meeting_people", "meetings refer to a person not stored"),
            (
                "discussed",
                "discussed items refer to a meeting or item not stored",
            ),
            ("update_people", "updates refer to a person not stored"),
            (
                "reflection_people",
                "reflections refer to a person not stored",
            ),
            ("extra_me", "people beyond the first are marked as me"),
        ] {
            let n: i64 = convert::get(&r, column)?;
            if n > 0 {
                problems.push(format!("{n} {what}"));
            }
        }
        Ok(if problems.is_empty() {
            "ok".into()
        } else {
            problems.join("; ")
        })
    }
}
