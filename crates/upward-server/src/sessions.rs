//! Browser sessions in the server's database, through tower-sessions: our [`SessionStore`]
//! keeps only the SHA-256 of each session id ([`upward_server_store::SessionRow`]), so a copy of
//! the database signs no one in.
//!
//! A session exists before sign-in too (it carries the CSRF token of the sign-in form). Signing
//! in cycles its id (no fixation) and records who and since when. It ends after
//! [`idle`] without a request (14 days) or [`ABSOLUTE`] after sign-in (30 days), whichever is
//! first: the row's `expires_at` is the earlier of the two, and a session past it is gone.

use async_trait::async_trait;
use jiff::{SignedDuration, Timestamp};
use std::sync::Arc;
use std::time::Duration;
use tower_sessions::cookie::time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};
use upward_server_store::{ServerStore, ServerStoreExt, SessionRow};
use uuid::Uuid;

/// The session's data keys.
pub const KEY_CSRF: &str = "csrf";
pub const KEY_ACCOUNT: &str = "account";
/// When the session signed in (Unix seconds): the start of its 30 days.
pub const KEY_SINCE: &str = "since";
/// When a request last renewed its idle expiry (Unix seconds).
pub const KEY_SEEN: &str = "seen";

/// How long a session lives in all after sign-in.
pub const ABSOLUTE: Duration = Duration::from_secs(30 * 24 * 3600);
/// How long a session lives without a request, unless the test-only variable
/// `UPWARD_TEST_SESSION_IDLE_SECS` shortens it.
pub fn idle() -> Duration {
    std::env::var("UPWARD_TEST_SESSION_IDLE_SECS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|s| *s > 0)
        .map(Duration::from_secs)
        .unwrap_or(Duration::from_secs(14 * 24 * 3600))
}

/// [`idle`] as the session layer counts it.
pub fn idle_cookie() -> tower_sessions::cookie::time::Duration {
    tower_sessions::cookie::time::Duration::seconds(
        i64::try_from(idle().as_secs()).unwrap_or(i64::MAX),
    )
}

/// How long in all, unless the test-only variable `UPWARD_TEST_SESSION_ABSOLUTE_SECS`
/// shortens it.
pub fn absolute() -> Duration {
    std::env::var("UPWARD_TEST_SESSION_ABSOLUTE_SECS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|s| *s > 0)
        .map(Duration::from_secs)
        .unwrap_or(ABSOLUTE)
}

/// The idle expiry is renewed (a write) at most this often, not on every request.
pub fn renew_every() -> Duration {
    (idle() / 4).min(Duration::from_secs(3600))
}

/// What the database keeps of a session id.
pub fn id_hash(id: &Id) -> [u8; 32] {
    crate::secrets::sha256(&id.0.to_le_bytes())
}

#[derive(Clone)]
pub struct DbSessions {
    store: Arc<dyn ServerStore>,
}

impl std::fmt::Debug for DbSessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbSessions")
    }
}

impl DbSessions {
    pub fn new(store: Arc<dyn ServerStore>) -> DbSessions {
        DbSessions { store }
    }

    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn ServerStore) -> upward_server_store::Result<T> + Send + 'static,
    ) -> session_store::Result<T> {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || f(&*store))
            .await
            .map_err(|e| session_store::Error::Backend(e.to_string()))?
            .map_err(|e| session_store::Error::Backend(e.to_string()))
    }
}

/// The row of a record: its account, and the earlier of its idle and absolute ends.
fn row_of(record: &Record, created_at: Timestamp) -> session_store::Result<SessionRow> {
    let data = serde_json::to_vec(&record.data)
        .map_err(|e| session_store::Error::Encode(e.to_string()))?;
    let account = record
        .data
        .get(KEY_ACCOUNT)
        .and_then(|v| v.as_str())
        .and_then(|s| s.parse::<Uuid>().ok());
    let idle_end = Timestamp::from_second(record.expiry_date.unix_timestamp())
        .map_err(|e| session_store::Error::Encode(e.to_string()))?;
    let since = record
        .data
        .get(KEY_SINCE)
        .and_then(|v| v.as_i64())
        .and_then(|s| Timestamp::from_second(s).ok());
    let absolute_end = since.map(|s| {
        s.checked_add(SignedDuration::try_from(absolute()).unwrap_or(SignedDuration::MAX))
            .unwrap_or(Timestamp::MAX)
    });
    let expires_at = match absolute_end {
        Some(a) if a < idle_end => a,
        _ => idle_end,
    };
    Ok(SessionRow {
        hash: id_hash(&record.id),
        account,
        data,
        created_at,
        expires_at,
    })
}

#[async_trait]
impl SessionStore for DbSessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let mut r = record.clone();
        let id = self
            .run(move |store| {
                store.write(|tx| {
                    // A fresh id of 128 random bits; a collision is drawn again, not overwritten.
                    while tx.session(&id_hash(&r.id))?.is_some() {
                        r.id = Id::default();
                    }
                    let row = row_of(&r, Timestamp::now())
                        .map_err(|e| upward_server_store::StoreError::Backend(e.to_string()))?;
                    tx.put_session(&row)?;
                    Ok(r.id)
                })
            })
            .await?;
        record.id = id;
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let r = record.clone();
        self.run(move |store| {
            store.write(|tx| {
                let hash = id_hash(&r.id);
                let created_at = tx
                    .session(&hash)?
                    .map(|s| s.created_at)
                    .unwrap_or_else(Timestamp::now);
                let row = row_of(&r, created_at)
                    .map_err(|e| upward_server_store::StoreError::Backend(e.to_string()))?;
                tx.put_session(&row)
            })
        })
        .await
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let hash = id_hash(id);
        let row = self
            .run(move |store| store.read(|tx| tx.session(&hash)))
            .await?;
        let Some(row) = row else { return Ok(None) };
        if row.expires_at <= Timestamp::now() {
            return Ok(None);
        }
        let data = serde_json::from_slice(&row.data)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = OffsetDateTime::from_unix_timestamp(row.expires_at.as_second())
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let hash = id_hash(id);
        self.run(move |store| store.write(|tx| tx.delete_session(&hash)))
            .await
    }
}
