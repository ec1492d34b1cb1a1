//! `GET /api/v1/reflect/{person}`: the trend of the newest reflection on a person, as
//! `upward reflect NAME … --json` answered when it was stored; `POST /api/v1/reflections`:
//! stores one (`upward reflect [NAME] --score AREA=N --answer AREA=TEXT --json`).

use crate::error::WebError;
use crate::pages::input::{json_body, json_str};
use crate::state::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;
use upward_domain::item::validate_text;
use upward_domain::{parse_area, parse_score};

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/reflect/{person}", get(latest))
        .route("/reflections", post(store))
}

pub fn paths() -> Map<String, Value> {
    let mut m = Map::new();
    m.insert(
        "/reflect/{person}".into(),
        json!({"get": {
            "summary": "The trend of the newest reflection on a person, as upward reflect NAME --json answered when it was stored",
            "operationId": "reflectTrend",
            "parameters": [{"name": "person", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {
                    "401": super::error_response("Not signed in"),
                "200": {"description": "The trend", "content": {"application/json": {"schema": {"type": "object"}}}},
                "404": super::error_response("No such person, or no reflection on them yet")
            }
        }}),
    );
    m.insert(
        "/reflections".into(),
        json!({"post": {
            "summary": "Stores a reflection and answers its trend (upward reflect [NAME] --score AREA=N --answer AREA=TEXT --json)",
            "operationId": "reflect",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {
                "type": "object",
                "required": ["scores"],
                "properties": {
                    "person": {"type": ["string", "null"], "description": "Default: your manager"},
                    "scores": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1, "maximum": 5}},
                    "answers": {"type": "object", "additionalProperties": {"type": "string"}}
                }
            }}}},
            "responses": {
                    "401": super::error_response("Not signed in"),
                "201": {"description": "The trend", "content": {"application/json": {"schema": {"type": "object"}}}},
                "400": super::error_response("An area or score is not valid, or nothing is scored"),
                "404": super::error_response("No such person, or no manager")
            }
        }}),
    );
    m
}

async fn latest(
    State(state): State<Arc<AppState>>,
    Path(person): Path<String>,
) -> Result<Json<Value>, WebError> {
    state
        .read(move |tx, clock| {
            let r = upward_app::workflows::reflections(tx, Some(&person), clock)?;
            let trend = r.latest.ok_or_else(|| {
                WebError::not_found(format!(
                    "no reflection on {} yet — POST one to /api/v1/reflections",
                    r.person.name
                ))
            })?;
            Ok(Json(upward_render::reflect::json(&trend)))
        })
        .await
        .map_err(WebError::json)
}

/// The `scores` or `answers` object of the body, each value read by `read`.
fn areas<T>(
    body: &Value,
    name: &str,
    read: impl Fn(&Value) -> Result<Option<T>, WebError>,
) -> Result<BTreeMap<String, T>, WebError> {
    let mut out = BTreeMap::new();
    match body.get(name) {
        None | Some(Value::Null) => {}
        Some(Value::Object(map)) => {
            for (area, v) in map {
                let area = parse_area(area).map_err(|e| WebError::from(e).json())?;
                if let Some(v) = read(v)? {
                    out.insert(area.to_string(), v);
                }
            }
        }
        Some(_) => {
            return Err(WebError::bad_request(format!(
                "{name} must be an object of area to value, such as {{\"rapport\": 4}}"
            ))
            .json());
        }
    }
    Ok(out)
}

async fn store(
    State(state): State<Arc<AppState>>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let body = json_body(body)?;
    let person = json_str(&body, "person")?.map(str::to_string);
    let scores = areas(&body, "scores", |v| {
        let text = match v {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.clone(),
            _ => String::new(),
        };
        parse_score(&text)
            .map(Some)
            .map_err(|e| WebError::from(e).json())
    })?;
    let answers = areas(&body, "answers", |v| match v {
        Value::String(s) => validate_text("answer", s).map_err(|e| WebError::from(e).json()),
        _ => Err(WebError::bad_request("each answer must be a string").json()),
    })?;
    state
        .write(move |tx, clock| {
            let trend =
                upward_app::workflows::reflect(tx, person.as_deref(), scores, answers, clock)?;
            Ok((
                StatusCode::CREATED,
                Json(upward_render::reflect::json(&trend)),
            ))
        })
        .await
        .map_err(WebError::json)
}
