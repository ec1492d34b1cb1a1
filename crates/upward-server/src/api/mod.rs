//! The JSON API under `/api/v1/`. Every route but `POST /login` takes `Authorization: Bearer
//! TOKEN` or the session cookie (with `X-CSRF-Token` on unsafe methods); every refusal is
//! `{"error": "…"}`. One module per area, each with its `routes()` and the OpenAPI
//! description of its `paths()`, gathered at `/api/v1/openapi.json`.

pub mod account;
pub mod spaces;
pub mod sync;
pub mod tokens;

use crate::state::AppState;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Map, Value, json};
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/openapi.json", get(|| async { Json(openapi()) }))
        .merge(account::routes())
        .merge(tokens::routes())
        .merge(spaces::routes())
        .merge(sync::routes())
        // A declared protocol this server does not speak is 426 on every route (docs/sync.md).
        .layer(axum::middleware::from_fn(sync::protocol))
}

/// The OpenAPI 3.1 document of every route.
pub fn openapi() -> Value {
    let mut paths = Map::new();
    for group in [
        account::paths(),
        tokens::paths(),
        spaces::paths(),
        sync::paths(),
    ] {
        paths.extend(group);
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "upward server",
            "version": "1",
            "description": "The team server of upward: accounts, API tokens and shared 1:1 spaces. Sign in with POST /login for a token, then send Authorization: Bearer TOKEN. Errors are {\"error\": \"…\"} with a 4xx or 5xx status."
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}, {"session": []}],
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "upward_session", "description": "A browser's session (named __Host-upward_session behind https); unsafe methods also need the X-CSRF-Token header and this server's Origin."}
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "string"}}
                }
            }
        },
        "paths": paths
    })
}

/// The answer of a refusal, for a path's `responses`.
pub fn error_response(what: &str) -> Value {
    json!({
        "description": what,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    })
}

/// A JSON answer of `schema`, for a path's `responses`.
pub fn json_response(what: &str, schema: Value) -> Value {
    json!({
        "description": what,
        "content": {"application/json": {"schema": schema}}
    })
}

/// A JSON request body of `schema`.
pub fn json_body(schema: Value) -> Value {
    json!({"required": true, "content": {"application/json": {"schema": schema}}})
}

/// A time as the API writes it: RFC 3339 in UTC.
pub fn time(t: jiff::Timestamp) -> String {
    t.to_string()
}
