//! The spaces' API (docs/server.md, "Spaces"): invitations, and a space's content written as
//! operations through upward-space. A caller who is not a member gets 404 for every route of
//! a space, the answer for a space that does not exist.

use crate::api::{error_response, json_body, json_response};
use crate::auth::{Caller, Signed};
use crate::error::ServerError;
use crate::spaces::{self, Move};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::sync::Arc;
use upward_domain::{Channel, Duration, ItemInput, Kind, parse_date};
use upward_space::model::{self, NewAction};
use upward_space::view::Space as SpaceView;
use upward_space::{ItemStatus, Members, RecordType, Role};
use uuid::Uuid;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/home", get(home))
        .route("/spaces", get(list).post(invite))
        .route("/spaces/{id}", get(one).delete(delete_space))
        .route("/spaces/{id}/accept", post(accept))
        .route("/spaces/{id}/decline", post(decline))
        .route("/spaces/{id}/cancel", post(cancel))
        .route("/spaces/{id}/close", post(close))
        .route("/spaces/{id}/agenda", get(agenda))
        .route("/spaces/{id}/items", get(items).post(new_item))
        .route("/spaces/{id}/topics", post(new_topic))
        .route("/spaces/{id}/actions", post(new_action))
        .route(
            "/spaces/{id}/items/{item}",
            axum::routing::patch(edit_item).delete(remove_item),
        )
        .route("/spaces/{id}/items/{item}/status", post(set_status))
        .route("/spaces/{id}/meetings", get(meetings).post(record_meeting))
        .route("/spaces/{id}/updates", get(updates).post(new_update))
        .route("/spaces/{id}/follow-through", get(follow_through))
        .route("/spaces/{id}/card", axum::routing::put(set_card))
        .route("/spaces/{id}/cadence", axum::routing::put(set_cadence))
        .route("/spaces/{id}/export", get(export))
}

type Answer = Result<Json<Value>, ServerError>;
type Created = Result<(StatusCode, Json<Value>), ServerError>;

