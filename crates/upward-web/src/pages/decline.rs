//! Decline: a respectful no (`upward decline`). The form asks what the command line's flags
//! ask; the answer is the draft, ready to copy, and a button that records it as sent
//! (`decline --sent`). Below, the declines recorded (`upward declines`).

use super::input::{Pairs, all, bad_fields, field, given, required};
use crate::error::WebError;
use crate::layout::{csrf, page};
use crate::security::Auth;
use crate::state::AppState;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use maud::{Markup, html};
use std::sync::Arc;
use upward_domain::words::day;
use upward_domain::workflow::decline::{DeclineInput, Draft, PlanBasis};
use upward_domain::{Decline, Person};

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/decline", get(show))
        .route("/declines", post(record))
}

/// How many alternative fields the form offers.
const ALTERNATIVES: usize = 3;

/// The request as typed: `title`, `from`, `reason`, each `alternative`, `after`.
pub fn input(pairs: &Pairs, today: jiff::civil::Date) -> Result<(String, DeclineInput), WebError> {
    let from = required(pairs, "from")?.to_string();
    let input = DeclineInput::parse(
        required(pairs, "title")?,
        required(pairs, "reason")?,
        &all(pairs, "alternative"),
        given(pairs, "after"),
        today,
    )?;
    Ok((from, input))
}

struct Shown {
    people: Vec<Person>,
    declines: Vec<Decline>,
    draft: Option<(Draft, DeclineInput)>,
    today: jiff::civil::Date,
}

async fn show(
    State(state): State<Arc<AppState>>,
    Extension(auth): Extension<Auth>,
    query: Result<Query<Pairs>, QueryRejection>,
) -> Result<Markup, WebError> {
    let Query(q) = query.map_err(bad_fields)?;
    let asked = ["title", "from", "reason"]
        .iter()
        .any(|f| given(&q, f).is_some());
    let recorded = given(&q, "recorded").map(str::to_string);
    let prefill = q.clone();
    let shown = state
        .read(move |tx, clock| {
            let draft = if asked {
                let (from, input) = input(&q, clock.today)?;
                let draft = upward_app::workflows::decline(tx, &from, &input, clock)?;
                Some((draft, input))
            } else {
                None
            };
            Ok(Shown {
                people: tx.people(false)?,
                declines: upward_app::workflows::declines(tx, None)?,
                draft,
                today: clock.today,
            })
        })
        .await?;
    Ok(page(
        "Decline",
        "/decline",
        Some(&auth),
        html! {
            @if let Some(id) = &recorded {
                p class="notice" role="status" { "Recorded as decline #" (id) "." }
            }
            p { "A respectful no: the reason, what you can offer instead, and when you could pick it up. Before you send it, the reason and the alternatives are checked for tone (or " a href="/check" { "check any text" } ")." }
            (form(&shown.people, &prefill))
            @if let Some((draft, input)) = &shown.draft {
                (draft_markup(draft, input, shown.today, &auth))
            }
            (declines(&shown.declines))
        },
    ))
}

/// `POST /declines`: records the decline as sent (`decline --sent`), then back to the list.
async fn record(
    State(state): State<Arc<AppState>>,
    form: Result<Form<Pairs>, FormRejection>,
) -> Result<Response, WebError> {
    let Form(f) = form.map_err(bad_fields)?;
    let recorded = state
        .write(move |tx, clock| {
            let (from, input) = input(&f, clock.today)?;
            let draft = upward_app::workflows::decline(tx, &from, &input, clock)?;
            let text = upward_render::draft::text(&draft);
            Ok(upward_app::workflows::record_decline(
                tx, &input, &draft, &text, clock,
            )?)
        })
        .await?;
    Ok(Redirect::to(&format!("/decline?recorded={}#declines", recorded.id)).into_response())
}

