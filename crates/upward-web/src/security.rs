//! The guard in front of every route, and the headers on every response (docs/serve.md).
//!
//! In order: a `Host` that is not this server (421: DNS rebinding); the login (`/?token=` or
//! `POST /login`), which trades the printed token for a session; no cookie session and no
//! `Authorization: Bearer TOKEN` (401); an unsafe method authenticated by the cookie without the
//! exact `Origin` or without the session's CSRF token (403). The bearer token is not sent by a
//! browser on its own, so requests carrying it need no CSRF token.

use crate::error::WebError;
use crate::state::AppState;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use std::sync::Arc;
use subtle::ConstantTimeEq;
use tower_sessions::Session;

/// The secrets of one run of the server: the token printed on stdout, never stored.
pub struct Secrets {
    pub port: u16,
    token: String,
}

impl Secrets {
    /// A fresh random token of 256 bits.
    pub fn fresh(port: u16) -> Secrets {
        Secrets {
            port,
            token: random_hex(),
        }
    }

    /// Fixed secrets, for tests in process.
    pub fn fixed(port: u16, token: &str) -> Secrets {
        Secrets {
            port,
            token: token.to_string(),
        }
    }

    pub fn login_url(&self) -> String {
        format!("http://127.0.0.1:{}/?token={}", self.port, self.token)
    }

    /// Whether `given` is the token, compared in constant time.
    fn is_token(&self, given: &str) -> bool {
        given.len() == self.token.len() && bool::from(given.as_bytes().ct_eq(self.token.as_bytes()))
    }

    /// The origins a page of this server sends.
    fn is_origin(&self, origin: &str) -> bool {
        origin == format!("http://127.0.0.1:{}", self.port)
            || origin == format!("http://localhost:{}", self.port)
    }

    fn is_host(&self, host: &str) -> bool {
        host == format!("127.0.0.1:{}", self.port) || host == format!("localhost:{}", self.port)
    }
}

/// 32 random bytes as hex.
pub fn random_hex() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the system's random source");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the guard found about the request, for the handlers (the CSRF token that forms carry).
#[derive(Clone, Debug)]
pub struct Auth {
    pub csrf: String,
}

const SESSION_CSRF: &str = "csrf";
/// The form field and the header that carry the CSRF token.
pub const CSRF_FIELD: &str = "csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The largest form body the guard reads to find the CSRF token (a larger one is refused
/// before its handler sees it).
const FORM_LIMIT: usize = 4 * 1024 * 1024;

pub async fn guard(
    State(state): State<Arc<AppState>>,
    session: Session,
    request: Request,
    next: Next,
) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let refuse = |status: StatusCode, message: &str| {
        let e = WebError::new(status, message);
        if api { e.json() } else { e }.into_response()
    };
    let secrets = &state.secrets;

    // DNS rebinding: a page of another name that resolves to 127.0.0.1 sends its own Host.
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !secrets.is_host(host) {
        return refuse(
            StatusCode::MISDIRECTED_REQUEST,
            &format!(
                "this server answers to 127.0.0.1:{0} and localhost:{0} only",
                secrets.port
            ),
        );
    }

    // The login: the token from the printed URL (or posted by the opener file) for a session.
    let path = request.uri().path().to_string();
    let query_token = token_in_query(request.uri().query());
    if let (Some(token), "/") = (query_token, path.as_str()) {
        if !secrets.is_token(&token) {
            return refuse(
                StatusCode::UNAUTHORIZED,
                "this link's token is not this server's — use the link `upward serve` printed",
            );
        }
        if let Err(e) = start_session(&session).await {
            return e.into_response();
        }
        return Redirect::to("/").into_response();
    }
    if path == "/login" && request.method() == Method::POST {
        let (parts, body) = request.into_parts();
        let Ok(bytes) = to_bytes(body, FORM_LIMIT).await else {
            return refuse(StatusCode::PAYLOAD_TOO_LARGE, "the login form is too large");
        };
        let token = field(&bytes, "token").unwrap_or_default();
        drop(parts);
        if !secrets.is_token(&token) {
            return refuse(
                StatusCode::UNAUTHORIZED,
                "this token is not this server's — use the link `upward serve` printed",
            );
        }
        if let Err(e) = start_session(&session).await {
            return e.into_response();
        }
        // A page of this server that moves on to `/`: a navigation from it is same-site, so
        // the SameSite=Strict cookie goes with it (a redirect from the opener file would not).
        return crate::layout::moving_on("/").into_response();
    }
    // The stylesheet and script are the same for everyone and carry nothing private.
    if path.starts_with("/assets/") && request.method() == Method::GET {
        return next.run(request).await;
    }

    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim);
    if let Some(token) = bearer {
        if !secrets.is_token(token) {
            return refuse(
                StatusCode::UNAUTHORIZED,
                "the bearer token is not this server's — use the token `upward serve` printed",
            );
        }
        let mut request = request;
        request.extensions_mut().insert(Auth {
            csrf: String::new(),
        });
        return next.run(request).await;
    }

    let csrf: Option<String> = session.get(SESSION_CSRF).await.ok().flatten();
    let Some(csrf) = csrf else {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "not signed in — open the link `upward serve` printed (it holds the token), or send Authorization: Bearer TOKEN",
        );
    };

    let mut request = request;
    if !is_safe(request.method()) {
        let origin = request
            .headers()
            .get(header::ORIGIN)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        if !secrets.is_origin(origin) {
            return refuse(
                StatusCode::FORBIDDEN,
                "refused: the request does not come from a page of this server (its Origin is missing or foreign)",
            );
        }
        let (given, rebuilt) = match csrf_of(request).await {
            Ok(x) => x,
            Err(r) => return r,
        };
        request = rebuilt;
        let ok = given.as_deref().is_some_and(|g| {
            g.len() == csrf.len() && bool::from(g.as_bytes().ct_eq(csrf.as_bytes()))
        });
        if !ok {
            return refuse(
                StatusCode::FORBIDDEN,
                "refused: the form's CSRF token is missing or out of date — reload the page and send it again",
            );
        }
    }
    request.extensions_mut().insert(Auth { csrf });
    next.run(request).await
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

