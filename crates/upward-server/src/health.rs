//! `GET /healthz`: 200 `{"status":"ok"}` while the database answers, 503 while it does not
//! (for a load balancer or an orchestrator; it needs no sign-in and tells nothing else).
//!
//! `GET /bench/trivial`, only when the server starts with `UPWARD_BENCH_TRIVIAL=1` (a
//! benchmark's, never a deployment's): the baseline of `bench/server-load.sh`, a bare handler
//! that runs one trivial query (the server's device setting: one row by its key) in one read
//! transaction through the same [`AppState::read`] and pool as every page, behind the same
//! layers, and answers a few bytes of JSON. Without the variable the path is a 404 like any
//! unknown one.

use crate::error::ServerError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};
use std::sync::Arc;

/// The variable that turns on `GET /bench/trivial`.
pub const BENCH_TRIVIAL_VAR: &str = "UPWARD_BENCH_TRIVIAL";

pub fn routes() -> Router<Arc<AppState>> {
    let routes = Router::new().route("/healthz", get(healthz));
    if std::env::var(BENCH_TRIVIAL_VAR).is_ok_and(|v| v == "1") {
        routes.route("/bench/trivial", get(trivial))
    } else {
        routes
    }
}

/// One trivial query on the pool, for the benchmark's baseline.
async fn trivial(State(state): State<Arc<AppState>>) -> Result<Json<Value>, ServerError> {
    let device = state
        .read(|tx| Ok(tx.setting(crate::state::DEVICE_SETTING)?))
        .await?;
    Ok(Json(json!({"device": device})))
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
