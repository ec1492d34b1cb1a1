//! Agenda: the prep for the next 1:1 with a person (my manager by default) drawn from the
//! domain's `Agenda` — its sections as headings, each item with its facts and its step as a
//! link — and on the same page the form that records the meeting (what was discussed, actions
//! for either side, notes, feedback given after asking). Recording answers with a redirect to
//! the 1:1's own page, which shows what it changed and can take it back.

use crate::api::agenda::meeting_id;
use crate::error::WebError;
use crate::layout::{csrf, lines, next_link, page, urlencode};
use crate::pages::input::{self, Pairs};
use crate::security::Auth;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::Redirect;
use axum::routing::{get, post};
use axum::{Extension, Router};
use maud::{Markup, html};
use std::collections::BTreeMap;
use std::sync::Arc;
use upward_app::workflows::Met;
use upward_domain::workflow::meet::{ActionSpec, MeetInput, parse_action};
use upward_domain::workflow::prep::{Agenda, Audience};
use upward_domain::{Direction, Item, Kind, Length, Status, parse_date};

/// Rows for actions in the meeting form (a page without script cannot add rows).
const ACTION_ROWS: usize = 4;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/agenda", get(agenda_manager))
        .route("/agenda/{person}", get(agenda_person))
        .route("/meetings", get(list).post(meet))
        .route("/meetings/{id}", get(show))
        .route("/meetings/{id}/undo", post(undo))
}

/// The meeting a form or a JSON body describes: the person (my manager when absent) and the
/// input of `meet`. Actions come as `action` (`TEXT@me|them[:DUE]`, the command line's form)
/// or as rows `action_title_N`, `action_owner_N`, `action_due_N`; both are read by the
/// domain's `parse_action`, so they mean what `meet --action` means.
pub fn meet_input(pairs: &Pairs) -> Result<(Option<String>, PendingMeet), WebError> {
    let person = input::get(pairs, "person").map(str::to_string);
    let ids = |name: &str| -> Result<Vec<i64>, WebError> {
        pairs
            .iter()
            .filter(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| input::id(v))
            .collect()
    };
    let discussed = ids("discussed")?;
    let consent_asked = ids("consent_asked")?;
    let notes = input::get(pairs, "notes").map(str::to_string);
    let shared_notes = input::get(pairs, "shared_notes").map(str::to_string);
    let mut specs: Vec<String> = pairs
        .iter()
        .filter(|(k, v)| k == "action" && !v.trim().is_empty())
        .map(|(_, v)| v.clone())
        .collect();
    let mut rows: BTreeMap<usize, BTreeMap<&str, &str>> = BTreeMap::new();
    for (k, v) in pairs {
        for field in ["title", "owner", "due"] {
            if let Some(n) = k
                .strip_prefix("action_")
                .and_then(|r| r.strip_prefix(field))
                .and_then(|r| r.strip_prefix('_'))
                .and_then(|n| n.parse::<usize>().ok())
            {
                rows.entry(n).or_default().insert(field, v.trim());
            }
        }
    }
    for row in rows.values() {
        let title = row.get("title").copied().unwrap_or("");
        let due = row.get("due").copied().unwrap_or("");
        if title.is_empty() {
            if !due.is_empty() {
                return Err(WebError::bad_request(
                    "an action has a due date but no title — say what is to be done",
                ));
            }
            continue;
        }
        let owner = row
            .get("owner")
            .copied()
            .filter(|o| !o.is_empty())
            .unwrap_or("me");
        let mut spec = format!("{title}@{owner}");
        if !due.is_empty() {
            spec.push(':');
            spec.push_str(due);
        }
        specs.push(spec);
    }
    let date = input::get(pairs, "date").map(str::to_string);
    if discussed.is_empty()
        && consent_asked.is_empty()
        && notes.is_none()
        && shared_notes.is_none()
        && specs.is_empty()
    {
        return Err(WebError::bad_request(
            "nothing to record — tick what was discussed, or add notes or an action",
        ));
    }
    Ok((
        person,
        PendingMeet {
            date,
            discussed,
            notes,
            shared_notes,
            actions: specs,
            consent_asked,
        },
    ))
}

