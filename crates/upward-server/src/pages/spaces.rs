//! Home (`/`) and a space's page (`/spaces/{id}`), with their forms. Every form posts to a
//! route of its own and is answered by a redirect to the page that shows what changed; a
//! refusal is the error page (4xx, one line). The writes are the API's (crate::api::spaces),
//! so both go through the same operations.

use crate::api::spaces::{
    self as api, ActionIn, CARD_FIELDS, MeetingIn, UpdateIn, cards_json, meetings_json_with,
    updates_json,
};
use crate::auth::{Caller, Signed};
use crate::error::ServerError;
use crate::layout::{csrf_field, notice, page};
use crate::pages::Fields;
use crate::spaces::{self, Move};
use crate::state::AppState;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Redirect;
use axum::routing::{get, post};
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;
use serde_json::Value;
use std::sync::Arc;
use upward_space::view::Space as SpaceView;
use upward_space::{Members, Role};

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(home))
        .route("/spaces", post(invite))
        .route("/spaces/{id}", get(show))
        .route("/spaces/{id}/accept", post(accept))
        .route("/spaces/{id}/decline", post(decline))
        .route("/spaces/{id}/cancel", post(cancel))
        .route("/spaces/{id}/close", post(close))
        .route("/spaces/{id}/delete", post(delete))
        .route("/spaces/{id}/topics", post(add_topic))
        .route("/spaces/{id}/actions", post(add_action))
        .route("/spaces/{id}/items", post(add_item))
        .route("/spaces/{id}/items/{item}", get(edit_page))
        .route("/spaces/{id}/items/{item}/edit", post(edit_item))
        .route("/spaces/{id}/items/{item}/remove", post(remove_item))
        .route("/spaces/{id}/items/{item}/status", post(set_status))
        .route("/spaces/{id}/meetings", post(record_meeting))
        .route("/spaces/{id}/updates", post(add_update))
        .route("/spaces/{id}/card", post(set_card))
        .route("/spaces/{id}/cadence", post(set_cadence))
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

/// What a redirect back to a page says was done.
fn done_text(done: Option<&str>) -> Option<&'static str> {
    Some(match done? {
        "invited" => "The invitation is sent: it shows on their Home once they sign in.",
        "accepted" => "You joined the space.",
        "declined" => "The invitation is declined.",
        "cancelled" => "The invitation is cancelled.",
        "deleted" => "The space is deleted with everything in it.",
        "closed" => "The space is closed: read-only for both of you, and still exportable.",
        "saved" => "Saved.",
        "removed" => "Removed, for both of you.",
        _ => return None,
    })
}

const ENCRYPTION_LINE: &str =
    "Until spaces are end-to-end encrypted, whoever operates the database can read them.";

