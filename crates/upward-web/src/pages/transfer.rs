//! Export and import: the whole workspace downloaded as the JSON export (lossless; the file
//! import reads back) or as markdown (for reading), and an export file imported, into an
//! empty workspace or merged by UUID (docs/merge.md), with what it did.

use crate::error::WebError;
use crate::layout::{page, urlencode};
use crate::security::{Auth, CSRF_FIELD};
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use maud::{Markup, html};
use std::collections::BTreeMap;
use std::sync::Arc;
use upward_app::transfer::ImportReport;
use upward_domain::export::Export;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/transfer", get(transfer))
        .route("/transfer/export.json", get(export_json))
        .route("/transfer/export.md", get(export_md))
        .route("/transfer/import", post(import))
}

/// The counts of an import report, as the redirect after an import carries them.
const COUNTS: [&str; 11] = [
    "people_added",
    "people_updated",
    "items_added",
    "items_updated",
    "items_unchanged",
    "meetings_added",
    "updates_added",
    "reflections_added",
    "declines_added",
    "meetings_removed",
    "priorities_reranked",
];

/// The report back from the counts in the query (`None` when there is none, or one is not a
/// number: then there is nothing to show).
fn report_of(query: &BTreeMap<String, String>) -> Option<ImportReport> {
    let n = |k: &str| query.get(k)?.parse::<usize>().ok();
    Some(ImportReport {
        people_added: n("people_added")?,
        people_updated: n("people_updated")?,
        items_added: n("items_added")?,
        items_updated: n("items_updated")?,
        items_unchanged: n("items_unchanged")?,
        meetings_added: n("meetings_added")?,
        updates_added: n("updates_added")?,
        reflections_added: n("reflections_added")?,
        declines_added: n("declines_added")?,
        meetings_removed: n("meetings_removed")?,
        priorities_reranked: n("priorities_reranked")?,
    })
}

async fn transfer(
    Extension(auth): Extension<Auth>,
    query: Result<Query<BTreeMap<String, String>>, QueryRejection>,
) -> Markup {
    let report = query.ok().and_then(|Query(q)| report_of(&q));
    let action = format!("/transfer/import?{CSRF_FIELD}={}", urlencode(&auth.csrf));
    page(
        "Export and import",
        "/transfer",
        Some(&auth),
        html! {
            @if let Some(r) = &report {
                section aria-labelledby="report" {
                    h2 id="report" { "Imported" }
                    p role="status" class="notice" { (r.summary()) }
                    (report_table(r))
                }
            }
            h2 { "Export" }
            p {
                "Everything upward holds, in one file. The JSON file is the one to import again "
                "(nothing is lost); the markdown file is for reading."
            }
            ul {
                li { a href="/transfer/export.json" download { "Download the export (JSON)" } }
                li { a href="/transfer/export.md" download { "Download the export (markdown)" } }
            }
            h2 { "Import" }
            p {
                "An export file written by upward: into an empty workspace, or merged into this "
                "one by UUID (what is newer wins; nothing is deleted)."
            }
            form method="post" action=(action) enctype="multipart/form-data" {
                label for="file" { "Export file (JSON)" }
                input type="file" id="file" name="file" accept=".json,application/json" required;
                p {
                    input type="checkbox" id="merge" name="merge" value="true";
                    " "
                    label for="merge" class="inline" { "Merge into this workspace" }
                }
                p { button type="submit" { "Import" } }
            }
        },
    )
}

fn report_table(r: &ImportReport) -> Markup {
    let json = serde_json::to_value(r).unwrap_or_default();
    html! {
        table {
            caption class="visually-hidden" { "What the import did" }
            thead { tr { th scope="col" { "What" } th scope="col" { "How many" } } }
            tbody {
                @for k in COUNTS {
                    tr {
                        th scope="row" { (upward_domain::words::capitalize(&k.replace('_', " "))) }
                        td { (json[k]) }
                    }
                }
            }
        }
    }
}

/// The workspace as the export document, read in one transaction.
async fn document(state: &Arc<AppState>) -> Result<(Export, jiff::civil::Date), WebError> {
    state
        .read(|tx, clock| Ok((upward_app::transfer::export(tx, clock.now)?, clock.today)))
        .await
}

/// A download: the body with its type and a file name.
fn attachment(body: String, content_type: &'static str, name: String) -> Response {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

/// `GET /transfer/export.json`: as `upward export` writes it.
async fn export_json(State(state): State<Arc<AppState>>) -> Result<Response, WebError> {
    let (doc, today) = document(&state).await?;
    let text = upward_render::export::json(&doc)
        .map_err(|e| WebError::internal(format!("cannot write the export: {e}")))?;
    Ok(attachment(
        text,
        "application/json",
        format!("upward-export-{today}.json"),
    ))
}

/// `GET /transfer/export.md`: as `upward export --format md` writes it.
async fn export_md(State(state): State<Arc<AppState>>) -> Result<Response, WebError> {
    let (doc, today) = document(&state).await?;
    Ok(attachment(
        upward_render::export::markdown(&doc),
        "text/markdown; charset=utf-8",
        format!("upward-export-{today}.md"),
    ))
}

/// The file and the merge box of the import form.
async fn read_form(mut form: Multipart) -> Result<(String, bool), WebError> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        WebError::new(
            e.status(),
            format!("the form could not be read: {}", e.body_text()),
        )
    };
    let mut file = None;
    let mut merge = false;
    while let Some(field) = form.next_field().await.map_err(bad)? {
        match field.name() {
            Some("file") => {
                let bytes = field.bytes().await.map_err(bad)?;
                let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
                    WebError::bad_request(
                        "the file is not UTF-8 text — give a file exported by upward as JSON",
                    )
                })?;
                file = Some(text);
            }
            Some("merge") => merge = field.text().await.map_err(bad)? == "true",
            _ => {}
        }
    }
    let file = file
        .filter(|f| !f.trim().is_empty())
        .ok_or_else(|| WebError::bad_request("choose an export file to import"))?;
    Ok((file, merge))
}

/// `POST /transfer/import?csrf=…` (multipart: `file`, `merge`): as `upward import FILE
/// [--merge]`; then the page with what it did.
async fn import(
    State(state): State<Arc<AppState>>,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Redirect, WebError> {
    let form = form.map_err(|e| {
        WebError::new(
            StatusCode::BAD_REQUEST,
            format!("send the file as a form upload: {}", e.body_text()),
        )
    })?;
    let (text, merge) = read_form(form).await?;
    let doc = Export::parse(&text)?;
    let report = state
        .write(move |tx, clock| Ok(upward_app::transfer::import(tx, &doc, merge, clock)?))
        .await?;
    let json = serde_json::to_value(&report).unwrap_or_default();
    let query: Vec<String> = COUNTS.iter().map(|k| format!("{k}={}", json[k])).collect();
    Ok(Redirect::to(&format!("/transfer?{}", query.join("&"))))
}
