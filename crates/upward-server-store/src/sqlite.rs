//! The SQLite backend (`sqlite://PATH`): one file on one box.
//!
//! **Opening.** The file is created `0600` (its folder `0700` if it has to be made). Before
//! SQLite touches an existing file, its first 100 bytes are read: a file that is not an SQLite
//! database, an upward personal workspace (application id `UPWD`), another program's database
//! or a server database of a newer schema is refused there, written to by nothing. Then
//! SQLite confirms what the header said (it may be behind a write-ahead log), the file is put
//! in WAL mode and migrated: `migrations/sqlite/*.sql` in order, each in its own `BEGIN
//! IMMEDIATE` transaction that also sets `PRAGMA user_version` (the server schema version) and
//! `PRAGMA application_id` (`UPWS`), so two servers opening a fresh file at once migrate it
//! once.
//!
//! **Transactions.** A pool of connections (r2d2): reads run side by side, each in a deferred
//! transaction whose snapshot is taken at its start (WAL: a reader never waits for a writer,
//! nor a writer for a reader). Writes are `BEGIN IMMEDIATE`: one at a time in the whole file,
//! so positions in a space's log are dense without any other lock. Writers in this process
//! queue on a mutex first; writers in other processes (`upward server add-user` while the
//! server runs) wait through SQLite's busy timeout. Commits are synced (`synchronous = FULL`).

use crate::values::{
    LIVE, check_account, check_ops, check_space, nanos, nanos_opt, no_account, no_space, read_only,
    space_taken, storable, timestamp, timestamp_opt,
};
use crate::{
    Account, LinkRow, MemberName, OpRow, RecordRow, Result, SCHEMA_VERSION, ServerStore, ServerTx,
    SessionRow, Space, SpaceHead, StoreError, TokenRow, email_key,
};
use jiff::Timestamp;
use rusqlite::config::DbConfig;
use rusqlite::types::FromSql;
use rusqlite::{Connection, OpenFlags, Params, Row, TransactionBehavior, params};
use std::fs::{DirBuilder, File, OpenOptions};
use std::io::Read;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// `PRAGMA application_id` of a server database: "UPWS".
const APPLICATION_ID: i32 = 0x5550_5753;
/// `PRAGMA application_id` of an upward personal workspace ("UPWD"), refused by name.
const PERSONAL_APPLICATION_ID: i32 = 0x5550_5744;

/// The server schema, one file per version.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/sqlite/0001_server.sql"),
    include_str!("../migrations/sqlite/0002_token_device.sql"),
];
const _: () = assert!(MIGRATIONS.len() as i64 == SCHEMA_VERSION);

/// How long a writer waits for another process's write transaction before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);
/// Connections kept: readers at once (writers take one at a time).
const POOL_SIZE: u32 = 8;

/// A server database in one SQLite file.
pub struct SqliteStore {
    pool: r2d2::Pool<Manager>,
    /// Writers of this process queue here rather than poll SQLite's busy handler.
    writer: Mutex<()>,
}

impl SqliteStore {
    /// Opens (creating and migrating as needed) the server database at `path`; refuses,
    /// unchanged, a file that is not one or is of a newer schema.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        if path.is_dir() {
            return Err(StoreError::NotServerDatabase(format!(
                "{} is a folder, not an upward server database",
                path.display()
            )));
        }
        create_if_missing(path)?;
        check_header(path)?;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(sql_err)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sql_err)?;
        // Closing the last connection to a WAL database would copy the WAL into the file: not
        // before the file is known to be ours.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)
            .map_err(sql_err)?;
        identify(&conn, path)?;
        set_wal(&conn)?;
        migrate(&conn)?;
        drop(conn);
        let pool = r2d2::Pool::builder()
            .max_size(POOL_SIZE)
            .min_idle(Some(1))
            .test_on_check_out(false)
            .connection_timeout(BUSY_TIMEOUT)
            .error_handler(Box::new(r2d2::NopErrorHandler))
            .build(Manager {
                path: path.to_path_buf(),
            })
            .map_err(|e| StoreError::Backend(format!("{}: {e}", path.display())))?;
        Ok(SqliteStore {
            pool,
            writer: Mutex::new(()),
        })
    }

    fn connection(&self) -> Result<r2d2::PooledConnection<Manager>> {
        self.pool
            .get()
            .map_err(|e| StoreError::Backend(format!("no database connection free: {e}")))
    }
}

impl ServerStore for SqliteStore {
    fn read_dyn(&self, f: &mut dyn FnMut(&mut dyn ServerTx) -> Result<()>) -> Result<()> {
        let conn = self.connection()?;
        let tx = Begun::new(&conn, "BEGIN DEFERRED")?;
        // The snapshot starts with the first read: take it now, so the closure sees the
        // state of the moment the transaction began.
        conn.prepare_cached("SELECT count(*) FROM sqlite_master")
            .and_then(|mut s| s.query_row([], |_| Ok(())))
            .map_err(sql_err)?;
        f(&mut Tx {
            conn: &conn,
            writable: false,
        })?;
        tx.commit()
    }

