//! The PostgreSQL backend (`postgres://…`): a team's server, its database shared with
//! nothing or with upward-store-postgres's workspaces (every table of this crate starts with
//! `server_`).
//!
//! **Opening.** The URL is parsed (an error never repeats its password), one connection is
//! made (a refused or timed-out connection is [`StoreError::Unavailable`]) and
//! `migrations/postgres/*.sql` are applied in order, each in its own transaction with the row
//! of `server_migrations` that records it, under an advisory lock so servers starting
//! together migrate once. A database recorded at a newer version is refused before anything
//! is written to it ([`StoreError::TooNew`]).
//!
//! **The pool.** r2d2 over `postgres::Client`. A checkout does not test the connection (a
//! round trip on every request); a transaction that cannot begin because its connection is
//! lost marks it broken, so the pool drops it, and begins on another (nothing has run yet),
//! so when PostgreSQL stops, requests get [`StoreError::Unavailable`] (after at most
//! [`POOL_WAIT`]), and when it is back they work again, without a restart.
//!
//! **Transactions.** A write is `READ COMMITTED`: each statement sees what committed before
//! it, so a writer that waited for a lock then reads what its predecessor wrote.
//! [`ServerTx::append_ops`] locks the space's row (`SELECT … FOR UPDATE`) to the end of the
//! transaction, so writers of one space queue and positions are dense in commit order;
//! [`ServerTx::insert_space`] takes an advisory lock, so two invitations of the same pair
//! cannot both pass the live-space check. A writer waits at most a minute for a lock
//! (`lock_timeout`). A read is `REPEATABLE READ READ ONLY`: one snapshot from its first read,
//! never blocking a writer.
//!
//! **Refused writes keep the transaction.** PostgreSQL aborts a whole transaction on a
//! failed statement (and then takes `COMMIT` for `ROLLBACK`). So what the contract refuses is
//! found without failing one: inserts are `ON CONFLICT DO NOTHING` or guarded by `WHERE
//! EXISTS`, and explained by a second query only when they did not happen; text PostgreSQL
//! cannot hold is refused before it is sent. If a statement fails anyway, the transaction
//! remembers it and the commit reports the failure instead of pretending to commit.

use crate::values::{
    LIVE, check_account, check_ops, check_space, nanos, nanos_opt, no_account, no_space, read_only,
    redact, space_taken, storable, timestamp, timestamp_opt,
};
use crate::{
    Account, LinkRow, MemberName, OpRow, RecordRow, Result, SCHEMA_VERSION, ServerStore, ServerTx,
    SessionRow, Space, SpaceHead, StoreError, TokenRow, URL_FORMS, email_key,
};
use ::postgres::types::{FromSql, ToSql};
use ::postgres::{Client, Config, IsolationLevel, NoTls, Row, Statement};
use jiff::Timestamp;
use std::collections::HashMap;
use std::time::Duration;
use uuid::Uuid;

/// The server schema, one file per version.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/postgres/0001_server.sql"),
    include_str!("../migrations/postgres/0002_token_device.sql"),
];
const _: () = assert!(MIGRATIONS.len() as i64 == SCHEMA_VERSION);

/// The migration lock, in the two-key space of advisory locks: "UPWS" and 0 (apart from
/// upward-store-postgres's "UPWD" and 0, and from its one-key workspace locks).
const MIGRATION_LOCK: (i32, i32) = (0x5550_5753, 0);
/// The lock of the live-space check in [`ServerTx::insert_space`]: "UPWS" and 1.
const SPACES_LOCK: (i32, i32) = (0x5550_5753, 1);

/// How long a request waits for a connection (PostgreSQL down, or every connection busy)
/// before it is answered [`StoreError::Unavailable`].
pub const POOL_WAIT: Duration = Duration::from_secs(5);
/// How long connecting may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a writer waits for a lock another writer holds.
const LOCK_TIMEOUT: Duration = Duration::from_secs(60);
/// Connections kept at most.
const POOL_SIZE: u32 = 16;

/// One parameter of a statement.
type Param<'a> = &'a (dyn ToSql + Sync);

