//! What a request refused, with its status: a 4xx for anything the request got wrong (never a
//! 500 for bad input), a 5xx only when the server itself failed. Pages show it in the layout;
//! the API answers `{"error": "…"}`.

use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use upward_app::{AppError, StoreError};
use upward_domain::{DomainError, Next};

#[derive(Debug)]
pub struct WebError {
    pub status: StatusCode,
    pub message: String,
    /// The step that gets the user past it (a page shows it as a link).
    pub next: Option<Next>,
    /// Whether the request was for the API (JSON) or a page (HTML).
    pub json: bool,
}

impl WebError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> WebError {
        WebError {
            status,
            message: message.into(),
            next: None,
            json: false,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> WebError {
        WebError::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn not_found(message: impl Into<String>) -> WebError {
        WebError::new(StatusCode::NOT_FOUND, message)
    }

    pub fn internal(message: impl Into<String>) -> WebError {
        WebError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    /// Opening the workspace failed: the message of the store's error when it is one.
    pub fn from_anyhow(e: anyhow::Error) -> WebError {
        match e.downcast::<StoreError>() {
            Ok(e) => WebError::from(AppError::from(e)),
            Err(e) => WebError::new(StatusCode::SERVICE_UNAVAILABLE, format!("{e:#}")),
        }
    }

    /// The same refusal, answered as JSON.
    pub fn json(mut self) -> WebError {
        self.json = true;
        self
    }
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> WebError {
        let status = match &e {
            AppError::NoItem { .. } | AppError::NoManager => StatusCode::NOT_FOUND,
            AppError::RemoveMe | AppError::Sync(_) => StatusCode::CONFLICT,
            AppError::Store(s) => match s {
                StoreError::NotFound(_) => StatusCode::NOT_FOUND,
                StoreError::Conflict(_) => StatusCode::CONFLICT,
                StoreError::Domain(d) => match d {
                    DomainError::UnknownPerson { .. } | DomainError::UnknownItem { .. } => {
                        StatusCode::NOT_FOUND
                    }
                    DomainError::NameTaken { .. } => StatusCode::CONFLICT,
                    _ => StatusCode::BAD_REQUEST,
                },
                StoreError::DiskFull { .. } => StatusCode::INSUFFICIENT_STORAGE,
                StoreError::NotUpward(_)
                | StoreError::TooNew { .. }
                | StoreError::Damaged { .. }
                | StoreError::Io { .. } => StatusCode::SERVICE_UNAVAILABLE,
                StoreError::Unsupported(_) => StatusCode::CONFLICT,
                StoreError::ReadOnly | StoreError::Backend(_) | StoreError::Corrupt(_) => {
                    StatusCode::INTERNAL_SERVER_ERROR
                }
            },
        };
        WebError {
            status,
            message: e.to_string(),
            next: e.next(),
            json: false,
        }
    }
}

impl From<DomainError> for WebError {
    fn from(e: DomainError) -> WebError {
        WebError::from(AppError::from(e))
    }
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> WebError {
        WebError::from(AppError::from(e))
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        if self.json {
            return (
                self.status,
                axum::Json(serde_json::json!({ "error": self.message })),
            )
                .into_response();
        }
        let page = crate::layout::error_page(&self);
        (self.status, page).into_response()
    }
}

/// No route: 404, as JSON under the API.
pub async fn not_found(uri: Uri) -> WebError {
    let e = WebError::not_found(format!(
        "nothing at {} — the pages are listed at the top of every page; the API is described at /api/v1/openapi.json",
        uri.path()
    ));
    if uri.path().starts_with("/api/") {
        e.json()
    } else {
        e
    }
}