    fn write_dyn(&self, f: &mut dyn FnMut(&mut dyn ServerTx) -> Result<()>) -> Result<()> {
        let _queue = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let conn = self.connection()?;
        let tx = Begun::new(&conn, "BEGIN IMMEDIATE")?;
        f(&mut Tx {
            conn: &conn,
            writable: true,
        })?;
        tx.commit()
    }

    fn ping(&self) -> Result<()> {
        let conn = self.connection()?;
        conn.query_row("SELECT count(*) FROM server_settings", [], |_| Ok(()))
            .map_err(sql_err)
    }

    fn backend(&self) -> &'static str {
        "sqlite"
    }
}

/// Hands out connections to the pool: read-write, waiting for other processes' writers,
/// with foreign keys on and every commit synced.
struct Manager {
    path: PathBuf,
}

impl r2d2::ManageConnection for Manager {
    type Connection = Connection;
    type Error = rusqlite::Error;

    fn connect(&self) -> rusqlite::Result<Connection> {
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        Ok(conn)
    }

    fn is_valid(&self, conn: &mut Connection) -> rusqlite::Result<()> {
        conn.execute_batch("")
    }

    fn has_broken(&self, _: &mut Connection) -> bool {
        false
    }
}

/// A transaction begun on a pooled connection with a cached statement (`BEGIN` and `COMMIT`
/// are not parsed again on every request); rolled back when dropped uncommitted (an error,
/// a panic), so the connection goes back to the pool outside any transaction.
struct Begun<'c> {
    conn: &'c Connection,
    done: bool,
}

impl<'c> Begun<'c> {
    fn new(conn: &'c Connection, begin: &str) -> Result<Begun<'c>> {
        conn.prepare_cached(begin)
            .and_then(|mut s| s.execute([]))
            .map_err(sql_err)?;
        Ok(Begun { conn, done: false })
    }

    fn commit(mut self) -> Result<()> {
        self.conn
            .prepare_cached("COMMIT")
            .and_then(|mut s| s.execute([]))
            .map_err(sql_err)?;
        self.done = true;
        Ok(())
    }
}

impl Drop for Begun<'_> {
    fn drop(&mut self) {
        if !self.done && !self.conn.is_autocommit() {
            // As rusqlite's own transactions do when dropped: there is no one to report a
            // failed rollback to (the error that led here is what the caller gets).
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

/// The driver's error in the contract's words.
fn sql_err(e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode as C;
    match &e {
        rusqlite::Error::SqliteFailure(f, _) => match f.code {
            C::DatabaseBusy | C::DatabaseLocked => StoreError::Backend(format!(
                "another process held the database for {} s; try again ({e})",
                BUSY_TIMEOUT.as_secs()
            )),
            C::CannotOpen => StoreError::Unavailable(e.to_string()),
            C::DiskFull => StoreError::Backend(format!("the disk is full ({e})")),
            C::NotADatabase => StoreError::NotServerDatabase(format!(
                "not an upward server database: not an SQLite database ({e})"
            )),
            _ => StoreError::Backend(e.to_string()),
        },
        _ => StoreError::Backend(e.to_string()),
    }
}

/// Creates the file `0600` (and its folder `0700`) if there is none.
fn create_if_missing(path: &Path) -> Result<()> {
    let io = |e: std::io::Error| StoreError::Backend(format!("{}: {e}", path.display()));
    if path.exists() {
        return Ok(());
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
    // Made here, not by SQLite, so it is private from its first byte; SQLite gives its WAL
    // and shared-memory files the same mode.
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(io(e)),
    }
}

/// Refuses, from the file's first bytes and before SQLite opens it, what is certainly not a
/// server database of a version this build knows. An empty file is a new database.
fn check_header(path: &Path) -> Result<()> {
    let mut head = Vec::with_capacity(100);
    File::open(path)
        .and_then(|f| f.take(100).read_to_end(&mut head))
        .map_err(|e| StoreError::Backend(format!("{}: {e}", path.display())))?;
    if head.is_empty() {
        return Ok(());
    }
    if head.len() < 100 || !head.starts_with(b"SQLite format 3\0") {
        return Err(not_ours(path, "not an SQLite database"));
    }
    let word = |at: usize| i32::from_be_bytes([head[at], head[at + 1], head[at + 2], head[at + 3]]);
    let (version, app) = (word(60), word(68));
    refuse(path, app, i64::from(version), None)
}

/// Reads what the file is, through SQLite (which sees a write-ahead log the header may be
/// behind), and refuses it unless it is a new file or a server database this build knows.
fn identify(conn: &Connection, path: &Path) -> Result<()> {
    let probe = || -> rusqlite::Result<(i32, i64, i64)> {
        let tx = conn.unchecked_transaction()?;
        let app = tx.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let version = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let tables = tx.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
        tx.finish()?;
        Ok((app, version, tables))
    };
    let (app, version, tables) = probe().map_err(|e| match sql_err(e) {
        StoreError::NotServerDatabase(_) => not_ours(path, "not an SQLite database"),
        e => e,
    })?;
    refuse(path, app, version, Some(tables))
}

/// The refusal, if any, of a file with this application id and schema version (and number
/// of schema objects, when known): a new file (all zero) and a server database of a version
/// this build knows pass.
fn refuse(path: &Path, app: i32, version: i64, tables: Option<i64>) -> Result<()> {
    match app {
        APPLICATION_ID if version > SCHEMA_VERSION => Err(StoreError::TooNew {
            found: version,
            known: SCHEMA_VERSION,
        }),
        APPLICATION_ID => Ok(()),
        PERSONAL_APPLICATION_ID => Err(StoreError::NotServerDatabase(format!(
            "{} is an upward personal workspace, not a server database: give the server a file \
             of its own (nothing was changed)",
            path.display()
        ))),
        0 if version == 0 && tables.unwrap_or(0) == 0 => Ok(()),
        _ => Err(not_ours(path, "another program's SQLite database")),
    }
}

fn not_ours(path: &Path, what: &str) -> StoreError {
    StoreError::NotServerDatabase(format!(
        "{} is not an upward server database ({what}); nothing was changed",
        path.display()
    ))
}

/// Puts the file in WAL mode. On a new file two servers may switch at once, and SQLite then
/// answers "locked" without waiting: retry as the busy timeout would.
fn set_wal(conn: &Connection) -> Result<()> {
    let deadline = Instant::now() + BUSY_TIMEOUT;
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy && Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(5));
            }
            other => return other.map_err(sql_err),
        }
    }
}

