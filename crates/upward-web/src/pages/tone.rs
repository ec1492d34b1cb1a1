//! The tone check on the pages (docs/tone.md): the flags of what the user wrote, shown under
//! "Before you send this" wherever the command line prints them as hints (an item added or
//! edited, a decline's draft, an update's draft), and `/check`, a form that checks any text as
//! `upward check` does. The rules are the domain's (`upward_domain::tone`); this module only
//! draws their answer.

use super::input::{self, Pairs};
use crate::error::WebError;
use crate::layout::{csrf, page};
use crate::security::Auth;
use crate::state::AppState;
use axum::body::Bytes;
use axum::routing::get;
use axum::{Extension, Router};
use maud::{Markup, html};
use std::sync::Arc;
use upward_domain::tone::{Rule, Warning};

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/check", get(form).post(checked))
}

/// The rule in words, for a reader who has not read docs/tone.md.
fn rule_words(rule: Rule) -> &'static str {
    match rule {
        Rule::Absolute => "Absolute word",
        Rule::Blame => "Blame",
        Rule::Sarcasm => "Sarcasm",
        Rule::Shouting => "Shouting",
        Rule::PastOnly => "Only the past",
        Rule::Jargon => "Jargon",
    }
}

/// The flags under "Before you send this": each with its rule in words, the words found and
/// the rewrite suggested. Nothing when there is none. One such section a page (its heading's
/// id is fixed).
pub fn flags(warnings: &[Warning]) -> Markup {
    html! {
        @if !warnings.is_empty() {
            section class="warning tone" aria-labelledby="tone-flags" {
                h2 id="tone-flags" { "Before you send this" }
                p role="status" {
                    (count(warnings.len()))
                    " — advice, not a rule: nothing was refused. upward cannot judge tone; it notices the words that usually spoil it."
                }
                ul class="flags" {
                    @for w in warnings {
                        li {
                            strong { (rule_words(w.rule)) }
                            ": “" (w.found) "”. "
                            (w.suggestion)
                        }
                    }
                }
                p { a href="/check" { "Check a rewrite" } }
            }
        }
    }
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 tone flag".to_string()
    } else {
        format!("{n} tone flags")
    }
}

/// The text and whether it is constructive feedback, as the form or the API sent them, checked
/// as `upward check [--feedback]` checks them (with the words the server installed when it
/// started, the same as the command line's).
pub fn check(text: &str, feedback: bool) -> Result<Vec<Warning>, WebError> {
    upward_domain::item::validate_text("text", text)?;
    let lexicon = Default::default();
    Ok(if feedback {
        upward_domain::tone::check_feedback(text, &lexicon)
    } else {
        upward_domain::tone::check(text, &lexicon)
    })
}

/// The page: the form, filled with what was checked, and the answer below it once there is one.
fn check_page(auth: &Auth, text: &str, feedback: bool, answer: Option<&[Warning]>) -> Markup {
    page(
        "Check the tone",
        "/check",
        Some(auth),
        html! {
            p { "Paste what you are about to send — feedback, an ask, a no, an update — to see the words that usually spoil its tone, each with a rewrite that goes fact → behaviour → impact → what could change. It is what "
                code { "upward check" } " does; nothing is stored." }
            form method="post" action="/check" {
                (csrf(auth))
                label for="check-text" { "The text" }
                textarea id="check-text" name="text" required { (text) }
                div class="check" {
                    @if feedback {
                        input type="checkbox" id="check-feedback" name="feedback" value="1" checked;
                    } @else {
                        input type="checkbox" id="check-feedback" name="feedback" value="1";
                    }
                    label for="check-feedback" { "It is constructive feedback I give (also check it asks for something in the future)" }
                }
                p { button type="submit" { "Check the tone" } }
            }
            @match answer {
                Some([]) => p class="notice" role="status" { "No tone flags." },
                Some(warnings) => (flags(warnings)),
                None => {}
            }
        },
    )
}

/// `GET /check`: the empty form.
async fn form(Extension(auth): Extension<Auth>) -> Markup {
    check_page(&auth, "", false, None)
}

/// `POST /check`: the flags of the text sent, on the form again. It writes nothing, so the
/// answer is the page itself rather than a redirect.
async fn checked(Extension(auth): Extension<Auth>, body: Bytes) -> Result<Markup, WebError> {
    let pairs: Pairs = input::form_pairs(&body)?;
    let text = input::field(&pairs, "text").unwrap_or_default().to_string();
    let feedback = input::flag(&pairs, "feedback");
    let warnings = check(&text, feedback)?;
    Ok(check_page(&auth, &text, feedback, Some(&warnings)))
}
