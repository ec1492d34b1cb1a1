//! `POST /api/v1/check` `{"text", "feedback"?}`: the tone check on any text, as `upward check
//! TEXT [--feedback] --json` answers it (`{"warnings": [...]}`). It reads no workspace.

use crate::error::WebError;
use crate::pages::input;
use crate::state::AppState;
use axum::body::Bytes;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{Map, Value, json};
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/check", post(check))
}

/// The text and the `feedback` flag of a request body; anything else is refused.
fn request(body: &[u8]) -> Result<(String, bool), WebError> {
    let object = input::json_object(body)?;
    let mut text = None;
    let mut feedback = false;
    for (k, v) in object {
        match (k.as_str(), v) {
            ("text", Value::String(s)) => text = Some(s),
            ("text", _) => return Err(WebError::bad_request("`text` must be a string")),
            ("feedback", Value::Bool(b)) => feedback = b,
            ("feedback", Value::Null) => {}
            ("feedback", _) => {
                return Err(WebError::bad_request("`feedback` must be true or false"));
            }
            (other, _) => {
                return Err(WebError::bad_request(format!(
                    "unknown field `{}` — accepted: text, feedback",
                    other.escape_debug()
                )));
            }
        }
    }
    let text = text.ok_or_else(|| {
        WebError::bad_request("`text` is missing — send the text to check as a string")
    })?;
    Ok((text, feedback))
}

/// `POST /api/v1/check`: as `upward check TEXT [--feedback] --json`.
async fn check(body: Bytes) -> Result<Json<Value>, WebError> {
    let (text, feedback) = request(&body).map_err(WebError::json)?;
    let warnings = crate::pages::tone::check(&text, feedback).map_err(WebError::json)?;
    Ok(Json(upward_render::tone::check_json(&warnings)))
}

pub fn paths() -> Map<String, Value> {
    let warning = json!({
        "type": "object",
        "required": ["rule", "found", "suggestion"],
        "properties": {
            "rule": {"type": "string", "enum": ["absolute", "blame", "sarcasm", "shouting", "past_only", "jargon"]},
            "found": {"type": "string"},
            "suggestion": {"type": "string"}
        }
    });
    let mut m = Map::new();
    m.insert(
        "/check".into(),
        json!({"post": {
            "summary": "The tone check on any text (upward check TEXT [--feedback] --json)",
            "operationId": "check",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {
                "type": "object",
                "required": ["text"],
                "properties": {
                    "text": {"type": "string", "description": "The text to check"},
                    "feedback": {"type": ["boolean", "null"], "description": "It is constructive feedback: also flag it when it speaks only of the past"}
                },
                "additionalProperties": false
            }}}},
            "responses": {
                "200": {"description": "The flags, in the order found (empty when there is none)",
                    "content": {"application/json": {"schema": {
                        "type": "object",
                        "required": ["warnings"],
                        "properties": {"warnings": {"type": "array", "items": warning}}
                    }}}},
                "400": super::error_response("The body is not an object with a text"),
                "401": super::error_response("Not signed in")
            }
        }}),
    );
    m
}
