//! API tokens: listed (never their secret), made (the secret answered once) and revoked.

use crate::api::{error_response, json_body, json_response, time};
use crate::auth::Caller;
use crate::error::ServerError;
use crate::secrets::{random_token, sha256};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Json, Router};
use jiff::Timestamp;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::sync::Arc;
use upward_server_store::TokenRow;
use uuid::Uuid;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/tokens", get(list).post(create))
        .route("/tokens/{id}", delete(revoke))
}

/// Checks a token's name: one line of 1 to 100 characters.
pub fn check_token_name(name: Option<&str>) -> Result<String, String> {
    let n = name.unwrap_or("").trim();
    if n.is_empty() || n.chars().count() > 100 || n.chars().any(char::is_control) {
        return Err(format!(
            "the token name `{}` is not valid — accepted: one line of 1 to 100 characters, such as \"laptop\"",
            n.escape_debug()
        ));
    }
    Ok(n.to_string())
}

/// Makes a token for `account`: its row, and its secret (given back once, only its SHA-256
/// is stored).
pub async fn create_token(
    state: &Arc<AppState>,
    account: Uuid,
    name: String,
) -> Result<(TokenRow, String), ServerError> {
    create_device_token(state, account, name, None).await
}

/// [`create_token`] bound to a device (`POST /login {"device"}`): a push with it must carry
/// that device's operations.
pub async fn create_device_token(
    state: &Arc<AppState>,
    account: Uuid,
    name: String,
    device: Option<Uuid>,
) -> Result<(TokenRow, String), ServerError> {
    let secret = random_token();
    let row = TokenRow {
        id: Uuid::new_v4(),
        hash: sha256(secret.as_bytes()),
        account,
        name,
        created_at: Timestamp::now(),
        last_used: None,
        device,
    };
    let r = row.clone();
    state.write(move |tx| Ok(tx.insert_token(&r)?)).await?;
    Ok((row, secret))
}

fn shape(t: &TokenRow) -> Value {
    json!({
        "id": t.id,
        "name": t.name,
        "created": time(t.created_at),
        "last_used": t.last_used.map(time),
    })
}

async fn list(
    State(state): State<Arc<AppState>>,
    caller: Caller,
) -> Result<Json<Value>, ServerError> {
    let id = caller.account.id;
    let tokens = state.read(move |tx| Ok(tx.tokens_of(id)?)).await?;
    Ok(Json(Value::Array(tokens.iter().map(shape).collect())))
}

#[derive(Deserialize)]
struct NewToken {
    name: Option<String>,
}

async fn create(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Json(body): Json<NewToken>,
) -> Result<(StatusCode, Json<Value>), ServerError> {
    let name = check_token_name(body.name.as_deref()).map_err(ServerError::bad_request)?;
    let (row, secret) = create_token(&state, caller.account.id, name).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": row.id, "name": row.name, "token": secret})),
    ))
}

async fn revoke(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ServerError> {
    let gone = || ServerError::not_found("no such token of yours — GET /api/v1/tokens lists them");
    let id: Uuid = id.parse().map_err(|_| gone())?;
    let account = caller.account.id;
    let deleted = state
        .write(move |tx| Ok(tx.delete_token(account, id)?))
        .await?;
    if deleted {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(gone())
    }
}

pub fn paths() -> Map<String, Value> {
    let token = json!({
        "type": "object",
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "name": {"type": "string"},
            "created": {"type": "string", "format": "date-time"},
            "last_used": {"type": ["string", "null"], "format": "date-time"}
        }
    });
    let mut m = Map::new();
    m.insert(
        "/tokens".into(),
        json!({
            "get": {
                "summary": "The caller's API tokens (never their secrets), newest first",
                "responses": {
                    "200": json_response("The tokens", json!({"type": "array", "items": token})),
                    "401": error_response("Not signed in")
                }
            },
            "post": {
                "summary": "A new API token; its secret is in this answer only",
                "requestBody": json_body(json!({"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}})),
                "responses": {
                    "201": json_response("The token", json!({"type": "object", "required": ["id", "name", "token"], "properties": {"id": {"type": "string", "format": "uuid"}, "name": {"type": "string"}, "token": {"type": "string"}}})),
                    "400": error_response("A bad name"),
                    "401": error_response("Not signed in")
                }
            }
        }),
    );
    m.insert(
        "/tokens/{id}".into(),
        json!({"delete": {
            "summary": "Revokes one of the caller's tokens: it opens nothing afterwards",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}],
            "responses": {
                "204": {"description": "Revoked"},
                "401": error_response("Not signed in"),
                "404": error_response("No such token of the caller's")
            }
        }}),
    );
    m
}
