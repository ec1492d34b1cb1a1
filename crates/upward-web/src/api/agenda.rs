//! The 1:1: `GET /api/v1/prep[/{person}]?shared=&all=` (as `prep --json`), `POST
//! /api/v1/meetings` (as `meet --json`), `GET /api/v1/meetings?person=` (as `meetings
//! --json`), `GET /api/v1/meetings/{id}` and `POST /api/v1/meetings/{id}/undo` (as `meeting
//! show|undo --json`).

use crate::error::WebError;
use crate::pages::agenda::{meet_input, record_meeting};
use crate::pages::input::{self, Pairs};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Map, Value, json};
use std::sync::Arc;
use upward_domain::workflow::prep::Audience;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/prep", get(prep_manager))
        .route("/prep/{person}", get(prep_person))
        .route("/meetings", get(list).post(meet))
        .route("/meetings/{id}", get(show))
        .route("/meetings/{id}/undo", post(undo))
}

async fn prep(
    state: Arc<AppState>,
    person: Option<String>,
    query: Option<String>,
) -> Result<Json<Value>, WebError> {
    let pairs = input::query_pairs(query.as_deref())?;
    let audience = if input::flag(&pairs, "shared") {
        Audience::Shared
    } else {
        Audience::Private
    };
    state
        .read(move |tx, clock| {
            let agenda = upward_app::workflows::agenda(tx, person.as_deref(), audience, clock)?;
            Ok(Json(upward_render::agenda::json(&agenda)))
        })
        .await
}

/// `GET /api/v1/prep?shared=`: my manager's agenda, as `prep --json [--shared]`.
async fn prep_manager(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, WebError> {
    prep(state, None, query).await.map_err(WebError::json)
}

/// `GET /api/v1/prep/{person}?shared=`: as `prep NAME --json [--shared]`.
async fn prep_person(
    State(state): State<Arc<AppState>>,
    Path(person): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, WebError> {
    prep(state, Some(person), query)
        .await
        .map_err(WebError::json)
}

/// A meeting in JSON (`{"person", "date", "discussed": [ids], "consent_asked": [ids],
/// "notes", "shared_notes", "actions": ["TEXT@me|them[:DUE]" or {"title", "owner", "due"}]}`)
/// as form pairs.
fn meeting_pairs(object: &Map<String, Value>) -> Result<Pairs, WebError> {
    let mut pairs = Vec::new();
    let scalar = |key: &str, v: &Value| -> Result<Option<String>, WebError> {
        match v {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(s.clone())),
            Value::Number(n) => Ok(Some(n.to_string())),
            _ => Err(WebError::bad_request(format!(
                "`{key}` must be a string or a number"
            ))),
        }
    };
    let list = |key: &str, v: &Value| -> Result<Vec<Value>, WebError> {
        match v {
            Value::Null => Ok(Vec::new()),
            Value::Array(a) => Ok(a.clone()),
            _ => Err(WebError::bad_request(format!("`{key}` must be a list"))),
        }
    };
    for (key, value) in object {
        match key.as_str() {
            "person" | "date" | "notes" | "shared_notes" => {
                if let Some(v) = scalar(key, value)? {
                    pairs.push((key.clone(), v));
                }
            }
            "discussed" | "consent_asked" => {
                for v in list(key, value)? {
                    if let Some(v) = scalar(key, &v)? {
                        pairs.push((key.clone(), v));
                    }
                }
            }
            "actions" => {
                for (n, v) in list(key, value)?.iter().enumerate() {
                    match v {
                        Value::String(s) => pairs.push(("action".into(), s.clone())),
                        Value::Object(o) => {
                            for (k, v) in o {
                                if !matches!(k.as_str(), "title" | "owner" | "due") {
                                    return Err(WebError::bad_request(format!(
                                        "unknown field `{}` of an action — accepted: title, owner, due",
                                        k.escape_debug()
                                    )));
                                }
                                if let Some(v) = scalar(k, v)? {
                                    pairs.push((format!("action_{k}_{n}"), v));
                                }
                            }
                        }
                        _ => {
                            return Err(WebError::bad_request(
                                "an action is \"TEXT@me|them[:DUE]\" or {\"title\", \"owner\", \"due\"}",
                            ));
                        }
                    }
                }
            }
            k => {
                return Err(WebError::bad_request(format!(
                    "unknown field `{}` — accepted: person, date, discussed, consent_asked, notes, shared_notes, actions",
                    k.escape_debug()
                )));
            }
        }
    }
    Ok(pairs)
}

/// `POST /api/v1/meetings`: records a 1:1, as `meet [NAME] --json`; 201.
async fn meet(
    State(state): State<Arc<AppState>>,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let run = async {
        let object = input::json_object(&body)?;
        let pairs = meeting_pairs(&object)?;
        let (person, parsed) = meet_input(&pairs)?;
        record_meeting(&state, person, parsed).await
    };
    let met = run.await.map_err(WebError::json)?;
    Ok((StatusCode::CREATED, Json(met.to_json())))
}

/// `GET /api/v1/meetings?person=`: as `meetings [NAME] --json`.
async fn list(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, WebError> {
    let pairs = input::query_pairs(query.as_deref()).map_err(WebError::json)?;
    let person = input::get(&pairs, "person").map(str::to_string);
    state
        .read(move |tx, _| {
            let meetings = upward_app::meetings::list(tx, person.as_deref())?;
            serde_json::to_value(meetings)
                .map(Json)
                .map_err(|e| WebError::internal(e.to_string()))
        })
        .await
        .map_err(WebError::json)
}

/// A 1:1's id in a path: a 404 for one that cannot exist.
pub fn meeting_id(s: &str) -> Result<i64, WebError> {
    input::id(s).map_err(|_| {
        WebError::not_found(format!(
            "no 1:1 has id `{}` — the list of 1:1s shows the ids",
            s.escape_debug()
        ))
    })
}

/// `GET /api/v1/meetings/{id}`: as `meeting show ID --json`.
async fn show(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let id = meeting_id(&id).map_err(WebError::json)?;
    state
        .read(move |tx, _| Ok(Json(upward_app::meetings::show(tx, id)?.to_json())))
        .await
        .map_err(WebError::json)
}

/// `POST /api/v1/meetings/{id}/undo`: as `meeting undo ID --json`.
async fn undo(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let id = meeting_id(&id).map_err(WebError::json)?;
    state
        .write(move |tx, clock| {
            let plan = upward_app::meetings::undo(tx, id, clock)?;
            Ok(Json(upward_app::meetings::undo_json(&plan)))
        })
        .await
        .map_err(WebError::json)
}

fn ok(description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"type": "object"}}}})
}

