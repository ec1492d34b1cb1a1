//! Items: the list with its filters (a GET form), the add form for each of the twelve kinds,
//! and one item with its edit form and done / drop / reopen buttons. Each form posts and is
//! answered by a redirect to the item's page.

use crate::api::items::{add_item, done_item, drop_item, edit_item, list_query, reopen_item};
use crate::error::WebError;
use crate::layout::{csrf, page};
use crate::pages::input::{self, Pairs};
use crate::pages::paging;
use crate::security::Auth;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::Redirect;
use axum::routing::{get, post};
use axum::{Extension, Router};
use maud::{Markup, html};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tower_sessions::Session;
use upward_domain::words::relative_due;
use upward_domain::{Item, Kind, Next, Status};

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/items", get(list).post(add))
        .route("/items/new", get(new))
        .route("/items/{id}", get(show).post(edit))
        .route("/items/{id}/done", post(done))
        .route("/items/{id}/drop", post(drop))
        .route("/items/{id}/reopen", post(reopen))
        .route("/items/{id}/share", post(share))
        .route("/items/{id}/unshare", post(unshare))
}

/// How a field is entered: free text, a choice among words, or a longer text.
enum Input {
    Text,
    Choice(&'static [&'static str]),
}

/// A field of the add and edit forms: its form name (the command line's flag), its key in the
/// item's JSON, its label, how it is entered, and what it accepts.
struct Field {
    name: &'static str,
    key: &'static str,
    label: &'static str,
    input: Input,
    hint: &'static str,
}

const DATE: &str = "A date: 2026-12-01, today, tomorrow, fri, next monday, +3d, in 2 weeks";
const DURATION: &str = "Working days: 3d, 2w, 1m";
const LEVELS: &[&str] = &["low", "medium", "high"];

/// The kind fields a user sets (the others, such as `ranked` or `confirmed_by`, upward sets).
const KIND_FIELDS: &[Field] = &[
    Field {
        name: "impact",
        key: "impact",
        label: "Impact",
        input: Input::Text,
        hint: "What it changed for the team or the business",
    },
    Field {
        name: "metric",
        key: "metric",
        label: "Metric",
        input: Input::Text,
        hint: "A figure such as p99 -38%",
    },
    Field {
        name: "date",
        key: "date",
        label: "When it happened",
        input: Input::Text,
        hint: DATE,
    },
    Field {
        name: "rank",
        key: "rank",
        label: "Rank",
        input: Input::Text,
        hint: "A whole number; 1 is the top (default: after the last)",
    },
    Field {
        name: "effort",
        key: "effort",
        label: "Effort",
        input: Input::Text,
        hint: DURATION,
    },
    Field {
        name: "remaining",
        key: "remaining",
        label: "Effort still to do",
        input: Input::Text,
        hint: DURATION,
    },
    Field {
        name: "confirmed",
        key: "confirmed",
        label: "Confirmed on",
        input: Input::Text,
        hint: DATE,
    },
    Field {
        name: "likelihood",
        key: "likelihood",
        label: "Likelihood",
        input: Input::Choice(LEVELS),
        hint: "",
    },
    Field {
        name: "severity",
        key: "severity",
        label: "Severity",
        input: Input::Choice(LEVELS),
        hint: "",
    },
    Field {
        name: "mitigation",
        key: "mitigation",
        label: "Recommended mitigation",
        input: Input::Text,
        hint: "",
    },
    Field {
        name: "communicated",
        key: "communicated",
        label: "Communicated on",
        input: Input::Text,
        hint: DATE,
    },
    Field {
        name: "state",
        key: "state",
        label: "State",
        input: Input::Choice(&["open", "mitigated", "occurred", "closed"]),
        hint: "closed finishes it",
    },
    Field {
        name: "outcome",
        key: "outcome",
        label: "What happened",
        input: Input::Text,
        hint: "",
    },
    Field {
        name: "ask",
        key: "ask",
        label: "The ask (recommended solution)",
        input: Input::Text,
        hint: "",
    },
    Field {
        name: "data",
        key: "data",
        label: "The evidence",
        input: Input::Text,
        hint: "",
    },
    Field {
        name: "escalated",
        key: "escalated",
        label: "Escalated on",
        input: Input::Text,
        hint: DATE,
    },
    Field {
        name: "owner",
        key: "owner",
        label: "Whose action",
        input: Input::Choice(&["me", "them"]),
        hint: "",
    },
    Field {
        name: "direction",
        key: "direction",
        label: "Direction",
        input: Input::Choice(&["given", "received", "requested"]),
        hint: "",
    },
    Field {
        name: "tone",
        key: "tone",
        label: "Tone",
        input: Input::Choice(&["positive", "constructive"]),
        hint: "",
    },
    Field {
        name: "consent",
        key: "consent",
        label: "Asked first whether they were open to it",
        input: Input::Choice(&["yes", "no"]),
        hint: "",
    },
    Field {
        name: "last_discussed",
        key: "last_discussed",
        label: "Last discussed on",
        input: Input::Text,
        hint: DATE,
    },
    Field {
        name: "for",
        key: "for_item",
        label: "Counts for (the id of an expectation or goal)",
        input: Input::Text,
        hint: "",
    },
    Field {
        name: "answers",
        key: "answers",
        label: "Answers (the id of a feedback request)",
        input: Input::Text,
        hint: "It is then received, and the request done",
    },
];

