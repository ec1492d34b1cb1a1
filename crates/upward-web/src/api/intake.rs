//! `GET /api/v1/intake` (`upward intake … --json`) and `POST /api/v1/intake`
//! (`upward intake … --accept --json`).

use crate::error::WebError;
use crate::pages::input::{Pairs, bad_fields, json_body, json_required, json_text};
use crate::state::AppState;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Map, Value, json};
use std::sync::Arc;
use upward_domain::workflow::intake::IntakeInput;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/intake", get(analyse).post(accept))
}

pub fn paths() -> Map<String, Value> {
    let q = |name: &str, required: bool, what: &str| json!({"name": name, "in": "query", "required": required, "description": what, "schema": {"type": "string"}});
    let mut m = Map::new();
    m.insert(
        "/intake".into(),
        json!({
            "get": {
                "summary": "Where a new request would go among the open priorities, what would slip, and the draft (upward intake TITLE --from --due --effort --json)",
                "operationId": "intake",
                "parameters": [
                    q("title", true, "The request"),
                    q("from", true, "Who asks (a name, a unique prefix, or me)"),
                    q("due", true, "A date: 2026-12-18, fri, 2w, +3d"),
                    q("effort", true, "Working days: 3d, 2w, 1m")
                ],
                "responses": {
                    "401": super::error_response("Not signed in"),
                    "200": {"description": "The analysis; `accepted` is null", "content": {"application/json": {"schema": {"type": "object"}}}},
                    "400": super::error_response("A field is missing or not valid"),
                    "404": super::error_response("No such person")
                }
            },
            "post": {
                "summary": "Accepts the request: adds it as an open priority where it fits, or at `rank` (upward intake … --accept [--rank N] --json)",
                "operationId": "intakeAccept",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {
                    "type": "object",
                    "required": ["title", "from", "due", "effort"],
                    "properties": {
                        "title": {"type": "string"}, "from": {"type": "string"},
                        "due": {"type": "string"}, "effort": {"type": "string"},
                        "rank": {"type": ["integer", "string", "null"]}
                    }
                }}}},
                "responses": {
                    "401": super::error_response("Not signed in"),
                    "201": {"description": "The analysis, with `accepted` the stored priority", "content": {"application/json": {"schema": {"type": "object"}}}},
                    "400": super::error_response("A field is missing or not valid"),
                    "404": super::error_response("No such person")
                }
            }
        }),
    );
    m
}

/// `GET /api/v1/intake?title=&from=&due=&effort=`: writes nothing. A rank is only for
/// accepting, as on the command line.
async fn analyse(
    State(state): State<Arc<AppState>>,
    query: Result<Query<Pairs>, QueryRejection>,
) -> Result<Json<Value>, WebError> {
    let Query(q) = query.map_err(|e| bad_fields(e).json())?;
    if crate::pages::input::field(&q, "rank").is_some() {
        return Err(WebError::bad_request(
            "rank is only for accepting a request — POST it to /api/v1/intake",
        )
        .json());
    }
    state
        .read(move |tx, clock| {
            let input = crate::pages::intake::input(&q, clock.today)?;
            let from = input.from.clone();
            let (analysis, _) = upward_app::workflows::intake(tx, &from, input, false, clock)?;
            Ok(Json(upward_render::intake::json(&analysis, None)))
        })
        .await
        .map_err(WebError::json)
}

/// `POST /api/v1/intake`: accepts it, and answers 201 with the analysis and the priority.
async fn accept(
    State(state): State<Arc<AppState>>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let body = json_body(body)?;
    let title = json_required(&body, "title")?.to_string();
    let from = json_required(&body, "from")?.to_string();
    let due = json_required(&body, "due")?.to_string();
    let effort = json_required(&body, "effort")?.to_string();
    let rank = json_text(&body, "rank")?;
    state
        .write(move |tx, clock| {
            let input =
                IntakeInput::parse(&title, &from, &due, &effort, rank.as_deref(), clock.today)?;
            let (analysis, added) = upward_app::workflows::intake(tx, &from, input, true, clock)?;
            Ok((
                StatusCode::CREATED,
                Json(upward_render::intake::json(&analysis, added.as_ref())),
            ))
        })
        .await
        .map_err(WebError::json)
}
