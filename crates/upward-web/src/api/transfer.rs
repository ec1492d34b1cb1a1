//! `GET /api/v1/export` and `POST /api/v1/import?merge=`: as `upward export --json` and
//! `upward import FILE [--merge] --json`.

use crate::error::WebError;
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::sync::Arc;
use upward_domain::export::Export;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/export", get(export))
        .route("/import", post(import))
}

/// `GET /api/v1/export`: the text `upward export` prints, byte for byte.
async fn export(State(state): State<Arc<AppState>>) -> Result<Response, WebError> {
    state
        .read(|tx, clock| {
            let doc = upward_app::transfer::export(tx, clock.now)?;
            let text = upward_render::export::json(&doc)
                .map_err(|e| WebError::internal(format!("cannot write the export: {e}")))?;
            Ok((
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                text,
            )
                .into_response())
        })
        .await
        .map_err(WebError::json)
}

#[derive(Deserialize)]
struct ImportQuery {
    #[serde(default)]
    merge: bool,
}

/// `POST /api/v1/import[?merge=true]` with the export as the body: as `upward import FILE
/// [--merge] --json`. Nothing is written unless the whole document reads and validates.
async fn import(
    State(state): State<Arc<AppState>>,
    query: Result<Query<ImportQuery>, QueryRejection>,
    body: axum::body::Bytes,
) -> Result<Json<Value>, WebError> {
    let Query(q) = query.map_err(|e| {
        WebError::bad_request(format!("{} — merge is true or false", e.body_text())).json()
    })?;
    let text = std::str::from_utf8(&body).map_err(|_| {
        WebError::bad_request("the body is not UTF-8 text — send a file exported by upward as JSON")
            .json()
    })?;
    let doc = Export::parse(text).map_err(|e| WebError::from(e).json())?;
    state
        .write(move |tx, clock| {
            let report = upward_app::transfer::import(tx, &doc, q.merge, clock)?;
            Ok(Json(json!(report)))
        })
        .await
        .map_err(WebError::json)
}

pub fn paths() -> Map<String, Value> {
    let err = super::error_response;
    let mut m = Map::new();
    m.insert(
        "/export".into(),
        json!({"get": {
            "summary": "Everything, as the export document (upward export --json)",
            "operationId": "export",
            "responses": {
                "200": {"description": "The export document (format 3); import reads it back",
                    "content": {"application/json": {"schema": {"type": "object",
                        "required": ["format", "version", "exported", "people", "items"]}}}},
                "401": err("Not signed in")
            }
        }}),
    );
    m.insert("/import".into(), json!({"post": {
        "summary": "Import an export (upward import FILE [--merge] --json): into an empty workspace, or merged by UUID",
        "operationId": "import",
        "parameters": [{"name": "merge", "in": "query", "schema": {"type": "boolean", "default": false}}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object",
            "description": "A document written by GET /export or upward export"}}}},
        "responses": {
            "200": {"description": "What the import did", "content": {"application/json": {"schema": {
                "type": "object", "additionalProperties": {"type": "integer"}}}}},
            "400": err("Not an export, or the workspace is not empty without merge"),
            "401": err("Not signed in"),
            "413": err("Over 32 MiB")
        }
    }}));
    m
}