/// The fields of a kind, in the order of [`KIND_FIELDS`].
fn fields_of(kind: Kind) -> impl Iterator<Item = &'static Field> {
    KIND_FIELDS
        .iter()
        .filter(move |f| kind.fields().contains(&f.key))
}

/// What an input shows now: the item's value, as the form would send it back.
fn current(item: Option<&Item>, key: &str) -> String {
    let Some(item) = item else {
        return String::new();
    };
    match key {
        "title" => item.title.clone(),
        "body" => item.body.clone().unwrap_or_default(),
        "with" => item
            .person
            .as_ref()
            .map(|p| p.name.clone())
            .unwrap_or_default(),
        "due" => item.due.map(|d| d.to_string()).unwrap_or_default(),
        "tag" => item.tags.join(", "),
        // Links are shown as the linked item, not as a value to send back.
        "for_item" | "answers" => String::new(),
        key => match item.to_json().get(key) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Bool(b)) => if *b { "yes" } else { "no" }.to_string(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => String::new(),
        },
    }
}

/// One labelled input, its hint tied to it for screen readers.
fn field_input(name: &str, label: &str, input: &Input, hint: &str, value: &str) -> Markup {
    let id = format!("f-{name}");
    let hint_id = format!("{id}-hint");
    html! {
        div class="field" {
            label for=(id) { (label) }
            @match input {
                Input::Text => {
                    @if hint.is_empty() {
                        input id=(id) name=(name) type="text" value=(value);
                    } @else {
                        input id=(id) name=(name) type="text" value=(value) aria-describedby=(hint_id);
                    }
                }
                Input::Choice(options) => {
                    select id=(id) name=(name) {
                        option value="" selected[value.is_empty()] { "—" }
                        @for o in *options {
                            option value=(o) selected[*o == value] { (o) }
                        }
                    }
                }
            }
            @if !hint.is_empty() {
                small id=(hint_id) class="hint" { (hint) }
            }
        }
    }
}

