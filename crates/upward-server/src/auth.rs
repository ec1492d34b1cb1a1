//! Who is asking: the [`Caller`] extractor that every signed-in handler takes. A request is
//! signed in by `Authorization: Bearer TOKEN` (an API token: the command line) or by the
//! session cookie (a browser); a bearer header, when present, is the only credential looked
//! at. The CSRF and `Origin` checks of cookie requests happen before any handler runs
//! ([`crate::security::guard`]).

use crate::error::ServerError;
use crate::secrets::{is_token_shaped, sha256};
use crate::sessions::{KEY_ACCOUNT, KEY_CSRF, KEY_SEEN, KEY_SINCE};
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use jiff::Timestamp;
use std::sync::Arc;
use tower_sessions::cookie::time::Duration as CookieDuration;
use tower_sessions::{Expiry, Session};
use upward_server_store::{Account, ServerTx};
use uuid::Uuid;

/// The signed-in account of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub account: Account,
    pub via: Via,
    /// The session's CSRF token, for the forms a page draws (empty for a bearer request).
    pub csrf: String,
    /// The device the bearer token is bound to (`POST /api/v1/login {"device"}`); `None` for
    /// a session, or a token made without one.
    pub device: Option<Uuid>,
}

/// How the request signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    Session,
    /// The id of the API token used.
    Token(Uuid),
}

/// The bearer token of a request, if it sends one.
pub fn bearer(parts: &axum::http::HeaderMap) -> Option<&str> {
    parts
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
}

impl FromRequestParts<Arc<AppState>> for Caller {
    type Rejection = ServerError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Caller, ServerError> {
        if let Some(token) = bearer(&parts.headers) {
            return by_token(state, token.to_string()).await;
        }
        let session = parts
            .extensions
            .get::<Session>()
            .cloned()
            .ok_or_else(|| ServerError::internal("the session layer is missing"))?;
        by_session(state, &session).await
    }
}

/// Whether a credential issued at `issued` still holds for `account` (enabled, and issued
/// no earlier than the last password change, to the second).
fn holds(account: &Account, issued: Timestamp) -> bool {
    !account.disabled
        && account
            .password_changed_at
            .is_none_or(|changed| issued.as_second() >= changed.as_second())
}

fn token_refused() -> ServerError {
    ServerError::unauthorized(
        "the bearer token is not valid (revoked, ended by a password change, or mistyped) — get a new one with POST /api/v1/login",
    )
}

/// Signs a bearer token's hash in within the transaction `tx` (the token and its account in
/// one query): the caller, and the token's id when its last use is to be written (at most once
/// a minute per token, not on every request).
fn token_in(tx: &mut dyn ServerTx, hash: &[u8; 32]) -> Result<(Caller, Option<Uuid>), ServerError> {
    let Some((row, account)) = tx.token_with_account(hash)? else {
        return Err(token_refused());
    };
    if !holds(&account, row.created_at) {
        return Err(token_refused());
    }
    let now = Timestamp::now();
    let touch = row
        .last_used
        .is_none_or(|t| now.as_second() - t.as_second() >= 60)
        .then_some(row.id);
    Ok((
        Caller {
            account,
            via: Via::Token(row.id),
            csrf: String::new(),
            device: row.device,
        },
        touch,
    ))
}

/// Writes a token's last use (now).
async fn touch(state: &Arc<AppState>, id: Uuid) -> Result<(), ServerError> {
    let now = Timestamp::now();
    state.write(move |tx| Ok(tx.touch_token(id, now)?)).await
}

/// The hash of a bearer token, refused before any query when it is not shaped as one.
fn token_hash(token: &str) -> Result<[u8; 32], ServerError> {
    if !is_token_shaped(token) {
        return Err(token_refused());
    }
    Ok(sha256(token.as_bytes()))
}

async fn by_token(state: &Arc<AppState>, token: String) -> Result<Caller, ServerError> {
    let hash = token_hash(&token)?;
    let (caller, last_used) = state.read(move |tx| token_in(tx, &hash)).await?;
    if let Some(id) = last_used {
        touch(state, id).await?;
    }
    Ok(caller)
}

/// A request's credential for a handler that reads: a bearer token is signed in inside the
/// handler's own read transaction ([`Signed::read`]: one transaction for the sign-in and the
/// page, not two); a session is signed in as [`Caller`] signs it in. Every check is
/// [`Caller`]'s: a revoked token or a disabled account is refused at the request, with the
/// same 401, before the handler reads anything.
pub enum Signed {
    /// A bearer token's hash, not looked up yet.
    Token([u8; 32]),
    /// A session's caller, signed in.
    Caller(Caller),
}

impl FromRequestParts<Arc<AppState>> for Signed {
    type Rejection = ServerError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Signed, ServerError> {
        if let Some(token) = bearer(&parts.headers) {
            return Ok(Signed::Token(token_hash(token)?));
        }
        Caller::from_request_parts(parts, state)
            .await
            .map(Signed::Caller)
    }
}

