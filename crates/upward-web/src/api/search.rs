//! `GET /api/v1/search?q=`: as `upward search Q --json`.

use crate::error::WebError;
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Map, Value, json};
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/search", get(search))
}

async fn search(
    State(state): State<Arc<AppState>>,
    query: Result<Query<crate::pages::search::SearchQuery>, QueryRejection>,
) -> Result<Json<Value>, WebError> {
    let Query(q) = query.map_err(|e| {
        WebError::bad_request(format!(
            "{} — q is the words to find, limit a number from 1 to 1000",
            e.body_text()
        ))
        .json()
    })?;
    let limit = q.limit.unwrap_or(crate::pages::search::DEFAULT_LIMIT);
    state
        .read(move |tx, _| {
            let hits = upward_app::items::search(tx, &q.q, limit)?;
            Ok(Json(json!(upward_app::items::search_json(hits))))
        })
        .await
        .map_err(WebError::json)
}

pub fn paths() -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("/search".into(), json!({"get": {
        "summary": "Full-text search, best first, matches marked **like this** (upward search Q --json)",
        "operationId": "search",
        "parameters": [
            {"name": "q", "in": "query", "required": true, "schema": {"type": "string"},
             "description": "The words; every one must match, the last is a prefix"},
            {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 20}}
        ],
        "responses": {
            "200": {"description": "The hits", "content": {"application/json": {"schema": {
                "type": "array", "items": {"type": "object",
                    "required": ["source", "title", "snippet", "score"],
                    "properties": {
                        "source": {"type": "string", "enum": ["item", "meeting", "person"]},
                        "id": {"type": ["integer", "null"]}, "kind": {"type": ["string", "null"]},
                        "title": {"type": "string"}, "person": {"type": ["string", "null"]},
                        "status": {"type": ["string", "null"]}, "snippet": {"type": "string"},
                        "score": {"type": "number"}
                    }}}}}},
            "400": super::error_response("A bad parameter"),
            "401": super::error_response("Not signed in")
        }
    }}));
    m
}