/// The add or edit form of an item of `kind` (`item`: the one edited).
fn item_form(auth: &Auth, kind: Kind, item: Option<&Item>) -> Markup {
    let action = match item {
        Some(i) => format!("/items/{}", i.id),
        None => "/items".to_string(),
    };
    let v = |key: &str| current(item, key);
    let shared = item.is_some_and(|i| i.visibility == upward_domain::Visibility::Shared);
    html! {
        form method="post" action=(action) class="item-form" {
            (csrf(auth))
            @if item.is_none() {
                input type="hidden" name="kind" value=(kind);
            }
            div class="field" {
                label for="f-title" { "Title" }
                input id="f-title" name="title" type="text" required[item.is_none()] value=(v("title"));
            }
            (field_input("with", if kind == Kind::Promise { "To whom" } else { "With (a person)" }, &Input::Text, "A name; the first letters are enough", &v("with")))
            (field_input("due", "Due", &Input::Text, DATE, &v("due")))
            (field_input("tag", "Tags", &Input::Text, "Comma-separated", &v("tag")))
            @for f in fields_of(kind) {
                (field_input(f.name, f.label, &f.input, f.hint, &v(f.key)))
            }
            div class="field" {
                label for="f-body" { "Notes" }
                textarea id="f-body" name="body" rows="4" { (v("body")) }
            }
            div class="field check" {
                input id="f-shared" name="shared" type="checkbox" value="1" checked[shared];
                label for="f-shared" { "Shared with the person (else private)" }
            }
            @if shared {
                div class="field check" {
                    input id="f-private" name="private" type="checkbox" value="1";
                    label for="f-private" { "Make it private again" }
                }
            }
            button type="submit" { @if item.is_some() { "Save the changes" } @else { "Add the " (kind) } }
        }
    }
}

/// `GET /items`: the items that match the filters, with the filter form.
async fn list(
    State(state): State<Arc<AppState>>,
    Extension(auth): Extension<Auth>,
    RawQuery(query): RawQuery,
) -> Result<Markup, WebError> {
    let pairs = input::query_pairs(query.as_deref())?;
    let page_no = paging::number(&pairs)?;
    let shown = pairs.clone();
    let items = state
        .read(move |tx, clock| {
            let q = list_query(&pairs, clock.today)?;
            Ok((
                upward_app::items::listed(tx, q.filter, q.person.as_deref())?,
                clock.today,
            ))
        })
        .await?;
    let (items, today) = items;
    let value = |name: &str| input::get(&shown, name).unwrap_or("").to_string();
    Ok(page(
        "Items",
        "/items",
        Some(&auth),
        html! {
            p { a href="/items/new" { "Add an item" } }
            form method="get" action="/items" class="filters" {
                h2 { "Filters" }
                div class="field" {
                    label for="q-kind" { "Kind" }
                    select id="q-kind" name="kind" {
                        option value="" { "every kind" }
                        @for k in Kind::ALL {
                            option value=(k) selected[value("kind") == k.as_str()] { (k) }
                        }
                    }
                }
                div class="field" {
                    label for="q-person" { "Person" }
                    input id="q-person" name="person" type="text" value=(value("person"));
                }
                div class="field" {
                    label for="q-status" { "Status" }
                    select id="q-status" name="status" {
                        option value="" { "open (wins: every one not dropped)" }
                        @for s in ["open", "done", "dropped", "all"] {
                            option value=(s) selected[value("status") == s] { (s) }
                        }
                    }
                }
                div class="field" {
                    label for="q-tag" { "Tag" }
                    input id="q-tag" name="tag" type="text" value=(value("tag"));
                }
                div class="field" {
                    label for="q-since" { "Since" }
                    input id="q-since" name="since" type="text" value=(value("since")) aria-describedby="q-since-hint";
                    small id="q-since-hint" class="hint" { (DATE) }
                }
                button type="submit" { "Show" }
            }
            h2 { (items.len()) " item" @if items.len() != 1 { "s" } }
            @if items.is_empty() {
                p class="notice" { "Nothing here." }
            } @else {
                @let (from, to) = paging::window(items.len(), page_no);
                (paging::showing(items.len(), page_no))
                (table(&items[from..to], today))
                (paging::pager("/items", "Pages of items", &shown, items.len(), page_no))
            }
        },
    ))
}

