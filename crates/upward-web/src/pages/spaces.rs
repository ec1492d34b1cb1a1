//! Spaces: the team server's spaces this workspace syncs with (docs/sync.md), as `upward
//! remote status` shows the workspace's side of them. Syncing stays on the command line: the
//! server's token lives in `credentials.toml`, which this app never reads.

use crate::error::WebError;
use crate::layout::{page, urlencode};
use crate::security::Auth;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Extension, Router};
use maud::{Markup, html};
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/spaces", get(spaces))
}

/// `GET /spaces`: each link with its person, server, status, the operations waiting to be
/// pushed and the cursor; how to sync, and how to start when there is none.
async fn spaces(
    State(state): State<Arc<AppState>>,
    Extension(auth): Extension<Auth>,
) -> Result<Markup, WebError> {
    let links = state
        .read(|tx, _| Ok(upward_app::sync::status(tx)?))
        .await?;
    Ok(page(
        "Spaces",
        "/spaces",
        Some(&auth),
        html! {
            p {
                "A space is the 1:1 you share with one person on your team's server. "
                "Only what you share goes there: an item you share (its page has a "
                "\"Share with\" button), a 1:1's shared notes, your \"how I like to work\" "
                "card. Everything else stays on this machine."
            }
            h2 { "Synced spaces" }
            @if links.is_empty() {
                p class="notice" { "No space is linked to this workspace yet." }
                p { "To start, in a terminal:" }
                ol {
                    li { code { "upward remote login https://SERVER --email YOU@EXAMPLE.COM" } }
                    li { code { "upward person set NAME email THEIR@EXAMPLE.COM" } }
                    li { code { "upward remote invite NAME" } " (or accept theirs: " code { "upward remote accept ID" } ")" }
                    li { code { "upward sync" } " once the invitation is accepted" }
                }
            } @else {
                table {
                    caption { "The spaces this workspace syncs with" }
                    thead {
                        tr {
                            th scope="col" { "With" }
                            th scope="col" { "Server" }
                            th scope="col" { "Status" }
                            th scope="col" { "Waiting to be pushed" }
                            th scope="col" { "Cursor" }
                        }
                    }
                    tbody {
                        @for l in &links {
                            tr {
                                td { a href=(format!("/people/{}", urlencode(&l.person))) { (l.person) } }
                                td { (l.server) }
                                td { (l.status) }
                                td { (l.unpushed) " operation" (if l.unpushed == 1 { "" } else { "s" }) }
                                td { (l.cursor) }
                            }
                        }
                    }
                }
                p {
                    "The cursor is the last position of the space's log this workspace has "
                    "applied. Operations waiting to be pushed were made here and go at the next sync."
                }
            }
            h2 { "Syncing" }
            p {
                "Sync in a terminal: " code { "upward sync" } ". It pushes what changed here "
                "and pulls what the other member wrote. This page does not sync: the server's "
                "token stays in " code { "credentials.toml" } ", which the web app never reads."
            }
        },
    ))
}
