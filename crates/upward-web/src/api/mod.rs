//! The JSON API under `/api/v1/`: the command line's `--json` shapes, from the same functions
//! of `upward-render` (docs/serve.md lists the routes; `/api/v1/openapi.json` describes them).
//! Errors are `{"error": "…"}` with a 4xx status. One module per group of routes, each with
//! its routes and the OpenAPI description of its paths.

pub(crate) mod agenda;
mod check;
mod decline;
mod intake;
pub(crate) mod items;
mod people;
mod reflect;
mod review;
mod search;
mod today;
mod transfer;
pub(crate) mod update;

use crate::state::AppState;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Map, Value, json};
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/openapi.json", get(|| async { Json(openapi()) }))
        .merge(today::routes())
        .merge(people::routes())
        .merge(search::routes())
        .merge(transfer::routes())
        .merge(intake::routes())
        .merge(decline::routes())
        .merge(review::routes())
        .merge(reflect::routes())
        .merge(items::routes())
        .merge(agenda::routes())
        .merge(update::routes())
        .merge(check::routes())
}

/// The OpenAPI 3.1 document of every route.
pub fn openapi() -> Value {
    let mut paths = Map::new();
    for group in [
        today::paths(),
        people::paths(),
        search::paths(),
        transfer::paths(),
        intake::paths(),
        decline::paths(),
        review::paths(),
        reflect::paths(),
        items::paths(),
        agenda::paths(),
        update::paths(),
        check::paths(),
    ] {
        paths.extend(group);
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "upward serve",
            "version": "1",
            "description": "The personal workspace of upward, on 127.0.0.1. Every answer has the shape of the command line's --json output; errors are {\"error\": \"…\"} with a 4xx status."
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
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
