//! The layers in front of every route (docs/server.md, "Accounts and sessions"):
//!
//! - [`guard`]: a `Host` that is not this server (listen address or public URL) is 421; an
//!   unsafe request signed in by cookie (no bearer header) needs the exact `Origin` of this
//!   server and the session's CSRF token (form field `csrf` or header `X-CSRF-Token`), else
//!   403. A bearer token is never sent by a browser on its own, so it needs neither.
//! - [`outer`]: the request log line; the security headers of every response; refusals drawn
//!   as `{"error": "…"}` under `/api/` and as a page elsewhere (a page that needs a signed-in
//!   caller sends the browser to /login instead).

use crate::auth::bearer;
use crate::config::ServerConfig;
use crate::error::{Refusal, ServerError};
use crate::secrets::same;
use crate::sessions::KEY_CSRF;
use crate::state::AppState;
use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;
use tower_sessions::Session;
use upward_web::{has_content_type, refusal_message};

/// The form field and the header that carry the CSRF token.
pub const CSRF_FIELD: &str = "csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The largest form body the guard reads to find the CSRF token.
const FORM_LIMIT: usize = 1024 * 1024;

/// The routes that take an unsafe request without a session: the API's sign-in (it answers a
/// token in its body, which another site cannot read).
const NO_CSRF: &[&str] = &["/api/v1/login"];

/// The `Host`s and `Origin`s that are this server.
#[derive(Debug, Clone)]
pub struct Origins {
    hosts: Vec<String>,
    origins: Vec<String>,
}

impl Origins {
    pub fn of(config: &ServerConfig) -> Origins {
        let listen = config.listen;
        let mut hosts = vec![listen.to_string()];
        if listen.ip().is_loopback() {
            hosts.push(format!("localhost:{}", listen.port()));
        }
        let mut origins: Vec<String> = hosts.iter().map(|h| format!("http://{h}")).collect();
        if let Some(u) = &config.public_url {
            hosts.extend(u.hosts());
            origins.push(u.origin());
        }
        Origins { hosts, origins }
    }

    pub fn is_host(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        self.hosts.contains(&host)
    }

    pub fn is_origin(&self, origin: &str) -> bool {
        let origin = origin.to_ascii_lowercase();
        self.origins.contains(&origin)
    }

    /// The hosts, for the 421's message.
    pub fn hosts(&self) -> String {
        self.hosts.join(", ")
    }
}

/// The client's address: the peer's, or — only when the peer is `--trusted-proxy` — the hop
/// that proxy saw, the LAST entry of `X-Forwarded-For` (the proxy appends it; what comes
/// before it is whatever the client sent, and could be forged).
pub fn client_ip(
    headers: &HeaderMap,
    peer: Option<IpAddr>,
    trusted_proxy: Option<IpAddr>,
) -> Option<IpAddr> {
    let peer = peer?;
    if trusted_proxy != Some(peer) {
        return Some(peer);
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .rfind(|v| !v.is_empty())
        .and_then(|v| v.parse::<IpAddr>().ok());
    Some(forwarded.unwrap_or(peer))
}

/// The peer address of a request (absent in tests in process that set none).
pub fn peer_of(request_extensions: &axum::http::Extensions) -> Option<IpAddr> {
    request_extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
}

/// The client's address as the login throttle counts it ([`client_ip`]).
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub Option<IpAddr>);

impl axum::extract::FromRequestParts<Arc<AppState>> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &Arc<AppState>,
    ) -> Result<ClientIp, std::convert::Infallible> {
        Ok(ClientIp(client_ip(
            &parts.headers,
            peer_of(&parts.extensions),
            state.config.trusted_proxy,
        )))
    }
}

pub async fn guard(
    State(state): State<Arc<AppState>>,
    session: Session,
    request: Request,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !state.origins.is_host(host) {
        return ServerError::new(
            StatusCode::MISDIRECTED_REQUEST,
            format!(
                "this server answers to {} only — open it by one of those names",
                state.origins.hosts()
            ),
        )
        .into_response();
    }
    let path = request.uri().path().to_string();
    let unsafe_method = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !unsafe_method || bearer(request.headers()).is_some() || NO_CSRF.contains(&path.as_str()) {
        return next.run(request).await;
    }
    let csrf: Option<String> = match session.get(KEY_CSRF).await {
        Ok(c) => c,
        Err(e) => {
            return ServerError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("the session cannot be read now ({e}) — try again shortly"),
            )
            .into_response();
        }
    };
    let Some(csrf) = csrf else {
        if path.starts_with("/api/") {
            // No cookie session at all: the handler answers 401 (not signed in).
            return next.run(request).await;
        }
        return ServerError::forbidden(
            "refused: this form's session has ended (or cookies are off) — reload the page and send it again",
        )
        .into_response();
    };
    let origin = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !state.origins.is_origin(origin) {
        return ServerError::forbidden(
            "refused: the request does not come from a page of this server (its Origin is missing or foreign)",
        )
        .into_response();
    }
    let (given, request) = match csrf_of(request).await {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    if !given.as_deref().is_some_and(|g| same(g, &csrf)) {
        return ServerError::forbidden(
            "refused: the form's CSRF token is missing or out of date — reload the page and send it again",
        )
        .into_response();
    }
    next.run(request).await
}