/// A meeting whose date and actions are still as typed: they are read against the clock of
/// the transaction that records it.
pub struct PendingMeet {
    date: Option<String>,
    discussed: Vec<i64>,
    notes: Option<String>,
    shared_notes: Option<String>,
    /// `TEXT@me|them[:DUE]`, as `meet --action` takes them.
    actions: Vec<String>,
    consent_asked: Vec<i64>,
}

impl PendingMeet {
    /// The input of `meet`, with the dates read against `today` by the domain's parsers.
    fn resolve(self, today: jiff::civil::Date) -> Result<MeetInput, WebError> {
        Ok(MeetInput {
            date: self
                .date
                .as_deref()
                .map(|d| parse_date(d, today))
                .transpose()?
                .unwrap_or(today),
            discussed: self.discussed,
            notes: self.notes,
            shared_notes: self.shared_notes,
            actions: self
                .actions
                .iter()
                .map(|a| parse_action(a, today))
                .collect::<Result<Vec<ActionSpec>, _>>()?,
            consent_asked: self.consent_asked,
        })
    }
}

/// Records the meeting in one transaction; the page's form and the API share it.
pub async fn record_meeting(
    state: &Arc<AppState>,
    person: Option<String>,
    pending: PendingMeet,
) -> Result<Met, WebError> {
    state
        .write(move |tx, clock| {
            let input = pending.resolve(clock.today)?;
            Ok(upward_app::workflows::meet(
                tx,
                person.as_deref(),
                input,
                clock,
            )?)
        })
        .await
}

/// What the agenda page shows of each item on it: the item, for its kind and facts.
type Items = BTreeMap<i64, Item>;

async fn agenda_page(
    state: Arc<AppState>,
    auth: Auth,
    person: Option<String>,
    query: Option<String>,
) -> Result<Markup, WebError> {
    let pairs = input::query_pairs(query.as_deref())?;
    let shared = input::flag(&pairs, "shared");
    let all = input::flag(&pairs, "all");
    let audience = if shared {
        Audience::Shared
    } else {
        Audience::Private
    };
    let (agenda, items, others) = state
        .read(move |tx, clock| {
            // One read of the store: the items and people come with the agenda.
            let view = upward_app::workflows::agenda_view(tx, person.as_deref(), audience, clock)?;
            let items: Items = view.items.into_iter().map(|i| (i.id, i)).collect();
            let others: Vec<String> = view
                .people
                .into_iter()
                .filter(|p| p.relation != upward_domain::Relation::Myself)
                .map(|p| p.name)
                .collect();
            Ok((view.agenda, items, others))
        })
        .await?;
    let title = format!("1:1 agenda — {} — {}", agenda.person, agenda.date);
    Ok(page(
        &title,
        "/agenda",
        Some(&auth),
        html! {
            (views(&agenda, all, &others))
            @if shared {
                (shared_view(&agenda, all))
            } @else {
                (private_view(&agenda, all, &items))
                (meeting_form(&auth, &agenda, &items))
            }
        },
    ))
}

/// Links to the other views of this agenda and to the agendas of the others.
fn views(agenda: &Agenda, all: bool, others: &[String]) -> Markup {
    let base = format!("/agenda/{}", urlencode(&agenda.person));
    html! {
        nav aria-label="Views of the agenda" class="views" {
            ul {
                li { a href=(base) { "My agenda" } }
                li { a href=(format!("{base}?shared=1")) { "The agenda to share" } }
                @if !all && agenda.length == Some(Length::Brief) {
                    li { a href=(format!("{base}?all=1")) { "Every item" } }
                }
                li { a href=(format!("/meetings?person={}", urlencode(&agenda.person))) { "The 1:1s with " (agenda.person) } }
            }
        }
        @if others.len() > 1 {
            details {
                summary { "Another person's agenda" }
                ul {
                    @for name in others {
                        li { a href=(format!("/agenda/{}", urlencode(name))) { (name) } }
                    }
                }
            }
        }
    }
}

