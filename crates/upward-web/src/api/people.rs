//! `GET /api/v1/people`, `GET|PATCH /api/v1/people/{name}`, `POST /api/v1/people`,
//! `POST /api/v1/init`: the JSON of `upward person list|show|set|add --json` and `upward init
//! --json`.

use crate::error::WebError;
use crate::state::AppState;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::sync::Arc;
use upward_app::people::NewPerson;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/people", get(list).post(add))
        .route("/people/{name}", get(show).patch(set))
        .route("/init", post(init))
}

/// A JSON body, or a 400 that says what is wrong with it.
pub(crate) fn body<T>(b: Result<Json<T>, JsonRejection>) -> Result<T, WebError> {
    b.map(|Json(t)| t).map_err(|e| {
        WebError::new(
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::BAD_REQUEST
            },
            format!("the JSON body could not be read: {}", e.body_text()),
        )
        .json()
    })
}

fn name(p: Result<Path<String>, PathRejection>) -> Result<String, WebError> {
    p.map(|Path(n)| n).map_err(|e| {
        WebError::bad_request(format!("the address could not be read: {}", e.body_text())).json()
    })
}

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    all: bool,
}

/// `GET /api/v1/people[?all=true]`: as `upward person list [--all] --json`.
async fn list(
    State(state): State<Arc<AppState>>,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<Value>, WebError> {
    let Query(q) = query.map_err(|e| {
        WebError::bad_request(format!("{} — all is true or false", e.body_text())).json()
    })?;
    state
        .read(move |tx, _| Ok(Json(json!(tx.people(q.all)?))))
        .await
        .map_err(WebError::json)
}

/// `GET /api/v1/people/{name}`: as `upward person show NAME --json`.
async fn show(
    State(state): State<Arc<AppState>>,
    p: Result<Path<String>, PathRejection>,
) -> Result<Json<Value>, WebError> {
    let n = name(p)?;
    state
        .read(move |tx, _| {
            let profile = upward_app::people::profile(tx, &n)?;
            Ok(Json(json!(profile.person)))
        })
        .await
        .map_err(WebError::json)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AddBody {
    name: String,
    relation: String,
    role: Option<String>,
    cadence: Option<String>,
    technical: Option<String>,
    exec: Option<String>,
    email: Option<String>,
}

/// `POST /api/v1/people`: as `upward person add NAME --relation R [--role] [--cadence]
/// [--technical] [--exec] [--email] --json`; 201 with the person.
async fn add(
    State(state): State<Arc<AppState>>,
    b: Result<Json<AddBody>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let b = body(b)?;
    state
        .write(move |tx, clock| {
            let input = NewPerson {
                name: &b.name,
                relation: &b.relation,
                role: b.role.as_deref(),
                cadence: b.cadence.as_deref(),
                technical: b.technical.as_deref(),
                exec: b.exec.as_deref(),
                email: b.email.as_deref(),
            };
            let p = upward_app::people::add_new(tx, &input, clock.now)?;
            Ok((StatusCode::CREATED, Json(json!(p))))
        })
        .await
        .map_err(WebError::json)
}

/// A field's value as `person set` takes it: text; a number or a yes/no as written; null
/// clears it.
fn as_text(field: &str, v: Value) -> Result<String, WebError> {
    match v {
        Value::String(s) => Ok(s),
        Value::Null => Ok(String::new()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(if b { "yes" } else { "no" }.to_string()),
        _ => Err(WebError::bad_request(format!(
            "{field}: give a string, a number, true/false or null"
        ))
        .json()),
    }
}

/// `PATCH /api/v1/people/{name}` with `{"field": "value", …}`: as `upward person set NAME FIELD
/// VALUE --json` for each field in order, all or nothing; the person as it is after.
async fn set(
    State(state): State<Arc<AppState>>,
    p: Result<Path<String>, PathRejection>,
    b: Result<Json<Map<String, Value>>, JsonRejection>,
) -> Result<Json<Value>, WebError> {
    let n = name(p)?;
    let fields = body(b)?
        .into_iter()
        .map(|(k, v)| as_text(&k, v).map(|v| (k, v)))
        .collect::<Result<Vec<_>, _>>()?;
    if fields.is_empty() {
        return Err(WebError::bad_request(
            "give the fields to set, e.g. {\"goals\": \"Ship billing by Q2\"}",
        )
        .json());
    }
    state
        .write(move |tx, clock| {
            let p = upward_app::people::set_many(tx, &n, &fields, clock.now)?;
            Ok(Json(json!(p)))
        })
        .await
        .map_err(WebError::json)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InitBody {
    me: String,
    role: Option<String>,
    manager: Option<String>,
}

/// `POST /api/v1/init` with `{"me", "role"?, "manager"?}`: as `upward init --json`.
async fn init(
    State(state): State<Arc<AppState>>,
    b: Result<Json<InitBody>, JsonRejection>,
) -> Result<Json<Value>, WebError> {
    let b = body(b)?;
    state
        .write(move |tx, clock| {
            let (me, manager) = upward_app::people::init(
                tx,
                &b.me,
                b.role.as_deref(),
                b.manager.as_deref(),
                clock.now,
            )?;
            Ok(Json(upward_render::people::init_json(
                &me,
                manager.as_ref(),
            )))
        })
        .await
        .map_err(WebError::json)
}

fn person_schema() -> Value {
    json!({"type": "object", "description": "A person as `upward person show --json` prints it",
    "required": ["name", "relation", "is_me", "archived", "uuid"],
    "properties": {
        "name": {"type": "string"}, "relation": {"type": "string"},
        "role": {"type": ["string", "null"]}, "is_me": {"type": "boolean"},
        "cadence": {"type": ["string", "null"]}, "trust": {"type": ["integer", "null"]},
        "technical": {"type": ["boolean", "null"]}, "exec": {"type": ["boolean", "null"]},
        "email": {"type": ["string", "null"]},
        "account": {"type": ["string", "null"], "format": "uuid",
            "description": "The team server account sync linked them to"},
        "archived": {"type": "boolean"}, "uuid": {"type": "string", "format": "uuid"}
    }})
}

fn ok(description: &str, schema: Value) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema}}})
}

