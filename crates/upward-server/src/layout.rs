//! The page around every page: upward serve's layout and stylesheet (crate upward-web's
//! `shell`), with the server's navigation and, when signed in, the account and its sign-out
//! button. Every value goes through maud, which escapes it.

use crate::auth::Caller;
use crate::error::ServerError;
use crate::security::CSRF_FIELD;
use maud::{Markup, html};

/// The navigation of a signed-in account: (path, label). The spaces' pages add theirs here.
pub const NAV: &[(&str, &str)] = &[("/", "Home"), ("/settings", "Settings")];
/// The navigation before sign-in.
pub const PUBLIC_NAV: &[(&str, &str)] = &[("/login", "Sign in")];

/// A page of a signed-in account. `current` is the navigation path it belongs to.
pub fn page(title: &str, current: &str, caller: &Caller, body: Markup) -> Markup {
    let signout = html! {
        form class="signout" method="post" action="/logout" {
            (csrf_field(&caller.csrf))
            span class="muted" { "Signed in as " (caller.account.name) " (" (caller.account.email) ") " }
            button type="submit" class="secondary" { "Sign out" }
        }
    };
    upward_web::shell(title, NAV, current, Some(&caller.csrf), signout, body)
}

/// A page before sign-in (sign in, set a password), with the form's CSRF token.
pub fn public_page(title: &str, current: &str, csrf: Option<&str>, body: Markup) -> Markup {
    upward_web::shell(title, PUBLIC_NAV, current, csrf, html! {}, body)
}

/// The hidden field that carries the session's CSRF token in a form.
pub fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name=(CSRF_FIELD) value=(token); }
}

/// The page of a refusal: what was wrong, and the way back.
pub fn error_page(e: &ServerError) -> Markup {
    let title = e
        .status
        .canonical_reason()
        .unwrap_or("Something went wrong")
        .to_string();
    public_page(
        &title,
        "",
        None,
        html! {
            p role="alert" class="error" { (e.message) }
            p { a href="/" { "Back to Home" } }
        },
    )
}

/// A notice above a page's content (`role="status"`, read by a screen reader).
pub fn notice(text: &str) -> Markup {
    html! { p class="notice" role="status" { (text) } }
}

/// An error above a form (`role="alert"`).
pub fn alert(text: &str) -> Markup {
    html! { p class="error" role="alert" { (text) } }
}