/// The form, filled with what was typed (so a refused field can be put right).
fn form(people: &[Person], typed: &Pairs) -> Markup {
    let value = |name: &str| field(typed, name).unwrap_or_default().to_string();
    let alternatives = all(typed, "alternative");
    html! {
        form method="get" action="/decline" {
            fieldset {
                legend { "The request" }
                label for="decline-title" { "What was asked" }
                input type="text" id="decline-title" name="title" value=(value("title")) required;
                label for="decline-from" { "From whom" }
                input type="text" id="decline-from" name="from" list="decline-people" value=(value("from")) required;
                datalist id="decline-people" {
                    @for p in people { option value=(p.name) {} }
                }
                label for="decline-reason" { "Why not" }
                textarea id="decline-reason" name="reason" required { (value("reason")) }
                @for n in 0..ALTERNATIVES {
                    label for=(format!("decline-alternative-{n}")) { "Alternative you can offer " (n + 1) " (optional)" }
                    input type="text" id=(format!("decline-alternative-{n}")) name="alternative"
                        value=(alternatives.get(n).cloned().unwrap_or_default());
                }
                label for="decline-after" { "You could pick it up after (a date, optional)" }
                input type="text" id="decline-after" name="after" value=(value("after"));
                p { button type="submit" { "Draft the no" } }
            }
        }
    }
}

/// The draft, the notes the command line gives as hints, and the record button.
fn draft_markup(
    draft: &Draft,
    input: &DeclineInput,
    today: jiff::civil::Date,
    auth: &Auth,
) -> Markup {
    html! {
        h2 { "Draft to " (draft.person) " (" (draft.channel.to_string()) ")" }
        pre class="draft" id="decline-draft" { (draft.text.trim_end()) }
        p {
            button type="button" class="secondary" data-copy="decline-draft" hidden { "Copy the draft" }
            span id="decline-draft-status" role="status" {}
        }
        @for alternative in &draft.left_out {
            p class="warning" {
                "Left out “" (alternative) "”: it speaks of " (draft.person)
                " in the third person, and the draft is to them — say it to them instead."
            }
        }
        @if let Some(plan) = draft.plan.as_ref().filter(|p| p.basis == PlanBasis::CheckIn) {
            p class="muted" {
                "The plan offers a check-in on " (day(plan.date, today))
                ": no open priority has an effort to project when you will be free — give the day you could pick it up to offer it instead."
            }
        }
        @if draft.permanent {
            p class="muted" {
                "The reason reads as permanent, so the draft says no without “for now” and offers no date — give a day you could pick it up if you can take it later."
            }
        }
        (super::tone::flags(&draft.warnings))
        form method="post" action="/declines" {
            (csrf(auth))
            input type="hidden" name="title" value=(input.title);
            input type="hidden" name="from" value=(draft.person);
            input type="hidden" name="reason" value=(input.reason);
            @for a in &input.alternatives { input type="hidden" name="alternative" value=(a); }
            @if let Some(after) = input.after { input type="hidden" name="after" value=(after.to_string()); }
            button type="submit" { "I sent it: record it" }
        }
    }
}

/// The declines recorded, oldest first (`upward declines`).
fn declines(list: &[Decline]) -> Markup {
    html! {
        h2 id="declines" { "Declines recorded" }
        @if list.is_empty() {
            p class="muted" { "No decline recorded yet. After sending one, record it with the button under its draft." }
        } @else {
            table {
                caption { "The requests declined, oldest first" }
                thead { tr {
                    th scope="col" { "#" } th scope="col" { "Date" } th scope="col" { "To" }
                    th scope="col" { "Request" } th scope="col" { "Why" } th scope="col" { "Offered" }
                    th scope="col" { "Could pick it up after" }
                } }
                tbody {
                    @for d in list {
                        tr {
                            th scope="row" { (d.id) }
                            td { (d.date.to_string()) }
                            td { (d.person.name) }
                            td { (d.title) }
                            td { (d.reason) }
                            td { (d.alternatives.join("; ")) }
                            td { @if let Some(a) = d.after { (a.to_string()) } }
                        }
                    }
                }
            }
        }
    }
}