/// A server database in PostgreSQL, behind a pool of connections.
pub struct PgStore {
    pool: r2d2::Pool<Manager>,
    /// The database, without its password, for messages.
    database: String,
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://user:password@host:port/dbname`) and
    /// migrates it.
    pub fn open(url: &str) -> Result<PgStore> {
        let mut config: Config = url.parse().map_err(|e: ::postgres::Error| {
            StoreError::BadUrl(format!(
                "not a PostgreSQL URL: {:?} ({}); use {URL_FORMS}",
                redact(url),
                chain(&e)
            ))
        })?;
        if config.get_application_name().is_none() {
            config.application_name("upward-server");
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        let database = describe(&config);
        let manager = Manager { config };
        let mut first = manager
            .connect_now()
            .map_err(|e| StoreError::Unavailable(format!("{database}: {e}")))?;
        migrate(&mut first.client)?;
        drop(first);
        let pool = r2d2::Pool::builder()
            .max_size(POOL_SIZE)
            .min_idle(Some(1))
            // Not tested on every checkout: [`PgStore::run`] finds a lost one when it begins.
            .test_on_check_out(false)
            .connection_timeout(POOL_WAIT)
            .error_handler(Box::new(r2d2::NopErrorHandler))
            .build_unchecked(manager);
        Ok(PgStore { pool, database })
    }

    fn connection(&self) -> Result<r2d2::PooledConnection<Manager>> {
        self.pool
            .get()
            .map_err(|e| StoreError::Unavailable(format!("{}: {e}", self.database)))
    }
}

impl PgStore {
    /// One transaction (a read: `REPEATABLE READ READ ONLY`; a write: `READ COMMITTED`). A
    /// connection is not tested when it is checked out (that would be one more round trip on
    /// every request): one that turns out to be lost when its transaction begins (PostgreSQL
    /// restarted) is marked broken, so the pool drops it, and the transaction begins on
    /// another, nothing having run yet. A connection lost later is marked broken too, and the
    /// request fails with [`StoreError::Unavailable`].
    fn run(&self, write: bool, f: &mut dyn FnMut(&mut dyn ServerTx) -> Result<()>) -> Result<()> {
        let mut lost_ones = 0;
        loop {
            let mut conn = self.connection()?;
            let Conn {
                client,
                statements,
                broken,
            } = &mut *conn;
            let start = if write {
                client
                    .build_transaction()
                    .isolation_level(IsolationLevel::ReadCommitted)
                    .start()
            } else {
                client
                    .build_transaction()
                    .isolation_level(IsolationLevel::RepeatableRead)
                    .read_only(true)
                    .start()
            };
            let tx = match start {
                Ok(tx) => tx,
                Err(e) if lost(&e) => {
                    *broken = true;
                    lost_ones += 1;
                    if lost_ones > POOL_SIZE {
                        return Err(pg_err(e));
                    }
                    continue;
                }
                Err(e) => return Err(pg_err(e)),
            };
            let mut tx = Tx {
                tx,
                statements,
                writable: write,
                failed: false,
            };
            let done = f(&mut tx).and_then(|()| {
                if tx.failed && write {
                    // Dropped, so rolled back: PostgreSQL would have done the same for a
                    // COMMIT.
                    return Err(StoreError::Backend(
                        "a statement of this transaction failed, so none of it was kept".into(),
                    ));
                }
                tx.tx.commit().map_err(pg_err)
            });
            if matches!(done, Err(StoreError::Unavailable(_))) {
                *broken = true;
            }
            return done;
        }
    }
}

/// The database a URL points at, without its password.
fn describe(config: &Config) -> String {
    let host = match config.get_hosts().first() {
        Some(::postgres::config::Host::Tcp(h)) => h.clone(),
        Some(::postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!(
        "postgres://{host}:{port}/{}",
        config.get_dbname().unwrap_or_default()
    )
}

impl ServerStore for PgStore {
    fn read_dyn(&self, f: &mut dyn FnMut(&mut dyn ServerTx) -> Result<()>) -> Result<()> {
        self.run(false, f)
    }

    fn write_dyn(&self, f: &mut dyn FnMut(&mut dyn ServerTx) -> Result<()>) -> Result<()> {
        self.run(true, f)
    }

    fn ping(&self) -> Result<()> {
        // An empty transaction: begun on a connection found alive (a lost one is dropped and
        // another tried, as for any transaction), and committed.
        self.run(false, &mut |_| Ok(()))
    }

    fn backend(&self) -> &'static str {
        "postgres"
    }
}

/// A pooled connection with the statements prepared on it, by their SQL: a statement then
/// costs one round trip instead of two.
struct Conn {
    client: Client,
    statements: HashMap<String, Statement>,
    /// Lost (found so by a statement): the pool drops it instead of handing it out again.
    broken: bool,
}

/// Hands out connections to the pool and tells broken ones.
struct Manager {
    config: Config,
}

/// Why a connection could not be made or kept, in words (the driver's error with its causes:
/// r2d2 keeps only the text of the last one).
#[derive(Debug)]
struct ConnectError(String);

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConnectError {}

impl Manager {
    fn connect_now(&self) -> Result<Conn, ConnectError> {
        let err = |e: ::postgres::Error| ConnectError(chain(&e));
        let mut client = self.config.connect(NoTls).map_err(err)?;
        client
            .batch_execute(&format!("SET lock_timeout = '{}s'", LOCK_TIMEOUT.as_secs()))
            .map_err(err)?;
        Ok(Conn {
            client,
            statements: HashMap::new(),
            broken: false,
        })
    }
}

impl r2d2::ManageConnection for Manager {
    type Connection = Conn;
    type Error = ConnectError;

    fn connect(&self) -> Result<Conn, ConnectError> {
        self.connect_now()
    }

    fn is_valid(&self, conn: &mut Conn) -> Result<(), ConnectError> {
        conn.client
            .simple_query("")
            .map(drop)
            .map_err(|e| ConnectError(chain(&e)))
    }

    fn has_broken(&self, conn: &mut Conn) -> bool {
        conn.broken || conn.client.is_closed()
    }
}

/// The driver's error with its causes, in one line (its `Display` names only the kind).
fn chain(e: &::postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return match db.detail() {
            Some(detail) => format!("{} ({detail})", db.message()),
            None => db.message().to_string(),
        };
    }
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Whether the error says the server cannot be reached or went away.
fn lost(e: &::postgres::Error) -> bool {
    if let Some(db) = e.as_db_error() {
        let code = db.code().code();
        // Connection exceptions, and the server shutting down or starting up.
        return code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03");
    }
    let io = std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>());
    let text = e.to_string();
    e.is_closed()
        || io
        || text.starts_with("error connecting")
        || text.starts_with("timeout waiting")
}

/// The driver's error in the contract's words.
fn pg_err(e: ::postgres::Error) -> StoreError {
    if lost(&e) {
        return StoreError::Unavailable(chain(&e));
    }
    match e.as_db_error().map(|db| db.code().code()) {
        Some("25006") => StoreError::Backend("a read-only transaction cannot write".into()),
        Some("55P03") => StoreError::Backend(format!(
            "another writer held a lock for {} s; try again ({})",
            LOCK_TIMEOUT.as_secs(),
            chain(&e)
        )),
        Some("23505") => StoreError::Conflict(format!("a unique key ({})", chain(&e))),
        _ => StoreError::Backend(chain(&e)),
    }
}

/// Applies the pending migrations, each in its own transaction under the migration lock;
/// refuses a database of a newer schema before writing anything.
fn migrate(client: &mut Client) -> Result<()> {
    loop {
        let mut tx = client.transaction().map_err(pg_err)?;
        tx.execute(
            "SELECT pg_advisory_xact_lock($1, $2)",
            &[&MIGRATION_LOCK.0, &MIGRATION_LOCK.1],
        )
        .map_err(pg_err)?;
        let recorded: bool = tx
            .query_one("SELECT to_regclass('server_migrations') IS NOT NULL", &[])
            .map_err(pg_err)?
            .get(0);
        let found: i64 = if recorded {
            tx.query_one(
                "SELECT coalesce(max(version), 0)::int8 FROM server_migrations",
                &[],
            )
            .map_err(pg_err)?
            .get(0)
        } else {
            0
        };
        if found > SCHEMA_VERSION {
            // Dropped, so rolled back: nothing was written.
            return Err(StoreError::TooNew {
                found,
                known: SCHEMA_VERSION,
            });
        }
        let Some(sql) = MIGRATIONS.get(found as usize) else {
            return tx.commit().map_err(pg_err);
        };
        if !recorded {
            tx.batch_execute(
                "CREATE TABLE server_migrations (
                    version    integer PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )",
            )
            .map_err(pg_err)?;
        }
        tx.batch_execute(sql).map_err(|e| {
            StoreError::Backend(format!(
                "server migration {} failed: {}",
                found + 1,
                chain(&e)
            ))
        })?;
        tx.execute(
            "INSERT INTO server_migrations (version) VALUES ($1)",
            &[&(found as i32 + 1)],
        )
        .map_err(pg_err)?;
        tx.commit().map_err(pg_err)?;
    }
}

