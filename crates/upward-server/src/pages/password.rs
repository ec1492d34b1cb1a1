//! Set a password from a one-time link (`GET /set-password?token=…` shows the form,
//! `POST /set-password` uses the link). Opening the link changes nothing (a mail scanner that
//! fetches it spends nothing); sending the form uses the link once, sets the password, ends
//! every session and API token of the account, and signs this browser in.

use crate::admin::end_sessions_and_tokens;
use crate::auth::{csrf_token, sign_in};
use crate::error::ServerError;
use crate::layout::{alert, csrf_field, public_page};
use crate::pages::Fields;
use crate::passwords::{MIN_PASSWORD_CHARS, check_new_password};
use crate::secrets::{is_token_shaped, sha256};
use crate::state::AppState;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use jiff::Timestamp;
use maud::{Markup, html};
use serde::Deserialize;
use std::sync::Arc;
use tower_sessions::Session;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/set-password", get(form).post(submit))
}

/// The refusal of a link that is not (or no longer) valid.
const BAD_LINK: &str = "this link is not valid: it was used already, is more than 24 hours old, or is mistyped — ask whoever runs this server for a new one (`upward server reset-password EMAIL`)";

#[derive(Deserialize)]
struct LinkQuery {
    token: Option<String>,
}

fn password_page(csrf: &str, token: &str, error: Option<&str>) -> Markup {
    public_page(
        "Set your password",
        "",
        Some(csrf),
        html! {
            @if let Some(e) = error { (alert(e)) }
            form method="post" action="/set-password" {
                (csrf_field(csrf))
                input type="hidden" name="token" value=(token);
                label for="password" { "New password" }
                input type="password" id="password" name="password" autocomplete="new-password"
                    minlength=(MIN_PASSWORD_CHARS) required aria-describedby="password-rule" autofocus;
                p id="password-rule" class="muted" { "At least " (MIN_PASSWORD_CHARS) " characters. A few unrelated words make a good one." }
                label for="confirm" { "The same password again" }
                input type="password" id="confirm" name="confirm" autocomplete="new-password" required;
                p { button type="submit" { "Set the password and sign in" } }
            }
            p class="muted" { "Setting it signs out every other browser and ends every API token of the account." }
        },
    )
}

async fn form(session: Session, Query(q): Query<LinkQuery>) -> Result<Markup, ServerError> {
    let token = q.token.unwrap_or_default();
    if !is_token_shaped(&token) {
        return Err(ServerError::bad_request(BAD_LINK));
    }
    let csrf = csrf_token(&session).await?;
    Ok(password_page(&csrf, &token, None))
}

async fn submit(
    State(state): State<Arc<AppState>>,
    session: Session,
    fields: Fields,
) -> Result<Response, ServerError> {
    let token = fields.text("token").to_string();
    if !is_token_shaped(&token) {
        return Err(ServerError::bad_request(BAD_LINK));
    }
    let password = fields.text("password").to_string();
    let problem = match check_new_password(&password) {
        Err(why) => Some(why),
        Ok(()) if password != fields.text("confirm") => {
            Some("the two passwords differ — type the same one twice".to_string())
        }
        Ok(()) => None,
    };
    if let Some(why) = problem {
        let csrf = csrf_token(&session).await?;
        return Ok((
            StatusCode::BAD_REQUEST,
            password_page(&csrf, &token, Some(&why)),
        )
            .into_response());
    }
    let s = state.clone();
    let hash = AppState::blocking(move || Ok(s.passwords.hash(&password))).await?;
    let link = sha256(token.as_bytes());
    let account = state
        .write(move |tx| {
            let now = Timestamp::now();
            let Some(row) = tx.take_link(&link, now)? else {
                return Err(ServerError::bad_request(BAD_LINK));
            };
            let Some(mut account) = tx.account(row.account)?.filter(|a| !a.disabled) else {
                return Err(ServerError::bad_request(BAD_LINK));
            };
            account.password_hash = Some(hash);
            account.password_changed_at = Some(now);
            tx.update_account(&account)?;
            end_sessions_and_tokens(tx, account.id, None)?;
            tx.delete_links_of(account.id)?;
            Ok(account)
        })
        .await?;
    sign_in(&session, account.id).await?;
    Ok(Redirect::to("/").into_response())
}
