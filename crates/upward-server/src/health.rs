//! `GET /healthz`: 200 `{"status":"ok"}` while the database answers, 503 while it does not
//! (for a load balancer or an orchestrator; it needs no sign-in and tells nothing else).

use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/healthz", get(healthz))
}

async fn healthz(State(state): State<Arc<AppState>>) -> (StatusCode, Json<Value>) {
    let store = state.store.clone();
    let ok = tokio::task::spawn_blocking(move || store.ping())
        .await
        .map(|r| r.is_ok())
        .unwrap_or(false);
    if ok {
        (StatusCode::OK, Json(json!({"status": "ok"})))
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "unavailable", "error": "the database does not answer"})),
        )
    }
}
