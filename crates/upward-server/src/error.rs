//! What a request refused, with its status: a 4xx for anything the request got wrong (never a
//! 500 for bad input), 503 while the database is unavailable, 500 only when the server itself
//! failed.
//!
//! A handler returns a [`ServerError`] without knowing who asked: the response carries the
//! refusal as an extension, and the outermost layer ([`crate::security::headers`]) draws it as
//! `{"error": "…"}` under `/api/` and as a page elsewhere. Refusals that axum itself makes (a
//! body that is not JSON, a method a route does not take, a body too large) get the same
//! treatment from their text.

use axum::http::header::{self, HeaderValue};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use upward_server_store::StoreError;

#[derive(Debug, Clone)]
pub struct ServerError {
    pub status: StatusCode,
    pub message: String,
    /// `Retry-After` in seconds (429 of the login throttle).
    pub retry_after: Option<u64>,
}

/// The refusal a response carries until the outer layer draws it.
#[derive(Debug, Clone)]
pub(crate) struct Refusal(pub ServerError);

impl ServerError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ServerError {
        ServerError {
            status,
            message: message.into(),
            retry_after: None,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> ServerError {
        ServerError::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn not_found(message: impl Into<String>) -> ServerError {
        ServerError::new(StatusCode::NOT_FOUND, message)
    }

    pub fn forbidden(message: impl Into<String>) -> ServerError {
        ServerError::new(StatusCode::FORBIDDEN, message)
    }

    pub fn conflict(message: impl Into<String>) -> ServerError {
        ServerError::new(StatusCode::CONFLICT, message)
    }

    pub fn unauthorized(message: impl Into<String>) -> ServerError {
        ServerError::new(StatusCode::UNAUTHORIZED, message)
    }

    pub fn internal(message: impl Into<String>) -> ServerError {
        ServerError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    /// Not signed in (no session, no valid bearer token).
    pub fn not_signed_in() -> ServerError {
        ServerError::unauthorized(
            "not signed in — sign in at /login, or send Authorization: Bearer TOKEN (POST /api/v1/login gives one)",
        )
    }

    pub fn too_many(retry_after: u64) -> ServerError {
        ServerError {
            status: StatusCode::TOO_MANY_REQUESTS,
            message: format!(
                "too many failed sign-ins: wait {retry_after} s before the next attempt"
            ),
            retry_after: Some(retry_after),
        }
    }
}

impl std::fmt::Display for ServerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ServerError {}

impl From<StoreError> for ServerError {
    fn from(e: StoreError) -> ServerError {
        let status = match &e {
            StoreError::Unavailable(_)
            | StoreError::TooNew { .. }
            | StoreError::NotServerDatabase(_) => StatusCode::SERVICE_UNAVAILABLE,
            StoreError::Conflict(_) => StatusCode::CONFLICT,
            StoreError::BadUrl(_) => StatusCode::BAD_REQUEST,
            StoreError::Backend(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ServerError::new(status, e.to_string())
    }
}

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let mut response = (self.status, self.message.clone()).into_response();
        if let Some(secs) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response.extensions_mut().insert(Refusal(self));
        response
    }
}

/// No route: 404.
pub async fn not_found(uri: Uri) -> ServerError {
    ServerError::not_found(format!(
        "nothing at {} — the pages are linked from the top of every page; the API is described at /api/v1/openapi.json",
        uri.path()
    ))
}