async fn list(State(state): State<Arc<AppState>>, caller: Caller) -> Answer {
    let all = spaces::list(&state, &caller.account).await?;
    Ok(Json(Value::Array(all.iter().map(|l| l.json()).collect())))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Invite {
    with: String,
    #[serde(rename = "as")]
    role: Option<String>,
}

async fn invite(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Json(b): Json<Invite>,
) -> Created {
    let role = spaces::check_role(b.role.as_deref())?;
    let space = spaces::invite(&state, &caller.account, &b.with, role).await?;
    let me = caller.account.clone();
    let now = state.clock.now();
    let listed = state
        .read(move |tx| spaces::listed(tx, space, &me, now))
        .await?;
    Ok((StatusCode::CREATED, Json(listed.json())))
}

async fn one(State(state): State<Arc<AppState>>, caller: Caller, Path(id): Path<String>) -> Answer {
    let me = caller.account.clone();
    let now = state.clock.now();
    let listed = state
        .read(move |tx| {
            let s = spaces::space_of(tx, &id, &me)?;
            spaces::listed(tx, s, &me, now)
        })
        .await?;
    Ok(Json(listed.json()))
}

async fn moved(state: &Arc<AppState>, caller: &Caller, id: &str, mv: Move) -> Answer {
    let space = spaces::apply_move(state, &caller.account, id, mv).await?;
    let me = caller.account.clone();
    let now = state.clock.now();
    let listed = state
        .read(move |tx| spaces::listed(tx, space, &me, now))
        .await?;
    Ok(Json(listed.json()))
}

async fn accept(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Answer {
    moved(&state, &caller, &id, Move::Accept).await
}

async fn decline(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Answer {
    moved(&state, &caller, &id, Move::Decline).await
}

async fn cancel(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Answer {
    moved(&state, &caller, &id, Move::Cancel).await
}

async fn close(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Answer {
    moved(&state, &caller, &id, Move::Close).await
}

async fn delete_space(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ServerError> {
    spaces::apply_move(&state, &caller.account, &id, Move::Delete).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's civil date.
fn today(state: &AppState, caller: &Caller) -> jiff::civil::Date {
    state.clock_for(&caller.account).today
}

async fn agenda(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Answer {
    let (_, members, view) = spaces::read_space(&state, &caller.account, &id).await?;
    let clock = state.clock_for(&caller.account);
    let agenda = upward_space::agenda(&view, &members, &clock);
    Ok(Json(upward_render::agenda::json(&agenda)))
}

/// Every visible item in the item shape, in id order.
pub fn items_json(view: &SpaceView, members: &Members) -> Vec<Value> {
    upward_space::items_json(view, members)
}

async fn items(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Answer {
    let (_, members, view) = spaces::read_space(&state, &caller.account, &id).await?;
    Ok(Json(Value::Array(items_json(&view, &members))))
}

/// The item shape of the record the first operation made.
fn made(view: &SpaceView, members: &Members, ops: &[upward_space::Op]) -> Created {
    let item = ops
        .first()
        .and_then(|o| upward_space::item_json(view, members, o.record))
        .ok_or_else(|| ServerError::internal("the new item does not read back"))?;
    Ok((StatusCode::CREATED, Json(item)))
}

/// A date as typed (`2026-12-01`, `today`, `friday`, … as the command line reads them).
pub fn date(
    field: &str,
    text: &str,
    today: jiff::civil::Date,
) -> Result<jiff::civil::Date, ServerError> {
    parse_date(text, today).map_err(|e| ServerError::bad_request(format!("{field}: {e}")))
}

fn opt_date(
    field: &str,
    text: Option<&str>,
    today: jiff::civil::Date,
) -> Result<Option<jiff::civil::Date>, ServerError> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => date(field, t, today).map(Some),
    }
}

/// The account of a member by email (an action's owner).
pub fn owner(members: &Members, email: &str) -> Result<Uuid, ServerError> {
    [&members.me, &members.other]
        .into_iter()
        .find(|m| upward_server_store::email_key(&m.email) == upward_server_store::email_key(email))
        .map(|m| m.account)
        .ok_or_else(|| {
            ServerError::bad_request(format!(
                "owner `{}` is not a member of this space — accepted: {} or {}",
                email.chars().take(80).collect::<String>().escape_debug(),
                members.me.email,
                members.other.email
            ))
        })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewTopic {
    title: String,
    body: Option<String>,
}

async fn new_topic(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
    Json(b): Json<NewTopic>,
) -> Created {
    let (members, view, ops) =
        spaces::write_space(&state, &caller.account, &id, move |ctx, _, _| {
            model::new_topic(ctx, &b.title, b.body.as_deref()).map_err(spaces::space_error)
        })
        .await?;
    made(&view, &members, &ops)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionIn {
    pub title: String,
    pub owner: String,
    pub due: Option<String>,
}

/// An action as typed, checked against the members and the caller's date.
pub fn action_in(
    a: &ActionIn,
    members: &Members,
    today: jiff::civil::Date,
) -> Result<NewAction, ServerError> {
    Ok(NewAction {
        title: a.title.clone(),
        owner: owner(members, &a.owner)?,
        due: opt_date("due", a.due.as_deref(), today)?,
    })
}

async fn new_action(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
    Json(b): Json<ActionIn>,
) -> Created {
    let today = today(&state, &caller);
    let (members, view, ops) =
        spaces::write_space(&state, &caller.account, &id, move |ctx, _, members| {
            let a = action_in(&b, members, today)?;
            model::new_action(ctx, &a.title, a.owner, a.due, None).map_err(spaces::space_error)
        })
        .await?;
    made(&view, &members, &ops)
}

/// Wins, status updates and goals are the report's to share (either member between peers).
pub fn may_share(members: &Members) -> Result<(), ServerError> {
    if members.me.role == Role::Manager {
        return Err(ServerError::forbidden(
            "wins, goals and status updates are shared by the report — as the manager, add a topic or an action",
        ));
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewItem {
    kind: String,
    title: String,
    body: Option<String>,
    /// A win's date (default today).
    date: Option<String>,
    impact: Option<String>,
    metric: Option<String>,
    due: Option<String>,
}

async fn new_item(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
    Json(b): Json<NewItem>,
) -> Created {
    let today = today(&state, &caller);
    let kind = match b.kind.trim() {
        "win" => Kind::Win,
        "goal" => Kind::Goal,
        other => {
            return Err(ServerError::bad_request(format!(
                "kind `{}` is not shared this way — accepted: win or goal (topics: POST …/topics, actions: POST …/actions)",
                other.chars().take(40).collect::<String>().escape_debug()
            )));
        }
    };
    let (members, view, ops) =
        spaces::write_space(&state, &caller.account, &id, move |ctx, _, members| {
            may_share(members)?;
            let input = ItemInput {
                title: Some(b.title),
                body: b.body,
                date: opt_date("date", b.date.as_deref(), today)?,
                due: opt_date("due", b.due.as_deref(), today)?,
                impact: b.impact,
                metric: b.metric,
                ..ItemInput::default()
            };
            model::new_item(ctx, kind, input).map_err(spaces::space_error)
        })
        .await?;
    made(&view, &members, &ops)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusIn {
    status: String,
    on: Option<String>,
}

async fn set_status(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path((id, item)): Path<(String, String)>,
    Json(b): Json<StatusIn>,
) -> Answer {
    let today = today(&state, &caller);
    let (members, view, record) = status_change(
        &state,
        &caller,
        &id,
        &item,
        &b.status,
        b.on.as_deref(),
        today,
    )
    .await?;
    item_answer(&view, &members, record)
}

/// Sets an item's status (the API's and the page's).
pub async fn status_change(
    state: &Arc<AppState>,
    caller: &Caller,
    id: &str,
    item: &str,
    status: &str,
    on: Option<&str>,
    today: jiff::civil::Date,
) -> Result<(Members, SpaceView, Uuid), ServerError> {
    let status: ItemStatus = status.trim().parse().map_err(|_| {
        ServerError::bad_request(format!(
            "status `{}` is not valid — accepted: open, discussed or parked (a topic); open, done or dropped (an action, a goal)",
            status.chars().take(40).collect::<String>().escape_debug()
        ))
    })?;
    let on = opt_date("on", on, today)?.unwrap_or(today);
    let key = item.to_string();
    let (members, view, _) =
        spaces::write_space(state, &caller.account, id, move |ctx, view, _| {
            let record = spaces::resolve(view, &key)?;
            model::set_status(ctx, view, record, status, on).map_err(spaces::space_error)
        })
        .await?;
    let record = spaces::resolve(&view, item)?;
    Ok((members, view, record))
}

fn item_answer(view: &SpaceView, members: &Members, record: Uuid) -> Answer {
    upward_space::item_json(view, members, record)
        .map(Json)
        .ok_or_else(|| ServerError::not_found("no such item in this space"))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditIn {
    pub title: Option<String>,
    pub body: Option<String>,
    pub due: Option<String>,
    pub owner: Option<String>,
}

/// Edits an item by its author (the API's and the page's): the item afterwards.
pub async fn edit_write(
    state: &Arc<AppState>,
    caller: &Caller,
    id: &str,
    item: &str,
    b: EditIn,
) -> Result<(Members, SpaceView, Uuid), ServerError> {
    let today = today(state, caller);
    let key = item.to_string();
    let (members, view, _) =
        spaces::write_space(state, &caller.account, id, move |ctx, view, members| {
            let record = spaces::resolve(view, &key)?;
            let owner = b.owner.as_deref().map(|e| owner(members, e)).transpose()?;
            let input = ItemInput {
                title: b.title,
                body: b.body,
                due: opt_date("due", b.due.as_deref(), today)?,
                ..ItemInput::default()
            };
            model::edit_item(ctx, view, record, input, owner).map_err(spaces::space_error)
        })
        .await?;
    let record = spaces::resolve(&view, item)?;
    Ok((members, view, record))
}

async fn edit_item(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path((id, item)): Path<(String, String)>,
    Json(b): Json<EditIn>,
) -> Answer {
    let (members, view, record) = edit_write(&state, &caller, &id, &item, b).await?;
    item_answer(&view, &members, record)
}

/// Removes an item (or a status update) by its author (the API's and the page's).
pub async fn remove_write(
    state: &Arc<AppState>,
    caller: &Caller,
    id: &str,
    item: &str,
) -> Result<(), ServerError> {
    let key = item.to_string();
    spaces::write_space(state, &caller.account, id, move |ctx, view, _| {
        let record = spaces::resolve(view, &key)?;
        model::remove(ctx, view, record).map_err(spaces::space_error)
    })
    .await?;
    Ok(())
}

async fn remove_item(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path((id, item)): Path<(String, String)>,
) -> Result<StatusCode, ServerError> {
    remove_write(&state, &caller, &id, &item).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The meetings of a space, oldest first: date, both members' notes by email, the items
/// discussed (their ids), and the actions agreed.
pub fn meetings_json(view: &SpaceView, members: &Members) -> Vec<Value> {
    meetings_json_with(view, members, upward_space::items_json(view, members))
}

/// [`meetings_json`] with every item's JSON already made ([`items_json`]).
pub fn meetings_json_with(
    view: &SpaceView,
    members: &Members,
    all_items: Vec<Value>,
) -> Vec<Value> {
    let mut out: Vec<(String, Value)> = Vec::new();
    // Every item's JSON made once (from one snapshot of the space), not once per action.
    let items: Vec<_> = view.visible(RecordType::Item).collect();
    let mut shapes: std::collections::HashMap<Uuid, Value> = all_items
        .into_iter()
        .filter_map(|j| Some((j["uuid"].as_str()?.parse().ok()?, j)))
        .collect();
    for r in view.visible(RecordType::Meeting) {
        let rec = &r.record;
        let date = rec.text("date").unwrap_or_default().to_string();
        let mut notes = Map::new();
        for m in [&members.me, &members.other] {
            if let Some(n) = rec.text(&format!("notes:{}", m.account)) {
                notes.insert(m.email.clone(), n.into());
            }
        }
        let discussed: Vec<Value> = rec
            .fields
            .iter()
            .filter_map(|(k, (v, _))| {
                let id: Uuid = k.strip_prefix("discussed:")?.parse().ok()?;
                (v == &Value::Bool(true)).then_some(id)?;
                let seq = view.get(id).filter(|s| s.record.is_visible())?.seq;
                Some(json!({"id": seq, "uuid": id}))
            })
            .collect();
        let meeting = rec.id.to_string();
        let actions: Vec<Value> = items
            .iter()
            .filter(|i| i.record.text("meeting") == Some(meeting.as_str()))
            .filter_map(|i| shapes.remove(&i.record.id))
            .collect();
        out.push((
            date.clone(),
            json!({"id": r.seq, "uuid": rec.id, "date": date, "notes": notes, "discussed": discussed, "actions": actions}),
        ));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.into_iter().map(|(_, v)| v).collect()
}

async fn meetings(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Answer {
    let (_, members, view) = spaces::read_space(&state, &caller.account, &id).await?;
    Ok(Json(Value::Array(meetings_json(&view, &members))))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingIn {
    pub date: String,
    pub notes: Option<String>,
    #[serde(default)]
    pub discussed: Vec<String>,
    #[serde(default)]
    pub actions: Vec<ActionIn>,
}

/// Records a meeting (the API's and the page's): the meeting's id.
pub async fn meeting_write(
    state: &Arc<AppState>,
    caller: &Caller,
    id: &str,
    b: MeetingIn,
) -> Result<(Members, SpaceView, Uuid), ServerError> {
    let today = today(state, caller);
    let date = date("date", &b.date, today)?;
    let space_id: Uuid = id.trim().parse().unwrap_or_default();
    let (members, view, _) =
        spaces::write_space(state, &caller.account, id, move |ctx, view, members| {
            let mut discussed = Vec::new();
            for d in &b.discussed {
                let r = spaces::resolve(view, d)
                    .map_err(|e| ServerError::bad_request(format!("discussed: {}", e.message)))?;
                discussed.push(r);
            }
            let actions = b
                .actions
                .iter()
                .map(|a| action_in(a, members, today))
                .collect::<Result<Vec<_>, _>>()?;
            let notes = b.notes.as_deref().map(str::trim).filter(|n| !n.is_empty());
            model::record_meeting(ctx, view, date, notes, &discussed, actions).map_err(
                |e| match e {
                    upward_space::SpaceError::NotFound(m) => ServerError::bad_request(m),
                    e => spaces::space_error(e),
                },
            )
        })
        .await?;
    Ok((members, view, model::meeting_id(space_id, date)))
}

async fn record_meeting(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
    Json(b): Json<MeetingIn>,
) -> Created {
    let (members, view, meeting) = meeting_write(&state, &caller, &id, b).await?;
    let found = meetings_json(&view, &members)
        .into_iter()
        .find(|m| m["uuid"] == json!(meeting))
        .unwrap_or_else(|| json!({"uuid": meeting}));
    Ok((StatusCode::CREATED, Json(found)))
}

/// The status updates, oldest first, with who sent them.
pub fn updates_json(view: &SpaceView, members: &Members) -> Vec<Value> {
    let mut out: Vec<Value> = view
        .visible(RecordType::Update)
        .map(|r| {
            let author = r
                .record
                .author
                .and_then(|a| members.by_account(a))
                .map(|m| m.email.clone());
            json!({
                "id": r.seq,
                "uuid": r.record.id,
                "date": r.record.text("date"),
                "channel": r.record.text("channel"),
                "text": r.record.text("text"),
                "author": author,
            })
        })
        .collect();
    out.sort_by(|a, b| a["date"].as_str().cmp(&b["date"].as_str()));
    out
}

async fn updates(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Answer {
    let (_, members, view) = spaces::read_space(&state, &caller.account, &id).await?;
    Ok(Json(Value::Array(updates_json(&view, &members))))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateIn {
    pub date: Option<String>,
    pub channel: String,
    pub text: Option<String>,
}

/// Shares a status update (the API's and the page's): its record.
pub async fn update_write(
    state: &Arc<AppState>,
    caller: &Caller,
    id: &str,
    b: UpdateIn,
) -> Result<(Members, SpaceView, Uuid), ServerError> {
    let today = today(state, caller);
    let date = opt_date("date", b.date.as_deref(), today)?.unwrap_or(today);
    let channel: Channel = b
        .channel
        .trim()
        .parse()
        .map_err(|e: upward_domain::DomainError| ServerError::bad_request(e.to_string()))?;
    let (members, view, ops) =
        spaces::write_space(state, &caller.account, id, move |ctx, _, members| {
            may_share(members)?;
            model::new_update(ctx, date, channel, b.text.as_deref()).map_err(spaces::space_error)
        })
        .await?;
    let record = ops.first().map(|o| o.record).unwrap_or_default();
    Ok((members, view, record))
}

async fn new_update(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
    Json(b): Json<UpdateIn>,
) -> Created {
    let (members, view, record) = update_write(&state, &caller, &id, b).await?;
    let found = updates_json(&view, &members)
        .into_iter()
        .find(|u| u["uuid"] == json!(record))
        .ok_or_else(|| ServerError::internal("the update does not read back"))?;
    Ok((StatusCode::CREATED, Json(found)))
}

async fn follow_through(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Answer {
    let (_, members, view) = spaces::read_space(&state, &caller.account, &id).await?;
    let sides = upward_space::follow_through(&view, &members, today(&state, &caller));
    Ok(Json(json!(sides)))
}

/// The card fields, in order.
pub const CARD_FIELDS: [&str; 5] = ["channel", "length", "decides_by", "feedback", "cadence"];

/// Both members' cards: `{"me": {...}, "other": {...}}` with the email of each.
pub fn cards_json(view: &SpaceView, members: &Members) -> Value {
    let card = |m: &upward_space::Member| {
        let rec = view
            .record(model::card_id(view.id, m.account))
            .filter(|r| r.is_visible());
        let mut out = Map::new();
        out.insert("email".into(), m.email.clone().into());
        for f in CARD_FIELDS {
            out.insert(
                f.into(),
                rec.and_then(|r| r.get(f).cloned()).unwrap_or(Value::Null),
            );
        }
        Value::Object(out)
    };
    json!({"me": card(&members.me), "other": card(&members.other)})
}

/// Sets the caller's card from (field, text) pairs (the API's and the page's).
pub async fn card_write(
    state: &Arc<AppState>,
    caller: &Caller,
    id: &str,
    fields: Vec<(String, String)>,
) -> Result<(Members, SpaceView), ServerError> {
    let (members, view, _) =
        spaces::write_space(state, &caller.account, id, move |ctx, view, _| {
            let pairs: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            model::set_card(ctx, view, &pairs).map_err(spaces::space_error)
        })
        .await?;
    Ok((members, view))
}

async fn set_card(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
    Json(b): Json<Map<String, Value>>,
) -> Answer {
    let mut fields = Vec::new();
    for (k, v) in b {
        let text = match v {
            Value::String(s) => s,
            Value::Null => String::new(),
            _ => {
                return Err(ServerError::bad_request(format!(
                    "card field `{}` takes a string (or null to clear)",
                    k.chars().take(40).collect::<String>().escape_debug()
                )));
            }
        };
        fields.push((k, text));
    }
    let (members, view) = card_write(&state, &caller, &id, fields).await?;
    Ok(Json(cards_json(&view, &members)["me"].clone()))
}

/// Sets the space's cadence (the API's and the page's); "" or none clears it.
pub async fn cadence_write(
    state: &Arc<AppState>,
    caller: &Caller,
    id: &str,
    cadence: Option<&str>,
) -> Result<Option<Duration>, ServerError> {
    let cadence = match cadence.map(str::trim) {
        None | Some("") => None,
        Some(c) => Some(c.parse::<Duration>().map_err(|e| {
            ServerError::bad_request(format!(
                "cadence: {e} — accepted: a number of days, weeks or months such as 14d, 2w or 1m"
            ))
        })?),
    };
    spaces::write_space(state, &caller.account, id, move |ctx, view, _| {
        model::set_cadence(ctx, view, cadence).map_err(spaces::space_error)
    })
    .await?;
    Ok(cadence)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CadenceIn {
    cadence: Option<String>,
}

async fn set_cadence(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
    Json(b): Json<CadenceIn>,
) -> Answer {
    let c = cadence_write(&state, &caller, &id, b.cadence.as_deref()).await?;
    Ok(Json(json!({"cadence": c.map(|c| c.to_string())})))
}

async fn export(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Answer {
    let (_, members, view) = spaces::read_space(&state, &caller.account, &id).await?;
    Ok(Json(upward_space::export(
        &view,
        &members,
        state.clock.now(),
    )))
}

/// What needs a member in a space, and its JSON (made once: kept in the read cache).
pub struct Needs {
    pub needs: upward_space::NeedsYou,
    pub json: Value,
}

/// A space on Home: as listed, with what needs the caller in it when it is active.
pub type HomeSpace = (spaces::Listed, Option<Arc<Needs>>);

/// What needs the caller in each active space, for their home: one query for the spaces
/// with their heads ([`upward_server_store::ServerTx::space_heads_of`]); a space's records
/// are read, and what needs the caller worked out, only when the cache has none for its
/// head, the caller and their date. Runs in the transaction `tx` (the handler's, which signed
/// the caller in).
pub fn home_in(
    st: &AppState,
    tx: &mut dyn upward_server_store::ServerTx,
    caller: &Caller,
) -> Result<Vec<HomeSpace>, ServerError> {
    let me = &caller.account;
    let now = st.clock.now();
    let today = today(st, caller);
    let mut out = Vec::new();
    for h in tx.space_heads_of(me.id, &me.email)? {
        if !spaces::is_member(&h.space, me) {
            continue;
        }
        let l = spaces::listed_of_head(&h, me, now);
        let needs = if l.status == "active" {
            let members = spaces::members_of_head(&h, me)?;
            let key = format!(
                "needs\u{1f}{}\u{1f}{today}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
                members.me.account,
                members.me.email,
                members.me.name,
                members.other.email,
                members.other.name
            );
            let space = h.space.id;
            match st.cache.derived::<Needs>(space, h.head, &key) {
                Some(n) => Some(n),
                None => {
                    let view = spaces::view_at(st, tx, space, h.head)?;
                    let needs = upward_space::needs_you(&view, &members, today);
                    let json = json!(needs);
                    let bytes = 2 * json.to_string().len();
                    let n = Arc::new(Needs { needs, json });
                    st.cache.put_derived(space, h.head, key, n.clone(), bytes);
                    Some(n)
                }
            }
        } else {
            None
        };
        out.push((l, needs));
    }
    Ok(out)
}

async fn home(State(state): State<Arc<AppState>>, signed: Signed) -> Answer {
    let st = state.clone();
    let (_, data) = signed
        .read(&state, move |tx, caller| home_in(&st, tx, caller))
        .await?;
    let spaces: Vec<Value> = data
        .iter()
        .map(|(l, needs)| {
            let mut v = l.json();
            v["needs_you"] = needs.as_ref().map_or(Value::Null, |n| n.json.clone());
            v
        })
        .collect();
    Ok(Json(json!({"spaces": spaces})))
}

/// The OpenAPI description of the spaces' routes.
pub fn paths() -> Map<String, Value> {
    let uuid = json!({"type": "string", "format": "uuid"});
    let text = json!({"type": "string"});
    let opt_text = json!({"type": ["string", "null"]});
    let member = json!({"type": "object", "required": ["email", "name"], "properties": {"email": text, "name": opt_text}});
    let role = json!({"type": "string", "enum": ["report", "manager", "peer"]});
    let space = json!({
        "type": "object",
        "required": ["id", "members", "status", "roles"],
        "properties": {
            "id": uuid,
            "members": {"type": "array", "items": member},
            "status": {"type": "string", "enum": ["invited", "active", "declined", "cancelled", "expired", "closed"]},
            "roles": {"type": "object", "required": ["me", "other"], "properties": {"me": role, "other": role}},
            "created": {"type": "string", "format": "date-time"},
            "expires": {"type": ["string", "null"], "format": "date-time"}
        }
    });
    let item = json!({
        "type": "object",
        "required": ["id", "uuid", "kind", "title", "status", "author", "owner_email"],
        "properties": {
            "id": {"type": "integer"}, "uuid": uuid, "kind": text, "title": text,
            "status": text, "author": opt_text, "owner_email": opt_text
        }
    });
    let object = json!({"type": "object"});
    let action_in = json!({"type": "object", "required": ["title", "owner"], "properties": {"title": text, "owner": text, "due": opt_text}});
    let meeting = json!({"type": "object", "required": ["id", "uuid", "date", "notes", "discussed", "actions"], "properties": {"id": {"type": "integer"}, "uuid": uuid, "date": text, "notes": object, "discussed": {"type": "array"}, "actions": {"type": "array", "items": item}}});
    let update = json!({"type": "object", "required": ["id", "uuid", "date", "channel", "text", "author"], "properties": {"id": {"type": "integer"}, "uuid": uuid, "date": text, "channel": text, "text": opt_text, "author": opt_text}});
    let card = json!({"type": "object", "properties": {"email": text, "channel": opt_text, "length": opt_text, "decides_by": opt_text, "feedback": opt_text, "cadence": opt_text}});
    let side = json!({"type": "object", "required": ["account", "email", "name", "done_on_time", "done_late", "open", "overdue"], "properties": {"account": uuid, "email": text, "name": text, "done_on_time": {"type": "integer"}, "done_late": {"type": "integer"}, "open": {"type": "integer"}, "overdue": {"type": "integer"}}});
    let id_param = json!({"name": "id", "in": "path", "required": true, "schema": uuid});
    let item_param = json!({"name": "item", "in": "path", "required": true, "description": "the item's id (a number) or uuid", "schema": text});
    let refusals = |ok: (&str, Value)| {
        let mut r = Map::new();
        r.insert(ok.0.into(), ok.1);
        for (code, what) in [
            ("400", "Bad input, named in one line"),
            ("401", "Not signed in"),
            (
                "403",
                "Not yours to do (an answer for the invitee, an edit for the author)",
            ),
            (
                "404",
                "No such space (also every space the caller is not a member of), or no such item",
            ),
            (
                "409",
                "Not in this status (an invitation not answered, a closed space, one space per pair)",
            ),
            ("413", "A body over 1 MiB"),
            ("415", "A body that is not application/json"),
            (
                "422",
                "A JSON body of the wrong shape (a missing or unknown key, a wrong type)",
            ),
        ] {
            r.insert(code.into(), error_response(what));
        }
        Value::Object(r)
    };
    let op = |summary: &str, params: &[&Value], body: Option<Value>, ok: (&str, Value)| {
        let mut o = json!({"summary": summary, "parameters": params, "responses": refusals(ok)});
        if let Some(b) = body {
            o["requestBody"] = json_body(b);
        }
        o
    };
    let ok = |what: &str, schema: &Value| ("200", json_response(what, schema.clone()));
    let created = |what: &str, schema: &Value| ("201", json_response(what, schema.clone()));
    let p = [&id_param];
    let pi = [&id_param, &item_param];
    let mut m = Map::new();
    let mut add = |path: &str, v: Value| {
        m.insert(path.into(), v);
    };
    add(
        "/home",
        json!({"get": op("Every space of the caller with what needs them: their overdue actions, the other side's new topics, the next 1:1 due", &[], None, ok("The spaces", &json!({"type": "object", "required": ["spaces"], "properties": {"spaces": {"type": "array"}}})))}),
    );
    add(
        "/spaces",
        json!({
            "get": op("The caller's spaces and invitations, newest first", &[], None, ok("The spaces", &json!({"type": "array", "items": space}))),
            "post": op("Invites an email to a space (the same answer whether or not it has an account)", &[], Some(json!({"type": "object", "required": ["with"], "properties": {"with": text, "as": role}})), created("The invitation", &space))
        }),
    );
    add(
        "/spaces/{id}",
        json!({
            "get": op("One space of the caller", &p, None, ok("The space", &space)),
            "delete": op("Deletes a closed (or answered) space with its content", &p, None, ("204", json!({"description": "Deleted"})))
        }),
    );
    for (verb, what) in [
        ("accept", "Accepts an invitation (the invitee)"),
        ("decline", "Declines an invitation (the invitee)"),
        ("cancel", "Cancels an invitation (the inviter)"),
        (
            "close",
            "Closes an active space: read-only for both, still exportable",
        ),
    ] {
        add(
            &format!("/spaces/{{id}}/{verb}"),
            json!({"post": op(what, &p, None, ok("The space", &space))}),
        );
    }
    add(
        "/spaces/{id}/agenda",
        json!({"get": op("The shared agenda for the caller: the JSON of upward prep --shared --json", &p, None, ok("The agenda", &object))}),
    );
    add(
        "/spaces/{id}/items",
        json!({
            "get": op("Every item of the space, in the item shape", &p, None, ok("The items", &json!({"type": "array", "items": item}))),
            "post": op("Shares a win or a career goal (the report; either peer)", &p, Some(json!({"type": "object", "required": ["kind", "title"], "properties": {"kind": {"type": "string", "enum": ["win", "goal"]}, "title": text, "body": opt_text, "date": opt_text, "impact": opt_text, "metric": opt_text, "due": opt_text}})), created("The item", &item))
        }),
    );
    add(
        "/spaces/{id}/topics",
        json!({"post": op("Adds a topic for the next 1:1", &p, Some(json!({"type": "object", "required": ["title"], "properties": {"title": text, "body": opt_text}})), created("The topic", &item))}),
    );
    add(
        "/spaces/{id}/actions",
        json!({"post": op("Adds an action owned by either member", &p, Some(action_in.clone()), created("The action", &item))}),
    );
    add(
        "/spaces/{id}/items/{item}",
        json!({
            "patch": op("Edits an item (its author only)", &pi, Some(json!({"type": "object", "properties": {"title": text, "body": opt_text, "due": opt_text, "owner": text}})), ok("The item", &item)),
            "delete": op("Removes an item or a status update (its author only); gone for both members", &pi, None, ("204", json!({"description": "Removed"})))
        }),
    );
    add(
        "/spaces/{id}/items/{item}/status",
        json!({"post": op("Sets an item's status (either member): a topic open, discussed or parked; an action done, dropped or open", &pi, Some(json!({"type": "object", "required": ["status"], "properties": {"status": text, "on": opt_text}})), ok("The item", &item))}),
    );
    add(
        "/spaces/{id}/meetings",
        json!({
            "get": op("The 1:1s, oldest first, with both members' notes", &p, None, ok("The meetings", &json!({"type": "array", "items": meeting}))),
            "post": op("Records the 1:1 of a date (one per date: a second recorder adds their notes and topics)", &p, Some(json!({"type": "object", "required": ["date"], "properties": {"date": text, "notes": opt_text, "discussed": {"type": "array", "items": text}, "actions": {"type": "array", "items": action_in}}})), created("The meeting", &meeting))
        }),
    );
    add(
        "/spaces/{id}/updates",
        json!({
            "get": op("The status updates the report shared", &p, None, ok("The updates", &json!({"type": "array", "items": update}))),
            "post": op("Shares a status update (the report; either peer)", &p, Some(json!({"type": "object", "required": ["channel"], "properties": {"date": opt_text, "channel": {"type": "string", "enum": ["in-person", "chat", "email", "video"]}, "text": opt_text}})), created("The update", &update))
        }),
    );
    add(
        "/spaces/{id}/follow-through",
        json!({"get": op("Each member's follow-through on their actions, the caller first", &p, None, ok("Both sides", &json!({"type": "array", "items": side})))}),
    );
    add(
        "/spaces/{id}/card",
        json!({"put": op("Sets the caller's \"how I like to work\" card (\"\" or null clears a field)", &p, Some(json!({"type": "object", "properties": {"channel": opt_text, "length": opt_text, "decides_by": opt_text, "feedback": opt_text, "cadence": opt_text}, "additionalProperties": false})), ok("The card", &card))}),
    );
    add(
        "/spaces/{id}/cadence",
        json!({"put": op("Sets how often the two meet (14d, 2w, 1m; null clears)", &p, Some(json!({"type": "object", "properties": {"cadence": opt_text}})), ok("The cadence", &json!({"type": "object", "properties": {"cadence": opt_text}})))}),
    );
    add(
        "/spaces/{id}/export",
        json!({"get": op("The whole space as an upward export document (upward import FILE --merge)", &p, None, ok("The export", &object))}),
    );
    m
}
