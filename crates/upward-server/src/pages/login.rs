//! Sign in (`GET /login`, `POST /login`) and sign out (`POST /logout`).

use crate::auth::{csrf_token, sign_in};
use crate::error::ServerError;
use crate::layout::{alert, csrf_field, public_page};
use crate::pages::Fields;
use crate::security::ClientIp;
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use std::sync::Arc;
use tower_sessions::Session;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/login", get(form).post(submit))
        .route("/logout", post(logout))
}

fn login_page(csrf: &str, email: &str, error: Option<&str>) -> Markup {
    public_page(
        "Sign in",
        "/login",
        Some(csrf),
        html! {
            @if let Some(e) = error { (alert(e)) }
            form method="post" action="/login" {
                (csrf_field(csrf))
                label for="email" { "Email" }
                input type="email" id="email" name="email" value=(email) autocomplete="username" required autofocus;
                label for="password" { "Password" }
                input type="password" id="password" name="password" autocomplete="current-password" required;
                p { button type="submit" { "Sign in" } }
            }
            p class="muted" { "No password yet, or forgot it? Ask whoever runs this server for a link to set one." }
        },
    )
}

async fn form(session: Session) -> Result<Markup, ServerError> {
    let csrf = csrf_token(&session).await?;
    Ok(login_page(&csrf, "", None))
}

async fn submit(
    State(state): State<Arc<AppState>>,
    session: Session,
    ClientIp(ip): ClientIp,
    fields: Fields,
) -> Result<Response, ServerError> {
    let email = fields.text("email").to_string();
    match crate::login::check(&state, &email, fields.text("password"), ip).await {
        Ok(account) => {
            sign_in(&session, account.id).await?;
            Ok(Redirect::to("/").into_response())
        }
        Err(e) if matches!(e.status.as_u16(), 401 | 429) => {
            let csrf = csrf_token(&session).await?;
            let mut r = (e.status, login_page(&csrf, &email, Some(&e.message))).into_response();
            if let Some(secs) = e.retry_after {
                r.headers_mut().insert(
                    header::RETRY_AFTER,
                    secs.to_string().parse().expect("digits"),
                );
            }
            Ok(r)
        }
        Err(e) => Err(e),
    }
}

/// Ends the session on the server (its cookie opens nothing afterwards) and goes to /login.
async fn logout(session: Session) -> Result<Response, ServerError> {
    session.flush().await.map_err(|e| {
        ServerError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("cannot end the session now ({e}) — try again shortly"),
        )
    })?;
    Ok(Redirect::to("/login").into_response())
}