/// One transaction on one pooled connection. Dropping it without a commit rolls back.
struct Tx<'a> {
    tx: ::postgres::Transaction<'a>,
    statements: &'a mut HashMap<String, Statement>,
    writable: bool,
    /// Whether the server failed a statement, which aborted the transaction.
    failed: bool,
}

impl Tx<'_> {
    fn writing(&self, what: &str) -> Result<()> {
        if self.writable {
            Ok(())
        } else {
            Err(read_only(what))
        }
    }

    /// The driver's result in the contract's words, remembering a failure that aborted the
    /// transaction (not a value refused while it was encoded, which never left the process).
    fn track<T>(&mut self, r: Result<T, ::postgres::Error>) -> Result<T> {
        r.map_err(|e| {
            if e.as_db_error().is_some() || lost(&e) {
                self.failed = true;
            }
            pg_err(e)
        })
    }

    fn statement(&mut self, sql: &str) -> Result<Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let prepared = self.tx.prepare(sql);
        let s = self.track(prepared)?;
        self.statements.insert(sql.to_owned(), s.clone());
        Ok(s)
    }

    fn rows(&mut self, sql: &str, params: &[Param]) -> Result<Vec<Row>> {
        let s = self.statement(sql)?;
        let r = self.tx.query(&s, params);
        self.track(r)
    }

    fn one<T>(
        &mut self,
        sql: &str,
        params: &[Param],
        f: impl Fn(&Row) -> Result<T>,
    ) -> Result<Option<T>> {
        self.rows(sql, params)?.first().map(f).transpose()
    }

    fn all<T>(
        &mut self,
        sql: &str,
        params: &[Param],
        f: impl Fn(&Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        self.rows(sql, params)?.iter().map(f).collect()
    }

    fn execute(&mut self, sql: &str, params: &[Param]) -> Result<u64> {
        let s = self.statement(sql)?;
        let r = self.tx.execute(&s, params);
        self.track(r)
    }

    fn exists(&mut self, sql: &str, params: &[Param]) -> Result<bool> {
        Ok(!self.rows(sql, params)?.is_empty())
    }

    fn account_exists(&mut self, id: Uuid) -> Result<bool> {
        self.exists("SELECT 1 FROM server_accounts WHERE id = $1", &[&id])
    }
}

