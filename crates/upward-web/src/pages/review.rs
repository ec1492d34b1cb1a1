//! Review: the packet for a performance or career conversation (`upward review`) over a
//! period picked with two dates or a quick link, with charts of the period month by month.
//! Printable: the stylesheet's print rules hide the navigation and the forms.

use super::input::{Pairs, bad_fields, field};
use crate::charts::{self, Chart};
use crate::error::WebError;
use crate::layout::page;
use crate::security::Auth;
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Extension, Router};
use jiff::civil::Date;
use maud::{Markup, html};
use std::sync::Arc;
use upward_app::workflows::ReviewCharts;
use upward_domain::workflow::review::{Review, period};
use upward_domain::{AREAS, Duration, DurationUnit};
use upward_render::review::{Outline, outline};

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/review", get(show))
        .route("/review/packet.html", get(packet_file))
}

/// The most entries of a group the page shows: a period of a busy half year holds hundreds of
/// wins and actions, and the page stays light (under 100 KB) and readable; the whole packet
/// is the file [`packet_file`] downloads.
const SHOWN: usize = 5;

/// `GET /review/packet.html?from=&to=`: the whole packet as one printable HTML file (what
/// `upward review --format html` writes), downloaded.
async fn packet_file(
    State(state): State<Arc<AppState>>,
    query: Result<Query<Pairs>, QueryRejection>,
) -> Result<impl axum::response::IntoResponse, WebError> {
    let Query(q) = query.map_err(bad_fields)?;
    let packet = state
        .read(move |tx, clock| {
            let (from, to) = period(field(&q, "from"), field(&q, "to"), clock.today)?;
            Ok(upward_app::workflows::review(tx, from, to, clock)?)
        })
        .await?;
    let name = format!("review-{}-{}.html", packet.from, packet.to);
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/html; charset=utf-8".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        upward_render::review::html(&packet),
    ))
}

/// The quick links of the period picker: label and months back from today.
const QUICK: &[(&str, u32)] = &[
    ("Last month", 1),
    ("Last quarter", 3),
    ("Last half year", 6),
    ("Last year", 12),
];

async fn show(
    State(state): State<Arc<AppState>>,
    Extension(auth): Extension<Auth>,
    query: Result<Query<Pairs>, QueryRejection>,
) -> Result<Markup, WebError> {
    let Query(q) = query.map_err(bad_fields)?;
    let (packet, charts) = state
        .read(move |tx, clock| {
            let (from, to) = period(field(&q, "from"), field(&q, "to"), clock.today)?;
            Ok(upward_app::workflows::review_charts(tx, from, to, clock)?)
        })
        .await?;
    let o = outline(&packet);
    Ok(page(
        &o.title,
        "/review",
        Some(&auth),
        html! {
            (picker(&packet))
            p {
                a href=(format!("/review/packet.html?from={}&to={}", packet.from, packet.to)) {
                    "Download the whole packet (HTML, printable)"
                }
            }
            p { (o.period) }
            p { (o.summary) }
            (charts_markup(&charts))
            (sections(&o))
        },
    ))
}

/// The period picker: two dates (a GET form), and links for the usual periods.
fn picker(r: &Review) -> Markup {
    let today = r.date;
    html! {
        form method="get" action="/review" class="period" {
            fieldset {
                legend { "Period" }
                label for="review-from" { "From" }
                input type="date" id="review-from" name="from" value=(r.from.to_string());
                label for="review-to" { "To" }
                input type="date" id="review-to" name="to" value=(r.to.to_string());
                p { button type="submit" { "Show this period" } }
            }
        }
        nav aria-label="Periods" class="periods" {
            ul {
                @for (label, months) in QUICK {
                    @let from = months_before(*months, today);
                    li { a href=(format!("/review?from={from}&to={today}")) { (label) } }
                }
            }
        }
    }
}

fn months_before(n: u32, date: Date) -> Date {
    Duration {
        n,
        unit: DurationUnit::Month,
    }
    .before(date)
}

/// The three charts, each with its table.
fn charts_markup(c: &ReviewCharts) -> Markup {
    let m = &c.monthly;
    let tag_names: Vec<String> = m
        .tags
        .iter()
        .map(|t| t.clone().unwrap_or_else(|| "Other".to_string()))
        .collect();
    let count = |n: usize| Some(n as f64);
    let wins: Vec<(String, Vec<Option<f64>>)> = m
        .months
        .iter()
        .map(|x| (x.label.clone(), x.wins.iter().map(|n| count(*n)).collect()))
        .collect();
    let promise_series = ["Kept on time", "Kept late", "Still open"].map(String::from);
    let promises: Vec<(String, Vec<Option<f64>>)> = m
        .months
        .iter()
        .map(|x| {
            let p = x.follow_through.promises;
            (
                x.label.clone(),
                vec![
                    count(p.kept_on_time),
                    count(p.kept_late + p.dropped_late),
                    count(p.open),
                ],
            )
        })
        .collect();
    let action_series = ["Done by me", "Done by them"].map(String::from);
    let actions: Vec<(String, Vec<Option<f64>>)> = m
        .months
        .iter()
        .map(|x| {
            let a = x.follow_through.actions;
            (x.label.clone(), vec![count(a.me.done), count(a.them.done)])
        })
        .collect();
    let mut score_series: Vec<String> = AREAS.iter().map(|(a, _)| a.to_string()).collect();
    score_series.push("average".to_string());
    let scores: Vec<(String, Vec<Option<f64>>)> = c
        .scores
        .iter()
        .map(|p| {
            let mut v: Vec<Option<f64>> = p.scores.iter().map(|s| s.map(f64::from)).collect();
            v.push(p.average);
            (p.date.to_string(), v)
        })
        .collect();
    let scores_title = match &c.person {
        Some(p) => format!("Reflection scores on working with {p} (1–5)"),
        None => "Reflection scores (1–5)".to_string(),
    };
    html! {
        section class="charts" aria-labelledby="charts-heading" {
            h2 id="charts-heading" { "Month by month" }
            (charts::stacked_bars(&Chart { id: "chart-wins", title: "Wins per month by tag", row_header: "Month", series: &tag_names, rows: &wins }))
            (charts::stacked_bars(&Chart { id: "chart-promises", title: "Promises per month: kept on time, late, still open", row_header: "Month", series: &promise_series, rows: &promises }))
            (charts::stacked_bars(&Chart { id: "chart-actions", title: "Actions done per month, by owner", row_header: "Month", series: &action_series, rows: &actions }))
            (charts::lines(&Chart { id: "chart-scores", title: &scores_title, row_header: "Date", series: &score_series, rows: &scores }, 5.0))
        }
    }
}

/// The packet's sections, in the words of the printed packet.
fn sections(o: &Outline) -> Markup {
    html! {
        @for s in &o.sections {
            h2 { (s.heading) }
            @for g in &s.groups {
                @if let Some(h) = &g.heading { h3 { (h) } }
                ul class="packet" {
                    @for e in g.entries.iter().take(SHOWN) {
                        li {
                            @if let Some(t) = &e.title { strong { (t) } }
                            @if let Some(m) = &e.meta { " (" (m) ")" }
                            @if !e.text.is_empty() { " " (e.text) }
                            @if let Some(b) = &e.body { br; span class="muted" { (crate::layout::lines(b)) } }
                        }
                    }
                }
                @if g.entries.len() > SHOWN {
                    p class="muted" {
                        "…and " (g.entries.len() - SHOWN) " more in the whole packet."
                    }
                }
            }
        }
    }
}
