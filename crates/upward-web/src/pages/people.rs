//! People: the list, adding a person, saying who I am and who my manager is; and a person's
//! page: profile and style in one form (each empty field with the question prep asks about
//! it), their open items, the history of 1:1s, updates, reflections and declines, and
//! archiving or bringing them back. The rules are `upward_app::people`'s, as `upward person`
//! and `upward init` apply them.

use crate::error::WebError;
use crate::layout::{csrf, page, urlencode};
use crate::security::{Auth, CSRF_FIELD};
use crate::state::AppState;
use axum::extract::rejection::{FormRejection, PathRejection, QueryRejection};
use axum::extract::{Form, Path, Query, State};
use axum::response::Redirect;
use axum::routing::{get, post};
use axum::{Extension, Router};
use maud::{Markup, html};
use serde::Deserialize;
use std::sync::Arc;
use upward_app::people::{NewPerson, Record};
use upward_domain::words::relative_past;
use upward_domain::workflow::prep::know_them_question;
use upward_domain::{
    Channel, DecidesBy, Length, Level, PROFILE_FIELDS, Person, Relation, STYLE_FIELDS,
};

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/people", get(list).post(add))
        .route("/people/init", post(init))
        .route("/people/{name}", get(show).post(edit))
        .route("/people/{name}/archive", post(archive))
        .route("/people/{name}/restore", post(restore))
}

/// A form, or a refusal to read it as a 400 page.
fn form<T>(f: Result<Form<T>, FormRejection>) -> Result<T, WebError> {
    f.map(|Form(t)| t).map_err(|e| {
        WebError::bad_request(format!("the form could not be read: {}", e.body_text()))
    })
}

/// A name from the path, or a 400 page (a name that is not UTF-8 once decoded).
pub(crate) fn path_name(p: Result<Path<String>, PathRejection>) -> Result<String, WebError> {
    p.map(|Path(n)| n).map_err(|e| {
        WebError::bad_request(format!("the address could not be read: {}", e.body_text()))
    })
}

/// The address of a person's page.
pub(crate) fn person_href(name: &str) -> String {
    format!("/people/{}", urlencode(name))
}

/// What a browser sends in a text area (CRLF line ends) as upward stores it.
fn text(value: &str) -> String {
    value.replace("\r\n", "\n").replace('\r', "\n")
}

#[derive(Deserialize, Default)]
struct ListQuery {
    all: Option<String>,
}

