//! The team server's storage (docs/server.md, "Storage"): accounts, sessions, API tokens,
//! one-time links, spaces with their members, and each space's operation log with the records
//! it folds into.
//!
//! One contract, two backends, opened by URL with [`open`]: SQLite (`sqlite://PATH`, one box,
//! [`SqliteStore`]) and PostgreSQL (`postgres://…`, a team, [`PgStore`]). The same contract
//! suite ([`server_contract_suite!`], in `contract`) runs on both.
//!
//! **What a transaction guarantees.** [`ServerStoreExt::write`] runs its closure in one
//! transaction: all or nothing (an error or a panic rolls back, so does a killed process),
//! writers wait for each other (never fail because another writes), and what a writer reads
//! includes what the writers before it committed. [`ServerStoreExt::read`] sees one
//! consistent state, never blocks a writer, and refuses writes. A write the contract refuses
//! (a [`StoreError::Conflict`], …) leaves the transaction usable. Errors carry no driver
//! types, and never a password of the URL.
//!
//! **A space's log.** [`ServerTx::append_ops`] gives positions 1, 2, 3, … per space, dense and
//! in commit order with any number of writers, and is idempotent by operation id.
//!
//! **The backends.**
//! - SQLite: one file, created `0600`, in WAL mode; writes are `BEGIN IMMEDIATE` (one writer
//!   at a time in the file; other processes' writers waited for up to a minute), reads run
//!   side by side on a pool of connections, commits are synced. A file that is not a server
//!   database (an upward personal workspace, another program's file, random bytes) is refused
//!   from its header before SQLite writes anything ([`StoreError::NotServerDatabase`]).
//! - PostgreSQL: its own tables (`server_*`, so it can share a database with
//!   upward-store-postgres), a pool that tests each connection as it hands it out: while the
//!   database is down requests get [`StoreError::Unavailable`], and they work again once it is
//!   back, without a restart. Writes are read committed with a row lock per space for the log
//!   and an advisory lock for invitations; reads are `REPEATABLE READ READ ONLY`.
//! - Both: migrations in order, recorded with their version; a database of a newer version is
//!   refused unchanged ([`StoreError::TooNew`]). Times are kept exact to the nanosecond.
//!
//! **Secrets.** Sessions, API tokens and link tokens are stored only as SHA-256 hashes (the
//! callers hash; this crate never sees a secret). Password hashes are argon2id PHC strings.
//!
//! **Operations are opaque.** A space's operations are stored with their envelope (the
//! columns the server routes and authorizes on) and a payload of bytes this crate never reads,
//! so that payloads can later be end-to-end encrypted without a change here. The records a
//! space's operations fold into are stored the same way: a state of bytes, written by the
//! caller (crate `upward-space` folds).

use jiff::Timestamp;
use std::path::Path;
use std::sync::Arc;
use uuid::Uuid;

#[doc(hidden)]
pub mod contract;
mod postgres;
mod sqlite;
mod values;

pub use crate::postgres::PgStore;
pub use crate::sqlite::SqliteStore;

/// Opens the server database at `url`, creating and migrating it as needed:
/// `sqlite://PATH` (a relative or absolute path: `sqlite://server.db`,
/// `sqlite:///var/lib/upward/server.db`) or `postgres://…` / `postgresql://…` (a libpq URL).
/// Anything else is [`StoreError::BadUrl`]; no error repeats a password of the URL.
pub fn open(url: &str) -> Result<Arc<dyn ServerStore>> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        if path.is_empty() {
            return Err(bad_url(url));
        }
        return Ok(Arc::new(SqliteStore::open(Path::new(path))?));
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Arc::new(PgStore::open(url)?));
    }
    Err(bad_url(url))
}

/// The accepted forms of a database URL, for messages.
pub const URL_FORMS: &str =
    "sqlite://PATH (one box) or postgres://USER:PASSWORD@HOST:PORT/DBNAME (a team)";

fn bad_url(url: &str) -> StoreError {
    StoreError::BadUrl(format!(
        "not a database URL: {:?}; use {URL_FORMS}",
        values::redact(url)
    ))
}