async fn home(
    State(state): State<Arc<AppState>>,
    signed: Signed,
    Query(done): Query<Done>,
) -> Result<Markup, ServerError> {
    let st = state.clone();
    let (caller, data) = signed
        .read(&state, move |tx, caller| api::home_in(&st, tx, caller))
        .await?;
    let me = &caller.account;
    let csrf = caller.csrf.as_str();
    let invitations: Vec<_> = data
        .iter()
        .filter(|(l, _)| l.status == "invited" && l.invited_me)
        .collect();
    let waiting: Vec<_> = data
        .iter()
        .filter(|(l, _)| l.status == "invited" && !l.invited_me)
        .collect();
    let spaces: Vec<_> = data
        .iter()
        .filter(|(l, _)| l.status == "active" || l.status == "closed")
        .collect();
    let ended: Vec<_> = data
        .iter()
        .filter(|(l, _)| matches!(l.status.as_str(), "declined" | "cancelled" | "expired"))
        .collect();
    Ok(page(
        "Home",
        "/",
        &caller,
        html! {
            @if let Some(n) = done_text(done.done.as_deref()) { (notice(n)) }
            @if !invitations.is_empty() {
                h2 { "Invitations" }
                ul {
                    @for (l, _) in &invitations {
                        li {
                            (l.other(me)) " invites you to a space, as their " (l.other_role) " (you: " (l.my_role) ")."
                            form class="inline" method="post" action={ "/spaces/" (l.space.id) "/accept" } {
                                (csrf_field(csrf))
                                button type="submit" { "Accept" }
                            }
                            form class="inline" method="post" action={ "/spaces/" (l.space.id) "/decline" } {
                                (csrf_field(csrf))
                                button type="submit" class="secondary" { "Decline" }
                            }
                        }
                    }
                }
            }
            h2 { "Your spaces" }
            @if spaces.is_empty() {
                p class="muted" { "No spaces yet. Invite your manager, a report or a peer below." }
            } @else {
                ul {
                    @for (l, needs) in &spaces {
                        li {
                            a href={ "/spaces/" (l.space.id) } { "With " (l.other(me)) }
                            " — " (l.status)
                            @if let Some(n) = needs.as_ref().map(|n| &n.needs) {
                                ul class="nudges" {
                                    @for a in &n.my_overdue_actions {
                                        li class="overdue" { "Your action " (a.title) " is overdue (due " (a.due.map(|d| d.to_string()).unwrap_or_default()) ")." }
                                    }
                                    @for t in &n.their_new_topics {
                                        li { "New topic from them: " (t.title) " (added " (t.created) ")." }
                                    }
                                    @if let Some(d) = n.next_meeting_due {
                                        li { "Next 1:1 due " (d) "." }
                                    }
                                    @if n.my_overdue_actions.is_empty() && n.their_new_topics.is_empty() && n.next_meeting_due.is_none() {
                                        li class="muted" { "Nothing needs you here." }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if !waiting.is_empty() {
                h2 { "Waiting for an answer" }
                ul {
                    @for (l, _) in &waiting {
                        li {
                            (l.other(me)) " — invited " (l.space.created_at.strftime("%Y-%m-%d"))
                            form class="inline" method="post" action={ "/spaces/" (l.space.id) "/cancel" } {
                                (csrf_field(csrf))
                                button type="submit" class="secondary" { "Cancel the invitation" }
                            }
                        }
                    }
                }
            }
            @if !ended.is_empty() {
                h2 { "Ended invitations" }
                ul {
                    @for (l, _) in &ended {
                        li {
                            (l.other(me)) " — " (l.status)
                            form class="inline" method="post" action={ "/spaces/" (l.space.id) "/delete" } {
                                (csrf_field(csrf))
                                button type="submit" class="secondary" { "Remove" span class="visually-hidden" { ": " (l.other(me)) } }
                            }
                        }
                    }
                }
            }
            h2 id="invite" { "Invite someone to a space" }
            form method="post" action="/spaces" {
                (csrf_field(csrf))
                label for="with" { "Their email" }
                input type="email" id="with" name="with" required autocomplete="off";
                label for="as" { "Your role in the space" }
                select id="as" name="as" {
                    option value="report" { "I am their report" }
                    option value="manager" { "I am their manager" }
                    option value="peer" selected { "We are peers" }
                }
                p { button type="submit" { "Invite" } }
            }
        },
    ))
}

async fn invite(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    form: Fields,
) -> Result<Redirect, ServerError> {
    let role = spaces::check_role(form.get("as"))?;
    spaces::invite(&state, &caller.account, form.text("with"), role).await?;
    Ok(Redirect::to("/?done=invited"))
}

async fn moved(
    state: &Arc<AppState>,
    caller: &Caller,
    id: &str,
    mv: Move,
    to: &str,
) -> Result<Redirect, ServerError> {
    let space = spaces::apply_move(state, &caller.account, id, mv).await?;
    Ok(Redirect::to(&to.replace("{id}", &space.id.to_string())))
}

async fn accept(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Redirect, ServerError> {
    moved(&state, &caller, &id, Move::Accept, "/spaces/{id}").await
}

async fn decline(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Redirect, ServerError> {
    moved(&state, &caller, &id, Move::Decline, "/?done=declined").await
}

async fn cancel(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Redirect, ServerError> {
    moved(&state, &caller, &id, Move::Cancel, "/?done=cancelled").await
}

async fn close(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Redirect, ServerError> {
    moved(
        &state,
        &caller,
        &id,
        Move::Close,
        "/spaces/{id}?done=closed",
    )
    .await
}

async fn delete(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Redirect, ServerError> {
    moved(&state, &caller, &id, Move::Delete, "/?done=deleted").await
}

fn back(id: &str) -> Redirect {
    Redirect::to(&format!("/spaces/{}?done=saved", id.trim()))
}

async fn add_topic(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
    form: Fields,
) -> Result<Redirect, ServerError> {
    let title = form.text("title").to_string();
    let body = Some(form.text("body").to_string()).filter(|b| !b.trim().is_empty());
    spaces::write_space(&state, &caller.account, &id, move |ctx, _, _| {
        upward_space::model::new_topic(ctx, &title, body.as_deref()).map_err(spaces::space_error)
    })
    .await?;
    Ok(back(&id))
}

fn action_of(form: &Fields, n: &str) -> ActionIn {
    ActionIn {
        title: form.text(&format!("title{n}")).to_string(),
        owner: form.text(&format!("owner{n}")).to_string(),
        due: Some(form.text(&format!("due{n}")).to_string()),
    }
}

async fn add_action(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
    form: Fields,
) -> Result<Redirect, ServerError> {
    let a = action_of(&form, "");
    let today = state.clock_for(&caller.account).today;
    spaces::write_space(&state, &caller.account, &id, move |ctx, _, members| {
        let a = api::action_in(&a, members, today)?;
        upward_space::model::new_action(ctx, &a.title, a.owner, a.due, None)
            .map_err(spaces::space_error)
    })
    .await?;
    Ok(back(&id))
}

async fn add_item(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
    form: Fields,
) -> Result<Redirect, ServerError> {
    let kind = match form.text("kind") {
        "win" => upward_domain::Kind::Win,
        "goal" => upward_domain::Kind::Goal,
        _ => {
            return Err(ServerError::bad_request(
                "kind is not valid — accepted: win or goal",
            ));
        }
    };
    let title = form.text("title").to_string();
    let impact = Some(form.text("impact").to_string()).filter(|b| !b.trim().is_empty());
    spaces::write_space(&state, &caller.account, &id, move |ctx, _, members| {
        api::may_share(members)?;
        let input = upward_domain::ItemInput {
            title: Some(title),
            impact,
            ..Default::default()
        };
        upward_space::model::new_item(ctx, kind, input).map_err(spaces::space_error)
    })
    .await?;
    Ok(back(&id))
}

async fn set_status(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path((id, item)): Path<(String, String)>,
    form: Fields,
) -> Result<Redirect, ServerError> {
    let today = state.clock_for(&caller.account).today;
    api::status_change(
        &state,
        &caller,
        &id,
        &item,
        form.text("status"),
        None,
        today,
    )
    .await?;
    Ok(back(&id))
}

/// An item's own page: its fields, and for its author the forms that edit and remove it.
async fn edit_page(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path((id, item)): Path<(String, String)>,
) -> Result<Markup, ServerError> {
    let read = spaces::read_cached(&state, &caller.account, &id).await?;
    let (space, members, view) = (&read.space, &read.members, &read.view);
    let record = spaces::resolve(view, &item)?;
    let it = upward_space::item_json(view, members, record).ok_or_else(|| {
        ServerError::not_found(
            "that is not an item — only topics, actions, wins and goals are edited here",
        )
    })?;
    let mine = text(&it["author"]) == members.me.email;
    let open = space.status == "active";
    let action = it["kind"] == "action";
    let base = format!("/spaces/{}/items/{}", space.id, text(&it["uuid"]));
    let title = format!("{} #{}", text(&it["kind"]), text(&it["id"]));
    let body = html! {
        p { a href={ "/spaces/" (space.id) } { "Back to the space with " (members.other.name) } }
        dl {
            dt { "Title" } dd { (text(&it["title"])) }
            dt { "Status" } dd { (text(&it["status"])) }
            dt { "Added by" } dd { (who(members, &it["author"])) }
        }
        @if !open {
            p class="muted" { "The space is closed: nothing in it changes." }
        } @else if !mine {
            p class="muted" { "Only " (who(members, &it["author"])) ", who added it, edits or removes it." }
        } @else {
            form method="post" action={ (base) "/edit" } {
                (csrf_field(&caller.csrf))
                fieldset {
                    legend { "Edit" }
                    label for="edit-title" { "Title" }
                    input type="text" id="edit-title" name="title" value=(text(&it["title"])) required;
                    label for="edit-body" { "Details" }
                    textarea id="edit-body" name="body" rows="3" { (text(&it["body"])) }
                    @if action {
                        label for="edit-owner" { "Owner" }
                        select id="edit-owner" name="owner" {
                            @for m in [&members.me, &members.other] {
                                option value=(m.email) selected[text(&it["owner_email"]) == m.email] { (m.name) @if m.account == members.me.account { " (me)" } }
                            }
                        }
                        label for="edit-due" { "Due" }
                        input type="date" id="edit-due" name="due" value=(text(&it["due"]));
                    }
                    p { button type="submit" { "Save" } }
                }
            }
            form method="post" action={ (base) "/remove" } {
                (csrf_field(&caller.csrf))
                p { button type="submit" class="secondary" { "Remove it, for both of you" } }
            }
        }
    };
    Ok(page(&title, "/", &caller, body))
}

async fn edit_item(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path((id, item)): Path<(String, String)>,
    form: Fields,
) -> Result<Redirect, ServerError> {
    let b = api::EditIn {
        title: Some(form.text("title").to_string()),
        body: Some(form.text("body").to_string()),
        due: form.get("due").map(str::to_string),
        owner: form.get("owner").map(str::to_string),
    };
    api::edit_write(&state, &caller, &id, &item, b).await?;
    Ok(back(&id))
}

async fn remove_item(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path((id, item)): Path<(String, String)>,
) -> Result<Redirect, ServerError> {
    api::remove_write(&state, &caller, &id, &item).await?;
    Ok(Redirect::to(&format!("/spaces/{}?done=removed", id.trim())))
}

async fn record_meeting(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
    form: Fields,
) -> Result<Redirect, ServerError> {
    let discussed: Vec<String> = form
        .0
        .iter()
        .filter(|(k, _)| k == "discussed")
        .map(|(_, v)| v.clone())
        .collect();
    let actions: Vec<ActionIn> = ["1", "2"]
        .iter()
        .map(|n| action_of(&form, n))
        .filter(|a| !a.title.trim().is_empty())
        .collect();
    let m = MeetingIn {
        date: form.text("date").to_string(),
        notes: Some(form.text("notes").to_string()),
        discussed,
        actions,
    };
    api::meeting_write(&state, &caller, &id, m).await?;
    Ok(back(&id))
}

async fn add_update(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
    form: Fields,
) -> Result<Redirect, ServerError> {
    let u = UpdateIn {
        date: Some(form.text("date").to_string()),
        channel: form.text("channel").to_string(),
        text: Some(form.text("text").to_string()),
    };
    api::update_write(&state, &caller, &id, u).await?;
    Ok(back(&id))
}

async fn set_card(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
    form: Fields,
) -> Result<Redirect, ServerError> {
    let fields = CARD_FIELDS
        .iter()
        .map(|f| (f.to_string(), form.text(f).to_string()))
        .collect();
    api::card_write(&state, &caller, &id, fields).await?;
    Ok(back(&id))
}

async fn set_cadence(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
    form: Fields,
) -> Result<Redirect, ServerError> {
    api::cadence_write(&state, &caller, &id, form.get("cadence")).await?;
    Ok(back(&id))
}

/// A JSON value as text ("" for null).
fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// How many past 1:1s a space's page shows unless asked for all (`?meetings=all`).
pub const MEETINGS_SHOWN: usize = 10;

#[derive(Deserialize)]
struct ShowQuery {
    done: Option<String>,
    /// `all`: every past 1:1, not the latest [`MEETINGS_SHOWN`].
    meetings: Option<String>,
    /// `all`: every topic, not the open ones and the [`HISTORY_SHOWN`] closed last.
    topics: Option<String>,
    /// `all`: every action, not the open ones and the [`HISTORY_SHOWN`] done last.
    actions: Option<String>,
}

/// How many closed topics (discussed or parked) and done or dropped actions a space's page
/// shows besides the open ones, unless asked for all (`?topics=all`, `?actions=all`).
pub const HISTORY_SHOWN: usize = 10;

/// Which sections of a space's page show their whole history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Whole {
    topics: bool,
    actions: bool,
    meetings: bool,
}

impl Whole {
    /// The page's address with these choices, at `anchor`.
    fn href(self, id: &str, anchor: &str) -> String {
        let mut q = Vec::new();
        for (on, k) in [
            (self.topics, "topics"),
            (self.actions, "actions"),
            (self.meetings, "meetings"),
        ] {
            if on {
                q.push(format!("{k}=all"));
            }
        }
        let q = if q.is_empty() {
            String::new()
        } else {
            format!("?{}", q.join("&"))
        };
        format!("/spaces/{}{q}#{anchor}", id.trim())
    }
}

/// The open rows, and of the others the `HISTORY_SHOWN` closed last (by their date, then
/// id), in their order; with how many are left out.
fn recent(rows: Vec<Value>, whole: bool) -> (Vec<Value>, usize) {
    let closed: Vec<(String, i64)> = rows
        .iter()
        .filter(|r| r["status"] != "open")
        .map(|r| (text(&r["done"]), r["id"].as_i64().unwrap_or(0)))
        .collect();
    if whole || closed.len() <= HISTORY_SHOWN {
        return (rows, 0);
    }
    let mut latest = closed.clone();
    latest.sort_by(|a, b| b.cmp(a));
    let kept: std::collections::HashSet<i64> =
        latest.iter().take(HISTORY_SHOWN).map(|c| c.1).collect();
    let left = closed.len() - HISTORY_SHOWN;
    let rows = rows
        .into_iter()
        .filter(|r| r["status"] == "open" || kept.contains(&r["id"].as_i64().unwrap_or(0)))
        .collect();
    (rows, left)
}

/// The line above a paged list: how much is shown, and the link to the rest (or back).
fn more_link(id: &str, whole: Whole, section: &str, left: usize, what: &str) -> Markup {
    let mut all = whole;
    let mut recent_only = whole;
    match section {
        "topics" => (all.topics, recent_only.topics) = (true, false),
        "actions" => (all.actions, recent_only.actions) = (true, false),
        _ => (all.meetings, recent_only.meetings) = (true, false),
    }
    let on = match section {
        "topics" => whole.topics,
        "actions" => whole.actions,
        _ => whole.meetings,
    };
    html! {
        @if on {
            p { a href=(recent_only.href(id, section)) { "Show the open " (what) " and the last " (HISTORY_SHOWN) " closed only" } }
        } @else if left > 0 {
            p { "The open " (what) " and the last " (HISTORY_SHOWN) " closed; " (left) " older not shown. "
                a href=(all.href(id, section)) { "Show all " (what) } }
        }
    }
}

async fn show(
    State(state): State<Arc<AppState>>,
    signed: Signed,
    Path(id): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Result<Markup, ServerError> {
    let st = state.clone();
    let (caller, read) = signed
        .read(&state, move |tx, caller| {
            spaces::read_in(&st, tx, &caller.account, &id)
        })
        .await?;
    let (space, members) = (&read.space, &read.members);
    let clock = state.clock_for(&caller.account);
    let is_all = |v: &Option<String>| v.as_deref() == Some("all");
    let all = Whole {
        topics: is_all(&q.topics),
        actions: is_all(&q.actions),
        meetings: is_all(&q.meetings),
    };
    // The body depends on the space at this head, on who reads it and their civil date, on
    // the members' names and on the page asked: its key (crate::cache). The CSRF token is the
    // session's: the body keeps a slot for it, filled below.
    let key = format!(
        "page\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
        members.me.account,
        clock.today,
        space.status,
        members.me.name,
        members.me.email,
        members.me.role,
        members.other.name,
        members.other.email,
        members.other.role,
        all.href("", "")
    );
    let parts = match state
        .cache
        .derived::<Vec<String>>(space.id, read.head, &key)
    {
        Some(p) => p,
        None => {
            let mut slot = caller.clone();
            slot.csrf = state.csrf_slot.clone();
            let b = space_body(&slot, space, members, &read.view, &clock, all).into_string();
            // Kept split at the slots: filling them is then copying, not searching.
            let p: Arc<Vec<String>> = Arc::new(
                b.split(state.csrf_slot.as_str())
                    .map(str::to_string)
                    .collect(),
            );
            state
                .cache
                .put_derived(space.id, read.head, key, p.clone(), b.len());
            p
        }
    };
    // The layout is drawn around a marker (the per-process slot, which no content can spell),
    // then the page written once: the layout before it, the cached parts with the session's
    // CSRF token between them, the layout after it — the body copied once, not three times.
    let title = format!("Space with {}", members.other.name);
    let shell = page(
        &title,
        "/",
        &caller,
        html! {
            @if let Some(n) = done_text(q.done.as_deref()) { (notice(n)) }
            (PreEscaped(&state.csrf_slot))
        },
    )
    .into_string();
    let (before, after) = shell
        .split_once(state.csrf_slot.as_str())
        .ok_or_else(|| ServerError::internal("the layout lost the page's body"))?;
    let mut out = String::with_capacity(
        before.len()
            + parts.iter().map(String::len).sum::<usize>()
            + parts.len() * caller.csrf.len()
            + after.len(),
    );
    out.push_str(before);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(&caller.csrf);
        }
        out.push_str(part);
    }
    out.push_str(after);
    Ok(PreEscaped(out))
}

/// A space's page below its notice, for `caller` (whose `csrf` is what the forms carry).
fn space_body(
    caller: &Caller,
    space: &upward_server_store::Space,
    members: &Members,
    view: &SpaceView,
    clock: &upward_domain::Clock,
    whole: Whole,
) -> Markup {
    let upward_space::Overview {
        agenda,
        follow_through,
        items,
    } = upward_space::overview(view, members, clock);
    let open = space.status == "active";
    let id = space.id.to_string();
    let id = id.as_str();
    html! {
        p class="muted" { (ENCRYPTION_LINE) }
        p { "With " (members.other.name) " (" (members.other.email) "), your " (members.other.role) "."
            @if let Some(c) = view.cadence() { " You meet every " (c) "." } }
        @if !open { p class="warning" { "This space is closed: read-only for both of you. You can still export it." } }
        h2 id="agenda" { "Agenda for " (agenda.date) }
        @if agenda.sections.iter().all(|s| s.items.is_empty()) {
            p class="muted" { "Nothing on the agenda yet: add a topic below." }
        }
        @for s in agenda.sections.iter().filter(|s| !s.items.is_empty()) {
            h3 { (s.title) }
            ul {
                @for i in &s.items {
                    li { (i.text) @if !i.reason.is_empty() { " — " span class="muted" { (i.reason) } } }
                }
            }
        }
        (topics_section(caller, id, members, &items, open, whole))
        (actions_section(caller, id, members, &items, open, whole))
        (follow_through_section(&follow_through))
        (shared_section(caller, id, view, members, &items, open))
        (cards_section(caller, id, view, members, open))
        (meetings_section(caller, id, view, members, items, open.then_some(clock.today), whole))
        h2 id="space" { "The space" }
        p { a href={ "/api/v1/spaces/" (space.id) "/export" } download { "Export the space (JSON, for upward import --merge)" } }
        @if open {
            form method="post" action={ "/spaces/" (space.id) "/cadence" } {
                (csrf_field(&caller.csrf))
                label for="cadence" { "How often you meet" }
                input type="text" id="cadence" name="cadence" value=(view.cadence().map(|c| c.to_string()).unwrap_or_default()) aria-describedby="cadence-help";
                p id="cadence-help" class="muted" { "Such as 1w, 14d or 1m; empty for none." }
                p { button type="submit" { "Save the cadence" } }
            }
            form method="post" action={ "/spaces/" (space.id) "/close" } {
                (csrf_field(&caller.csrf))
                p { button type="submit" class="secondary" { "Close the space (read-only for both)" } }
            }
        } @else {
            form method="post" action={ "/spaces/" (space.id) "/delete" } {
                (csrf_field(&caller.csrf))
                p { button type="submit" class="secondary" { "Delete the space and everything in it" } }
            }
        }
    }
}

/// The items of `kind` among the space's items (made once per page: `api::items_json`).
fn item_rows(items: &[Value], kind: &str) -> Vec<Value> {
    items
        .iter()
        .filter(|i| i["kind"] == kind)
        .cloned()
        .collect()
}

fn status_button(caller: &Caller, id: &str, item: &Value, status: &str, label: &str) -> Markup {
    html! {
        form class="inline" method="post" action={ "/spaces/" (id.trim()) "/items/" (text(&item["uuid"])) "/status" } {
            (csrf_field(&caller.csrf))
            input type="hidden" name="status" value=(status);
            button type="submit" class="secondary" { (label) span class="visually-hidden" { ": " (text(&item["title"])) } }
        }
    }
}

/// The link to an item's page, where its author edits or removes it.
fn edit_link(members: &Members, id: &str, item: &Value) -> Markup {
    html! {
        @if text(&item["author"]) == members.me.email {
            " "
            a href={ "/spaces/" (id.trim()) "/items/" (text(&item["uuid"])) } { "Edit or remove" span class="visually-hidden" { ": " (text(&item["title"])) } }
        }
    }
}

fn who(members: &Members, email: &Value) -> String {
    let e = text(email);
    if e == members.me.email {
        "you".into()
    } else if e == members.other.email {
        members.other.name.clone()
    } else {
        e
    }
}

fn topics_section(
    caller: &Caller,
    id: &str,
    members: &Members,
    items: &[Value],
    open: bool,
    whole: Whole,
) -> Markup {
    let (topics, left) = recent(item_rows(items, "topic"), whole.topics);
    html! {
        h2 id="topics" { "Topics" }
        (more_link(id, whole, "topics", left, "topics"))
        @if topics.is_empty() { p class="muted" { "No topics yet." } } @else {
            table {
                caption { "Topics for your 1:1s" }
                thead { tr { th scope="col" { "Topic" } th scope="col" { "Added by" } th scope="col" { "Status" } th scope="col" { span class="visually-hidden" { "Change" } } } }
                tbody {
                    @for t in &topics {
                        tr {
                            th scope="row" { (text(&t["title"])) }
                            td { (who(members, &t["author"])) }
                            td { (topic_status(t)) }
                            td { @if open {
                                @if t["status"] == "open" {
                                    (status_button(caller, id, t, "discussed", "Discussed"))
                                    (status_button(caller, id, t, "parked", "Park"))
                                } @else {
                                    (status_button(caller, id, t, "open", "Reopen"))
                                }
                                (edit_link(members, id, t))
                            } }
                        }
                    }
                }
            }
        }
        @if open {
            form method="post" action={ "/spaces/" (id.trim()) "/topics" } {
                (csrf_field(&caller.csrf))
                label for="topic-title" { "New topic" }
                input type="text" id="topic-title" name="title" required;
                label for="topic-body" { "Details (optional)" }
                textarea id="topic-body" name="body" rows="2" {}
                p { button type="submit" { "Add the topic" } }
            }
        }
    }
}

/// A topic's status in the space's words (the item shape reads discussed as done, parked as
/// dropped).
fn topic_status(t: &Value) -> String {
    match text(&t["status"]).as_str() {
        "done" => format!("discussed {}", text(&t["done"])),
        "dropped" => "parked".into(),
        s => s.into(),
    }
}

fn actions_section(
    caller: &Caller,
    id: &str,
    members: &Members,
    items: &[Value],
    open: bool,
    whole: Whole,
) -> Markup {
    let (actions, left) = recent(item_rows(items, "action"), whole.actions);
    html! {
        h2 id="actions" { "Actions" }
        (more_link(id, whole, "actions", left, "actions"))
        @for m in [&members.me, &members.other] {
            @let mine: Vec<&Value> = actions.iter().filter(|a| text(&a["owner_email"]) == m.email).collect();
            h3 { @if m.account == members.me.account { "Yours" } @else { (m.name) "'s" } }
            @if mine.is_empty() { p class="muted" { "None." } } @else {
                table {
                    caption { "Actions of " (m.name) }
                    thead { tr { th scope="col" { "Action" } th scope="col" { "Due" } th scope="col" { "Status" } th scope="col" { span class="visually-hidden" { "Tick" } } } }
                    tbody {
                        @for a in mine {
                            tr {
                                th scope="row" { (text(&a["title"])) }
                                td { (text(&a["due"])) }
                                td { (text(&a["status"])) @if a["status"] == "done" { " " (text(&a["done"])) } }
                                td { @if open {
                                    @if a["status"] == "open" { (status_button(caller, id, a, "done", "Done")) }
                                    @else { (status_button(caller, id, a, "open", "Reopen")) }
                                    (edit_link(members, id, a))
                                } }
                            }
                        }
                    }
                }
            }
        }
        @if open {
            form method="post" action={ "/spaces/" (id.trim()) "/actions" } {
                (csrf_field(&caller.csrf))
                label for="action-title" { "New action" }
                input type="text" id="action-title" name="title" required;
                (owner_select(members, "owner", "action-owner"))
                label for="action-due" { "Due (optional)" }
                input type="date" id="action-due" name="due";
                p { button type="submit" { "Add the action" } }
            }
        }
    }
}

fn owner_select(members: &Members, name: &str, id: &str) -> Markup {
    html! {
        label for=(id) { "Owner" }
        select id=(id) name=(name) {
            option value=(members.me.email) { "Me (" (members.me.name) ")" }
            option value=(members.other.email) { (members.other.name) }
        }
    }
}

fn follow_through_section(sides: &[upward_space::SideFollowThrough; 2]) -> Markup {
    html! {
        h2 id="follow-through" { "Follow-through" }
        table {
            caption { "Actions done on time, late, and still open, for both of you" }
            thead { tr { th scope="col" { "Member" } th scope="col" { "On time" } th scope="col" { "Late" } th scope="col" { "Open" } th scope="col" { "Overdue" } } }
            tbody {
                @for s in sides {
                    tr { th scope="row" { (s.name) } td { (s.done_on_time) } td { (s.done_late) } td { (s.open) } td { (s.overdue) } }
                }
            }
        }
    }
}

fn shared_section(
    caller: &Caller,
    id: &str,
    view: &SpaceView,
    members: &Members,
    items: &[Value],
    open: bool,
) -> Markup {
    let wins = item_rows(items, "win");
    let goals = item_rows(items, "goal");
    let updates = updates_json(view, members);
    let report = members.me.role != Role::Manager;
    html! {
        h2 id="shared" { "Wins, updates and goals" }
        h3 { "Wins" }
        @if wins.is_empty() { p class="muted" { "None shared." } } @else {
            ul { @for w in &wins { li { (text(&w["title"])) @if !w["impact"].is_null() { " — " (text(&w["impact"])) } " (" (text(&w["date"])) ")" @if open { (edit_link(members, id, w)) } } } }
        }
        h3 { "Career goals" }
        @if goals.is_empty() { p class="muted" { "None shared." } } @else {
            ul { @for g in &goals { li { (text(&g["title"])) @if open { (edit_link(members, id, g)) } } } }
        }
        h3 { "Status updates" }
        @if updates.is_empty() { p class="muted" { "None shared." } } @else {
            ul { @for u in &updates { li { (text(&u["date"])) " by " (text(&u["channel"])) ": " (text(&u["text"])) } } }
        }
        @if open && report {
            form method="post" action={ "/spaces/" (id.trim()) "/items" } {
                (csrf_field(&caller.csrf))
                fieldset {
                    legend { "Share a win or a goal" }
                    label for="item-kind" { "Kind" }
                    select id="item-kind" name="kind" { option value="win" { "Win" } option value="goal" { "Career goal" } }
                    label for="item-title" { "Title" }
                    input type="text" id="item-title" name="title" required;
                    label for="item-impact" { "Impact (a win, optional)" }
                    input type="text" id="item-impact" name="impact";
                    p { button type="submit" { "Share" } }
                }
            }
            form method="post" action={ "/spaces/" (id.trim()) "/updates" } {
                (csrf_field(&caller.csrf))
                fieldset {
                    legend { "Share a status update" }
                    label for="update-channel" { "Sent by" }
                    select id="update-channel" name="channel" {
                        option value="email" { "Email" } option value="chat" { "Chat" }
                        option value="video" { "Video" } option value="in-person" { "In person" }
                    }
                    label for="update-date" { "Date" }
                    input type="date" id="update-date" name="date";
                    label for="update-text" { "Text" }
                    textarea id="update-text" name="text" rows="3" {}
                    p { button type="submit" { "Share the update" } }
                }
            }
        }
    }
}

fn cards_section(
    caller: &Caller,
    id: &str,
    view: &SpaceView,
    members: &Members,
    open: bool,
) -> Markup {
    let cards = cards_json(view, members);
    let labels = [
        ("channel", "Channel"),
        ("length", "Length"),
        ("decides_by", "Decides by"),
        ("feedback", "Feedback"),
        ("cadence", "Cadence"),
    ];
    html! {
        h2 id="cards" { "How we like to work" }
        table {
            caption { "Both members' cards" }
            thead { tr { th scope="col" { span class="visually-hidden" { "Field" } } th scope="col" { "You" } th scope="col" { (members.other.name) } } }
            tbody {
                @for (f, label) in labels {
                    tr { th scope="row" { (label) } td { (text(&cards["me"][f])) } td { (text(&cards["other"][f])) } }
                }
            }
        }
        @if open {
            form method="post" action={ "/spaces/" (id.trim()) "/card" } {
                (csrf_field(&caller.csrf))
                fieldset {
                    legend { "Your card" }
                    @for (f, label) in labels {
                        label for={ "card-" (f) } { (label) }
                        input type="text" id={ "card-" (f) } name=(f) value=(text(&cards["me"][f]));
                    }
                    p class="muted" { "Channel: in-person, chat, email or video. Length: brief or detailed. Decides by: data, story or consensus. Feedback: low, medium or high. Cadence: such as 1w. Empty clears." }
                    p { button type="submit" { "Save your card" } }
                }
            }
        }
    }
}

fn meetings_section(
    caller: &Caller,
    id: &str,
    view: &SpaceView,
    members: &Members,
    items: Vec<Value>,
    // The date the form to record a 1:1 starts at (today); none when the space is closed.
    record_on: Option<jiff::civil::Date>,
    whole: Whole,
) -> Markup {
    let all = whole.meetings;
    let open_topics: Vec<Value> = item_rows(&items, "topic")
        .into_iter()
        .filter(|t| t["status"] == "open")
        .collect();
    let meetings = meetings_json_with(view, members, items);
    let shown = if all {
        meetings.len()
    } else {
        meetings.len().min(MEETINGS_SHOWN)
    };
    html! {
        h2 id="meetings" { "1:1s" }
        @if meetings.is_empty() { p class="muted" { "No 1:1 recorded yet." } }
        @if meetings.len() > MEETINGS_SHOWN {
            p {
                @if all {
                    "All " (meetings.len()) " 1:1s, newest first. "
                    a href=(Whole { meetings: false, ..whole }.href(id, "meetings")) { "Show the latest " (MEETINGS_SHOWN) " only" }
                } @else {
                    "The latest " (MEETINGS_SHOWN) " of " (meetings.len()) " 1:1s, newest first. "
                    a href=(Whole { meetings: true, ..whole }.href(id, "meetings")) { "Show all " (meetings.len()) " 1:1s" }
                }
            }
        }
        @for m in meetings.iter().rev().take(shown) {
            h3 { (text(&m["date"])) }
            @for who_ in [&members.me, &members.other] {
                @if let Some(n) = m["notes"][&who_.email].as_str() {
                    p { strong { (who_.name) ": " } (n) }
                }
            }
            @if let Some(d) = m["discussed"].as_array().filter(|d| !d.is_empty()) {
                p { "Discussed: "
                    @for (i, t) in d.iter().enumerate() {
                        @if i > 0 { ", " }
                        (view.get(t["uuid"].as_str().and_then(|u| u.parse().ok()).unwrap_or_default()).and_then(|r| r.record.text("title")).unwrap_or("?"))
                    }
                }
            }
        }
        @if let Some(today) = record_on {
            form method="post" action={ "/spaces/" (id.trim()) "/meetings" } {
                (csrf_field(&caller.csrf))
                fieldset {
                    legend { "Record a 1:1" }
                    label for="meeting-date" { "Date" }
                    input type="date" id="meeting-date" name="date" value=(today) required;
                    @if !open_topics.is_empty() {
                        fieldset {
                            legend { "Topics discussed" }
                            @for t in &open_topics {
                                div class="check" {
                                    input type="checkbox" id={ "d-" (text(&t["uuid"])) } name="discussed" value=(text(&t["uuid"]));
                                    label for={ "d-" (text(&t["uuid"])) } { (text(&t["title"])) }
                                }
                            }
                        }
                    }
                    label for="meeting-notes" { "Your notes (shared)" }
                    textarea id="meeting-notes" name="notes" rows="3" {}
                    @for n in ["1", "2"] {
                        fieldset {
                            legend { "Action agreed (optional)" }
                            label for={ "title" (n) } { "Action" }
                            input type="text" id={ "title" (n) } name={ "title" (n) };
                            (owner_select(members, &format!("owner{n}"), &format!("owner-{n}")))
                            label for={ "due" (n) } { "Due (optional)" }
                            input type="date" id={ "due" (n) } name={ "due" (n) };
                        }
                    }
                    p { button type="submit" { "Record the 1:1" } }
                }
            }
        }
    }
}