async fn list(
    State(state): State<Arc<AppState>>,
    Extension(auth): Extension<Auth>,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Markup, WebError> {
    let all = query.map(|Query(q)| q).unwrap_or_default().all.is_some();
    let (people, me, manager) = state
        .read(move |tx, _| {
            Ok((
                tx.people(all)?,
                upward_app::people::me(tx)?,
                upward_app::people::manager(tx)?,
            ))
        })
        .await?;
    Ok(page(
        "People",
        "/people",
        Some(&auth),
        html! {
            @if people.is_empty() {
                p class="notice" { "No people yet. Start by saying who you are and who your manager is." }
            } @else {
                (people_table(&people))
                p {
                    @if all { a href="/people" { "Hide the people removed" } }
                    @else { a href="/people?all=1" { "Show the people removed too" } }
                }
            }
            @if me.is_none() || manager.is_none() {
                (init_form(&auth, me.as_ref()))
            }
            (add_form(&auth))
        },
    ))
}

fn people_table(people: &[Person]) -> Markup {
    html! {
        table {
            caption class="visually-hidden" { "The people you work with" }
            thead { tr {
                th scope="col" { "Name" }
                th scope="col" { "Relation" }
                th scope="col" { "Role" }
                th scope="col" { "Cadence" }
                th scope="col" { "Style" }
            } }
            tbody {
                @for p in people {
                    tr {
                        th scope="row" {
                            a href=(person_href(&p.name)) { (p.name) }
                            @if p.archived { " " span class="muted" { "(removed)" } }
                        }
                        td { @if p.is_me { "me" } @else { (p.relation) } }
                        td { (p.role.as_deref().unwrap_or("")) }
                        td { @if let Some(c) = p.cadence { (c) } }
                        td { (style_summary(p)) }
                    }
                }
            }
        }
    }
}

/// `email, brief, decides by data`, as `person list` shows a person's style.
fn style_summary(p: &Person) -> String {
    [
        p.channel.map(|c| c.to_string()),
        p.length.map(|c| c.to_string()),
        p.decides_by.map(|c| format!("decides by {c}")),
        (p.technical == Some(false)).then(|| "not technical".to_string()),
        (p.exec == Some(true)).then(|| "exec".to_string()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ")
}

fn init_form(auth: &Auth, me: Option<&Person>) -> Markup {
    html! {
        section aria-labelledby="init" {
            h2 id="init" tabindex="-1" { "Who you are and your manager" }
            form method="post" action="/people/init" {
                (csrf(auth))
                label for="init-me" { "Your name" }
                input type="text" id="init-me" name="me" required
                    value=(me.map(|m| m.name.as_str()).unwrap_or(""));
                label for="init-role" { "Your role (optional)" }
                input type="text" id="init-role" name="role"
                    value=(me.and_then(|m| m.role.as_deref()).unwrap_or(""));
                label for="init-manager" { "Your manager's name (optional)" }
                input type="text" id="init-manager" name="manager";
                p { button type="submit" { "Save" } }
            }
        }
    }
}

fn add_form(auth: &Auth) -> Markup {
    html! {
        section aria-labelledby="add" {
            h2 id="add" tabindex="-1" { "Add a person" }
            form method="post" action="/people" {
                (csrf(auth))
                label for="add-name" { "Name" }
                input type="text" id="add-name" name="name" required;
                label for="add-relation" { "Relation" }
                select id="add-relation" name="relation" {
                    @for r in Relation::ALL.iter().filter(|r| **r != Relation::Myself) {
                        option value=(r.as_str()) selected[*r == Relation::Peer] { (r.as_str()) }
                    }
                }
                label for="add-role" { "Role (optional)" }
                input type="text" id="add-role" name="role";
                label for="add-cadence" { "Check-in cadence (optional: 7d, 2w, 1m)" }
                input type="text" id="add-cadence" name="cadence";
                label for="add-email" { "Email (optional: sync links them by it)" }
                input type="email" id="add-email" name="email";
                @for (field, text) in [
                    ("technical", "Technical (no: updates lead with outcomes and dates)"),
                    ("exec", "Executive (yes: updates are a three-line brief)"),
                ] {
                    label for=(format!("add-{field}")) { (text) }
                    select id=(format!("add-{field}")) name=(field) {
                        option value="" selected { "not known" }
                        option value="yes" { "yes" }
                        option value="no" { "no" }
                    }
                }
                p { button type="submit" { "Add" } }
            }
        }
    }
}

#[derive(Deserialize)]
struct AddForm {
    name: String,
    relation: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    cadence: String,
    #[serde(default)]
    technical: String,
    #[serde(default)]
    exec: String,
    #[serde(default)]
    email: String,
}

/// Empty is left out, as a flag not given.
fn given(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|s| !s.is_empty())
}

async fn add(
    State(state): State<Arc<AppState>>,
    f: Result<Form<AddForm>, FormRejection>,
) -> Result<Redirect, WebError> {
    let f = form(f)?;
    let person = state
        .write(move |tx, clock| {
            let input = NewPerson {
                name: &f.name,
                relation: &f.relation,
                role: given(&f.role),
                cadence: given(&f.cadence),
                technical: given(&f.technical),
                exec: given(&f.exec),
                email: given(&f.email),
            };
            Ok(upward_app::people::add_new(tx, &input, clock.now)?)
        })
        .await?;
    Ok(Redirect::to(&person_href(&person.name)))
}

#[derive(Deserialize)]
struct InitForm {
    me: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    manager: String,
}

async fn init(
    State(state): State<Arc<AppState>>,
    f: Result<Form<InitForm>, FormRejection>,
) -> Result<Redirect, WebError> {
    let f = form(f)?;
    state
        .write(move |tx, clock| {
            Ok(upward_app::people::init(
                tx,
                &f.me,
                given(&f.role),
                given(&f.manager),
                clock.now,
            )?)
        })
        .await?;
    Ok(Redirect::to("/people"))
}

async fn show(
    State(state): State<Arc<AppState>>,
    Extension(auth): Extension<Auth>,
    name: Result<Path<String>, PathRejection>,
) -> Result<Markup, WebError> {
    let name = path_name(name)?;
    let (record, today) = state
        .read(move |tx, clock| Ok((upward_app::people::record(tx, &name)?, clock.today)))
        .await?;
    let p = &record.profile.person;
    Ok(page(
        &p.name,
        "/people",
        Some(&auth),
        html! {
            p {
                @if p.is_me { "me" } @else { (p.relation) }
                @if let Some(r) = &p.role { ", " (r) }
                @if p.archived { " (removed: kept with everything recorded about them)" }
            }
            p {
                (upward_domain::words::plural(record.profile.open_items, "open item"))
                "; last contact: "
                @match record.profile.last_contact {
                    Some(d) => (relative_past(d, today)),
                    None => "none recorded",
                }
            }
            @if !p.is_me && !p.archived {
                p { a class="button" href=(format!("/agenda/{}", urlencode(&p.name))) { "Prepare the 1:1" } }
            }
            (edit_form(&auth, p))
            (archive_form(&auth, p))
            (open_items(&record))
            (history(&record))
        },
    ))
}

/// A field's name as a label: `blind_spots` → `Blind spots`; the style fields say what their
/// values mean (docs/people.md).
fn label(field: &str) -> String {
    match field {
        "feedback" => "Receptiveness to feedback".to_string(),
        "cadence" => "Check-in cadence (7d, 2w, 1m)".to_string(),
        "trust" => "Trust, 1 to 5 (your own judgement)".to_string(),
        "technical" => "Technical (no: updates lead with outcomes and dates)".to_string(),
        "exec" => "Executive (yes: updates are a three-line brief)".to_string(),
        f => upward_domain::words::capitalize(&f.replace('_', " ")),
    }
}

/// A person's field as text, as `person show` writes it (empty when not set).
fn value_of(p: &Person, field: &str) -> String {
    match field {
        "name" => p.name.clone(),
        "relation" => p.relation.to_string(),
        "role" => p.role.clone().unwrap_or_default(),
        "email" => p.email.clone().unwrap_or_default(),
        f if PROFILE_FIELDS.contains(&f) => p.profile(f).unwrap_or("").to_string(),
        f => match serde_json::to_value(p).ok().and_then(|v| v.get(f).cloned()) {
            Some(serde_json::Value::String(s)) => s,
            Some(serde_json::Value::Bool(b)) => if b { "yes" } else { "no" }.to_string(),
            Some(serde_json::Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        },
    }
}

/// The question beside an empty field, tied to it for screen readers.
fn question(p: &Person, field: &str) -> Option<String> {
    value_of(p, field)
        .is_empty()
        .then(|| know_them_question(field, &p.name))
        .flatten()
}

fn edit_form(auth: &Auth, p: &Person) -> Markup {
    let action = person_href(&p.name);
    html! {
        h2 { "Profile and style" }
        form method="post" action=(action) {
            (csrf(auth))
            fieldset {
                legend { "Who they are" }
                label for="name" { "Name" }
                input type="text" id="name" name="name" required value=(p.name);
                @if !p.is_me {
                    label for="relation" { "Relation" }
                    select id="relation" name="relation" {
                        @for r in Relation::ALL.iter().filter(|r| **r != Relation::Myself) {
                            option value=(r.as_str()) selected[*r == p.relation] { (r.as_str()) }
                        }
                    }
                }
                label for="role" { "Role" }
                input type="text" id="role" name="role" value=(p.role.as_deref().unwrap_or(""));
                label for="email" { "Email (sync links them to their account by it)" }
                input type="email" id="email" name="email" value=(p.email.as_deref().unwrap_or(""));
                @if let Some(a) = p.account {
                    p class="muted" { "Linked by sync to account " (a) }
                }
            }
            fieldset {
                legend { "Profile" }
                @for f in PROFILE_FIELDS {
                    (field_input(p, f, html! {
                        textarea id=(f) name=(f) aria-describedby=[question(p, f).map(|_| format!("{f}-q"))] {
                            (value_of(p, f))
                        }
                    }))
                }
            }
            fieldset {
                legend { "Style" }
                @for f in STYLE_FIELDS {
                    (field_input(p, f, style_input(p, f)))
                }
            }
            p { button type="submit" { "Save" } }
        }
    }
}

/// A field with its label, and the know-them question when it is empty.
fn field_input(p: &Person, field: &str, input: Markup) -> Markup {
    html! {
        label for=(field) { (label(field)) }
        @if let Some(q) = question(p, field) {
            p class="muted" id=(format!("{field}-q")) { (q) }
        }
        (input)
    }
}

/// A select of the accepted values (with "not known" first), or a text input.
fn style_input(p: &Person, field: &str) -> Markup {
    let current = value_of(p, field);
    let described = question(p, field).map(|_| format!("{field}-q"));
    let options: Vec<&str> = match field {
        "channel" => Channel::ALL.iter().map(|c| c.as_str()).collect(),
        "length" => Length::ALL.iter().map(|c| c.as_str()).collect(),
        "decides_by" => DecidesBy::ALL.iter().map(|c| c.as_str()).collect(),
        "feedback" => Level::ALL.iter().map(|c| c.as_str()).collect(),
        "trust" => vec!["1", "2", "3", "4", "5"],
        "technical" | "exec" => vec!["yes", "no"],
        _ => {
            return html! {
                input type="text" id=(field) name=(field) value=(current)
                    aria-describedby=[described];
            };
        }
    };
    html! {
        select id=(field) name=(field) aria-describedby=[described] {
            option value="" selected[current.is_empty()] { "not known" }
            @for o in options {
                option value=(o) selected[current == o] { (o) }
            }
        }
    }
}

fn archive_form(auth: &Auth, p: &Person) -> Markup {
    if p.is_me {
        return html! {};
    }
    let (action, label) = if p.archived {
        ("restore", format!("Bring {} back", p.name))
    } else {
        ("archive", format!("Remove {} from your lists", p.name))
    };
    html! {
        form method="post" action=(format!("{}/{action}", person_href(&p.name))) {
            (csrf(auth))
            p {
                button type="submit" class="secondary" { (label) }
                @if !p.archived {
                    " " span class="muted" { "Everything recorded about them is kept." }
                }
            }
        }
    }
}

fn open_items(r: &Record) -> Markup {
    html! {
        h2 { "Open items" }
        @if r.open.is_empty() {
            p class="muted" { "None." }
        } @else {
            table {
                caption class="visually-hidden" { "Their open items" }
                thead { tr {
                    th scope="col" { "Item" }
                    th scope="col" { "Kind" }
                    th scope="col" { "Title" }
                    th scope="col" { "Due" }
                } }
                tbody {
                    @for i in &r.open {
                        tr {
                            th scope="row" { a href=(format!("/items/{}", i.id)) { "#" (i.id) } }
                            td { (i.kind) }
                            td { (upward_domain::words::one_line(&i.title)) }
                            td { @if let Some(d) = i.due { (d) } }
                        }
                    }
                }
            }
        }
    }
}

fn history(r: &Record) -> Markup {
    use upward_domain::words::one_line;
    let none = html! { p class="muted" { "None recorded." } };
    html! {
        h2 { "History" }
        h3 { "1:1s" }
        @if r.meetings.is_empty() { (none) } @else {
            ul {
                @for m in &r.meetings {
                    li { (m.date) @if let Some(n) = &m.notes { ": " (crate::layout::lines(n)) } }
                }
            }
        }
        h3 { "Updates sent" }
        @if r.updates.is_empty() { (none) } @else {
            ul {
                @for u in &r.updates { li { (u.date) " by " (u.channel) } }
            }
        }
        h3 { "Reflections" }
        @if r.reflections.is_empty() { (none) } @else {
            ul {
                @for x in &r.reflections {
                    li {
                        (x.date)
                        @for (i, (area, score)) in x.scores.iter().enumerate() {
                            @if i == 0 { ": " } @else { ", " }
                            (area) " " (score) "/5"
                        }
                    }
                }
            }
        }
        h3 { "Requests declined" }
        @if r.declines.is_empty() { (none) } @else {
            ul {
                @for d in &r.declines {
                    li { (d.date) ": " (one_line(&d.title)) " — " (one_line(&d.reason)) }
                }
            }
        }
    }
}

/// The fields of the edit form that differ from the person's: only what was changed is set
/// (a relation sent unchanged for a manager would give back a cadence cleared in the same
/// form; me has no relation to set).
fn changed(p: &Person, fields: Vec<(String, String)>) -> Vec<(String, String)> {
    fields
        .into_iter()
        .filter(|(k, _)| k != CSRF_FIELD)
        .map(|(k, v)| (k, text(&v)))
        .filter(|(k, v)| v.trim() != value_of(p, k).trim())
        .collect()
}

async fn edit(
    State(state): State<Arc<AppState>>,
    name: Result<Path<String>, PathRejection>,
    f: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Redirect, WebError> {
    let name = path_name(name)?;
    let fields = form(f)?;
    let p = state
        .write(move |tx, clock| {
            let p = upward_app::people::resolve(tx, &name)?;
            let fields = changed(&p, fields);
            Ok(upward_app::people::set_many(
                tx, &p.name, &fields, clock.now,
            )?)
        })
        .await?;
    Ok(Redirect::to(&person_href(&p.name)))
}

async fn archive(
    State(state): State<Arc<AppState>>,
    name: Result<Path<String>, PathRejection>,
) -> Result<Redirect, WebError> {
    let name = path_name(name)?;
    let p = state
        .write(move |tx, clock| Ok(upward_app::people::remove(tx, &name, clock.now)?))
        .await?;
    Ok(Redirect::to(&person_href(&p.name)))
}

async fn restore(
    State(state): State<Arc<AppState>>,
    name: Result<Path<String>, PathRejection>,
) -> Result<Redirect, WebError> {
    let name = path_name(name)?;
    let p = state
        .write(move |tx, clock| {
            Ok(upward_app::people::set(
                tx, &name, "archived", "no", clock.now,
            )?)
        })
        .await?;
    Ok(Redirect::to(&person_href(&p.name)))
}