/// The server schema version this build writes; a database of a newer one is refused
/// unchanged ([`StoreError::TooNew`]).
pub const SCHEMA_VERSION: i64 = 2;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// What can go wrong, in words a server operator can act on. No driver types.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database cannot be reached now (server down, connection refused or lost). The
    /// server answers 503 and tries again on the next request.
    #[error("the database is unavailable ({0})")]
    Unavailable(String),
    /// The database was written by a newer upward; nothing was changed.
    #[error(
        "the database was written by a newer upward (server schema {found}, this build knows {known}) — upgrade upward; nothing was changed"
    )]
    TooNew { found: i64, known: i64 },
    /// The URL is not one of the accepted forms.
    #[error("{0}")]
    BadUrl(String),
    /// The database is not an upward server database (an upward personal workspace, another
    /// program's file, not a database at all); nothing was changed. The text names it.
    #[error("{0}")]
    NotServerDatabase(String),
    /// A unique key is taken (an email, a space between the same two accounts, …): `what`
    /// names it.
    #[error("{0} is taken")]
    Conflict(String),
    /// Anything else the backend reported, in words.
    #[error("database error: {0}")]
    Backend(String),
}

/// A user's account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: Uuid,
    /// As given at `add-user`; unique compared case-insensitively ([`email_key`]).
    pub email: String,
    pub name: String,
    /// An argon2id PHC string; `None` until a password is set (through the one-time link).
    pub password_hash: Option<String>,
    /// IANA time zone of the account's civil dates (`UTC` by default).
    pub time_zone: String,
    pub disabled: bool,
    pub created_at: Timestamp,
    /// When the password last changed: sessions and tokens older than it are void.
    pub password_changed_at: Option<Timestamp>,
}

/// The form of an email compared for uniqueness and lookups: trimmed, lowercased.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A browser session, keyed by the SHA-256 of its id. `data` is the session layer's own
/// record (opaque here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub hash: [u8; 32],
    /// The account signed in, when one is (a session exists before login for its CSRF token).
    pub account: Option<Uuid>,
    pub data: Vec<u8>,
    pub created_at: Timestamp,
    /// It ends then (14 days idle or 30 in all, whichever comes first; the caller computes).
    pub expires_at: Timestamp,
}

/// An API token for the command line, keyed by the SHA-256 of its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRow {
    pub id: Uuid,
    pub hash: [u8; 32],
    pub account: Uuid,
    /// What the user called it ("laptop").
    pub name: String,
    pub created_at: Timestamp,
    pub last_used: Option<Timestamp>,
    /// The device that signed in with it (`POST /api/v1/login {"device"}`): a push's
    /// operations must carry it. `None` for a token made without one (Settings).
    pub device: Option<Uuid>,
}

/// A one-time link (set a password), keyed by the SHA-256 of its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRow {
    pub hash: [u8; 32],
    pub account: Uuid,
    pub purpose: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// A space between two accounts, from invitation to closing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Space {
    pub id: Uuid,
    /// `invited`, `active`, `declined`, `cancelled`, `expired` or `closed`.
    pub status: String,
    pub inviter: Uuid,
    /// The inviter's role: `report`, `manager` or `peer`.
    pub inviter_role: String,
    /// The address invited, as typed.
    pub invitee_email: String,
    /// The invitee's account, once they accepted.
    pub invitee: Option<Uuid>,
    pub created_at: Timestamp,
    /// When the status last changed.
    pub changed_at: Timestamp,
}

/// One operation of a space's log: the envelope the server routes and authorizes on, and an
/// opaque payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpRow {
    pub space: Uuid,
    /// Its place in the space's log, in commit order (1, 2, …), given by [`ServerTx::append_ops`].
    pub position: i64,
    pub id: Uuid,
    /// The record it creates, sets or removes.
    pub record: Uuid,
    pub record_type: String,
    /// `create`, `set` or `remove`.
    pub action: String,
    pub author: Uuid,
    pub device: Uuid,
    /// The hybrid logical clock (48 bits of Unix milliseconds, 16 of counter).
    pub clock: u64,
    pub protocol: i32,
    pub payload: Vec<u8>,
}

