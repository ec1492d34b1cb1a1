//! Signing in from the command line (`POST /api/v1/login`) and the caller's account
//! (`GET /api/v1/me`).

use crate::api::tokens::{check_token_name, create_device_token};
use crate::api::{error_response, json_body, json_response};
use crate::auth::Caller;
use crate::error::ServerError;
use crate::security::ClientIp;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::sync::Arc;
use uuid::Uuid;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/login", post(login))
        .route("/me", get(me))
}

#[derive(Deserialize)]
struct Login {
    email: String,
    password: String,
    /// The new token's name ("command line" when absent).
    name: Option<String>,
    /// The device signing in (a UUID the workspace made): the token is bound to it.
    device: Option<String>,
}

/// A device's UUID as sent at sign-in: any UUID but nil and the server's own.
fn check_device(state: &AppState, device: Option<&str>) -> Result<Option<Uuid>, ServerError> {
    let Some(d) = device else { return Ok(None) };
    match d.trim().parse::<Uuid>() {
        Ok(u) if !u.is_nil() && u != state.device => Ok(Some(u)),
        _ => Err(ServerError::bad_request(format!(
            "`{}` is not a device — accepted: the UUID this machine made for itself (not nil, not the server's)",
            d.chars().take(60).collect::<String>().escape_debug()
        ))),
    }
}

/// An email and a password for a new API token (the secret is in the answer only).
async fn login(
    State(state): State<Arc<AppState>>,
    ClientIp(ip): ClientIp,
    Json(body): Json<Login>,
) -> Result<Json<Value>, ServerError> {
    let name = check_token_name(body.name.as_deref().or(Some("command line")))
        .map_err(ServerError::bad_request)?;
    let device = check_device(&state, body.device.as_deref())?;
    let account = crate::login::check(&state, &body.email, &body.password, ip).await?;
    let (row, secret) = create_device_token(&state, account.id, name, device).await?;
    Ok(Json(
        json!({"token": secret, "id": row.id, "name": row.name, "device": row.device, "account": account.id}),
    ))
}

async fn me(caller: Caller) -> Json<Value> {
    let a = &caller.account;
    Json(json!({
        "id": a.id,
        "email": a.email,
        "name": a.name,
        "time_zone": a.time_zone,
    }))
}

pub fn paths() -> Map<String, Value> {
    let mut m = Map::new();
    m.insert(
        "/login".into(),
        json!({"post": {
            "summary": "Sign in with an email and a password: a new API token",
            "security": [],
            "requestBody": json_body(json!({
                "type": "object",
                "required": ["email", "password"],
                "properties": {
                    "email": {"type": "string"},
                    "password": {"type": "string"},
                    "name": {"type": "string", "description": "The token's name; default \"command line\""},
                    "device": {"type": "string", "format": "uuid", "description": "The device signing in: the token is bound to it (a push's operations must carry it)"}
                }
            })),
            "responses": {
                "200": json_response("The token (its secret is shown only here)", json!({
                    "type": "object",
                    "required": ["token"],
                    "properties": {"token": {"type": "string"}, "id": {"type": "string", "format": "uuid"}, "name": {"type": "string"}, "device": {"type": ["string", "null"], "format": "uuid"}, "account": {"type": "string", "format": "uuid"}}
                })),
                "400": error_response("A bad name or device"),
                "401": error_response("The email or the password is wrong (the same answer for an unknown email or a disabled account)"),
                "429": error_response("Too many failed sign-ins: wait Retry-After seconds")
            }
        }}),
    );
    m.insert(
        "/me".into(),
        json!({"get": {
            "summary": "The signed-in account",
            "responses": {
                "200": json_response("The account", json!({
                    "type": "object",
                    "properties": {"id": {"type": "string", "format": "uuid"}, "email": {"type": "string"}, "name": {"type": "string"}, "time_zone": {"type": "string"}}
                })),
                "401": error_response("Not signed in")
            }
        }}),
    );
    m
}
