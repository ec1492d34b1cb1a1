//! `GET /api/v1/review?from=&to=` (`upward review --from --to --json`).

use crate::error::WebError;
use crate::pages::input::{Pairs, bad_fields, field};
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Map, Value, json};
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/review", get(review))
}

pub fn paths() -> Map<String, Value> {
    let mut m = Map::new();
    m.insert(
        "/review".into(),
        json!({"get": {
            "summary": "The review packet for a period (upward review [--from] [--to] --json); by default the 6 months to today",
            "operationId": "review",
            "parameters": [
                {"name": "from", "in": "query", "required": false, "schema": {"type": "string"}, "description": "First day (a date, -3m, …)"},
                {"name": "to", "in": "query", "required": false, "schema": {"type": "string"}, "description": "Last day (default today)"}
            ],
            "responses": {
                    "401": super::error_response("Not signed in"),
                "200": {"description": "The packet", "content": {"application/json": {"schema": {"type": "object"}}}},
                "400": super::error_response("A date is not valid, or the period ends before it starts")
            }
        }}),
    );
    m
}

async fn review(
    State(state): State<Arc<AppState>>,
    query: Result<Query<Pairs>, QueryRejection>,
) -> Result<Json<Value>, WebError> {
    let Query(q) = query.map_err(|e| bad_fields(e).json())?;
    state
        .read(move |tx, clock| {
            let (from, to) = upward_domain::workflow::review::period(
                field(&q, "from"),
                field(&q, "to"),
                clock.today,
            )?;
            let packet = upward_app::workflows::review(tx, from, to, clock)?;
            serde_json::to_value(&packet)
                .map(Json)
                .map_err(|e| WebError::internal(e.to_string()))
        })
        .await
        .map_err(WebError::json)
}
