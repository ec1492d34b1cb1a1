//! `upward serve`: the personal workspace in a browser, on this machine only.
//!
//! A front end of the application layer like the command line: each handler parses the
//! request, calls one use case of `upward-app` in one transaction, and presents the result as
//! a page (HTML drawn on the server, escaped by the templates) or as JSON under `/api/v1/`, in
//! exactly the shapes of the command line's `--json` (both come from `upward-render`).
//!
//! Security (docs/serve.md): loopback only; a fresh token on stdout, exchanged for a session
//! cookie named for the port; `Host` checked against DNS rebinding (421); no credentials 401;
//! every unsafe request authenticated by the cookie needs the session's CSRF token and the exact
//! `Origin` (403); a CSP without inline script; bodies capped.

pub mod api;
mod assets;
pub mod charts;
mod error;
mod layout;
pub mod pages;
mod security;
mod state;

pub use assets::{SCRIPT, STYLE};
pub use error::WebError;
pub use layout::shell;
pub use security::{Secrets, has_content_type, random_hex, refusal_message};
pub use state::{AppState, Workspace};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::Arc;
use tower_sessions::cookie::SameSite;
use tower_sessions::{MemoryStore, SessionManagerLayer};

/// The default port (`upward serve` without `--port`), or the next free one.
pub const DEFAULT_PORT: u16 = 4717;

/// The largest request body (an import file is the largest thing sent): 32 MiB.
pub const BODY_LIMIT: usize = 32 * 1024 * 1024;

/// The whole application for a workspace, its routes behind the security layers. Tests call
/// it in process; [`serve`] puts it on a socket.
pub fn router(state: AppState) -> Router {
    let port = state.secrets.port;
    let sessions = SessionManagerLayer::new(MemoryStore::default())
        .with_name(format!("upward_{port}"))
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(false)
        .with_path("/");
    let state = Arc::new(state);
    Router::new()
        .merge(pages::routes())
        .nest("/api/v1", api::routes())
        .merge(assets::routes())
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::guard,
        ))
        .layer(sessions)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        .with_state(state)
}

/// Binds 127.0.0.1: the port asked for (an error if taken), else 4717 or the next free one.
pub fn bind(port: Option<u16>) -> std::io::Result<TcpListener> {
    let at = |p: u16| TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, p)));
    match port {
        Some(p) => at(p).map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!("cannot listen on 127.0.0.1:{p} ({e}) — give another --port, or leave it out to take the next free one from {DEFAULT_PORT}"),
            )
        }),
        None => {
            let mut last = None;
            for p in DEFAULT_PORT..DEFAULT_PORT.saturating_add(100) {
                match at(p) {
                    Ok(l) => return Ok(l),
                    Err(e) => last = Some(e),
                }
            }
            let e = last.expect("tried at least one port");
            Err(std::io::Error::new(
                e.kind(),
                format!(
                    "no free port from {DEFAULT_PORT} to {} on 127.0.0.1 ({e}) — give one with --port",
                    DEFAULT_PORT + 99
                ),
            ))
        }
    }
}

/// Serves `workspace` on `listener` until SIGINT or SIGTERM: requests under way finish (no
/// transaction is cut), then it returns. `on_ready` gets the login URL once listening.
pub fn serve(
    listener: TcpListener,
    workspace: Arc<dyn Workspace>,
    on_ready: impl FnOnce(&str),
) -> anyhow::Result<()> {
    let port = listener.local_addr()?.port();
    let secrets = Secrets::fresh(port);
    let url = secrets.login_url();
    let state = AppState::new(workspace, secrets);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        // Signal handlers first, so that a signal right after the URL is printed stops cleanly.
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        let mut int = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?;
        on_ready(&url);
        axum::serve(listener, router(state))
            .with_graceful_shutdown(async move {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = int.recv() => {}
                }
            })
            .await?;
        Ok::<_, anyhow::Error>(())
    })
}