/// A record of a space as its operations left it (the fold is the caller's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRow {
    pub space: Uuid,
    pub id: Uuid,
    pub record_type: String,
    /// The position of the first operation that made it: a small number, stable, shown as
    /// the record's id in the space.
    pub seq: i64,
    pub removed: bool,
    pub state: Vec<u8>,
}

/// A member of a space as its pages name them: the account's id, email and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberName {
    pub id: Uuid,
    pub email: String,
    pub name: String,
}

/// A space with what a reader needs to know whether what it read before still holds: the
/// position of the last operation of its log (0 for none; every write of content appends to
/// the log, so a new head means new content), and both members as named now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpaceHead {
    pub space: Space,
    /// The position of the log's last operation; 0 when the log is empty.
    pub head: i64,
    /// The inviter's account (`None` when it is gone).
    pub inviter: Option<MemberName>,
    /// The invitee's account, once they accepted (`None` until then).
    pub invitee: Option<MemberName>,
}

/// One transaction. Object-safe, so that both backends hand out `&mut dyn ServerTx`.
///
/// Every write method refuses to run in a read transaction ([`StoreError::Backend`] saying
/// so; nothing is written). A write the contract refuses (a [`StoreError::Conflict`], a text
/// holding the NUL character, …) writes nothing and leaves the transaction usable: the
/// closure may go on and commit the rest. Texts may not hold the NUL character (PostgreSQL
/// cannot store it; SQLite refuses it too, so both accept the same). Times are kept exact to
/// the nanosecond, from 1677 to 2262.
pub trait ServerTx {
    // Accounts.
    /// Refused with [`StoreError::Conflict`] (`the email …`) when the email (by [`email_key`])
    /// is taken, or (`the account id …`) when the id is.
    fn insert_account(&mut self, account: &Account) -> Result<()>;
    fn account(&mut self, id: Uuid) -> Result<Option<Account>>;
    /// By [`email_key`]: any case, surrounding spaces ignored.
    fn account_by_email(&mut self, email: &str) -> Result<Option<Account>>;
    /// Replaces name, password hash, time zone, disabled and password_changed_at (never the
    /// email or the creation time). An account not stored is an error.
    fn update_account(&mut self, account: &Account) -> Result<()>;

    // Sessions.
    /// Inserts or replaces (by hash).
    fn put_session(&mut self, session: &SessionRow) -> Result<()>;
    fn session(&mut self, hash: &[u8; 32]) -> Result<Option<SessionRow>>;
    /// Nothing happens if there is none.
    fn delete_session(&mut self, hash: &[u8; 32]) -> Result<()>;
    /// Ends every session of `account` but `keep`; how many ended.
    fn delete_sessions_of(&mut self, account: Uuid, keep: Option<&[u8; 32]>) -> Result<u64>;
    /// Removes sessions that ended before `now` (`expires_at < now`); how many.
    fn delete_expired_sessions(&mut self, now: Timestamp) -> Result<u64>;

    // API tokens.
    /// Refused with [`StoreError::Conflict`] when its id or hash is taken.
    fn insert_token(&mut self, token: &TokenRow) -> Result<()>;
    fn token_by_hash(&mut self, hash: &[u8; 32]) -> Result<Option<TokenRow>>;
    /// The token of `hash` with its account, in one query (a request's sign-in: one round
    /// trip instead of two). The default reads them one after the other.
    fn token_with_account(&mut self, hash: &[u8; 32]) -> Result<Option<(TokenRow, Account)>> {
        let Some(row) = self.token_by_hash(hash)? else {
            return Ok(None);
        };
        Ok(self.account(row.account)?.map(|a| (row, a)))
    }
    /// Newest first.
    fn tokens_of(&mut self, account: Uuid) -> Result<Vec<TokenRow>>;
    /// Whether it existed (and was the account's): another account's token is left alone.
    fn delete_token(&mut self, account: Uuid, id: Uuid) -> Result<bool>;
    /// Deletes every token of `account`; how many.
    fn delete_tokens_of(&mut self, account: Uuid) -> Result<u64>;
    /// Sets `last_used`; nothing happens if there is no such token.
    fn touch_token(&mut self, id: Uuid, at: Timestamp) -> Result<()>;

