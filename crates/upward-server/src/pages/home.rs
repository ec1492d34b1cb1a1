//! Home (`/`): the account's spaces and the invitations waiting for it. (The spaces' own
//! pages fill this in; for now it lists them.)

use crate::auth::Caller;
use crate::error::ServerError;
use crate::layout::page;
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use maud::{Markup, html};
use std::sync::Arc;
use upward_server_store::Space;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/", get(home))
}

/// One line of the list: the space and who is on the other side as the caller may see it.
struct Line {
    space: Space,
    other: String,
    invited_me: bool,
}

async fn home(State(state): State<Arc<AppState>>, caller: Caller) -> Result<Markup, ServerError> {
    let me = caller.account.id;
    let email = caller.account.email.clone();
    let lines = state
        .read(move |tx| {
            let mut lines = Vec::new();
            for space in tx.spaces_of(me, &email)? {
                let invited_me = space.inviter != me;
                let other = if invited_me {
                    match tx.account(space.inviter)? {
                        Some(a) => format!("{} ({})", a.name, a.email),
                        None => "an account that no longer exists".to_string(),
                    }
                } else {
                    match space
                        .invitee
                        .map(|id| tx.account(id))
                        .transpose()?
                        .flatten()
                    {
                        Some(a) if space.status != "invited" => format!("{} ({})", a.name, a.email),
                        _ => space.invitee_email.clone(),
                    }
                };
                lines.push(Line {
                    space,
                    other,
                    invited_me,
                });
            }
            Ok(lines)
        })
        .await?;
    let (invitations, spaces): (Vec<&Line>, Vec<&Line>) = lines
        .iter()
        .partition(|l| l.space.status == "invited" && l.invited_me);
    Ok(page(
        "Home",
        "/",
        &caller,
        html! {
            @if !invitations.is_empty() {
                h2 { "Invitations" }
                ul {
                    @for l in &invitations {
                        li { "From " (l.other) }
                    }
                }
            }
            h2 { "Your spaces" }
            @if spaces.is_empty() {
                p class="muted" { "No spaces yet." }
            } @else {
                ul {
                    @for l in &spaces {
                        li { "With " (l.other) " — " (l.space.status) }
                    }
                }
            }
        },
    ))
}