/// A column by name.
fn get<'a, T: FromSql<'a>>(r: &'a Row, column: &str) -> Result<T> {
    r.try_get(column)
        .map_err(|e| StoreError::Backend(format!("reading {column}: {}", chain(&e))))
}

fn hash(r: &Row, column: &str) -> Result<[u8; 32]> {
    get::<&[u8]>(r, column)?
        .try_into()
        .map_err(|_| StoreError::Backend(format!("reading {column}: not a 32-byte hash")))
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
        id: get(r, "id")?,
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
        hash: hash(r, "hash")?,
        account: get(r, "account")?,
        data: get(r, "data")?,
        created_at: time(r, "created_at")?,
        expires_at: time(r, "expires_at")?,
    })
}

const TOKEN: &str = "id, hash, account, name, created_at, last_used, device";

fn token_row(r: &Row) -> Result<TokenRow> {
    Ok(TokenRow {
        id: get(r, "id")?,
        hash: hash(r, "hash")?,
        account: get(r, "account")?,
        name: get(r, "name")?,
        created_at: time(r, "created_at")?,
        last_used: time_opt(r, "last_used")?,
        device: get(r, "device")?,
    })
}

/// A token's row joined with its account's (the account's columns prefixed `a_`).
fn token_with_account_row(r: &Row) -> Result<(TokenRow, Account)> {
    let token = token_row(r)?;
    let account = Account {
        id: get(r, "account")?,
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
        hash: hash(r, "hash")?,
        account: get(r, "account")?,
        purpose: get(r, "purpose")?,
        created_at: time(r, "created_at")?,
        expires_at: time(r, "expires_at")?,
    })
}

const SPACE: &str =
    "id, status, inviter, inviter_role, invitee_email, invitee, created_at, changed_at";