/// My agenda: each section a heading, each item its text, why now, its facts and its step.
fn private_view(agenda: &Agenda, all: bool, items: &Items) -> Markup {
    let (shown, left_out) = agenda.as_read(all);
    let bodies = agenda.length == Some(Length::Detailed);
    html! {
        @if shown.sections.is_empty() {
            p class="notice" { "Nothing pressing on record. Ask what is on their mind, and share what you are working on." }
        }
        @for section in &shown.sections {
            section class="agenda-section" {
                h2 { (section.title) }
                @if let Some(note) = &section.note { p class="muted" { (note) } }
                ul class="agenda" {
                    @for item in &section.items {
                        li {
                            (item.text)
                            @if let Some(id) = item.id {
                                " " a href=(format!("/items/{id}")) { "#" (id) }
                                @if let Some(i) = items.get(&id) { (facts(i)) }
                            }
                            @if !item.reason.is_empty() { br; span class="muted" { (item.reason) } }
                            @if let Some(next) = &item.next { " " (next_link(next)) }
                            @if let Some(body) = item.body.as_deref().filter(|_| bodies) {
                                p class="body" { (lines(body)) }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(l) = left_out {
            p class="muted" { (l.text) ". " (next_link(&l.next)) }
        }
    }
}

/// The short facts of an item on the agenda: its kind, due date and status.
fn facts(item: &Item) -> Markup {
    html! {
        " " span class="muted" {
            "(" (item.kind)
            @if let Some(d) = item.due { ", due " (d) }
            @if item.status != Status::Open { ", " (item.status) }
            ")"
        }
    }
}

/// The agenda to share: no ids, no steps; and its text to copy into a shared doc.
fn shared_view(agenda: &Agenda, all: bool) -> Markup {
    let (shown, left_out) = agenda.as_read(all);
    let text = upward_render::agenda::page(agenda, all);
    html! {
        @if shown.sections.is_empty() { p class="notice" { "Nothing on the agenda yet." } }
        @for section in &shown.sections {
            h2 { (section.title) }
            ul { @for item in &section.items { li { (item.text) @if !item.reason.is_empty() { " — " span class="muted" { (item.reason) } } } } }
        }
        @if let Some(l) = left_out { p class="muted" { (l.text) "." } }
        h2 { "To paste into the shared doc" }
        pre class="draft" id="agenda-text" { (text) }
        button type="button" class="secondary" data-copy="agenda-text" hidden { "Copy the agenda" }
        p id="agenda-text-status" role="status" {}
    }
}

/// The form that records the 1:1: a checkbox per item (discussed), consent asked for
/// feedback given, actions for either side, notes.
fn meeting_form(auth: &Auth, agenda: &Agenda, items: &Items) -> Markup {
    let listed: Vec<(i64, &str)> = agenda
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .filter_map(|i| i.id.map(|id| (id, i.text.as_str())))
        .fold(Vec::new(), |mut v, (id, t)| {
            if !v.iter().any(|(x, _)| *x == id) {
                v.push((id, t));
            }
            v
        });
    let given: Vec<&Item> = items
        .values()
        .filter(|i| i.kind == Kind::Feedback && i.direction == Some(Direction::Given))
        .collect();
    html! {
        h2 id="record" { "Record the 1:1" }
        form method="post" action="/meetings" class="meeting" {
            (csrf(auth))
            input type="hidden" name="person" value=(agenda.person);
            @if !listed.is_empty() {
                fieldset {
                    legend { "Discussed" }
                    @for (id, text) in &listed {
                        div class="field check" {
                            input type="checkbox" id=(format!("d-{id}")) name="discussed" value=(id);
                            label for=(format!("d-{id}")) { "#" (id) " " (text) }
                        }
                    }
                }
            }
            @if !given.is_empty() {
                fieldset {
                    legend { "Feedback given after asking whether they were open to it" }
                    @for i in &given {
                        div class="field check" {
                            input type="checkbox" id=(format!("c-{}", i.id)) name="consent_asked" value=(i.id);
                            label for=(format!("c-{}", i.id)) { "#" (i.id) " " (i.title) }
                        }
                    }
                }
            }
            fieldset {
                legend { "Actions agreed" }
                @for n in 0..ACTION_ROWS {
                    div class="action-row" {
                        label for=(format!("a-title-{n}")) { "Action " (n + 1) }
                        input type="text" id=(format!("a-title-{n}")) name=(format!("action_title_{n}"));
                        label for=(format!("a-owner-{n}")) { "Whose (action " (n + 1) ")" }
                        select id=(format!("a-owner-{n}")) name=(format!("action_owner_{n}")) {
                            option value="me" { "mine" }
                            option value="them" { "theirs" }
                        }
                        label for=(format!("a-due-{n}")) { "Due (action " (n + 1) ")" }
                        input type="text" id=(format!("a-due-{n}")) name=(format!("action_due_{n}"));
                    }
                }
            }
            div class="field" {
                label for="m-notes" { "Notes" }
                textarea id="m-notes" name="notes" rows="5" {}
                label for="m-shared-notes" { "Shared notes (sync puts them in the space you share)" }
                textarea id="m-shared-notes" name="shared_notes" rows="3" {}
            }
            div class="field" {
                label for="m-date" { "Date (default: today)" }
                input type="text" id="m-date" name="date";
            }
            button type="submit" { "Record the 1:1" }
        }
    }
}

/// `GET /agenda?shared=&all=`: the agenda with my manager.
async fn agenda_manager(
    State(state): State<Arc<AppState>>,
    Extension(auth): Extension<Auth>,
    RawQuery(query): RawQuery,
) -> Result<Markup, WebError> {
    agenda_page(state, auth, None, query).await
}

/// `GET /agenda/{person}?shared=&all=`.
async fn agenda_person(
    State(state): State<Arc<AppState>>,
    Extension(auth): Extension<Auth>,
    Path(person): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Markup, WebError> {
    agenda_page(state, auth, Some(person), query).await
}

/// `POST /meetings`: records the 1:1, then shows it.
async fn meet(State(state): State<Arc<AppState>>, body: Bytes) -> Result<Redirect, WebError> {
    let pairs = input::form_pairs(&body)?;
    let (person, pending) = meet_input(&pairs)?;
    let met = record_meeting(&state, person, pending).await?;
    Ok(Redirect::to(&format!("/meetings/{}", met.meeting.id)))
}

/// `GET /meetings?person=`: the 1:1s, newest first.
async fn list(
    State(state): State<Arc<AppState>>,
    Extension(auth): Extension<Auth>,
    RawQuery(query): RawQuery,
) -> Result<Markup, WebError> {
    let pairs = input::query_pairs(query.as_deref())?;
    let person = input::get(&pairs, "person").map(str::to_string);
    let undone = input::get(&pairs, "undone").and_then(|u| input::id(u).ok());
    let page_no = crate::pages::paging::number(&pairs)?;
    let meetings = state
        .read(move |tx, _| Ok(upward_app::meetings::list(tx, person.as_deref())?))
        .await?;
    Ok(page(
        "1:1s",
        "/agenda",
        Some(&auth),
        html! {
            @if let Some(id) = undone {
                p class="notice" role="status" {
                    "The 1:1 #" (id) " is undone: what it changed is put back (unless changed since), the actions agreed at it that were still open are dropped, and it is removed."
                }
            }
            @if meetings.is_empty() {
                p class="notice" { "No 1:1 recorded yet. " a href="/agenda" { "Prepare one" } }
            } @else {
                @let (from, to) = crate::pages::paging::window(meetings.len(), page_no);
                (crate::pages::paging::showing(meetings.len(), page_no))
                table {
                    thead { tr {
                        th scope="col" { "Date" }
                        th scope="col" { "With" }
                        th scope="col" { "Discussed" }
                        th scope="col" { "Notes" }
                    } }
                    tbody {
                        @for m in &meetings[from..to] {
                            tr {
                                th scope="row" { a href=(format!("/meetings/{}", m.id)) { (m.date) } }
                                td { (m.person.name) }
                                td { (upward_domain::words::plural(m.discussed.len(), "item")) }
                                td { (upward_domain::words::one_line(m.notes.as_deref().unwrap_or(""))) }
                            }
                        }
                    }
                }
                (crate::pages::paging::pager("/meetings", "Pages of 1:1s", &pairs, meetings.len(), page_no))
            }
        },
    ))
}

/// `GET /meetings/{id}`: the notes, the items discussed with the fields it changed, the
/// actions agreed, and the button that takes it back.
async fn show(
    State(state): State<Arc<AppState>>,
    Extension(auth): Extension<Auth>,
    Path(id): Path<String>,
) -> Result<Markup, WebError> {
    let id = meeting_id(&id)?;
    let view = state
        .read(move |tx, _| Ok(upward_app::meetings::show(tx, id)?))
        .await?;
    let m = &view.meeting;
    Ok(page(
        &format!("1:1 with {} on {}", m.person.name, m.date),
        "/agenda",
        Some(&auth),
        html! {
            @if let Some(notes) = &m.notes {
                h2 { "Notes" }
                p class="body" { (lines(notes)) }
            }
            @if let Some(notes) = &m.shared_notes {
                h2 { "Shared notes" }
                p class="body" { (lines(notes)) }
            }
            @if let Some(notes) = &m.their_notes {
                h2 { "Their notes" }
                p class="body" { (lines(notes)) }
            }
            h2 { "Discussed" }
            @if view.discussed.is_empty() { p { "No item." } }
            ul {
                @for item in &view.discussed {
                    @let changed: Vec<String> = view.effects.iter()
                        .filter(|e| e.item == item.uuid && e.field != "discussed")
                        .map(|e| format!("{}: {} → {}", e.field.replace('_', " "), shown(&e.before), shown(&e.after)))
                        .collect();
                    li {
                        a href=(format!("/items/{}", item.id)) { "#" (item.id) " " (item.title) }
                        " (" (item.kind) ")"
                        @if !changed.is_empty() { " — it set " (changed.join("; ")) }
                    }
                }
            }
            h2 { "Actions agreed" }
            @if view.actions.is_empty() { p { "None." } }
            ul {
                @for a in &view.actions {
                    li {
                        a href=(format!("/items/{}", a.id)) { "#" (a.id) " " (a.title) }
                        " (" (if a.owner.map(|o| o.as_str()) == Some("them") { "theirs" } else { "mine" })
                        @if let Some(d) = a.due { ", due " (d) }
                        ", " (a.status) ")"
                    }
                }
            }
            h2 { "Take it back" }
            p { "Undoing puts back what it changed (unless changed since), drops the actions agreed at it that are still open, and removes it." }
            form method="post" action=(format!("/meetings/{}/undo", m.id)) {
                (csrf(&auth))
                button type="submit" class="secondary" { "Undo this 1:1" }
            }
        },
    ))
}

/// A field's value before or after, in words.
fn shown(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "nothing".into(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `POST /meetings/{id}/undo`: takes the 1:1 back, then lists the 1:1s.
async fn undo(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Redirect, WebError> {
    let id = meeting_id(&id)?;
    state
        .write(move |tx, clock| Ok(upward_app::meetings::undo(tx, id, clock)?))
        .await?;
    Ok(Redirect::to(&format!("/meetings?undone={id}")))
}
