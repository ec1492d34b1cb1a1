//! `upward server`: the team server's web app and API (docs/server.md).
//!
//! Accounts with argon2id passwords; browser sessions in the database (only the SHA-256 of
//! their ids); API tokens for the command line; one-time links to set a password; a login
//! throttle by delay; every unsafe cookie request checked for CSRF and `Origin`; the security
//! headers on every response; one log line per request and never a secret in it. The shared
//! 1:1 spaces build on this: their pages and API are modules of [`pages`] and [`api`] that take
//! a [`Caller`] and reach the database through [`AppState::read`] and [`AppState::write`].

pub mod admin;
pub mod api;
mod assets;
pub mod auth;
pub mod cache;
pub mod clock;
pub mod config;
pub mod error;
mod health;
pub mod layout;
mod log;
mod login;
pub mod pages;
pub mod passwords;
pub mod secrets;
pub mod security;
pub mod sessions;
pub mod spaces;
pub mod state;
pub mod throttle;

pub use auth::{Caller, Via};
pub use clock::ServerClock;
pub use config::{PublicUrl, ServerConfig};
pub use error::ServerError;
pub use passwords::Cost;
pub use state::AppState;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use std::net::SocketAddr;
use std::sync::Arc;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

/// The largest request body: 1 MiB (forms and JSON; the spaces' export is a download).
pub const BODY_LIMIT: usize = 1024 * 1024;

/// The session cookie's name: with the `__Host-` prefix when the cookie is `Secure` (the
/// browser then refuses it from anything but this host over https, with path `/`).
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-upward_session"
    } else {
        "upward_session"
    }
}

/// The whole application, its routes behind the security layers. Tests call it in process;
/// [`serve`] puts it on a socket.
pub fn router(state: AppState) -> Router {
    let secure = state.config.secure_cookies();
    let sessions = SessionManagerLayer::new(sessions::DbSessions::new(state.store.clone()))
        .with_name(cookie_name(secure))
        .with_http_only(true)
        // Lax, not Strict: a link to the server from mail or chat (an invitation, the page of
        // a space) opens signed in. Cross-site forms and scripts get nothing from it: every
        // unsafe request needs the session's CSRF token and this server's Origin.
        .with_same_site(SameSite::Lax)
        .with_secure(secure)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(sessions::idle_cookie()));
    let state = Arc::new(state);
    Router::new()
        .merge(pages::routes())
        .nest("/api/v1", api::routes())
        .merge(assets::routes())
        .merge(health::routes())
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::guard,
        ))
        .layer(sessions)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::outer,
        ))
        .with_state(state)
}

/// Opens the database (migrating it; a newer one is refused unchanged), binds the listen
/// address and serves until SIGINT or SIGTERM: requests under way finish, then it returns.
/// `on_ready` gets the address once listening.
pub fn serve(config: ServerConfig, on_ready: impl FnOnce(&str)) -> anyhow::Result<()> {
    let store = upward_server_store::open(&config.database)?;
    let clock = ServerClock::from_env().map_err(anyhow::Error::msg)?;
    let listener = std::net::TcpListener::bind(config.listen).map_err(|e| {
        anyhow::anyhow!(
            "cannot listen on {} ({e}) — give another --listen",
            config.listen
        )
    })?;
    let mut config = config;
    config.listen = listener.local_addr()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    // The last handle on the store is dropped here, off the runtime: the PostgreSQL client
    // closes its connections by blocking, which a runtime's thread must not do.
    let keep = store.clone();
    let served = runtime.block_on(async move {
        let state = AppState::new(store, config, clock, Cost::from_env()).await?;
        let shown = match &state.config.public_url {
            Some(u) => format!("http://{} (public URL {})", state.config.listen, u.origin()),
            None => format!("http://{}", state.config.listen),
        };
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        // Signal handlers first, so that a signal right after the address is printed stops
        // cleanly.
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        let mut int = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?;
        let sweeper = tokio::spawn(sweep_sessions(state.store.clone()));
        on_ready(&shown);
        let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = int.recv() => {}
                }
            })
            .await?;
        sweeper.abort();
        Ok::<_, anyhow::Error>(())
    });
    drop(runtime);
    drop(keep);
    served
}

/// Removes ended sessions once an hour (they are refused when read anyway; this keeps the
/// table small).
async fn sweep_sessions(store: Arc<dyn upward_server_store::ServerStore>) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every.tick().await;
        let s = store.clone();
        let _ = tokio::task::spawn_blocking(move || {
            use upward_server_store::ServerStoreExt as _;
            s.write(|tx| tx.delete_expired_sessions(jiff::Timestamp::now()))
        })
        .await;
    }
}
