//! Today: what needs attention now (the nudges, each with its step as a link).

use crate::error::WebError;
use crate::layout::{next_link, page};
use crate::security::Auth;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Extension, Router};
use maud::{Markup, html};
use std::sync::Arc;
use upward_render::nudges::ALL_CLEAR;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/", get(today))
}

async fn today(
    State(state): State<Arc<AppState>>,
    Extension(auth): Extension<Auth>,
) -> Result<Markup, WebError> {
    let nudges = state
        .read(|tx, clock| Ok(upward_app::workflows::nudges(tx, clock)?))
        .await?;
    Ok(page(
        "Today",
        "/",
        Some(&auth),
        html! {
            h2 { "What needs you now" }
            @if nudges.is_empty() {
                p class="notice" { (ALL_CLEAR) }
            } @else {
                ul class="nudges" {
                    @for n in &nudges {
                        li {
                            (n.text)
                            @if let Some(next) = &n.next { " " (next_link(next)) }
                        }
                    }
                }
            }
        },
    ))
}
