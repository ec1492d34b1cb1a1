//! Intake: a new request against the open priorities (`upward intake`). The form asks what
//! the command line's flags ask; the answer shows the plan before and after the request, what
//! would slip, the draft of the trade-off question, and a button that accepts it
//! (`intake --accept`).

use super::input::{Pairs, bad_fields, field, given, required};
use crate::error::WebError;
use crate::layout::{csrf, page, urlencode};
use crate::security::Auth;
use crate::state::AppState;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Router};
use maud::{Markup, html};
use std::sync::Arc;
use upward_domain::words::{day, working_days};
use upward_domain::workflow::intake::{Intake, IntakeInput, PlanRow, plan_before};
use upward_domain::{Item, Person};

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/intake", get(show).post(accept))
}

/// The fields of the request, as the command line's flags name them.
pub const FIELDS: [&str; 5] = ["title", "from", "due", "effort", "rank"];

/// The request as typed into the form or the URL.
pub fn input(pairs: &Pairs, today: jiff::civil::Date) -> Result<IntakeInput, WebError> {
    Ok(IntakeInput::parse(
        required(pairs, "title")?,
        required(pairs, "from")?,
        required(pairs, "due")?,
        required(pairs, "effort")?,
        given(pairs, "rank"),
        today,
    )?)
}

/// What the page shows: the form, and the analysis once a request is given.
enum Shown {
    Form(Vec<Person>),
    /// With the fields as typed, for the accept form.
    Analysis(Vec<Person>, Box<Intake>, Pairs),
    Accepted(Vec<Person>, Box<Item>),
}

async fn show(
    State(state): State<Arc<AppState>>,
    Extension(auth): Extension<Auth>,
    query: Result<Query<Pairs>, QueryRejection>,
) -> Result<Markup, WebError> {
    let Query(q) = query.map_err(bad_fields)?;
    let typed = q.clone();
    let asked = FIELDS.iter().any(|f| field(&q, f).is_some());
    let accepted = given(&q, "accepted")
        .map(|id| {
            id.trim().parse::<i64>().map_err(|_| {
                WebError::bad_request(format!("accepted `{id}` is not an item number"))
            })
        })
        .transpose()?;
    let shown = state
        .read(move |tx, clock| {
            let people = tx.people(false)?;
            if let Some(id) = accepted {
                return Ok(Shown::Accepted(
                    people,
                    Box::new(upward_app::items::get(tx, id)?),
                ));
            }
            if !asked {
                return Ok(Shown::Form(people));
            }
            let input = input(&q, clock.today)?;
            let from = input.from.clone();
            let (analysis, _) = upward_app::workflows::intake(tx, &from, input, false, clock)?;
            Ok(Shown::Analysis(people, Box::new(analysis), q))
        })
        .await;
    let (people, body) = match shown? {
        Shown::Form(people) => (people, html! {}),
        Shown::Accepted(people, item) => (people, accepted_notice(&item)),
        Shown::Analysis(people, analysis, raw) => {
            let body = analysis_markup(&analysis, &raw, &auth);
            (people, body)
        }
    };
    Ok(page(
        "Intake",
        "/intake",
        Some(&auth),
        html! {
            p { "Before saying yes to new work, see where it would go among your open priorities, what would slip, and the question to ask." }
            (form(&people, &typed))
            (body)
        },
    ))
}

/// `POST /intake`: accepts the request (`intake --accept`), then shows the priority added.
async fn accept(
    State(state): State<Arc<AppState>>,
    form: Result<Form<Pairs>, FormRejection>,
) -> Result<Response, WebError> {
    let Form(f) = form.map_err(bad_fields)?;
    let item = state
        .write(move |tx, clock| {
            let input = input(&f, clock.today)?;
            let from = input.from.clone();
            let (_, added) = upward_app::workflows::intake(tx, &from, input, true, clock)?;
            added.ok_or_else(|| WebError::internal("the request was not added"))
        })
        .await?;
    Ok(Redirect::to(&format!("/intake?accepted={}", item.id)).into_response())
}

fn accepted_notice(item: &Item) -> Markup {
    html! {
        p class="notice" role="status" {
            "Added priority #" (item.id) " at rank " (item.rank.unwrap_or_default()) ": "
            a href=(format!("/items/{}", item.id)) { (item.title) }
        }
    }
}

/// The form: what `upward intake` takes. A GET, so the analysis is a page that can be
/// reloaded and shared, and writes nothing.
fn form(people: &[Person], typed: &Pairs) -> Markup {
    let value = |name: &str| field(typed, name).unwrap_or_default().to_string();
    html! {
        form method="get" action="/intake" class="intake" {
            fieldset {
                legend { "The request" }
                label for="intake-title" { "Title" }
                input type="text" id="intake-title" name="title" value=(value("title")) required;
                label for="intake-from" { "From whom" }
                input type="text" id="intake-from" name="from" value=(value("from")) list="intake-people" required;
                datalist id="intake-people" {
                    @for p in people { option value=(p.name) {} }
                }
                label for="intake-due" { "Due (a date, fri, 2w, +3d)" }
                input type="text" id="intake-due" name="due" value=(value("due")) required;
                label for="intake-effort" { "Effort (3d, 2w, 1m)" }
                input type="text" id="intake-effort" name="effort" value=(value("effort")) required;
                label for="intake-rank" { "Rank, to accept it at a given place (optional)" }
                input type="number" id="intake-rank" name="rank" min="1" max="100000" value=(value("rank"));
                p { button type="submit" { "See what would slip" } }
            }
        }
    }
}

