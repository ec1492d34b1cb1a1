//! Settings (`/settings`): the account's time zone, its password, and its API tokens (made,
//! listed, revoked).

use crate::admin::end_sessions_and_tokens;
use crate::api::tokens::{check_token_name, create_token};
use crate::auth::{Caller, sign_in};
use crate::clock::check_time_zone;
use crate::error::ServerError;
use crate::layout::{alert, csrf_field, notice, page};
use crate::pages::Fields;
use crate::passwords::{MIN_PASSWORD_CHARS, check_new_password};
use crate::security::ClientIp;
use crate::state::AppState;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use maud::{Markup, html};
use serde::Deserialize;
use std::sync::Arc;
use tower_sessions::Session;
use upward_server_store::TokenRow;
use uuid::Uuid;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/settings", get(show))
        .route("/settings/time-zone", post(set_time_zone))
        .route("/settings/password", post(change_password))
        .route("/settings/tokens", post(new_token))
        .route("/settings/tokens/{id}/revoke", post(revoke))
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

/// What a redirect back to the page says was done.
fn done_text(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "time-zone" => Some("The time zone is saved."),
        "password" => Some(
            "The password is changed. Every other browser is signed out and every API token has ended.",
        ),
        "revoked" => Some("The token is revoked: it opens nothing any more."),
        _ => None,
    }
}

