//! Reflect: the five questions on a working relationship (`upward reflect`), scored 1–5 with
//! a few words each; saving shows the trend as the command line prints it, with the focus's
//! step as a link, and the scores over time as a chart.

use super::input::{Pairs, bad_fields, field};
use crate::charts::{self, Chart};
use crate::error::WebError;
use crate::layout::{csrf, next_link, page, urlencode};
use crate::security::Auth;
use crate::state::AppState;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Router};
use maud::{Markup, html};
use std::collections::BTreeMap;
use std::sync::Arc;
use upward_app::workflows::Reflections;
use upward_domain::item::validate_text;
use upward_domain::workflow::reflect::Trend;
use upward_domain::{AREAS, DomainError, parse_score};

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/reflect", get(show_manager).post(save_manager))
        .route("/reflect/{person}", get(show).post(save))
}

/// The scores and answers of the form: `score-AREA` (empty: not scored) and `answer-AREA`.
pub type Scores = (BTreeMap<String, u8>, BTreeMap<String, String>);

/// Reads the five areas' fields; the domain checks the rest (at least one score).
pub fn scores(pairs: &Pairs) -> Result<Scores, DomainError> {
    let mut scores = BTreeMap::new();
    let mut answers = BTreeMap::new();
    for (area, _) in AREAS {
        if let Some(s) = field(pairs, &format!("score-{area}")).filter(|s| !s.trim().is_empty()) {
            scores.insert(area.to_string(), parse_score(s)?);
        }
        if let Some(a) = field(pairs, &format!("answer-{area}"))
            && let Some(a) = validate_text("answer", a)?
        {
            answers.insert(area.to_string(), a);
        }
    }
    Ok((scores, answers))
}

async fn show_manager(
    state: State<Arc<AppState>>,
    auth: Extension<Auth>,
) -> Result<Markup, WebError> {
    render(state, auth, None).await
}

async fn show(
    state: State<Arc<AppState>>,
    auth: Extension<Auth>,
    Path(person): Path<String>,
) -> Result<Markup, WebError> {
    render(state, auth, Some(person)).await
}

async fn render(
    State(state): State<Arc<AppState>>,
    Extension(auth): Extension<Auth>,
    person: Option<String>,
) -> Result<Markup, WebError> {
    let r = state
        .read(move |tx, clock| {
            Ok(upward_app::workflows::reflections(
                tx,
                person.as_deref(),
                clock,
            )?)
        })
        .await?;
    let name = r.person.name.clone();
    Ok(page(
        &format!("Reflect on working with {name}"),
        "/reflect",
        Some(&auth),
        html! {
            @if let Some(t) = &r.latest { (trend(t)) }
            (form(&name, &auth))
            (history(&r))
        },
    ))
}

async fn save_manager(
    state: State<Arc<AppState>>,
    form: Result<Form<Pairs>, FormRejection>,
) -> Result<Response, WebError> {
    store(state, None, form).await
}

async fn save(
    state: State<Arc<AppState>>,
    Path(person): Path<String>,
    form: Result<Form<Pairs>, FormRejection>,
) -> Result<Response, WebError> {
    store(state, Some(person), form).await
}

/// Stores the reflection (`upward reflect NAME --score … --answer …`), then shows its trend.
async fn store(
    State(state): State<Arc<AppState>>,
    person: Option<String>,
    form: Result<Form<Pairs>, FormRejection>,
) -> Result<Response, WebError> {
    let Form(f) = form.map_err(bad_fields)?;
    let (s, a) = scores(&f)?;
    let trend = state
        .write(move |tx, clock| {
            Ok(upward_app::workflows::reflect(
                tx,
                person.as_deref(),
                s,
                a,
                clock,
            )?)
        })
        .await?;
    Ok(Redirect::to(&format!("/reflect/{}#trend", urlencode(&trend.person))).into_response())
}

/// The trend of the newest reflection, as `upward reflect` prints it.
fn trend(t: &Trend) -> Markup {
    let against = match (t.earlier, t.previous_date) {
        (0, _) | (_, None) => " (the first one)".to_string(),
        (1, Some(d)) => format!(" (against 1 earlier, on {d})"),
        (n, Some(d)) => format!(" (against {n} earlier, the last on {d})"),
    };
    html! {
        section aria-labelledby="trend" {
            h2 id="trend" { "The last reflection, " (t.date.to_string()) (against) }
            table {
                caption { "Each area against the last time" }
                thead { tr { th scope="col" { "Area" } th scope="col" { "Score" } th scope="col" { "In your words" } } }
                tbody {
                    @for a in &t.areas {
                        tr {
                            th scope="row" { (a.area) }
                            td { (upward_render::reflect::area_line(a)) }
                            td { @if let Some(text) = &a.answer { (crate::layout::lines(text)) } }
                        }
                    }
                }
            }
            @for line in upward_render::reflect::overall_lines(t) {
                p { strong { "Overall: " } (line) }
            }
            @if let Some(focus) = &t.focus {
                p class="notice" {
                    "Focus on " (focus.area) " (" (focus.score) "/5): " (focus.advice) "."
                    @if let Some(next) = &focus.next { " " (next_link(next)) }
                }
            }
            p { "Follow-through to " (t.person) ": " (t.follow_through.on_time) " on time, " (t.follow_through.late) " late." }
        }
    }
}

/// The five questions: a score from 1 to 5 (or none) and a few words for each.
fn form(person: &str, auth: &Auth) -> Markup {
    html! {
        h2 { "The five questions" }
        form method="post" action=(format!("/reflect/{}", urlencode(person))) {
            (csrf(auth))
            @for (area, question) in AREAS {
                fieldset {
                    legend { (question) }
                    label for=(format!("score-{area}")) { "Score for " (area) " (1 low – 5 high)" }
                    select id=(format!("score-{area}")) name=(format!("score-{area}")) {
                        option value="" { "not this time" }
                        @for n in 1..=5 { option value=(n) { (n) } }
                    }
                    label for=(format!("answer-{area}")) { "In a few words (optional)" }
                    textarea id=(format!("answer-{area}")) name=(format!("answer-{area}")) {}
                }
            }
            p { button type="submit" { "Save the reflection" } }
        }
    }
}

/// The scores of every reflection on the person, as a chart and a table.
fn history(r: &Reflections) -> Markup {
    let mut series: Vec<String> = AREAS.iter().map(|(a, _)| a.to_string()).collect();
    series.push("average".to_string());
    let rows: Vec<(String, Vec<Option<f64>>)> = r
        .scores
        .iter()
        .map(|p| {
            let mut v: Vec<Option<f64>> = p.scores.iter().map(|s| s.map(f64::from)).collect();
            v.push(p.average);
            (p.date.to_string(), v)
        })
        .collect();
    let title = format!("Scores over time on working with {} (1–5)", r.person.name);
    html! {
        h2 { "Over time" }
        (charts::lines(&Chart { id: "chart-reflections", title: &title, row_header: "Date", series: &series, rows: &rows }, 5.0))
    }
}
