//! `GET /api/v1/decline` (`upward decline … --json`), `POST /api/v1/declines`
//! (`upward decline … --sent --json`) and `GET /api/v1/declines` (`upward declines --json`).

use crate::error::WebError;
use crate::pages::input::{Pairs, bad_fields, given, json_body, json_required, json_str};
use crate::state::AppState;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Map, Value, json};
use std::sync::Arc;
use upward_domain::workflow::decline::DeclineInput;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/decline", get(draft))
        .route("/declines", get(list).post(record))
}

pub fn paths() -> Map<String, Value> {
    let q = |name: &str, required: bool, what: &str| json!({"name": name, "in": "query", "required": required, "description": what, "schema": {"type": "string"}});
    let mut m = Map::new();
    m.insert(
        "/decline".into(),
        json!({"get": {
            "summary": "A respectful no, drafted in the requester's style (upward decline TITLE --from --reason [--alternative]... [--after] --json)",
            "operationId": "decline",
            "parameters": [
                q("title", true, "What was asked"),
                q("from", true, "Who asked"),
                q("reason", true, "Why not"),
                {"name": "alternative", "in": "query", "required": false, "description": "An alternative to offer (repeat for more)", "schema": {"type": "array", "items": {"type": "string"}}, "style": "form", "explode": true},
                q("after", false, "The day after which you could pick it up")
            ],
            "responses": {
                    "401": super::error_response("Not signed in"),
                "200": {"description": "The draft", "content": {"application/json": {"schema": {"type": "object"}}}},
                "400": super::error_response("A field is missing or not valid"),
                "404": super::error_response("No such person")
            }
        }}),
    );
    m.insert(
        "/declines".into(),
        json!({
            "get": {
                "summary": "The requests declined and recorded, oldest first (upward declines [NAME] --json)",
                "operationId": "declines",
                "parameters": [q("person", false, "Only those from this person")],
                "responses": {
                    "401": super::error_response("Not signed in"),
                    "200": {"description": "The declines", "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object"}}}}},
                    "404": super::error_response("No such person")
                }
            },
            "post": {
                "summary": "Drafts the no and records it as sent (upward decline … --sent --json)",
                "operationId": "declineSent",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {
                    "type": "object",
                    "required": ["title", "from", "reason"],
                    "properties": {
                        "title": {"type": "string"}, "from": {"type": "string"}, "reason": {"type": "string"},
                        "alternatives": {"type": "array", "items": {"type": "string"}},
                        "after": {"type": ["string", "null"]}
                    }
                }}}},
                "responses": {
                    "401": super::error_response("Not signed in"),
                    "201": {"description": "The draft, with `recorded` the stored decline", "content": {"application/json": {"schema": {"type": "object"}}}},
                    "400": super::error_response("A field is missing or not valid"),
                    "404": super::error_response("No such person")
                }
            }
        }),
    );
    m
}

/// `GET /api/v1/decline?title=&from=&reason=&alternative=…&after=`: writes nothing.
async fn draft(
    State(state): State<Arc<AppState>>,
    query: Result<Query<Pairs>, QueryRejection>,
) -> Result<Json<Value>, WebError> {
    let Query(q) = query.map_err(|e| bad_fields(e).json())?;
    state
        .read(move |tx, clock| {
            let (from, input) = crate::pages::decline::input(&q, clock.today)?;
            let draft = upward_app::workflows::decline(tx, &from, &input, clock)?;
            Ok(Json(upward_render::draft::json(&draft, None)))
        })
        .await
        .map_err(WebError::json)
}

/// `POST /api/v1/declines`: drafts and records it; 201 with the draft and the record.
async fn record(
    State(state): State<Arc<AppState>>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let body = json_body(body)?;
    let title = json_required(&body, "title")?.to_string();
    let from = json_required(&body, "from")?.to_string();
    let reason = json_required(&body, "reason")?.to_string();
    let after = json_str(&body, "after")?.map(str::to_string);
    let alternatives = match body.get("alternatives") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(list)) => list
            .iter()
            .map(|a| a.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| {
                WebError::bad_request("alternatives must be a list of strings").json()
            })?,
        Some(_) => {
            return Err(WebError::bad_request("alternatives must be a list of strings").json());
        }
    };
    state
        .write(move |tx, clock| {
            let input = DeclineInput::parse(
                &title,
                &reason,
                &alternatives,
                after.as_deref(),
                clock.today,
            )?;
            let draft = upward_app::workflows::decline(tx, &from, &input, clock)?;
            let text = upward_render::draft::text(&draft);
            let recorded = upward_app::workflows::record_decline(tx, &input, &draft, &text, clock)?;
            Ok((
                StatusCode::CREATED,
                Json(upward_render::draft::json(&draft, Some(&recorded))),
            ))
        })
        .await
        .map_err(WebError::json)
}

/// `GET /api/v1/declines[?person=NAME]`.
async fn list(
    State(state): State<Arc<AppState>>,
    query: Result<Query<Pairs>, QueryRejection>,
) -> Result<Json<Value>, WebError> {
    let Query(q) = query.map_err(|e| bad_fields(e).json())?;
    let person = given(&q, "person").map(str::to_string);
    state
        .read(move |tx, _| {
            let list = upward_app::workflows::declines(tx, person.as_deref())?;
            serde_json::to_value(&list)
                .map(Json)
                .map_err(|e| WebError::internal(e.to_string()))
        })
        .await
        .map_err(WebError::json)
}
