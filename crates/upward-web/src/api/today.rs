//! `GET /api/v1/nudges`.

use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Map, Value, json};
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/nudges", get(nudges))
}

pub fn paths() -> Map<String, Value> {
    let mut m = Map::new();
    m.insert(
        "/nudges".into(),
        json!({"get": {
            "summary": "What needs attention now, most urgent first (upward nudges --json)",
            "operationId": "nudges",
            "responses": {
                "200": {"description": "The nudges", "content": {"application/json": {"schema": {
                    "type": "array",
                    "items": {"type": "object", "required": ["kind", "text", "rank"], "properties": {
                        "kind": {"type": "string"},
                        "text": {"type": "string"},
                        "person": {"type": ["string", "null"]},
                        "id": {"type": ["integer", "null"]},
                        "rank": {"type": "integer"}
                    }}
                }}}},
                "401": super::error_response("Not signed in")
            }
        }}),
    );
    m
}

/// `GET /api/v1/nudges`: as `upward nudges --json`.
async fn nudges(State(state): State<Arc<AppState>>) -> Result<Json<Value>, WebError> {
    state
        .read(|tx, clock| {
            let list = upward_app::workflows::nudges(tx, clock)?;
            Ok(Json(upward_render::nudges::json(&list)))
        })
        .await
        .map_err(WebError::json)
}