    // One-time links.
    /// Refused with [`StoreError::Conflict`] when its hash is taken.
    fn insert_link(&mut self, link: &LinkRow) -> Result<()>;
    /// Deletes the link and gives it back (once) if it exists and has not expired at `now`
    /// (`now < expires_at`). An expired link is deleted too, and `None` is returned: a link is
    /// single-use and dies at its time, whatever happens.
    fn take_link(&mut self, hash: &[u8; 32], now: Timestamp) -> Result<Option<LinkRow>>;
    /// Deletes every link of `account`; how many.
    fn delete_links_of(&mut self, account: Uuid) -> Result<u64>;

    // Spaces.
    /// Refused with [`StoreError::Conflict`] when a space that is not declined, cancelled or
    /// expired (so invited, active or closed) already joins the same two people: by account
    /// ids, or by the inviter and the invited email's key while the invitee has not accepted,
    /// in either direction (the invited email is taken for its account when one has it).
    /// Two writers inserting spaces for the same pair at once are serialized, so only one
    /// succeeds. A status or role that is not one of the known words is refused.
    fn insert_space(&mut self, space: &Space) -> Result<()>;
    fn space(&mut self, id: Uuid) -> Result<Option<Space>>;
    /// Every space `account` is in or invited to (by `email`'s key), whatever its status,
    /// newest first.
    fn spaces_of(&mut self, account: Uuid, email: &str) -> Result<Vec<Space>>;
    /// Replaces status, invitee and changed_at. A space not stored is an error.
    fn update_space(&mut self, space: &Space) -> Result<()>;
    /// Deletes the space with its operations and records (nothing happens if there is none).
    fn delete_space(&mut self, id: Uuid) -> Result<()>;
    /// The space `id` with its log's head and both members' names, in one query (what a
    /// read consults its cache with).
    fn space_head(&mut self, id: Uuid) -> Result<Option<SpaceHead>>;
    /// [`ServerTx::spaces_of`] with each space's head and members, in one query, in the same
    /// order.
    fn space_heads_of(&mut self, account: Uuid, email: &str) -> Result<Vec<SpaceHead>>;

    // Operations and records.
    /// Appends operations to their space's log in the order given, each at the next position
    /// (under a per-space lock held to the end of the transaction), and returns each one's
    /// position. Positions are dense per space, 1, 2, 3, …, in commit order, even with many
    /// writers at once. An operation whose id is already in the space's log (or earlier in
    /// `ops`) is not appended again: its stored position is returned instead. Every
    /// operation's `space` must be `space` (its `position` is ignored), and the space must
    /// exist; otherwise nothing is appended.
    fn append_ops(&mut self, space: Uuid, ops: &[OpRow]) -> Result<Vec<i64>>;
    /// The operation `id` of the space's log, if it is there (a push checks a retry against
    /// it).
    fn op(&mut self, space: Uuid, id: Uuid) -> Result<Option<OpRow>>;
    /// The position of the space's last operation (0 while its log is empty).
    fn head(&mut self, space: Uuid) -> Result<i64>;
    /// Operations after `cursor` (a position; 0 for all) in position order, at most `limit`.
    fn ops_after(&mut self, space: Uuid, cursor: i64, limit: usize) -> Result<Vec<OpRow>>;
    /// The space's records (removed ones included) in `seq` order.
    fn records(&mut self, space: Uuid) -> Result<Vec<RecordRow>>;
    fn record(&mut self, space: Uuid, id: Uuid) -> Result<Option<RecordRow>>;
    /// Inserts or replaces (by space and id). The space must exist.
    fn put_record(&mut self, record: &RecordRow) -> Result<()>;