/// The analysis: the verdict, the plans, what slips, the draft and the accept button.
fn analysis_markup(i: &Intake, typed: &Pairs, auth: &Auth) -> Markup {
    let today = i.date;
    let before = plan_before(i);
    html! {
        h2 { "“" (i.title) "” from " (i.from) }
        p {
            "Due " (day(i.due, today)) ", "
            @if i.effort > 0 { "about " (working_days(i.effort)) " of effort" } @else { "no effort estimate" }
            ". Working days until the due date: " (i.working_days)
            "; effort ranked above it: " (working_days(i.effort_ahead)) "."
        }
        p class=(if i.fits { "notice" } else { "warning" }) {
            strong { "Fits: " } (upward_render::intake::verdict(i))
        }
        h2 { "Plan without the request" }
        (plan_table("plan-before", "Your open priorities in rank order, as they stand", &before, today))
        h2 { "Plan with the request" }
        (plan_table("plan-after", &format!("With the request at rank {}", i.rank), &i.plan, today))
        @if !i.would_slip.is_empty() {
            h2 { "Would slip" }
            ul { @for item in &i.would_slip { li { (item_line(item, today)) } } }
        }
        @if !i.already_late.is_empty() {
            h2 { "Already late without it" }
            ul { @for item in &i.already_late { li { (item_line(item, today)) } } }
        }
        @if let Some(cut) = i.cut_to {
            p { strong { "Cut to fit: " } (working_days(cut)) " of effort would make its date without making anything else late." }
        }
        h2 { "Draft message to " (i.message_to) }
        @if i.requester_note.is_some() {
            p class="muted" { "Your manager decides what moves in your priorities." }
        }
        pre class="draft" id="intake-draft" { (i.message) }
        p {
            button type="button" class="secondary" data-copy="intake-draft" hidden { "Copy the draft" }
            span id="intake-draft-status" role="status" {}
        }
        @if let Some(note) = &i.requester_note {
            h3 { "Reply to " (i.from) " meanwhile" }
            pre class="draft" id="intake-note" { (note) }
        }
        h2 { "Accept it" }
        p { "Adds it as an open priority at rank " (i.rank) ", moving those at or below that rank down one." }
        form method="post" action="/intake" {
            (csrf(auth))
            // As typed, so the priority stores the effort as given (1m, not 20d); the due
            // date as resolved today.
            input type="hidden" name="title" value=(i.title);
            input type="hidden" name="from" value=(i.from);
            input type="hidden" name="due" value=(i.due.to_string());
            input type="hidden" name="effort" value=(field(typed, "effort").unwrap_or_default());
            @if let Some(rank) = given(typed, "rank") { input type="hidden" name="rank" value=(rank); }
            button type="submit" { "Accept: add it at rank " (i.rank) }
        }
        p { a href=(format!("/decline?title={}&from={}", urlencode(&i.title), urlencode(&i.from))) { "Decline it instead" } }
    }
}

fn item_line(item: &Item, today: jiff::civil::Date) -> Markup {
    html! {
        "#" (item.id) " " (item.title)
        @if let Some(d) = item.due { ": due " (day(d, today)) }
    }
}

/// A plan as a table: rank, title, effort, due, finish, and whether it makes its date.
fn plan_table(id: &str, caption: &str, rows: &[PlanRow], today: jiff::civil::Date) -> Markup {
    html! {
        @if rows.is_empty() {
            p id=(id) class="muted" { "No open priority." }
        } @else {
            table id=(id) {
                caption { (caption) }
                thead { tr {
                    th scope="col" { "Rank" } th scope="col" { "Priority" } th scope="col" { "Effort" }
                    th scope="col" { "Due" } th scope="col" { "Finishes" } th scope="col" { "On time?" }
                } }
                tbody {
                    @for r in rows {
                        tr class=[r.is_request.then_some("request")] {
                            th scope="row" { (r.rank) }
                            td {
                                @if let Some(id) = r.id { "#" (id) " " }
                                (r.title)
                                @if r.is_request { " (the request)" }
                            }
                            td { @if r.effort > 0 { (working_days(r.effort)) } @else { "–" } }
                            td { @if let Some(d) = r.due { (day(d, today)) } @else { "–" } }
                            td { @if let Some(d) = r.finish { (day(d, today)) } @else { "–" } }
                            td { (status(r)) }
                        }
                    }
                }
            }
        }
    }
}

/// Whether a row makes its date, in the words of the command line's plan.
fn status(r: &PlanRow) -> String {
    match (r.due, r.misses, r.late_anyway) {
        (None, _, _) => "no due date".into(),
        (_, false, _) => "on time".into(),
        (_, true, true) if r.delay > 0 => {
            format!("late anyway, {} later still", working_days(r.delay))
        }
        (_, true, true) => "late anyway".into(),
        (_, true, false) if r.is_request => "misses its date".into(),
        (_, true, false) => "would slip".into(),
    }
}