fn space_row(r: &Row) -> Result<Space> {
    Ok(Space {
        id: get(r, "id")?,
        status: get(r, "status")?,
        inviter: get(r, "inviter")?,
        inviter_role: get(r, "inviter_role")?,
        invitee_email: get(r, "invitee_email")?,
        invitee: get(r, "invitee")?,
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
        let id: Option<Uuid> = get(r, &format!("{who}_id"))?;
        let Some(id) = id else {
            return Ok(None);
        };
        Ok(Some(MemberName {
            id,
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
        space: get(r, "space")?,
        position: get(r, "position")?,
        id: get(r, "id")?,
        record: get(r, "record")?,
        record_type: get(r, "record_type")?,
        action: get(r, "action")?,
        author: get(r, "author")?,
        device: get(r, "device")?,
        // Stored as the same 64 bits, signed.
        clock: get::<i64>(r, "clock")? as u64,
        protocol: get(r, "protocol")?,
        payload: get(r, "payload")?,
    })
}

const RECORD: &str = "space, id, record_type, seq, removed, state";

fn record_row(r: &Row) -> Result<RecordRow> {
    Ok(RecordRow {
        space: get(r, "space")?,
        id: get(r, "id")?,
        record_type: get(r, "record_type")?,
        seq: get(r, "seq")?,
        removed: get(r, "removed")?,
        state: get(r, "state")?,
    })
}

impl ServerTx for Tx<'_> {
    fn insert_account(&mut self, a: &Account) -> Result<()> {
        self.writing("insert_account")?;
        check_account(a)?;
        storable("email", &a.email)?;
        let key = email_key(&a.email);
        let n = self.execute(
            "INSERT INTO server_accounts (id, email, email_key, name, password_hash, time_zone,
                                          disabled, created_at, password_changed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT DO NOTHING",
            &[
                &a.id,
                &a.email,
                &key,
                &a.name,
                &a.password_hash,
                &a.time_zone,
                &a.disabled,
                &nanos("created_at", a.created_at)?,
                &nanos_opt("password_changed_at", a.password_changed_at)?,
            ],
        )?;
        if n == 1 {
            return Ok(());
        }
        if self.exists(
            "SELECT 1 FROM server_accounts WHERE email_key = $1",
            &[&key],
        )? {
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
            &format!("SELECT {ACCOUNT} FROM server_accounts WHERE id = $1"),
            &[&id],
            account_row,
        )
    }

    fn account_by_email(&mut self, email: &str) -> Result<Option<Account>> {
        let key = email_key(email);
        if storable("email", &key).is_err() {
            // No stored email holds a NUL; asking PostgreSQL would fail the transaction.
            return Ok(None);
        }
        self.one(
            &format!("SELECT {ACCOUNT} FROM server_accounts WHERE email_key = $1"),
            &[&key],
            account_row,
        )
    }

    fn update_account(&mut self, a: &Account) -> Result<()> {
        self.writing("update_account")?;
        check_account(a)?;
        let n = self.execute(
            "UPDATE server_accounts
                SET name = $2, password_hash = $3, time_zone = $4, disabled = $5,
                    password_changed_at = $6
              WHERE id = $1",
            &[
                &a.id,
                &a.name,
                &a.password_hash,
                &a.time_zone,
                &a.disabled,
                &nanos_opt("password_changed_at", a.password_changed_at)?,
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
             SELECT $1::bytea, $2::uuid, $3::bytea, $4::int8, $5::int8
              WHERE $2::uuid IS NULL OR EXISTS (SELECT 1 FROM server_accounts WHERE id = $2::uuid)
             ON CONFLICT (hash) DO UPDATE
                SET account = excluded.account, data = excluded.data,
                    created_at = excluded.created_at, expires_at = excluded.expires_at",
            &[
                &s.hash.as_slice(),
                &s.account,
                &s.data,
                &nanos("created_at", s.created_at)?,
                &nanos("expires_at", s.expires_at)?,
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
            &format!("SELECT {SESSION} FROM server_sessions WHERE hash = $1"),
            &[&hash.as_slice()],
            session_row,
        )
    }

    fn delete_session(&mut self, hash: &[u8; 32]) -> Result<()> {
        self.writing("delete_session")?;
        self.execute(
            "DELETE FROM server_sessions WHERE hash = $1",
            &[&hash.as_slice()],
        )?;
        Ok(())
    }

    fn delete_sessions_of(&mut self, account: Uuid, keep: Option<&[u8; 32]>) -> Result<u64> {
        self.writing("delete_sessions_of")?;
        self.execute(
            "DELETE FROM server_sessions
              WHERE account = $1 AND ($2::bytea IS NULL OR hash <> $2::bytea)",
            &[&account, &keep.map(|k| k.as_slice())],
        )
    }

    fn delete_expired_sessions(&mut self, now: Timestamp) -> Result<u64> {
        self.writing("delete_expired_sessions")?;
        self.execute(
            "DELETE FROM server_sessions WHERE expires_at < $1",
            &[&nanos("now", now)?],
        )
    }

    fn insert_token(&mut self, t: &TokenRow) -> Result<()> {
        self.writing("insert_token")?;
        storable("token name", &t.name)?;
        let n = self.execute(
            "INSERT INTO server_tokens (id, hash, account, name, created_at, last_used, device)
             SELECT $1::uuid, $2::bytea, $3::uuid, $4::text, $5::int8, $6::int8, $7::uuid
              WHERE EXISTS (SELECT 1 FROM server_accounts WHERE id = $3::uuid)
             ON CONFLICT DO NOTHING",
            &[
                &t.id,
                &t.hash.as_slice(),
                &t.account,
                &t.name,
                &nanos("created_at", t.created_at)?,
                &nanos_opt("last_used", t.last_used)?,
                &t.device,
            ],
        )?;
        if n == 1 {
            return Ok(());
        }
        if !self.account_exists(t.account)? {
            Err(no_account(Some(t.account)))
        } else if self.exists("SELECT 1 FROM server_tokens WHERE id = $1", &[&t.id])? {
            Err(StoreError::Conflict(format!("the token id {}", t.id)))
        } else {
            Err(StoreError::Conflict("the token's hash".into()))
        }
    }

    fn token_by_hash(&mut self, hash: &[u8; 32]) -> Result<Option<TokenRow>> {
        self.one(
            &format!("SELECT {TOKEN} FROM server_tokens WHERE hash = $1"),
            &[&hash.as_slice()],
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
              WHERE t.hash = $1",
            &[&hash.as_slice()],
            token_with_account_row,
        )
    }

    fn tokens_of(&mut self, account: Uuid) -> Result<Vec<TokenRow>> {
        self.all(
            &format!(
                "SELECT {TOKEN} FROM server_tokens WHERE account = $1
                  ORDER BY created_at DESC, id DESC"
            ),
            &[&account],
            token_row,
        )
    }

    fn delete_token(&mut self, account: Uuid, id: Uuid) -> Result<bool> {
        self.writing("delete_token")?;
        let n = self.execute(
            "DELETE FROM server_tokens WHERE id = $1 AND account = $2",
            &[&id, &account],
        )?;
        Ok(n == 1)
    }

    fn delete_tokens_of(&mut self, account: Uuid) -> Result<u64> {
        self.writing("delete_tokens_of")?;
        self.execute("DELETE FROM server_tokens WHERE account = $1", &[&account])
    }

    fn touch_token(&mut self, id: Uuid, at: Timestamp) -> Result<()> {
        self.writing("touch_token")?;
        self.execute(
            "UPDATE server_tokens SET last_used = $2 WHERE id = $1",
            &[&id, &nanos("last_used", at)?],
        )?;
        Ok(())
    }

    fn insert_link(&mut self, l: &LinkRow) -> Result<()> {
        self.writing("insert_link")?;
        storable("link purpose", &l.purpose)?;
        let n = self.execute(
            "INSERT INTO server_links (hash, account, purpose, created_at, expires_at)
             SELECT $1::bytea, $2::uuid, $3::text, $4::int8, $5::int8
              WHERE EXISTS (SELECT 1 FROM server_accounts WHERE id = $2::uuid)
             ON CONFLICT DO NOTHING",
            &[
                &l.hash.as_slice(),
                &l.account,
                &l.purpose,
                &nanos("created_at", l.created_at)?,
                &nanos("expires_at", l.expires_at)?,
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
            &format!("DELETE FROM server_links WHERE hash = $1 RETURNING {LINK}"),
            &[&hash.as_slice()],
            link_row,
        )?;
        Ok(link.filter(|l| now < l.expires_at))
    }

    fn delete_links_of(&mut self, account: Uuid) -> Result<u64> {
        self.writing("delete_links_of")?;
        self.execute("DELETE FROM server_links WHERE account = $1", &[&account])
    }

    fn insert_space(&mut self, s: &Space) -> Result<()> {
        self.writing("insert_space")?;
        check_space(s)?;
        // Two invitations of the same pair at once: one waits here for the other's commit,
        // then sees its space.
        self.execute(
            "SELECT pg_advisory_xact_lock($1, $2)",
            &[&SPACES_LOCK.0, &SPACES_LOCK.1],
        )?;
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
                "SELECT id FROM server_accounts WHERE email_key = $1",
                &[&key],
                |r| get(r, "id"),
            )?,
        };
        let live = self.exists(
            &format!(
                "SELECT 1 FROM server_spaces s
                  WHERE s.status IN ('{}', '{}', '{}')
                    AND ((s.inviter = $1 AND (s.invitee_email_key = $2 OR s.invitee = $3::uuid))
                      OR (s.inviter = $3::uuid
                          AND (s.invitee = $1
                               OR s.invitee_email_key = (SELECT email_key FROM server_accounts
                                                          WHERE id = $1))))
                  LIMIT 1",
                LIVE[0], LIVE[1], LIVE[2]
            ),
            &[&s.inviter, &key, &invitee],
        )?;
        if live {
            return Err(space_taken());
        }
        let n = self.execute(
            "INSERT INTO server_spaces (id, status, inviter, inviter_role, invitee_email,
                                        invitee_email_key, invitee, created_at, changed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT DO NOTHING",
            &[
                &s.id,
                &s.status,
                &s.inviter,
                &s.inviter_role,
                &s.invitee_email,
                &key,
                &s.invitee,
                &nanos("created_at", s.created_at)?,
                &nanos("changed_at", s.changed_at)?,
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
            &format!("SELECT {SPACE} FROM server_spaces WHERE id = $1"),
            &[&id],
            space_row,
        )
    }

    fn spaces_of(&mut self, account: Uuid, email: &str) -> Result<Vec<Space>> {
        let key = email_key(email);
        let key = if storable("email", &key).is_ok() {
            Some(key)
        } else {
            None
        };
        self.all(
            &format!(
                "SELECT {SPACE} FROM server_spaces
                  WHERE inviter = $1 OR invitee = $1 OR invitee_email_key = $2
                  ORDER BY created_at DESC, id DESC"
            ),
            &[&account, &key],
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
            "UPDATE server_spaces SET status = $2, invitee = $3, changed_at = $4 WHERE id = $1",
            &[
                &s.id,
                &s.status,
                &s.invitee,
                &nanos("changed_at", s.changed_at)?,
            ],
        )?;
        if n == 1 { Ok(()) } else { Err(no_space(s.id)) }
    }

    fn delete_space(&mut self, id: Uuid) -> Result<()> {
        self.writing("delete_space")?;
        for sql in [
            "DELETE FROM server_ops WHERE space = $1",
            "DELETE FROM server_records WHERE space = $1",
            "DELETE FROM server_spaces WHERE id = $1",
        ] {
            self.execute(sql, &[&id])?;
        }
        Ok(())
    }

    fn space_head(&mut self, id: Uuid) -> Result<Option<SpaceHead>> {
        self.one(
            &format!("SELECT {SPACE_HEAD} WHERE s.id = $1"),
            &[&id],
            space_head_row,
        )
    }

    fn space_heads_of(&mut self, account: Uuid, email: &str) -> Result<Vec<SpaceHead>> {
        let key = email_key(email);
        let key = if storable("email", &key).is_ok() {
            Some(key)
        } else {
            None
        };
        self.all(
            &format!(
                "SELECT {SPACE_HEAD}
                  WHERE s.inviter = $1 OR s.invitee = $1 OR s.invitee_email_key = $2
                  ORDER BY s.created_at DESC, s.id DESC"
            ),
            &[&account, &key],
            space_head_row,
        )
    }

    fn append_ops(&mut self, space: Uuid, ops: &[OpRow]) -> Result<Vec<i64>> {
        self.writing("append_ops")?;
        check_ops(space, ops)?;
        // The space's row lock, to the end of the transaction: the writers of this space
        // queue here, and each then reads the positions its predecessors committed.
        if !self.exists(
            "SELECT 1 FROM server_spaces WHERE id = $1 FOR UPDATE",
            &[&space],
        )? {
            return Err(no_space(space));
        }
        let mut next: i64 = self
            .one(
                "SELECT coalesce(max(position), 0) + 1 AS next FROM server_ops WHERE space = $1",
                &[&space],
                |r| get(r, "next"),
            )?
            .unwrap_or(1);
        let mut positions = Vec::with_capacity(ops.len());
        for op in ops {
            let inserted = self.one(
                &format!(
                    "INSERT INTO server_ops ({OP})
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                     ON CONFLICT (space, id) DO NOTHING
                     RETURNING position"
                ),
                &[
                    &space,
                    &next,
                    &op.id,
                    &op.record,
                    &op.record_type,
                    &op.action,
                    &op.author,
                    &op.device,
                    &(op.clock as i64),
                    &op.protocol,
                    &op.payload,
                ],
                |r| get::<i64>(r, "position"),
            )?;
            match inserted {
                Some(p) => {
                    positions.push(p);
                    next += 1;
                }
                None => {
                    let p = self
                        .one(
                            "SELECT position FROM server_ops WHERE space = $1 AND id = $2",
                            &[&space, &op.id],
                            |r| get(r, "position"),
                        )?
                        .ok_or_else(|| {
                            StoreError::Backend(format!(
                                "operation {} was neither appended nor found",
                                op.id
                            ))
                        })?;
                    positions.push(p);
                }
            }
        }
        Ok(positions)
    }

    fn op(&mut self, space: Uuid, id: Uuid) -> Result<Option<OpRow>> {
        self.one(
            &format!("SELECT {OP} FROM server_ops WHERE space = $1 AND id = $2"),
            &[&space, &id],
            op_row,
        )
    }

    fn head(&mut self, space: Uuid) -> Result<i64> {
        Ok(self
            .one(
                "SELECT coalesce(max(position), 0)::int8 AS head FROM server_ops WHERE space = $1",
                &[&space],
                |r| get(r, "head"),
            )?
            .unwrap_or(0))
    }

    fn ops_after(&mut self, space: Uuid, cursor: i64, limit: usize) -> Result<Vec<OpRow>> {
        self.all(
            &format!(
                "SELECT {OP} FROM server_ops WHERE space = $1 AND position > $2
                  ORDER BY position LIMIT $3"
            ),
            &[&space, &cursor, &i64::try_from(limit).unwrap_or(i64::MAX)],
            op_row,
        )
    }

    fn records(&mut self, space: Uuid) -> Result<Vec<RecordRow>> {
        self.all(
            &format!("SELECT {RECORD} FROM server_records WHERE space = $1 ORDER BY seq, id"),
            &[&space],
            record_row,
        )
    }

    fn record(&mut self, space: Uuid, id: Uuid) -> Result<Option<RecordRow>> {
        self.one(
            &format!("SELECT {RECORD} FROM server_records WHERE space = $1 AND id = $2"),
            &[&space, &id],
            record_row,
        )
    }

    fn put_record(&mut self, r: &RecordRow) -> Result<()> {
        self.writing("put_record")?;
        storable("record type", &r.record_type)?;
        let n = self.execute(
            "INSERT INTO server_records (space, id, record_type, seq, removed, state)
             SELECT $1::uuid, $2::uuid, $3::text, $4::int8, $5::bool, $6::bytea
              WHERE EXISTS (SELECT 1 FROM server_spaces WHERE id = $1::uuid)
             ON CONFLICT (space, id) DO UPDATE
                SET record_type = excluded.record_type, seq = excluded.seq,
                    removed = excluded.removed, state = excluded.state",
            &[
                &r.space,
                &r.id,
                &r.record_type,
                &r.seq,
                &r.removed,
                &r.state,
            ],
        )?;
        if n == 1 {
            Ok(())
        } else {
            Err(no_space(r.space))
        }
    }

    fn setting(&mut self, key: &str) -> Result<Option<String>> {
        if storable("setting's key", key).is_err() {
            return Ok(None);
        }
        self.one(
            "SELECT value FROM server_settings WHERE key = $1",
            &[&key],
            |r| get(r, "value"),
        )
    }

    fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.writing("set_setting")?;
        storable("setting's key", key)?;
        storable("setting's value", value)?;
        self.execute(
            "INSERT INTO server_settings (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&key, &value],
        )?;
        Ok(())
    }
}