/// The items as a table.
fn table(items: &[Item], today: jiff::civil::Date) -> Markup {
    html! {
        table class="items" {
            thead { tr {
                th scope="col" { "Id" }
                th scope="col" { "Kind" }
                th scope="col" { "Title" }
                th scope="col" { "With" }
                th scope="col" { "Due" }
                th scope="col" { "Status" }
                th scope="col" { "Tags" }
            } }
            tbody {
                @for i in items {
                    tr {
                        td { (i.id) }
                        td { (i.kind) }
                        th scope="row" { a href=(format!("/items/{}", i.id)) { (i.title) } }
                        td { @if let Some(p) = &i.person { (p.name) } }
                        td { @if let (Some(d), true) = (i.due, i.is_open()) { (relative_due(d, today)) } }
                        td { (i.status) }
                        td { (i.tags.join(", ")) }
                    }
                }
            }
        }
    }
}

/// `GET /items/new?kind=`: the add form of a kind, or the kinds to choose from.
async fn new(
    Extension(auth): Extension<Auth>,
    RawQuery(query): RawQuery,
) -> Result<Markup, WebError> {
    let pairs = input::query_pairs(query.as_deref())?;
    let kind: Option<Kind> = input::get(&pairs, "kind")
        .map(str::parse)
        .transpose()
        .map_err(WebError::from)?;
    let Some(kind) = kind else {
        return Ok(page(
            "Add an item",
            "/items",
            Some(&auth),
            html! {
                h2 { "Which kind?" }
                ul class="kinds" {
                    @for k in Kind::ALL {
                        li { a href=(format!("/items/new?kind={k}")) { "Add a " (k) } }
                    }
                }
            },
        ));
    };
    Ok(page(
        &format!("Add a {kind}"),
        "/items",
        Some(&auth),
        item_form(&auth, kind, None),
    ))
}

/// The session key of the hints of the item just added, shown once on its page.
const ADDED_HINTS: &str = "added_hints";

/// The hints `add` gives (docs/hints.md), carried in the session across the redirect to the
/// item's page and shown there once: they speak of the moment of the add (a week already full
/// of promises), so they are not worked out again on each visit.
#[derive(Serialize, Deserialize)]
struct AddedHints {
    id: i64,
    hints: Vec<(String, Option<Next>)>,
}

/// `POST /items`: adds the item, then shows it (with the hints of the add, once).
async fn add(
    State(state): State<Arc<AppState>>,
    session: Session,
    body: Bytes,
) -> Result<Redirect, WebError> {
    let pairs = input::form_pairs(&body)?;
    let kind = input::get(&pairs, "kind").ok_or_else(|| {
        WebError::bad_request(format!(
            "the kind is missing — accepted: {}",
            Kind::accepted()
        ))
    })?;
    let kind = kind.to_string();
    let added = add_item(&state, &kind, &pairs).await?;
    let id = added.item.id;
    if !added.hints.is_empty() {
        let flash = AddedHints {
            id,
            hints: added.hints.into_iter().map(|h| (h.text, h.next)).collect(),
        };
        // The item is added either way: a hint that cannot be kept is only not shown.
        let _ = session.insert(ADDED_HINTS, flash).await;
    }
    Ok(Redirect::to(&format!("/items/{id}")))
}

/// The hints of the add, if this item was just added from its page: taken out of the session
/// by the first item page seen, so a reload does not show them again.
async fn added_hints(session: &Session, id: i64) -> Vec<(String, Option<Next>)> {
    match session.remove::<AddedHints>(ADDED_HINTS).await {
        Ok(Some(flash)) if flash.id == id => flash.hints,
        _ => Vec::new(),
    }
}