/// A time as the account reads it, in its time zone, to the minute.
fn when(t: Timestamp, time_zone: &str) -> String {
    let tz = jiff::tz::TimeZone::get(time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    t.to_zoned_datetime(tz)
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

struct View<'a> {
    caller: &'a Caller,
    tokens: &'a [TokenRow],
    notice: Option<&'a str>,
    error: Option<&'a str>,
    /// A token just made: its secret, shown once.
    new_token: Option<(&'a str, &'a str)>,
}

fn settings_page(v: View<'_>) -> Markup {
    let a = &v.caller.account;
    let csrf = v.caller.csrf.as_str();
    page(
        "Settings",
        "/settings",
        v.caller,
        html! {
            @if let Some(n) = v.notice { (notice(n)) }
            @if let Some(e) = v.error { (alert(e)) }
            @if let Some((name, secret)) = v.new_token {
                div class="notice" role="status" {
                    p { "The token " strong { (name) } " — copy it now, it is shown only once:" }
                    pre class="draft" id="new-token" { (secret) }
                    button type="button" class="secondary" data-copy="new-token" hidden { "Copy" }
                    span id="new-token-status" role="status" {}
                }
            }
            p { (a.name) " · " (a.email) }
            h2 id="time-zone" { "Time zone" }
            form method="post" action="/settings/time-zone" {
                (csrf_field(csrf))
                label for="tz" { "Time zone of your dates (an IANA name)" }
                input type="text" id="tz" name="time_zone" value=(a.time_zone) required
                    aria-describedby="tz-help" autocomplete="off";
                p id="tz-help" class="muted" { "Such as Europe/Madrid, America/New_York or UTC." }
                p { button type="submit" { "Save the time zone" } }
            }
            h2 id="password" { "Password" }
            form method="post" action="/settings/password" {
                (csrf_field(csrf))
                label for="current" { "Current password" }
                input type="password" id="current" name="current" autocomplete="current-password" required;
                label for="new" { "New password" }
                input type="password" id="new" name="password" autocomplete="new-password"
                    minlength=(MIN_PASSWORD_CHARS) required aria-describedby="new-help";
                p id="new-help" class="muted" { "At least " (MIN_PASSWORD_CHARS) " characters. Changing it signs out every other browser and ends every API token." }
                label for="confirm" { "The new password again" }
                input type="password" id="confirm" name="confirm" autocomplete="new-password" required;
                p { button type="submit" { "Change the password" } }
            }
            h2 id="tokens" { "API tokens" }
            p class="muted" { "For the command line: it sends one as Authorization: Bearer TOKEN." }
            @if v.tokens.is_empty() {
                p { "No API tokens." }
            } @else {
                table {
                    caption { "Your API tokens" }
                    thead { tr { th scope="col" { "Name" } th scope="col" { "Made" } th scope="col" { "Last used" } th scope="col" { span class="visually-hidden" { "Revoke" } } } }
                    tbody {
                        @for t in v.tokens {
                            tr {
                                td { (t.name) }
                                td { (when(t.created_at, &a.time_zone)) }
                                td { @match t.last_used { Some(u) => (when(u, &a.time_zone)), None => "never" } }
                                td {
                                    form class="inline" method="post" action=(format!("/settings/tokens/{}/revoke", t.id)) {
                                        (csrf_field(csrf))
                                        button type="submit" class="secondary" aria-label=(format!("Revoke the token {}", t.name)) { "Revoke" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            form method="post" action="/settings/tokens" {
                (csrf_field(csrf))
                label for="token-name" { "Name of a new token" }
                input type="text" id="token-name" name="name" placeholder="laptop" required maxlength="100";
                p { button type="submit" { "Make a token" } }
            }
        },
    )
}

async fn tokens_of(state: &Arc<AppState>, caller: &Caller) -> Result<Vec<TokenRow>, ServerError> {
    let id = caller.account.id;
    state.read(move |tx| Ok(tx.tokens_of(id)?)).await
}

async fn show(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Query(done): Query<Done>,
) -> Result<Markup, ServerError> {
    let tokens = tokens_of(&state, &caller).await?;
    Ok(settings_page(View {
        caller: &caller,
        tokens: &tokens,
        notice: done_text(done.done.as_deref()),
        error: None,
        new_token: None,
    }))
}

/// The page again with a refusal above it, and the refusal's status.
async fn refuse(
    state: &Arc<AppState>,
    caller: &Caller,
    status: StatusCode,
    message: &str,
) -> Result<Response, ServerError> {
    let tokens = tokens_of(state, caller).await?;
    Ok((
        status,
        settings_page(View {
            caller,
            tokens: &tokens,
            notice: None,
            error: Some(message),
            new_token: None,
        }),
    )
        .into_response())
}

async fn set_time_zone(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    fields: Fields,
) -> Result<Response, ServerError> {
    let tz = match check_time_zone(fields.text("time_zone")) {
        Ok(tz) => tz,
        Err(why) => return refuse(&state, &caller, StatusCode::BAD_REQUEST, &why).await,
    };
    let id = caller.account.id;
    state
        .write(move |tx| {
            let Some(mut a) = tx.account(id)? else {
                return Err(ServerError::not_signed_in());
            };
            a.time_zone = tz;
            Ok(tx.update_account(&a)?)
        })
        .await?;
    Ok(Redirect::to("/settings?done=time-zone").into_response())
}

async fn change_password(
    State(state): State<Arc<AppState>>,
    session: Session,
    caller: Caller,
    ClientIp(ip): ClientIp,
    fields: Fields,
) -> Result<Response, ServerError> {
    let password = fields.text("password").to_string();
    if let Err(why) = check_new_password(&password) {
        return refuse(&state, &caller, StatusCode::BAD_REQUEST, &why).await;
    }
    if password != fields.text("confirm") {
        return refuse(
            &state,
            &caller,
            StatusCode::BAD_REQUEST,
            "the two new passwords differ — type the same one twice",
        )
        .await;
    }
    // The current password, checked (and throttled) as a sign-in: a borrowed browser cannot
    // take the account over.
    if let Err(e) =
        crate::login::check(&state, &caller.account.email, fields.text("current"), ip).await
    {
        let message = if e.status == StatusCode::UNAUTHORIZED {
            "the current password is wrong".to_string()
        } else {
            e.message.clone()
        };
        let mut r = refuse(&state, &caller, e.status, &message).await?;
        if let Some(secs) = e.retry_after {
            r.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                secs.to_string().parse().expect("digits"),
            );
        }
        return Ok(r);
    }
    let s = state.clone();
    let hash = AppState::blocking(move || Ok(s.passwords.hash(&password))).await?;
    let id = caller.account.id;
    state
        .write(move |tx| {
            let Some(mut a) = tx.account(id)? else {
                return Err(ServerError::not_signed_in());
            };
            a.password_hash = Some(hash);
            a.password_changed_at = Some(Timestamp::now());
            tx.update_account(&a)?;
            end_sessions_and_tokens(tx, id, None)?;
            tx.delete_links_of(id)?;
            Ok(())
        })
        .await?;
    // This browser stays signed in, on a new session (every old one has ended).
    sign_in(&session, id).await?;
    Ok(Redirect::to("/settings?done=password").into_response())
}

async fn new_token(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    fields: Fields,
) -> Result<Response, ServerError> {
    let name = match check_token_name(fields.get("name")) {
        Ok(n) => n,
        Err(why) => return refuse(&state, &caller, StatusCode::BAD_REQUEST, &why).await,
    };
    let (row, secret) = create_token(&state, caller.account.id, name).await?;
    let tokens = tokens_of(&state, &caller).await?;
    Ok(settings_page(View {
        caller: &caller,
        tokens: &tokens,
        notice: None,
        error: None,
        new_token: Some((&row.name, &secret)),
    })
    .into_response())
}

async fn revoke(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ServerError> {
    let gone = || ServerError::not_found("no such token of yours — it may be revoked already");
    let id: Uuid = id.parse().map_err(|_| gone())?;
    let account = caller.account.id;
    let deleted = state
        .write(move |tx| Ok(tx.delete_token(account, id)?))
        .await?;
    if !deleted {
        return Err(gone());
    }
    Ok(Redirect::to("/settings?done=revoked").into_response())
}