async fn start_session(session: &Session) -> Result<(), WebError> {
    session
        .cycle_id()
        .await
        .map_err(|e| WebError::internal(format!("cannot start a session: {e}")))?;
    session
        .insert(SESSION_CSRF, random_hex())
        .await
        .map_err(|e| WebError::internal(format!("cannot start a session: {e}")))
}

fn token_in_query(query: Option<&str>) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query?).ok()?;
    pairs
        .into_iter()
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v)
}

fn field(body: &[u8], name: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).ok()?;
    pairs.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

/// The CSRF token a request carries: the header, the `csrf` query parameter (a multipart form
/// puts it in its action), or the field of a urlencoded form (the body is read and put back).
async fn csrf_of(request: Request) -> Result<(Option<String>, Request), Response> {
    if let Some(h) = request.headers().get(CSRF_HEADER) {
        return Ok((h.to_str().ok().map(str::to_string), request));
    }
    if let Some(q) = request
        .uri()
        .query()
        .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == CSRF_FIELD))
    {
        return Ok((Some(q.1), request));
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
        WebError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the form is larger than {} MiB", FORM_LIMIT >> 20),
        )
        .into_response()
    })?;
    let given = field(&bytes, CSRF_FIELD);
    Ok((given, Request::from_parts(parts, Body::from(bytes))))
}

/// The headers of every response: what the page may load and run, and that nothing is kept.
pub async fn headers(
    State(_state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    if api {
        response = json_refusal(response).await;
    }
    let h = response.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, k: &'static str, v: &'static str| {
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
    // a form's POST, which the Origin check above refuses (every form of the pages would fail
    // in a real browser). `same-origin` still sends nothing to another site.
    set(h, "referrer-policy", "same-origin");
    set(h, "cache-control", "no-store");
    set(h, "x-frame-options", "DENY");
    response
}

/// A refusal under `/api/` that is not JSON yet (the body limit's 413, a method the route does
/// not take) as `{"error": "…"}`, its text kept.
async fn json_refusal(response: Response) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error())
        || has_content_type(&response, "application/json")
    {
        return response;
    }
    let too_large = format!(
        "the request body is larger than {} MiB",
        crate::BODY_LIMIT >> 20
    );
    let message = refusal_message(response, &too_large).await;
    WebError::new(status, message).json().into_response()
}

/// Whether a response's `Content-Type` starts with `prefix` (`application/json`, `text/html`).
pub fn has_content_type(response: &Response, prefix: &str) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|c| c.starts_with(prefix))
}

/// The one line a refusal made by a layer (axum's own 404, 405, 413, a rejected extractor)
/// says in words: `too_large` for a body over the limit, else the body's text, else the
/// status's reason. Shared with the team server, which refuses the same way.
pub async fn refusal_message(response: Response, too_large: &str) -> String {
    let status = response.status();
    let (_, body) = response.into_parts();
    let text = to_bytes(body, 64 * 1024)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        too_large.to_string()
    } else if text.is_empty() {
        status
            .canonical_reason()
            .unwrap_or("refused")
            .to_lowercase()
    } else {
        text
    }
}