    // The server's own settings (its device UUID for the operations its pages write, …).
    fn setting(&mut self, key: &str) -> Result<Option<String>>;
    /// Inserts or replaces.
    fn set_setting(&mut self, key: &str, value: &str) -> Result<()>;
}

/// A server database: SQLite or PostgreSQL, behind a pool of connections.
pub trait ServerStore: Send + Sync + 'static {
    /// Runs `f` once in one read transaction (one consistent state; writes are refused).
    /// [`StoreError::Unavailable`] when the database cannot be reached.
    fn read_dyn(&self, f: &mut dyn FnMut(&mut dyn ServerTx) -> Result<()>) -> Result<()>;
    /// Runs `f` once in one write transaction: committed if it returns `Ok`, rolled back
    /// otherwise (a panic too), and `f`'s error returned. It waits for other writers rather
    /// than fail. [`StoreError::Unavailable`] when the database cannot be reached or is lost
    /// during the transaction (then nothing of it was kept, unless the commit itself was cut:
    /// the one case where a retry may find it done, which idempotent writes make harmless).
    /// `f` must not call the store again: it would wait for itself.
    fn write_dyn(&self, f: &mut dyn FnMut(&mut dyn ServerTx) -> Result<()>) -> Result<()>;
    /// Whether the database answers now (`GET /healthz`): `Ok`, or
    /// [`StoreError::Unavailable`] (after a few seconds at most).
    fn ping(&self) -> Result<()>;
    /// `sqlite` or `postgres`, for messages.
    fn backend(&self) -> &'static str;
}

/// [`ServerStore`] with closures that return a value.
pub trait ServerStoreExt {
    fn read<T>(&self, f: impl FnOnce(&mut dyn ServerTx) -> Result<T>) -> Result<T>;
    fn write<T>(&self, f: impl FnOnce(&mut dyn ServerTx) -> Result<T>) -> Result<T>;
}

impl<S: ServerStore + ?Sized> ServerStoreExt for S {
    fn read<T>(&self, f: impl FnOnce(&mut dyn ServerTx) -> Result<T>) -> Result<T> {
        let mut f = Some(f);
        let mut out = None;
        self.read_dyn(&mut |tx| {
            let f = f.take().expect("a transaction runs its closure once");
            out = Some(f(tx)?);
            Ok(())
        })?;
        Ok(out.expect("the closure ran"))
    }

    fn write<T>(&self, f: impl FnOnce(&mut dyn ServerTx) -> Result<T>) -> Result<T> {
        let mut f = Some(f);
        let mut out = None;
        self.write_dyn(&mut |tx| {
            let f = f.take().expect("a transaction runs its closure once");
            out = Some(f(tx)?);
            Ok(())
        })?;
        Ok(out.expect("the closure ran"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bad(url: &str) -> String {
        match open(url).err() {
            Some(StoreError::BadUrl(m)) => m,
            other => panic!("{url}: expected a bad URL, got {other:?}"),
        }
    }

    #[test]
    fn other_urls_are_refused_naming_the_accepted_forms_without_the_password() {
        for url in [
            "",
            "server.db",
            "sqlite://",
            "sqlite:server.db",
            "mysql://root:s3cret@db/upward",
            "http://ann:s3cret@example.com/",
            "postgres:/ann:s3cret@db/x",
        ] {
            let m = bad(url);
            assert!(
                m.contains("sqlite://PATH") && m.contains("postgres://"),
                "{url}: {m}"
            );
            assert!(!m.contains("s3cret"), "{url}: {m}");
        }
    }

    #[test]
    fn a_postgres_url_that_does_not_parse_is_bad_without_its_password() {
        for url in [
            "postgres://ann:s3cret@db:notaport/x",
            "postgresql://ann:s3cret@db/x?sslmode=sometimes",
        ] {
            let m = bad(url);
            assert!(m.contains("not a PostgreSQL URL"), "{url}: {m}");
            assert!(!m.contains("s3cret"), "{url}: {m}");
        }
    }
}
