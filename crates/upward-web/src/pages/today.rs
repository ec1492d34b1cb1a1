//! Today: what needs attention now (the nudges, each with its step as a link), and the next
//! 1:1 with each person on a cadence and when it is due.

use crate::error::WebError;
use crate::layout::{next_link, page, urlencode};
use crate::security::Auth;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Extension, Router};
use maud::{Markup, html};
use std::sync::Arc;
use upward_domain::workflow::nudges::NextOneOnOne;
use upward_render::nudges::ALL_CLEAR;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/", get(today))
}

async fn today(
    State(state): State<Arc<AppState>>,
    Extension(auth): Extension<Auth>,
) -> Result<Markup, WebError> {
    let (nudges, next) = state
        .read(|tx, clock| {
            Ok((
                upward_app::workflows::nudges(tx, clock)?,
                upward_app::workflows::next_one_on_ones(tx, clock)?,
            ))
        })
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
            (next_one_on_ones(&next))
        },
    ))
}

/// The table of the next 1:1 with each person on a cadence: counted from the last 1:1 or
/// update sent, as the cadence nudge counts.
fn next_one_on_ones(rows: &[NextOneOnOne]) -> Markup {
    html! {
        h2 { "Next 1:1s" }
        @if rows.is_empty() {
            p class="muted" {
                "Nobody has a check-in cadence yet. Give someone one on their page (People)."
            }
        } @else {
            table {
                caption class="visually-hidden" { "The next 1:1 with each person, by cadence" }
                thead {
                    tr {
                        th scope="col" { "Person" }
                        th scope="col" { "Cadence" }
                        th scope="col" { "Last 1:1 or update" }
                        th scope="col" { "Due" }
                        th scope="col" { "When" }
                        th scope="col" { "Agenda" }
                    }
                }
                tbody {
                    @for r in rows {
                        tr {
                            th scope="row" {
                                a href=(format!("/people/{}", urlencode(&r.person))) { (r.person) }
                            }
                            td { (r.cadence) }
                            td {
                                @match r.last_contact {
                                    Some(d) => (d),
                                    None => span class="muted" { "none on record" },
                                }
                            }
                            td { (r.due) }
                            td.overdue[r.overdue] { (r.when) }
                            td { (next_link(&r.next)) }
                        }
                    }
                }
            }
        }
    }
}