/// Runs each pending migration in its own write transaction, reading the version again
/// inside it (another server may have migrated meanwhile).
fn migrate(conn: &Connection) -> Result<()> {
    loop {
        let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)
            .map_err(sql_err)?;
        let version: i64 = tx
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(sql_err)?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        let Some(sql) = MIGRATIONS.get(version as usize) else {
            return tx.finish().map_err(sql_err);
        };
        let step = || -> rusqlite::Result<()> {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "application_id", APPLICATION_ID)?;
            tx.pragma_update(None, "user_version", version + 1)
        };
        step().map_err(|e| {
            StoreError::Backend(format!("server migration {} failed: {e}", version + 1))
        })?;
        tx.commit().map_err(sql_err)?;
    }
}

/// One transaction on one pooled connection.
struct Tx<'c> {
    conn: &'c Connection,
    writable: bool,
}

/// A column by name.
fn get<T: FromSql>(r: &Row, column: &str) -> Result<T> {
    r.get(column)
        .map_err(|e| StoreError::Backend(format!("reading {column}: {e}")))
}

fn uuid(r: &Row, column: &str) -> Result<Uuid> {
    Ok(Uuid::from_bytes(get(r, column)?))
}

fn uuid_opt(r: &Row, column: &str) -> Result<Option<Uuid>> {
    Ok(get::<Option<[u8; 16]>>(r, column)?.map(Uuid::from_bytes))
}

fn time(r: &Row, column: &str) -> Result<Timestamp> {
    timestamp(column, get(r, column)?)
}

fn time_opt(r: &Row, column: &str) -> Result<Option<Timestamp>> {
    timestamp_opt(column, get(r, column)?)
}

const ACCOUNT: &str = "id, email, name, password_hash, time_zone, disabled, created_at, \
                       password_changed_at";

fn account_row(r: &Row) -> Result<Account> {
    Ok(Account {
        id: uuid(r, "id")?,
        email: get(r, "email")?,
        name: get(r, "name")?,
        password_hash: get(r, "password_hash")?,
        time_zone: get(r, "time_zone")?,
        disabled: get(r, "disabled")?,
        created_at: time(r, "created_at")?,
        password_changed_at: time_opt(r, "password_changed_at")?,
    })
}

const SESSION: &str = "hash, account, data, created_at, expires_at";

fn session_row(r: &Row) -> Result<SessionRow> {
    Ok(SessionRow {
        hash: get(r, "hash")?,
        account: uuid_opt(r, "account")?,
        data: get(r, "data")?,
        created_at: time(r, "created_at")?,
        expires_at: time(r, "expires_at")?,
    })
}

const TOKEN: &str = "id, hash, account, name, created_at, last_used, device";