/// A 200 whose body is a JSON array of objects (a list, as the command line's --json prints it).
fn ok_list(description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object"}}}}})
}

fn query(name: &str, description: &str) -> Value {
    json!({"name": name, "in": "query", "required": false, "description": description, "schema": {"type": "string"}})
}

fn path(name: &str) -> Value {
    json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}})
}

pub fn paths() -> Map<String, Value> {
    let err = super::error_response;
    let mut m = Map::new();
    let prep = |summary: &str, id: &str| {
        json!({
            "summary": summary,
            "operationId": id,
            "parameters": [query("shared", "1: the agenda to share with them"), query("all", "1: every item (the JSON always has every item)")],
            "responses": {"200": ok("The agenda: person, date, shared, sections of items"), "404": err("No such person, or no manager recorded")}
        })
    };
    m.insert(
        "/prep".into(),
        json!({"get": prep("The agenda for the next 1:1 with my manager (upward prep --json)", "prepManager")}),
    );
    m.insert(
        "/prep/{person}".into(),
        json!({"parameters": [path("person")], "get": prep("The agenda for the next 1:1 with a person (upward prep NAME --json)", "prep")}),
    );
    m.insert("/meetings".into(), json!({
        "get": {
            "summary": "The 1:1s recorded, newest first (upward meetings [NAME] --json)",
            "operationId": "listMeetings",
            "parameters": [query("person", "Only those with this person")],
            "responses": {"200": ok_list("The meetings"), "404": err("No such person")}
        },
        "post": {
            "summary": "Record a 1:1 (upward meet [NAME] --json)",
            "operationId": "meet",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {
                "type": "object",
                "properties": {
                    "person": {"type": "string", "description": "Default: my manager"},
                    "date": {"type": "string"},
                    "discussed": {"type": "array", "items": {"type": "integer"}},
                    "consent_asked": {"type": "array", "items": {"type": "integer"}},
                    "notes": {"type": "string"},
                    "shared_notes": {"type": "string", "description": "Shared with them by sync"},
                    "actions": {"type": "array", "items": {"oneOf": [
                        {"type": "string", "description": "TEXT@me|them[:DUE]"},
                        {"type": "object", "properties": {"title": {"type": "string"}, "owner": {"enum": ["me", "them"]}, "due": {"type": "string"}}}
                    ]}}
                }
            }}}},
            "responses": {
                "201": ok("The meeting, the items discussed, the actions agreed"),
                "400": err("Nothing to record, or a value is not valid"),
                "404": err("No such person or item")
            }
        }
    }));
    m.insert("/meetings/{id}".into(), json!({
        "parameters": [path("id")],
        "get": {
            "summary": "A 1:1 with what came of it (upward meeting show ID --json)",
            "operationId": "showMeeting",
            "responses": {"200": ok("The meeting, discussed, actions, effects"), "404": err("No such 1:1")}
        }
    }));
    m.insert("/meetings/{id}/undo".into(), json!({
        "parameters": [path("id")],
        "post": {
            "summary": "Take a 1:1 back (upward meeting undo ID --json)",
            "operationId": "undoMeeting",
            "responses": {"200": ok("What was put back, kept, dropped and unlinked"), "404": err("No such 1:1")}
        }
    }));
    m
}
