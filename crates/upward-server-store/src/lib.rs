//! The team server's storage (docs/server.md): accounts, sessions, API tokens, one-time links,
//! spaces with their members, and each space's operation log with the records it folds into.
//!
//! One contract, two backends: SQLite (`sqlite://PATH`, one box) and PostgreSQL
//! (`postgres://…`, a team). The contract suite runs on both.
//!
//! **What a transaction guarantees.** [`ServerStore::write`] runs its closure in one
//! transaction: all or nothing (an error or a panic rolls back, so does a killed process),
//! writers wait for each other (never fail because another writes), and what a writer reads
//! includes what the writers before it committed. [`ServerStore::read`] sees one consistent
//! state and never blocks a writer. Errors carry no driver types.
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
use uuid::Uuid;

/// The server schema version this build writes; a database of a newer one is refused
/// unchanged ([`StoreError::TooNew`]).
pub const SCHEMA_VERSION: i64 = 1;

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

/// One transaction. Object-safe, so that both backends hand out `&mut dyn ServerTx`.
pub trait ServerTx {
    // Accounts.
    /// Refused with [`StoreError::Conflict`] when the email (by [`email_key`]) is taken.
    fn insert_account(&mut self, account: &Account) -> Result<()>;
    fn account(&mut self, id: Uuid) -> Result<Option<Account>>;
    fn account_by_email(&mut self, email: &str) -> Result<Option<Account>>;
    /// Replaces name, password hash, time zone, disabled and password_changed_at.
    fn update_account(&mut self, account: &Account) -> Result<()>;

    // Sessions.
    /// Inserts or replaces.
    fn put_session(&mut self, session: &SessionRow) -> Result<()>;
    fn session(&mut self, hash: &[u8; 32]) -> Result<Option<SessionRow>>;
    fn delete_session(&mut self, hash: &[u8; 32]) -> Result<()>;
    /// Ends every session of `account` but `keep`; how many ended.
    fn delete_sessions_of(&mut self, account: Uuid, keep: Option<&[u8; 32]>) -> Result<u64>;
    /// Removes sessions that ended before `now`; how many.
    fn delete_expired_sessions(&mut self, now: Timestamp) -> Result<u64>;

    // API tokens.
    fn insert_token(&mut self, token: &TokenRow) -> Result<()>;
    fn token_by_hash(&mut self, hash: &[u8; 32]) -> Result<Option<TokenRow>>;
    /// Newest first.
    fn tokens_of(&mut self, account: Uuid) -> Result<Vec<TokenRow>>;
    /// Whether it existed (and was the account's).
    fn delete_token(&mut self, account: Uuid, id: Uuid) -> Result<bool>;
    fn delete_tokens_of(&mut self, account: Uuid) -> Result<u64>;
    fn touch_token(&mut self, id: Uuid, at: Timestamp) -> Result<()>;

    // One-time links.
    fn insert_link(&mut self, link: &LinkRow) -> Result<()>;
    /// Deletes the link and gives it back (once) if it exists and has not expired at `now`.
    fn take_link(&mut self, hash: &[u8; 32], now: Timestamp) -> Result<Option<LinkRow>>;
    fn delete_links_of(&mut self, account: Uuid) -> Result<u64>;

    // Spaces.
    /// Refused with [`StoreError::Conflict`] when a space that is not declined, cancelled or
    /// expired already joins the same two people (by account, or by the invited email).
    fn insert_space(&mut self, space: &Space) -> Result<()>;
    fn space(&mut self, id: Uuid) -> Result<Option<Space>>;
    /// Every space `account` is in or invited to (by `email`'s key), newest first.
    fn spaces_of(&mut self, account: Uuid, email: &str) -> Result<Vec<Space>>;
    /// Replaces status, invitee and changed_at.
    fn update_space(&mut self, space: &Space) -> Result<()>;
    /// Deletes the space with its operations and records.
    fn delete_space(&mut self, id: Uuid) -> Result<()>;

    // Operations and records.
    /// Appends operations to their space's log in the order given, each at the next position
    /// (under a per-space lock held to the end of the transaction). An operation whose id is
    /// already in the log is not appended again: its stored position is returned instead.
    fn append_ops(&mut self, space: Uuid, ops: &[OpRow]) -> Result<Vec<i64>>;
    /// Operations after `cursor` in position order, at most `limit`.
    fn ops_after(&mut self, space: Uuid, cursor: i64, limit: usize) -> Result<Vec<OpRow>>;
    /// The space's records (removed ones included) in `seq` order.
    fn records(&mut self, space: Uuid) -> Result<Vec<RecordRow>>;
    fn record(&mut self, space: Uuid, id: Uuid) -> Result<Option<RecordRow>>;
    /// Inserts or replaces.
    fn put_record(&mut self, record: &RecordRow) -> Result<()>;

    // The server's own settings (its device UUID for the operations its pages write, …).
    fn setting(&mut self, key: &str) -> Result<Option<String>>;
    fn set_setting(&mut self, key: &str, value: &str) -> Result<()>;
}

/// A server database: SQLite or PostgreSQL, behind a pool of connections.
pub trait ServerStore: Send + Sync + 'static {
    /// Runs `f` in one read transaction (one consistent state; writes are refused).
    fn read_dyn(&self, f: &mut dyn FnMut(&mut dyn ServerTx) -> Result<()>) -> Result<()>;
    /// Runs `f` in one write transaction: committed if it returns `Ok`, rolled back otherwise.
    fn write_dyn(&self, f: &mut dyn FnMut(&mut dyn ServerTx) -> Result<()>) -> Result<()>;
    /// Whether the database answers now (`GET /healthz`).
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