impl Signed {
    /// Runs `f` for the caller in one read transaction that signs a bearer token in first
    /// (refused, and `f` not run, as [`Caller`] refuses); gives the caller and what `f` gave.
    /// A token's last use is written after, at most once a minute, as [`Caller`] writes it.
    pub async fn read<T, F>(self, state: &Arc<AppState>, f: F) -> Result<(Caller, T), ServerError>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn ServerTx, &Caller) -> Result<T, ServerError> + Send + 'static,
    {
        match self {
            Signed::Caller(caller) => {
                let c = caller.clone();
                let t = state.read(move |tx| f(tx, &c)).await?;
                Ok((caller, t))
            }
            Signed::Token(hash) => {
                // `f`'s refusal (a space not found…) comes out after the last use is written,
                // as when the sign-in was a transaction of its own.
                let (caller, last_used, t) = state
                    .read(move |tx| {
                        let (caller, last_used) = token_in(tx, &hash)?;
                        let t = f(tx, &caller);
                        Ok((caller, last_used, t))
                    })
                    .await?;
                if let Some(id) = last_used {
                    touch(state, id).await?;
                }
                Ok((caller, t?))
            }
        }
    }
}

async fn by_session(state: &Arc<AppState>, session: &Session) -> Result<Caller, ServerError> {
    let unavailable = |e: tower_sessions::session::Error| {
        ServerError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            format!("the session cannot be read now ({e}) — try again shortly"),
        )
    };
    let account: Option<Uuid> = session.get(KEY_ACCOUNT).await.map_err(unavailable)?;
    let Some(id) = account else {
        return Err(ServerError::not_signed_in());
    };
    let since: i64 = session
        .get(KEY_SINCE)
        .await
        .map_err(unavailable)?
        .unwrap_or(0);
    let csrf: String = session
        .get(KEY_CSRF)
        .await
        .map_err(unavailable)?
        .unwrap_or_default();
    let now = Timestamp::now();
    let too_old = now.as_second().saturating_sub(since)
        >= i64::try_from(crate::sessions::absolute().as_secs()).unwrap_or(i64::MAX);
    let account = state.read(move |tx| Ok(tx.account(id)?)).await?;
    let issued = Timestamp::from_second(since).unwrap_or(Timestamp::UNIX_EPOCH);
    let Some(account) = account.filter(|a| !too_old && holds(a, issued)) else {
        // Ended (in all, by a password change, or the account disabled): gone for good.
        session.flush().await.map_err(unavailable)?;
        return Err(ServerError::not_signed_in());
    };
    renew(session, now).await.map_err(unavailable)?;
    Ok(Caller {
        account,
        via: Via::Session,
        csrf,
        device: None,
    })
}

/// Renews the idle expiry when the last renewal is old enough (marking the session changed
/// makes the session layer save it with a new expiry and cookie).
async fn renew(session: &Session, now: Timestamp) -> Result<(), tower_sessions::session::Error> {
    let seen: i64 = session.get(KEY_SEEN).await?.unwrap_or(0);
    let every = i64::try_from(crate::sessions::renew_every().as_secs()).unwrap_or(i64::MAX);
    if now.as_second().saturating_sub(seen) >= every {
        session.insert(KEY_SEEN, now.as_second()).await?;
    }
    Ok(())
}

/// The session's CSRF token, made if it has none (a page that draws a form before sign-in).
pub async fn csrf_token(session: &Session) -> Result<String, ServerError> {
    let map = |e: tower_sessions::session::Error| {
        ServerError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            format!("the session cannot be read now ({e}) — try again shortly"),
        )
    };
    if let Some(t) = session.get::<String>(KEY_CSRF).await.map_err(map)? {
        return Ok(t);
    }
    let t = crate::secrets::random_token();
    // A session before sign-in (anyone who opens a form makes one) lives two hours idle, not
    // fourteen days: the table does not fill with strangers' rows.
    session.set_expiry(Some(Expiry::OnInactivity(CookieDuration::hours(2))));
    session.insert(KEY_CSRF, &t).await.map_err(map)?;
    // Saved now, so that a database that cannot take it is a 503 here (the session layer's
    // own save after the handler could only answer a bare 500).
    session.save().await.map_err(map)?;
    Ok(t)
}

/// Signs `account` in on this session: a new id (against fixation), a new CSRF token, and the
/// start of its 30 days.
pub async fn sign_in(session: &Session, account: Uuid) -> Result<(), ServerError> {
    let map = |e: tower_sessions::session::Error| {
        ServerError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            format!("cannot start the session now ({e}) — try again shortly"),
        )
    };
    session.cycle_id().await.map_err(map)?;
    session.clear().await;
    session.set_expiry(Some(Expiry::OnInactivity(crate::sessions::idle_cookie())));
    let now = Timestamp::now().as_second();
    session.insert(KEY_ACCOUNT, account).await.map_err(map)?;
    session.insert(KEY_SINCE, now).await.map_err(map)?;
    session.insert(KEY_SEEN, now).await.map_err(map)?;
    session
        .insert(KEY_CSRF, crate::secrets::random_token())
        .await
        .map_err(map)?;
    // Saved now: a database that cannot take it is a 503 here, not the layer's bare 500.
    session.save().await.map_err(map)?;
    Ok(())
}