/// The hints of the add, each with its step as a link.
fn hints(hints: &[(String, Option<Next>)]) -> Markup {
    html! {
        @if !hints.is_empty() {
            section class="warning" aria-labelledby="add-hints" {
                h2 id="add-hints" { "Added, with a hint" }
                div role="status" {
                    ul {
                        @for (text, next) in hints {
                            li {
                                (text)
                                @if let Some(next) = next { (crate::layout::next_link(next)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /items/{id}`: the item, its edit form, and what can be done with it. What the tone
/// check flags in its words (feedback I give or ask for, a blocker's ask) is worked out from
/// the item as it stands, as `add` and `edit` do, so it shows after either and stays until the
/// words change.
async fn show(
    State(state): State<Arc<AppState>>,
    Extension(auth): Extension<Auth>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Markup, WebError> {
    let id = input::id(&id)?;
    let added = added_hints(&session, id).await;
    let (item, links) = state
        .read(move |tx, _| {
            let item = upward_app::items::get(tx, id)?;
            let mut links = Vec::new();
            for (label, link) in [("Counts for", item.for_item), ("Answers", item.answers)] {
                if let Some(uuid) = link
                    && let Some(other) = tx.item_by_uuid(uuid)?
                {
                    links.push((label, other.id, other.title));
                }
            }
            Ok((item, links))
        })
        .await?;
    let warnings = upward_domain::tone::item_warnings(&item, &Default::default());
    Ok(page(
        &format!("#{} {}", item.id, item.title),
        "/items",
        Some(&auth),
        html! {
            (hints(&added))
            (super::tone::flags(&warnings))
            (facts(&item, &links))
            (actions(&auth, &item))
            (sharing(&auth, &item))
            h2 { "Edit" }
            (item_form(&auth, item.kind, Some(&item)))
        },
    ))
}

/// Every field of the item that has a value, as a description list.
fn facts(item: &Item, links: &[(&str, i64, String)]) -> Markup {
    let json = item.to_json();
    let skip = [
        "id",
        "uuid",
        "title",
        "body",
        "created_at",
        "updated_at",
        "person_uuid",
        "for_item",
        "answers",
        "discussed",
        "meeting",
        "confirmed_by",
    ];
    html! {
        dl class="facts" {
            @if let Some(map) = json.as_object() {
                @for (k, v) in map {
                    @let text = match v {
                        serde_json::Value::Null => String::new(),
                        serde_json::Value::Array(a) => a.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>().join(", "),
                        serde_json::Value::String(s) => s.clone(),
                        serde_json::Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
                        other => other.to_string(),
                    };
                    @if shows(k, &text, &skip) {
                        dt { (k.replace('_', " ")) }
                        dd { (text) }
                    }
                }
            }
            @for (label, id, title) in links {
                dt { (label) }
                dd { a href=(format!("/items/{id}")) { "#" (id) " " (title) } }
            }
        }
        @if let Some(body) = &item.body {
            h2 { "Notes" }
            p class="body" { (crate::layout::lines(body)) }
        }
    }
}

/// Whether a field is worth a line: not one shown elsewhere, not empty, and not a due date
/// never moved (the usual case).
fn shows(key: &str, text: &str, skip: &[&str]) -> bool {
    !(skip.contains(&key) || text.is_empty() || (key == "renegotiated" && text == "0"))
}

/// Done and drop for an open item; reopen for a closed one.
fn actions(auth: &Auth, item: &Item) -> Markup {
    let id = item.id;
    html! {
        h2 { "Status" }
        @if item.status == Status::Open {
            form method="post" action=(format!("/items/{id}/done")) class="inline" {
                (csrf(auth))
                div class="field" {
                    label for="done-date" { "Done on (default: today)" }
                    input id="done-date" name="date" type="text";
                }
                button type="submit" { "Mark done" }
            }
            form method="post" action=(format!("/items/{id}/drop")) class="inline" {
                (csrf(auth))
                div class="field" {
                    label for="drop-why" { "Why drop it" }
                    input id="drop-why" name="why" type="text";
                }
                button type="submit" { "Drop (kept, marked dropped)" }
            }
        } @else {
            p { "This item is " (item.status) "." }
            form method="post" action=(format!("/items/{id}/reopen")) class="inline" {
                (csrf(auth))
                button type="submit" { "Reopen" }
            }
        }
    }
}

/// Sharing with the item's person: "Share with NAME" for a private item, "Make private" for
/// a shared one. The space is checked when the button is pressed (`upward share`'s check):
/// a person with no email or no accepted space is a refusal saying what to do.
fn sharing(auth: &Auth, item: &Item) -> Markup {
    let id = item.id;
    html! {
        h2 { "Sharing" }
        @match (&item.person, item.visibility) {
            (None, _) => {
                p { "Private. An item with no person stays here: a space is with someone." }
            }
            (Some(p), upward_domain::Visibility::Private) => {
                p { "Private: only on this machine." }
                form method="post" action=(format!("/items/{id}/share")) class="inline" {
                    (csrf(auth))
                    button type="submit" { "Share with " (p.name) }
                }
            }
            (Some(p), upward_domain::Visibility::Shared) => {
                p {
                    "Shared with " (p.name) ": " code { "upward sync" }
                    " puts it in your space with them, and its changes after."
                }
                form method="post" action=(format!("/items/{id}/unshare")) class="inline" {
                    (csrf(auth))
                    button type="submit" { "Make private" }
                }
                p { "Made private, it leaves the space at the next sync; copies already synced remain theirs." }
            }
        }
    }
}

/// The pairs of an edit form without the values it showed unchanged: a field left as it was
/// is not a change (a due date sent back as it is must not count as a renegotiation).
fn changed(pairs: Pairs, item: &Item) -> Pairs {
    pairs
        .into_iter()
        .filter(|(k, v)| {
            let key = match k.as_str() {
                "for" => "for_item",
                k => k,
            };
            let shown = current(Some(item), key);
            match key {
                "shared" => item.visibility != upward_domain::Visibility::Shared,
                "tag" => {
                    let tags: Vec<&str> = v
                        .split(',')
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .collect();
                    tags != item.tags.iter().map(String::as_str).collect::<Vec<_>>()
                }
                _ => v.trim() != shown.trim(),
            }
        })
        .collect()
}

/// `POST /items/{id}`: saves what the edit form changed.
async fn edit(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Redirect, WebError> {
    let id = input::id(&id)?;
    let pairs = input::form_pairs(&body)?;
    let item = state
        .read(move |tx, _| Ok(upward_app::items::get(tx, id)?))
        .await?;
    let pairs = changed(pairs, &item);
    edit_item(&state, id, &pairs).await?;
    Ok(Redirect::to(&format!("/items/{id}")))
}

/// `POST /items/{id}/done`.
async fn done(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Redirect, WebError> {
    let id = input::id(&id)?;
    let pairs = input::form_pairs(&body)?;
    done_item(&state, id, input::get(&pairs, "date").map(str::to_string)).await?;
    Ok(Redirect::to(&format!("/items/{id}")))
}

/// `POST /items/{id}/drop`.
async fn drop(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Redirect, WebError> {
    let id = input::id(&id)?;
    let pairs = input::form_pairs(&body)?;
    drop_item(&state, id, input::get(&pairs, "why").map(str::to_string)).await?;
    Ok(Redirect::to(&format!("/items/{id}")))
}

/// `POST /items/{id}/share`: `upward share ID` (the sync that sends it stays `upward sync`).
async fn share(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Redirect, WebError> {
    set_shared(&state, &id, true).await
}

/// `POST /items/{id}/unshare`: `upward unshare ID`.
async fn unshare(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Redirect, WebError> {
    set_shared(&state, &id, false).await
}

async fn set_shared(state: &Arc<AppState>, id: &str, shared: bool) -> Result<Redirect, WebError> {
    let id = input::id(id)?;
    state
        .write(move |tx, clock| Ok(upward_app::sync::share(tx, id, shared, clock.now)?))
        .await?;
    Ok(Redirect::to(&format!("/items/{id}")))
}

/// `POST /items/{id}/reopen`.
async fn reopen(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Redirect, WebError> {
    let id = input::id(&id)?;
    reopen_item(&state, id).await?;
    Ok(Redirect::to(&format!("/items/{id}")))
}
