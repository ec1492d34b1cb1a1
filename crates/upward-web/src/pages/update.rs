//! Update: the status update for a person (my manager by default) as it would be sent, in
//! the channel and length asked for, or as the three-line brief (links switch between every
//! channel and length and the brief; a GET form sets the period), with a copy button, what
//! the tone check flags in it, and a "mark as sent" form. An executive (`exec yes`) gets the
//! brief unless a length is chosen, as `upward update` gives it.

use crate::api::update::{Asked, draft, send};
use crate::error::WebError;
use crate::layout::{csrf, next_link, page, urlencode};
use crate::pages::input;
use crate::security::Auth;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::Redirect;
use axum::routing::{get, post};
use axum::{Extension, Router};
use maud::{Markup, html};
use std::sync::Arc;
use upward_domain::workflow::update::{SectionKey, StatusUpdate};
use upward_domain::{Channel, Length, Next};

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/update", get(update_manager))
        .route("/update/{person}", get(update_person))
        .route("/update/{person}/sent", post(sent))
}

/// How the draft is laid out: in its sections at a length, or as the three-line brief.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Length(Length),
    Brief,
}

impl Shape {
    /// The form of a draft as drawn.
    fn of(su: &StatusUpdate) -> Shape {
        if su.brief.is_some() {
            Shape::Brief
        } else {
            Shape::Length(su.length)
        }
    }

    fn label(self) -> String {
        match self {
            Shape::Length(l) => l.to_string(),
            Shape::Brief => "three-line brief".to_string(),
        }
    }

    /// The query of this form (`length=brief`, `brief=1`).
    fn query(self) -> String {
        match self {
            Shape::Length(l) => format!("length={l}"),
            Shape::Brief => "brief=1".to_string(),
        }
    }

    /// The hidden field that asks for it again in a form.
    fn hidden(self) -> Markup {
        match self {
            Shape::Length(l) => html! { input type="hidden" name="length" value=(l); },
            Shape::Brief => html! { input type="hidden" name="brief" value="1"; },
        }
    }
}

/// Every form, in the order the switcher lists them.
fn shapes() -> impl Iterator<Item = Shape> {
    Length::ALL
        .iter()
        .map(|l| Shape::Length(*l))
        .chain([Shape::Brief])
}

/// The address of the update for `person` in a channel and form (and the period asked).
fn href(person: &str, channel: Channel, shape: Shape, since: Option<&str>) -> String {
    let mut h = format!(
        "/update/{}?channel={}&{}",
        urlencode(person),
        channel,
        shape.query()
    );
    if let Some(s) = since {
        h.push_str(&format!("&since={}", urlencode(s)));
    }
    h
}

async fn update_page(
    state: Arc<AppState>,
    auth: Auth,
    person: Option<String>,
    query: Option<String>,
) -> Result<Markup, WebError> {
    let pairs = input::query_pairs(query.as_deref())?;
    let asked = Asked::from_pairs(&pairs);
    let just_sent = input::flag(&pairs, "sent");
    let a = asked.clone();
    let (su, text) = state
        .read(move |tx, clock| draft(tx, person.as_deref(), &a, clock.today, clock))
        .await?;
    let shape = Shape::of(&su);
    Ok(page(
        &format!("Update for {}", su.person),
        "/update",
        Some(&auth),
        html! {
            @if just_sent {
                p class="notice" role="status" { "Recorded as sent to " (su.person) " today: the next update starts from here." }
            }
            (switcher(&su, &asked))
            h2 { "The draft (" (su.channel) ", " (shape.label()) ")" }
            @if shape == Shape::Brief && !asked.brief {
                p class="muted" {
                    (su.person) " is an executive, so the update is the three-line brief: the headline, the one decision needed, the risk. Choose a length above for the update in its sections."
                }
            }
            pre class="draft" id="draft" { (text) }
            button type="button" class="secondary" data-copy="draft" hidden { "Copy the draft" }
            p id="draft-status" role="status" {}
            (super::tone::flags(&su.warnings))
            p { a href="/check" { "Check any text for tone" } }
            (late(&su))
            h2 { "Once it has gone out" }
            form method="post" action=(format!("/update/{}/sent", urlencode(&su.person))) {
                (csrf(&auth))
                input type="hidden" name="channel" value=(su.channel);
                (shape.hidden())
                @if let Some(s) = &asked.since { input type="hidden" name="since" value=(s); }
                p { "Marking it sent records this text, so the next update starts from here." }
                button type="submit" { "Mark as sent" }
            }
        },
    ))
}

/// Links to the draft in every channel and length and as the three-line brief, and the
/// period form.
fn switcher(su: &StatusUpdate, asked: &Asked) -> Markup {
    let since = asked.since.as_deref();
    let shown = Shape::of(su);
    html! {
        nav aria-label="Channels, lengths and the three-line brief" class="views" {
            ul {
                @for c in Channel::ALL {
                    @for f in shapes() {
                        li {
                            @if *c == su.channel && f == shown {
                                a href=(href(&su.person, *c, f, since)) aria-current="page" { (c) ", " (f.label()) }
                            } @else {
                                a href=(href(&su.person, *c, f, since)) { (c) ", " (f.label()) }
                            }
                        }
                    }
                }
            }
        }
        form method="get" action=(format!("/update/{}", urlencode(&su.person))) class="filters" {
            input type="hidden" name="channel" value=(su.channel);
            (shown.hidden())
            div class="field" {
                label for="u-since" { "Since (default: the last update, else the last 1:1)" }
                input id="u-since" name="since" type="text" value=(since.unwrap_or(""));
            }
            button type="submit" { "Draft from then" }
        }
    }
}

/// The late commitments: once a new date is agreed, record it (the step as a link).
fn late(su: &StatusUpdate) -> Markup {
    let late: Vec<i64> = su
        .sections
        .iter()
        .filter(|s| s.key == SectionKey::Next)
        .flat_map(|s| &s.lines)
        .filter(|l| l.kept_always)
        .map(|l| l.id)
        .collect();
    html! {
        @if !late.is_empty() {
            ul class="nudges" {
                @for id in late {
                    li { "#" (id) " is late: once you agree a new date, record it." (next_link(&Next::edit_item(id, "due"))) }
                }
            }
        }
    }
}

/// `GET /update?channel=&length=&since=`: the update for my manager.
async fn update_manager(
    State(state): State<Arc<AppState>>,
    Extension(auth): Extension<Auth>,
    RawQuery(query): RawQuery,
) -> Result<Markup, WebError> {
    update_page(state, auth, None, query).await
}

/// `GET /update/{person}?channel=&length=&since=`.
async fn update_person(
    State(state): State<Arc<AppState>>,
    Extension(auth): Extension<Auth>,
    Path(person): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Markup, WebError> {
    update_page(state, auth, Some(person), query).await
}

/// `POST /update/{person}/sent`: records it, then shows the update again.
async fn sent(
    State(state): State<Arc<AppState>>,
    Path(person): Path<String>,
    body: Bytes,
) -> Result<Redirect, WebError> {
    let pairs = input::form_pairs(&body)?;
    let asked = Asked::from_pairs(&pairs);
    let (su, _) = send(&state, Some(person), asked.clone()).await?;
    Ok(Redirect::to(&format!(
        "{}&sent=1",
        href(&su.person, su.channel, Shape::of(&su), None)
    )))
}
