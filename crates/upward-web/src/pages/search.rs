//! Search: full-text over titles, bodies, meeting notes and profiles, best first, with the
//! matching words marked (`<mark>`, every part escaped by the templates).

use crate::error::WebError;
use crate::layout::{page, urlencode};
use crate::pages::people::person_href;
use crate::security::Auth;
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Extension, Router};
use maud::{Markup, html};
use serde::Deserialize;
use std::sync::Arc;
use upward_store::{Hit, MATCH_END, MATCH_START};

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/search", get(search))
}

/// How many hits `search` shows unless told (as `upward search` without `--limit`).
pub const DEFAULT_LIMIT: usize = 20;

#[derive(Deserialize, Default)]
pub(crate) struct SearchQuery {
    #[serde(default)]
    pub q: String,
    pub limit: Option<usize>,
}

async fn search(
    State(state): State<Arc<AppState>>,
    Extension(auth): Extension<Auth>,
    query: Result<Query<SearchQuery>, QueryRejection>,
) -> Result<Markup, WebError> {
    let Query(q) = query.map_err(|e| {
        WebError::bad_request(format!(
            "{} — q is the words to find, limit a number from 1 to 1000",
            e.body_text()
        ))
    })?;
    let words = q.q.clone();
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    let hits = if words.trim().is_empty() {
        None
    } else {
        Some(
            state
                .read(move |tx, _| Ok(upward_app::items::search(tx, &words, limit)?))
                .await?,
        )
    };
    Ok(page(
        "Search",
        "/search",
        Some(&auth),
        html! {
            form method="get" action="/search" role="search" {
                label for="q" { "Find" }
                input type="search" id="q" name="q" value=(q.q);
                p { button type="submit" { "Search" } }
            }
            @if let Some(hits) = hits {
                h2 { "Results" }
                @if hits.is_empty() {
                    p role="status" { "No matches for “" (q.q) "”." }
                } @else {
                    p role="status" class="muted" { (match hits.len() { 1 => "1 match".to_string(), n => format!("{n} matches") }) ", best first" }
                    ol class="hits" {
                        @for h in &hits { li { (hit(h)) } }
                    }
                }
            }
        },
    ))
}

/// One hit: what it is (a link to it), with whom, its status when not open, and the passage.
fn hit(h: &Hit) -> Markup {
    let (label, href) = match (h.source, h.id, &h.kind) {
        ("item", Some(id), Some(kind)) => (format!("#{id} {kind}"), format!("/items/{id}")),
        ("meeting", Some(_), _) => (
            "1:1".to_string(),
            h.person
                .as_deref()
                .map_or_else(|| "/people".to_string(), person_href),
        ),
        _ => ("person".to_string(), person_href(&h.title)),
    };
    html! {
        span class="muted" { (label) } " "
        a href=(href) { strong { (h.title) } }
        @if let (Some(p), "item") = (&h.person, h.source) {
            " " span class="muted" { "with " a href=(format!("/people/{}", urlencode(p))) { (p) } }
        }
        @if let Some(s) = h.status.as_deref().filter(|s| *s != "open") {
            " " span class="muted" { "(" (s) ")" }
        }
        br;
        span class="snippet" { (marked(&h.snippet)) }
    }
}

/// The passage with each match in `<mark>`: the text between the store's marks is written as
/// text (escaped), never as HTML.
pub(crate) fn marked(snippet: &str) -> Markup {
    let mut parts: Vec<(bool, String)> = Vec::new();
    let mut inside = false;
    let mut current = String::new();
    for c in snippet.chars() {
        if c == MATCH_START || c == MATCH_END {
            if !current.is_empty() {
                parts.push((inside, std::mem::take(&mut current)));
            }
            inside = c == MATCH_START;
        } else {
            current.push(if c == '\n' { ' ' } else { c });
        }
    }
    if !current.is_empty() {
        parts.push((inside, current));
    }
    html! {
        @for (is_match, text) in &parts {
            @if *is_match { mark { (text) } } @else { (text) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_are_marked_and_everything_is_escaped() {
        let s = format!("a <b> {MATCH_START}pricing{MATCH_END} & {MATCH_START}<script>{MATCH_END}");
        assert_eq!(
            marked(&s).into_string(),
            "a &lt;b&gt; <mark>pricing</mark> &amp; <mark>&lt;script&gt;</mark>"
        );
    }
}