fn token_row(r: &Row) -> Result<TokenRow> {
    Ok(TokenRow {
        id: uuid(r, "id")?,
        hash: get(r, "hash")?,
        account: uuid(r, "account")?,
        name: get(r, "name")?,
        created_at: time(r, "created_at")?,
        last_used: time_opt(r, "last_used")?,
        device: uuid_opt(r, "device")?,
    })
}

/// A token's row joined with its account's (the account's columns prefixed `a_`).
fn token_with_account_row(r: &Row) -> Result<(TokenRow, Account)> {
    let token = token_row(r)?;
    let account = Account {
        id: uuid(r, "account")?,
        email: get(r, "a_email")?,
        name: get(r, "a_name")?,
        password_hash: get(r, "a_password_hash")?,
        time_zone: get(r, "a_time_zone")?,
        disabled: get(r, "a_disabled")?,
        created_at: time(r, "a_created_at")?,
        password_changed_at: time_opt(r, "a_password_changed_at")?,
    };
    Ok((token, account))
}

const LINK: &str = "hash, account, purpose, created_at, expires_at";

fn link_row(r: &Row) -> Result<LinkRow> {
    Ok(LinkRow {
        hash: get(r, "hash")?,
        account: uuid(r, "account")?,
        purpose: get(r, "purpose")?,
        created_at: time(r, "created_at")?,
        expires_at: time(r, "expires_at")?,
    })
}

const SPACE: &str =
    "id, status, inviter, inviter_role, invitee_email, invitee, created_at, changed_at";

fn space_row(r: &Row) -> Result<Space> {
    Ok(Space {
        id: uuid(r, "id")?,
        status: get(r, "status")?,
        inviter: uuid(r, "inviter")?,
        inviter_role: get(r, "inviter_role")?,
        invitee_email: get(r, "invitee_email")?,
        invitee: uuid_opt(r, "invitee")?,
        created_at: time(r, "created_at")?,
        changed_at: time(r, "changed_at")?,
    })
}

/// The columns of [`SpaceHead`]: the space's (`s.`), its log's head, both members' names.
const SPACE_HEAD: &str = "s.id, s.status, s.inviter, s.inviter_role, s.invitee_email, s.invitee,
        s.created_at, s.changed_at,
        (SELECT coalesce(max(o.position), 0) FROM server_ops o WHERE o.space = s.id) AS head,
        a.id AS inviter_id, a.email AS inviter_email, a.name AS inviter_name,
        b.id AS invitee_id, b.email AS invitee_email_now, b.name AS invitee_name
   FROM server_spaces s
   LEFT JOIN server_accounts a ON a.id = s.inviter
   LEFT JOIN server_accounts b ON b.id = s.invitee";

fn space_head_row(r: &Row) -> Result<SpaceHead> {
    let member = |who: &str| -> Result<Option<MemberName>> {
        let id: Option<Vec<u8>> = get(r, &format!("{who}_id"))?;
        if id.is_none() {
            return Ok(None);
        }
        Ok(Some(MemberName {
            id: uuid(r, &format!("{who}_id"))?,
            email: get(
                r,
                if who == "inviter" {
                    "inviter_email"
                } else {
                    "invitee_email_now"
                },
            )?,
            name: get(r, &format!("{who}_name"))?,
        }))
    };
    Ok(SpaceHead {
        space: space_row(r)?,
        head: get(r, "head")?,
        inviter: member("inviter")?,
        invitee: member("invitee")?,
    })
}

const OP: &str =
    "space, position, id, record, record_type, action, author, device, clock, protocol, payload";

fn op_row(r: &Row) -> Result<OpRow> {
    Ok(OpRow {
        space: uuid(r, "space")?,
        position: get(r, "position")?,
        id: uuid(r, "id")?,
        record: uuid(r, "record")?,
        record_type: get(r, "record_type")?,
        action: get(r, "action")?,
        author: uuid(r, "author")?,
        device: uuid(r, "device")?,
        // Stored as the same 64 bits, signed.
        clock: get::<i64>(r, "clock")? as u64,
        protocol: get(r, "protocol")?,
        payload: get(r, "payload")?,
    })
}

const RECORD: &str = "space, id, record_type, seq, removed, state";

fn record_row(r: &Row) -> Result<RecordRow> {
    Ok(RecordRow {
        space: uuid(r, "space")?,
        id: uuid(r, "id")?,
        record_type: get(r, "record_type")?,
        seq: get(r, "seq")?,
        removed: get(r, "removed")?,
        state: get(r, "state")?,
    })
}