pub fn paths() -> Map<String, Value> {
    let err = super::error_response;
    let person = person_schema();
    let name_param = json!({"name": "name", "in": "path", "required": true,
        "description": "A name, `me`, or a unique prefix", "schema": {"type": "string"}});
    let mut m = Map::new();
    m.insert("/people".into(), json!({
        "get": {
            "summary": "The people (upward person list [--all] --json)",
            "operationId": "listPeople",
            "parameters": [{"name": "all", "in": "query", "schema": {"type": "boolean"},
                "description": "The people removed too"}],
            "responses": {"200": ok("The people", json!({"type": "array", "items": person})),
                "400": err("A bad parameter"), "401": err("Not signed in")}
        },
        "post": {
            "summary": "Add a person (upward person add --json)",
            "operationId": "addPerson",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {
                "type": "object", "required": ["name", "relation"], "properties": {
                    "name": {"type": "string"},
                    "relation": {"type": "string", "enum": ["manager", "skip", "peer", "report", "stakeholder"]},
                    "role": {"type": "string"}, "cadence": {"type": "string", "examples": ["2w"]},
                    "technical": {"type": "string", "enum": ["yes", "no"]},
                    "exec": {"type": "string", "enum": ["yes", "no"]},
                    "email": {"type": "string", "format": "email"}
                }}}}},
            "responses": {"201": ok("The person added", person.clone()),
                "400": err("A bad field"), "409": err("The name is taken"), "401": err("Not signed in")}
        }
    }));
    m.insert("/people/{name}".into(), json!({
        "parameters": [name_param],
        "get": {
            "summary": "A person (upward person show NAME --json)",
            "operationId": "showPerson",
            "responses": {"200": ok("The person", person.clone()),
                "404": err("No such person"), "401": err("Not signed in")}
        },
        "patch": {
            "summary": "Set fields (upward person set NAME FIELD VALUE --json, for each field in order; all or nothing)",
            "operationId": "setPerson",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {
                "type": "object", "description": "Field names to values: text, a number, true/false, or null to clear",
                "additionalProperties": {"type": ["string", "number", "boolean", "null"]}}}}},
            "responses": {"200": ok("The person as it is after", person.clone()),
                "400": err("A bad field or value"), "404": err("No such person"),
                "409": err("The new name is taken"), "401": err("Not signed in")}
        }
    }));
    m.insert("/init".into(), json!({"post": {
        "summary": "Who I am and my manager (upward init --json)",
        "operationId": "init",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {
            "type": "object", "required": ["me"], "properties": {
                "me": {"type": "string"}, "role": {"type": "string"}, "manager": {"type": "string"}}}}}},
        "responses": {"200": ok("Me and my manager", json!({"type": "object",
                "properties": {"me": person, "manager": {"oneOf": [person_schema(), {"type": "null"}]}}})),
            "400": err("A bad name"), "401": err("Not signed in")}
    }}));
    m
}