/// The CSRF token a request carries: the header, or the field of a urlencoded form (the body
/// is read and put back).
async fn csrf_of(request: Request) -> Result<(Option<String>, Request), ServerError> {
    if let Some(h) = request.headers().get(CSRF_HEADER) {
        return Ok((h.to_str().ok().map(str::to_string), request));
    }
    let form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
    if !form {
        return Ok((None, request));
    }
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, FORM_LIMIT).await.map_err(|_| {
        ServerError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the form is larger than {} MiB", FORM_LIMIT >> 20),
        )
    })?;
    let given = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .ok()
        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == CSRF_FIELD))
        .map(|(_, v)| v);
    Ok((given, Request::from_parts(parts, Body::from(bytes))))
}

/// The outermost layer: draws refusals, sets the security headers, logs one line.
pub async fn outer(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    // The path only: a query string may hold a one-time link's token.
    let path = request.uri().path().to_string();
    let api = path.starts_with("/api/");
    let page_get = !api && method == Method::GET;
    let response = next.run(request).await;
    let mut response = draw_refusal(response, api, page_get, &state).await;
    set_headers(response.headers_mut(), api);
    crate::log::request(&method, &path, response.status(), started.elapsed());
    response
}

fn set_headers(h: &mut HeaderMap, api: bool) {
    let set = |h: &mut HeaderMap, k: &'static str, v: &'static str| {
        h.insert(k, HeaderValue::from_static(v));
    };
    set(
        h,
        "content-security-policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    );
    set(h, "x-content-type-options", "nosniff");
    // `same-origin`, not `no-referrer`: under `no-referrer` a browser sends `Origin: null` with
    // a form's POST, which the Origin check refuses. `same-origin` still sends nothing (no
    // link token in a page's address) to another site.
    set(h, "referrer-policy", "same-origin");
    set(h, "x-frame-options", "DENY");
    if !api || !h.contains_key(header::CACHE_CONTROL) {
        set(h, "cache-control", "no-store");
    }
}

/// A refusal as the asker reads it: JSON under `/api/`, a page elsewhere, and a page GET that
/// needs a signed-in caller as a redirect to /login.
async fn draw_refusal(response: Response, api: bool, page_get: bool, state: &AppState) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let refusal = response.extensions().get::<Refusal>().cloned();
    let retry = response.headers().get(header::RETRY_AFTER).cloned();
    let error = match refusal {
        Some(Refusal(e)) => e,
        None => {
            if has_content_type(&response, "application/json")
                || (!api && has_content_type(&response, "text/html"))
            {
                return response;
            }
            let too_large = format!(
                "the request body is larger than {} KiB",
                crate::BODY_LIMIT >> 10
            );
            let message = refusal_message(response, &too_large).await;
            ServerError::new(status, message)
        }
    };
    let mut out = if api {
        (
            error.status,
            axum::Json(serde_json::json!({ "error": error.message })),
        )
            .into_response()
    } else if page_get && error.status == StatusCode::UNAUTHORIZED {
        Redirect::to("/login").into_response()
    } else {
        let _ = state;
        (error.status, crate::layout::error_page(&error)).into_response()
    };
    if let Some(r) = retry {
        out.headers_mut().insert(header::RETRY_AFTER, r);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_counts_only_from_the_trusted_proxy_and_only_its_own_hop() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "6.6.6.6, 203.0.113.9".parse().unwrap());
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let other: IpAddr = "10.0.0.2".parse().unwrap();
        assert_eq!(
            client_ip(&h, Some(proxy), Some(proxy)),
            Some("203.0.113.9".parse().unwrap())
        );
        assert_eq!(client_ip(&h, Some(other), Some(proxy)), Some(other));
        assert_eq!(client_ip(&h, Some(other), None), Some(other));
        let empty = HeaderMap::new();
        assert_eq!(client_ip(&empty, Some(proxy), Some(proxy)), Some(proxy));
    }
}