impl Tx<'_> {
    /// Refuses a write in a read transaction.
    fn writing(&self, what: &str) -> Result<()> {
        if self.writable {
            Ok(())
        } else {
            Err(read_only(what))
        }
    }

    fn execute(&self, sql: &str, params: impl Params) -> Result<usize> {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut s| s.execute(params))
            .map_err(sql_err)
    }

    fn all<T>(
        &self,
        sql: &str,
        params: impl Params,
        f: impl Fn(&Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(sql_err)?;
        let mut rows = stmt.query(params).map_err(sql_err)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(sql_err)? {
            out.push(f(row)?);
        }
        Ok(out)
    }

    fn one<T>(
        &self,
        sql: &str,
        params: impl Params,
        f: impl Fn(&Row) -> Result<T>,
    ) -> Result<Option<T>> {
        Ok(self.all(sql, params, f)?.into_iter().next())
    }

    fn exists(&self, sql: &str, params: impl Params) -> Result<bool> {
        Ok(self.one(sql, params, |_| Ok(()))?.is_some())
    }

    fn account_exists(&self, id: Uuid) -> Result<bool> {
        self.exists(
            "SELECT 1 FROM server_accounts WHERE id = ?1",
            [id.as_bytes()],
        )
    }
}

impl ServerTx for Tx<'_> {
    fn insert_account(&mut self, a: &Account) -> Result<()> {
        self.writing("insert_account")?;
        check_account(a)?;
        let key = email_key(&a.email);
        storable("email", &a.email)?;
        let n = self.execute(
            "INSERT INTO server_accounts (id, email, email_key, name, password_hash, time_zone,
                                          disabled, created_at, password_changed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT DO NOTHING",
            params![
                a.id.as_bytes(),
                a.email,
                key,
                a.name,
                a.password_hash,
                a.time_zone,
                a.disabled,
                nanos("created_at", a.created_at)?,
                nanos_opt("password_changed_at", a.password_changed_at)?,
            ],
        )?;
        if n == 1 {
            return Ok(());
        }
        if self.exists("SELECT 1 FROM server_accounts WHERE email_key = ?1", [&key])? {
            Err(StoreError::Conflict(format!(
                "the email {}",
                a.email.trim()
            )))
        } else {
            Err(StoreError::Conflict(format!("the account id {}", a.id)))
        }
    }

    fn account(&mut self, id: Uuid) -> Result<Option<Account>> {
        self.one(
            &format!("SELECT {ACCOUNT} FROM server_accounts WHERE id = ?1"),
            [id.as_bytes()],
            account_row,
        )
    }

    fn account_by_email(&mut self, email: &str) -> Result<Option<Account>> {
        self.one(
            &format!("SELECT {ACCOUNT} FROM server_accounts WHERE email_key = ?1"),
            [email_key(email)],
            account_row,
        )
    }

    fn update_account(&mut self, a: &Account) -> Result<()> {
        self.writing("update_account")?;
        check_account(a)?;
        let n = self.execute(
            "UPDATE server_accounts
                SET name = ?2, password_hash = ?3, time_zone = ?4, disabled = ?5,
                    password_changed_at = ?6
              WHERE id = ?1",
            params![
                a.id.as_bytes(),
                a.name,
                a.password_hash,
                a.time_zone,
                a.disabled,
                nanos_opt("password_changed_at", a.password_changed_at)?,
            ],
        )?;
        if n == 1 {
            Ok(())
        } else {
            Err(StoreError::Backend(format!("no account {}", a.id)))
        }
    }

    fn put_session(&mut self, s: &SessionRow) -> Result<()> {
        self.writing("put_session")?;
        let n = self.execute(
            "INSERT INTO server_sessions (hash, account, data, created_at, expires_at)
             SELECT ?1, ?2, ?3, ?4, ?5
              WHERE ?2 IS NULL OR EXISTS (SELECT 1 FROM server_accounts WHERE id = ?2)
             ON CONFLICT (hash) DO UPDATE
                SET account = excluded.account, data = excluded.data,
                    created_at = excluded.created_at, expires_at = excluded.expires_at",
            params![
                s.hash,
                s.account.as_ref().map(Uuid::as_bytes),
                s.data,
                nanos("created_at", s.created_at)?,
                nanos("expires_at", s.expires_at)?,
            ],
        )?;
        if n == 1 {
            Ok(())
        } else {
            Err(no_account(s.account))
        }
    }

    fn session(&mut self, hash: &[u8; 32]) -> Result<Option<SessionRow>> {
        self.one(
            &format!("SELECT {SESSION} FROM server_sessions WHERE hash = ?1"),
            [hash],
            session_row,
        )
    }

    fn delete_session(&mut self, hash: &[u8; 32]) -> Result<()> {
        self.writing("delete_session")?;
        self.execute("DELETE FROM server_sessions WHERE hash = ?1", [hash])?;
        Ok(())
    }

    fn delete_sessions_of(&mut self, account: Uuid, keep: Option<&[u8; 32]>) -> Result<u64> {
        self.writing("delete_sessions_of")?;
        let n = self.execute(
            "DELETE FROM server_sessions WHERE account = ?1 AND (?2 IS NULL OR hash <> ?2)",
            params![account.as_bytes(), keep],
        )?;
        Ok(n as u64)
    }

    fn delete_expired_sessions(&mut self, now: Timestamp) -> Result<u64> {
        self.writing("delete_expired_sessions")?;
        let n = self.execute(
            "DELETE FROM server_sessions WHERE expires_at < ?1",
            [nanos("now", now)?],
        )?;
        Ok(n as u64)
    }

    fn insert_token(&mut self, t: &TokenRow) -> Result<()> {
        self.writing("insert_token")?;
        storable("token name", &t.name)?;
        let n = self.execute(
            "INSERT INTO server_tokens (id, hash, account, name, created_at, last_used, device)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7
              WHERE EXISTS (SELECT 1 FROM server_accounts WHERE id = ?3)
             ON CONFLICT DO NOTHING",
            params![
                t.id.as_bytes(),
                t.hash,
                t.account.as_bytes(),
                t.name,
                nanos("created_at", t.created_at)?,
                nanos_opt("last_used", t.last_used)?,
                t.device.as_ref().map(Uuid::as_bytes),
            ],
        )?;
        if n == 1 {
            return Ok(());
        }
        if !self.account_exists(t.account)? {
            Err(no_account(Some(t.account)))
        } else if self.exists(
            "SELECT 1 FROM server_tokens WHERE id = ?1",
            [t.id.as_bytes()],
        )? {
            Err(StoreError::Conflict(format!("the token id {}", t.id)))
        } else {
            Err(StoreError::Conflict("the token's hash".into()))
        }
    }

    fn token_by_hash(&mut self, hash: &[u8; 32]) -> Result<Option<TokenRow>> {
        self.one(
            &format!("SELECT {TOKEN} FROM server_tokens WHERE hash = ?1"),
            [hash],
            token_row,
        )
    }

    fn token_with_account(&mut self, hash: &[u8; 32]) -> Result<Option<(TokenRow, Account)>> {
        self.one(
            "SELECT t.id, t.hash, t.account, t.name, t.created_at, t.last_used, t.device,
                    a.email AS a_email, a.name AS a_name, a.password_hash AS a_password_hash,
                    a.time_zone AS a_time_zone, a.disabled AS a_disabled,
                    a.created_at AS a_created_at, a.password_changed_at AS a_password_changed_at
               FROM server_tokens t JOIN server_accounts a ON a.id = t.account
              WHERE t.hash = ?1",
            [hash],
            token_with_account_row,
        )
    }

    fn tokens_of(&mut self, account: Uuid) -> Result<Vec<TokenRow>> {
        self.all(
            &format!(
                "SELECT {TOKEN} FROM server_tokens WHERE account = ?1
                  ORDER BY created_at DESC, id DESC"
            ),
            [account.as_bytes()],
            token_row,
        )
    }

    fn delete_token(&mut self, account: Uuid, id: Uuid) -> Result<bool> {
        self.writing("delete_token")?;
        let n = self.execute(
            "DELETE FROM server_tokens WHERE id = ?1 AND account = ?2",
            [id.as_bytes(), account.as_bytes()],
        )?;
        Ok(n == 1)
    }

    fn delete_tokens_of(&mut self, account: Uuid) -> Result<u64> {
        self.writing("delete_tokens_of")?;
        let n = self.execute(
            "DELETE FROM server_tokens WHERE account = ?1",
            [account.as_bytes()],
        )?;
        Ok(n as u64)
    }

    fn touch_token(&mut self, id: Uuid, at: Timestamp) -> Result<()> {
        self.writing("touch_token")?;
        self.execute(
            "UPDATE server_tokens SET last_used = ?2 WHERE id = ?1",
            params![id.as_bytes(), nanos("last_used", at)?],
        )?;
        Ok(())
    }

    fn insert_link(&mut self, l: &LinkRow) -> Result<()> {
        self.writing("insert_link")?;
        storable("link purpose", &l.purpose)?;
        let n = self.execute(
            "INSERT INTO server_links (hash, account, purpose, created_at, expires_at)
             SELECT ?1, ?2, ?3, ?4, ?5
              WHERE EXISTS (SELECT 1 FROM server_accounts WHERE id = ?2)
             ON CONFLICT DO NOTHING",
            params![
                l.hash,
                l.account.as_bytes(),
                l.purpose,
                nanos("created_at", l.created_at)?,
                nanos("expires_at", l.expires_at)?,
            ],
        )?;
        if n == 1 {
            Ok(())
        } else if !self.account_exists(l.account)? {
            Err(no_account(Some(l.account)))
        } else {
            Err(StoreError::Conflict("the link's hash".into()))
        }
    }

    fn take_link(&mut self, hash: &[u8; 32], now: Timestamp) -> Result<Option<LinkRow>> {
        self.writing("take_link")?;
        let link = self.one(
            &format!("DELETE FROM server_links WHERE hash = ?1 RETURNING {LINK}"),
            [hash],
            link_row,
        )?;
        Ok(link.filter(|l| now < l.expires_at))
    }

    fn delete_links_of(&mut self, account: Uuid) -> Result<u64> {
        self.writing("delete_links_of")?;
        let n = self.execute(
            "DELETE FROM server_links WHERE account = ?1",
            [account.as_bytes()],
        )?;
        Ok(n as u64)
    }

    fn insert_space(&mut self, s: &Space) -> Result<()> {
        self.writing("insert_space")?;
        check_space(s)?;
        if !self.account_exists(s.inviter)? {
            return Err(no_account(Some(s.inviter)));
        }
        if let Some(invitee) = s.invitee
            && !self.account_exists(invitee)?
        {
            return Err(no_account(Some(invitee)));
        }
        let key = email_key(&s.invitee_email);
        // The invitee's account: the one who accepted, or the one the email belongs to.
        let invitee = match s.invitee {
            Some(id) => Some(id),
            None => self.one(
                "SELECT id FROM server_accounts WHERE email_key = ?1",
                [&key],
                |r| uuid(r, "id"),
            )?,
        };
        let live = self.exists(
            &format!(
                "SELECT 1 FROM server_spaces s
                  WHERE s.status IN ('{}', '{}', '{}')
                    AND ((s.inviter = ?1 AND (s.invitee_email_key = ?2 OR s.invitee = ?3))
                      OR (s.inviter = ?3
                          AND (s.invitee = ?1
                               OR s.invitee_email_key = (SELECT email_key FROM server_accounts
                                                          WHERE id = ?1))))
                  LIMIT 1",
                LIVE[0], LIVE[1], LIVE[2]
            ),
            params![
                s.inviter.as_bytes(),
                key,
                invitee.as_ref().map(Uuid::as_bytes)
            ],
        )?;
        if live {
            return Err(space_taken());
        }
        let n = self.execute(
            "INSERT INTO server_spaces (id, status, inviter, inviter_role, invitee_email,
                                        invitee_email_key, invitee, created_at, changed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT DO NOTHING",
            params![
                s.id.as_bytes(),
                s.status,
                s.inviter.as_bytes(),
                s.inviter_role,
                s.invitee_email,
                key,
                s.invitee.as_ref().map(Uuid::as_bytes),
                nanos("created_at", s.created_at)?,
                nanos("changed_at", s.changed_at)?,
            ],
        )?;
        if n == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict(format!("the space id {}", s.id)))
        }
    }

    fn space(&mut self, id: Uuid) -> Result<Option<Space>> {
        self.one(
            &format!("SELECT {SPACE} FROM server_spaces WHERE id = ?1"),
            [id.as_bytes()],
            space_row,
        )
    }

    fn spaces_of(&mut self, account: Uuid, email: &str) -> Result<Vec<Space>> {
        self.all(
            &format!(
                "SELECT {SPACE} FROM server_spaces
                  WHERE inviter = ?1 OR invitee = ?1 OR invitee_email_key = ?2
                  ORDER BY created_at DESC, id DESC"
            ),
            params![account.as_bytes(), email_key(email)],
            space_row,
        )
    }

    fn update_space(&mut self, s: &Space) -> Result<()> {
        self.writing("update_space")?;
        check_space(s)?;
        if let Some(invitee) = s.invitee
            && !self.account_exists(invitee)?
        {
            return Err(no_account(Some(invitee)));
        }
        let n = self.execute(
            "UPDATE server_spaces SET status = ?2, invitee = ?3, changed_at = ?4 WHERE id = ?1",
            params![
                s.id.as_bytes(),
                s.status,
                s.invitee.as_ref().map(Uuid::as_bytes),
                nanos("changed_at", s.changed_at)?,
            ],
        )?;
        if n == 1 { Ok(()) } else { Err(no_space(s.id)) }
    }

    fn delete_space(&mut self, id: Uuid) -> Result<()> {
        self.writing("delete_space")?;
        for sql in [
            "DELETE FROM server_ops WHERE space = ?1",
            "DELETE FROM server_records WHERE space = ?1",
            "DELETE FROM server_spaces WHERE id = ?1",
        ] {
            self.execute(sql, [id.as_bytes()])?;
        }
        Ok(())
    }

    fn space_head(&mut self, id: Uuid) -> Result<Option<SpaceHead>> {
        self.one(
            &format!("SELECT {SPACE_HEAD} WHERE s.id = ?1"),
            [id.as_bytes()],
            space_head_row,
        )
    }

    fn space_heads_of(&mut self, account: Uuid, email: &str) -> Result<Vec<SpaceHead>> {
        self.all(
            &format!(
                "SELECT {SPACE_HEAD}
                  WHERE s.inviter = ?1 OR s.invitee = ?1 OR s.invitee_email_key = ?2
                  ORDER BY s.created_at DESC, s.id DESC"
            ),
            params![account.as_bytes(), email_key(email)],
            space_head_row,
        )
    }

    fn append_ops(&mut self, space: Uuid, ops: &[OpRow]) -> Result<Vec<i64>> {
        self.writing("append_ops")?;
        check_ops(space, ops)?;
        // `BEGIN IMMEDIATE` made this the only writer of the file: the space's next position
        // is ours until commit.
        if !self.exists(
            "SELECT 1 FROM server_spaces WHERE id = ?1",
            [space.as_bytes()],
        )? {
            return Err(no_space(space));
        }
        let mut next: i64 = self
            .one(
                "SELECT coalesce(max(position), 0) + 1 AS next FROM server_ops WHERE space = ?1",
                [space.as_bytes()],
                |r| get(r, "next"),
            )?
            .unwrap_or(1);
        let mut positions = Vec::with_capacity(ops.len());
        for op in ops {
            if let Some(p) = self.one(
                "SELECT position FROM server_ops WHERE space = ?1 AND id = ?2",
                [space.as_bytes(), op.id.as_bytes()],
                |r| get(r, "position"),
            )? {
                positions.push(p);
                continue;
            }
            self.execute(
                &format!("INSERT INTO server_ops ({OP}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"),
                params![
                    space.as_bytes(),
                    next,
                    op.id.as_bytes(),
                    op.record.as_bytes(),
                    op.record_type,
                    op.action,
                    op.author.as_bytes(),
                    op.device.as_bytes(),
                    op.clock as i64,
                    op.protocol,
                    op.payload,
                ],
            )?;
            positions.push(next);
            next += 1;
        }
        Ok(positions)
    }

    fn op(&mut self, space: Uuid, id: Uuid) -> Result<Option<OpRow>> {
        self.one(
            &format!("SELECT {OP} FROM server_ops WHERE space = ?1 AND id = ?2"),
            [space.as_bytes(), id.as_bytes()],
            op_row,
        )
    }

    fn head(&mut self, space: Uuid) -> Result<i64> {
        Ok(self
            .one(
                "SELECT coalesce(max(position), 0) AS head FROM server_ops WHERE space = ?1",
                [space.as_bytes()],
                |r| get(r, "head"),
            )?
            .unwrap_or(0))
    }

    fn ops_after(&mut self, space: Uuid, cursor: i64, limit: usize) -> Result<Vec<OpRow>> {
        self.all(
            &format!(
                "SELECT {OP} FROM server_ops WHERE space = ?1 AND position > ?2
                  ORDER BY position LIMIT ?3"
            ),
            params![
                space.as_bytes(),
                cursor,
                i64::try_from(limit).unwrap_or(i64::MAX)
            ],
            op_row,
        )
    }

    fn records(&mut self, space: Uuid) -> Result<Vec<RecordRow>> {
        self.all(
            &format!("SELECT {RECORD} FROM server_records WHERE space = ?1 ORDER BY seq, id"),
            [space.as_bytes()],
            record_row,
        )
    }

    fn record(&mut self, space: Uuid, id: Uuid) -> Result<Option<RecordRow>> {
        self.one(
            &format!("SELECT {RECORD} FROM server_records WHERE space = ?1 AND id = ?2"),
            [space.as_bytes(), id.as_bytes()],
            record_row,
        )
    }

    fn put_record(&mut self, r: &RecordRow) -> Result<()> {
        self.writing("put_record")?;
        storable("record type", &r.record_type)?;
        let n = self.execute(
            "INSERT INTO server_records (space, id, record_type, seq, removed, state)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6
              WHERE EXISTS (SELECT 1 FROM server_spaces WHERE id = ?1)
             ON CONFLICT (space, id) DO UPDATE
                SET record_type = excluded.record_type, seq = excluded.seq,
                    removed = excluded.removed, state = excluded.state",
            params![
                r.space.as_bytes(),
                r.id.as_bytes(),
                r.record_type,
                r.seq,
                r.removed,
                r.state
            ],
        )?;
        if n == 1 {
            Ok(())
        } else {
            Err(no_space(r.space))
        }
    }

    fn setting(&mut self, key: &str) -> Result<Option<String>> {
        self.one(
            "SELECT value FROM server_settings WHERE key = ?1",
            [key],
            |r| get(r, "value"),
        )
    }

    fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.writing("set_setting")?;
        storable("setting's key", key)?;
        storable("setting's value", value)?;
        self.execute(
            "INSERT INTO server_settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }
}
