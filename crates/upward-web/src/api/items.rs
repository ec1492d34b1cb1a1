//! Items: `GET/POST /api/v1/items`, `GET/PATCH /api/v1/items/{id}`, and `POST
//! /api/v1/items/{id}/done|drop|reopen` — as `list`, `add`, `show`, `edit`, `done`, `drop` and
//! `reopen --json`.

use crate::error::WebError;
use crate::pages::input::{self, ItemRequest, Pairs};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Map, Value, json};
use std::sync::Arc;
use upward_domain::{Item, Kind, item::validate_text, parse_date};
use upward_store::ItemFilter;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/items", get(list).post(add))
        .route("/items/{id}", get(show).patch(edit))
        .route("/items/{id}/done", post(done))
        .route("/items/{id}/drop", post(drop))
        .route("/items/{id}/reopen", post(reopen))
}

/// What a list asks for (`list [KIND] --with --status --since --tag`), from a query.
pub struct ListQuery {
    pub person: Option<String>,
    pub filter: ItemFilter,
}

/// Reads the filters of a list; the defaults (open, or every win not dropped) are the app's.
pub fn list_query(pairs: &Pairs, today: jiff::civil::Date) -> Result<ListQuery, WebError> {
    let kind: Option<Kind> = input::get(pairs, "kind")
        .map(str::parse)
        .transpose()
        .map_err(WebError::from)?;
    let status = upward_app::items::list_status(input::get(pairs, "status"), kind)?;
    let since = input::get(pairs, "since")
        .map(|s| parse_date(s, today))
        .transpose()
        .map_err(WebError::from)?;
    Ok(ListQuery {
        person: input::get(pairs, "person").map(str::to_string),
        filter: ItemFilter {
            kind,
            status,
            since,
            tag: input::get(pairs, "tag").map(str::to_string),
            ..Default::default()
        },
    })
}

fn items_json(items: &[Item]) -> Value {
    Value::Array(items.iter().map(Item::to_json).collect())
}

/// `GET /api/v1/items?kind=&status=&person=&tag=&since=`: as `list --json`.
async fn list(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, WebError> {
    let pairs = input::query_pairs(query.as_deref()).map_err(WebError::json)?;
    state
        .read(move |tx, clock| {
            let q = list_query(&pairs, clock.today)?;
            let items = upward_app::items::listed(tx, q.filter, q.person.as_deref())?;
            Ok(Json(items_json(&items)))
        })
        .await
        .map_err(WebError::json)
}

/// `POST /api/v1/items` with an item in the item shape: as `add KIND TITLE --json`, 201.
async fn add(
    State(state): State<Arc<AppState>>,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let object = input::json_object(&body).map_err(WebError::json)?;
    let (kind, pairs) = input::pairs_of_item_json(&object).map_err(WebError::json)?;
    let kind = kind.ok_or_else(|| {
        WebError::bad_request(format!(
            "`kind` is missing — accepted: {}",
            Kind::accepted()
        ))
        .json()
    })?;
    let item = add_item(&state, &kind, &pairs)
        .await
        .map_err(WebError::json)?
        .item;
    let warnings = upward_domain::tone::item_warnings(&item, &Default::default());
    Ok((
        StatusCode::CREATED,
        Json(upward_render::tone::item_json(&item, &warnings)),
    ))
}

/// Adds an item of `kind` from request pairs (the page's form and the API share it), with the
/// hints `add` prints (docs/hints.md).
pub async fn add_item(
    state: &Arc<AppState>,
    kind: &str,
    pairs: &Pairs,
) -> Result<upward_app::items::Added, WebError> {
    let kind: Kind = kind.parse()?;
    let request = ItemRequest::from_pairs(pairs)?;
    if request.private {
        return Err(WebError::bad_request(
            "a new item is private unless it is shared: leave out private",
        ));
    }
    let title = request.title.clone().ok_or_else(|| {
        WebError::bad_request("the title is missing — say what it is, in one line")
    })?;
    state
        .write(move |tx, clock| {
            let mut parsed = request.input(clock.today)?;
            parsed.title = None;
            parsed.check_kind(kind)?;
            upward_domain::item::validate_title(&title)?;
            let input = upward_app::items::link(tx, parsed, request.links)?;
            Ok(upward_app::items::add(
                tx,
                kind,
                upward_domain::ItemInput {
                    title: Some(title),
                    ..input
                },
                request.with.as_deref(),
                clock,
            )?)
        })
        .await
}

/// Changes an item from request pairs (the page's form and the API share it).
pub async fn edit_item(state: &Arc<AppState>, id: i64, pairs: &Pairs) -> Result<Item, WebError> {
    let request = ItemRequest::from_pairs(pairs)?;
    state
        .write(move |tx, clock| {
            let parsed = request.input(clock.today)?;
            let input = upward_app::items::link(tx, parsed, request.links)?;
            Ok(upward_app::items::edit(
                tx,
                id,
                input,
                request.with.as_deref(),
                clock,
            )?)
        })
        .await
}

/// `GET /api/v1/items/{id}`: as `show ID --json`.
async fn show(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let id = input::id(&id).map_err(WebError::json)?;
    state
        .read(move |tx, _| Ok(Json(upward_app::items::get(tx, id)?.to_json())))
        .await
        .map_err(WebError::json)
}

/// `PATCH /api/v1/items/{id}` with the fields to change: as `edit ID --json`.
async fn edit(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, WebError> {
    let id = input::id(&id).map_err(WebError::json)?;
    let object = input::json_object(&body).map_err(WebError::json)?;
    let (kind, pairs) = input::pairs_of_item_json(&object).map_err(WebError::json)?;
    if kind.is_some() {
        return Err(WebError::bad_request("the kind of an item cannot change").json());
    }
    let item = edit_item(&state, id, &pairs)
        .await
        .map_err(WebError::json)?;
    let warnings = upward_domain::tone::item_warnings(&item, &Default::default());
    Ok(Json(upward_render::tone::item_json(&item, &warnings)))
}

/// Marks an item done (`date`: when, default today); the page's form and the API share it.
pub async fn done_item(
    state: &Arc<AppState>,
    id: i64,
    date: Option<String>,
) -> Result<Item, WebError> {
    state
        .write(move |tx, clock| {
            let date = date
                .as_deref()
                .map(|d| parse_date(d, clock.today))
                .transpose()?;
            Ok(upward_app::items::done(tx, id, date, clock)?)
        })
        .await
}

/// Drops an item, with why; the page's form and the API share it.
pub async fn drop_item(
    state: &Arc<AppState>,
    id: i64,
    why: Option<String>,
) -> Result<Item, WebError> {
    let why = match why {
        Some(w) => validate_text("why", &w)?,
        None => None,
    };
    state
        .write(move |tx, clock| Ok(upward_app::items::drop(tx, id, why, clock)?))
        .await
}

/// Opens an item again; the page's form and the API share it.
pub async fn reopen_item(state: &Arc<AppState>, id: i64) -> Result<Item, WebError> {
    state
        .write(move |tx, clock| Ok(upward_app::items::reopen(tx, id, clock)?))
        .await
}

/// A string field of an optional JSON body (`{"date": "…"}`), refusing any other key.
fn body_field(body: &[u8], key: &str) -> Result<Option<String>, WebError> {
    let object = input::json_object(body)?;
    let mut value = None;
    for (k, v) in &object {
        if k != key {
            return Err(WebError::bad_request(format!(
                "unknown field `{}` — accepted: {key}",
                k.escape_debug()
            )));
        }
        value = match v {
            Value::Null => None,
            Value::String(s) if s.trim().is_empty() => None,
            Value::String(s) => Some(s.clone()),
            _ => return Err(WebError::bad_request(format!("`{key}` must be a string"))),
        };
    }
    Ok(value)
}

/// `POST /api/v1/items/{id}/done` (`{"date": …}` optional): as `done ID --json`.
async fn done(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, WebError> {
    let id = input::id(&id).map_err(WebError::json)?;
    let date = body_field(&body, "date").map_err(WebError::json)?;
    let item = done_item(&state, id, date).await.map_err(WebError::json)?;
    Ok(Json(item.to_json()))
}

/// `POST /api/v1/items/{id}/drop` (`{"why": …}` optional): as `drop ID --json`.
async fn drop(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, WebError> {
    let id = input::id(&id).map_err(WebError::json)?;
    let why = body_field(&body, "why").map_err(WebError::json)?;
    let item = drop_item(&state, id, why).await.map_err(WebError::json)?;
    Ok(Json(item.to_json()))
}

/// `POST /api/v1/items/{id}/reopen`: as `reopen ID --json`.
async fn reopen(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let id = input::id(&id).map_err(WebError::json)?;
    let item = reopen_item(&state, id).await.map_err(WebError::json)?;
    Ok(Json(item.to_json()))
}

fn item_schema() -> Value {
    json!({"type": "object", "description": "An item, as `upward show ID --json` prints it",
        "required": ["id", "uuid", "kind", "title", "status"]})
}

fn ok(description: &str, schema: Value) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema}}})
}

fn id_param() -> Value {
    json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}})
}

fn query(name: &str, description: &str) -> Value {
    json!({"name": name, "in": "query", "required": false, "description": description, "schema": {"type": "string"}})
}

fn body(description: &str, schema: Value) -> Value {
    json!({"required": false, "description": description, "content": {"application/json": {"schema": schema}}})
}

pub fn paths() -> Map<String, Value> {
    let err = super::error_response;
    let mut m = Map::new();
    m.insert("/items".into(), json!({
        "get": {
            "summary": "Items, filtered (upward list --json)",
            "operationId": "listItems",
            "parameters": [
                query("kind", "One of the twelve kinds"),
                query("status", "open (default), done, dropped or all; wins default to every win not dropped"),
                query("person", "A person's name (a unique prefix is enough)"),
                query("tag", "A tag"),
                query("since", "Created, done or dated on or after this date")
            ],
            "responses": {
                "200": ok("The items", json!({"type": "array", "items": item_schema()})),
                "400": err("A filter is not valid"),
                "404": err("No such person")
            }
        },
        "post": {
            "summary": "Add an item (upward add KIND TITLE --json)",
            "operationId": "addItem",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {
                "type": "object", "required": ["kind", "title"],
                "description": "The item shape: kind, title, person, due, tags, body, visibility, and the kind's own fields (dates and durations as the command line takes them; for_item and answers as ids)"
            }}}},
            "responses": {
                "201": ok("The stored item", item_schema()),
                "400": err("A field is not valid or not of this kind"),
                "404": err("No such person or linked item")
            }
        }
    }));
    m.insert("/items/{id}".into(), json!({
        "parameters": [id_param()],
        "get": {
            "summary": "One item (upward show ID --json)",
            "operationId": "showItem",
            "responses": {"200": ok("The item", item_schema()), "404": err("No such item")}
        },
        "patch": {
            "summary": "Change an item's fields (upward edit ID --json)",
            "operationId": "editItem",
            "requestBody": body("The fields to change, in the item shape", json!({"type": "object"})),
            "responses": {
                "200": ok("The item", item_schema()),
                "400": err("Nothing to change, or a field is not valid"),
                "404": err("No such item")
            }
        }
    }));
    for (action, summary, field) in [
        (
            "done",
            "Mark an item done (upward done ID --json)",
            Some("date"),
        ),
        (
            "drop",
            "Drop an item, kept with why (upward drop ID --json)",
            Some("why"),
        ),
        (
            "reopen",
            "Open a done or dropped item again (upward reopen ID --json)",
            None,
        ),
    ] {
        let mut op = json!({
            "summary": summary,
            "operationId": format!("{action}Item"),
            "responses": {
                "200": ok("The item", item_schema()),
                "400": err("Not valid now"),
                "404": err("No such item")
            }
        });
        if let Some(f) = field {
            op["requestBody"] = body(
                &format!("Optional {f}"),
                json!({"type": "object", "properties": {f: {"type": "string"}}}),
            );
        }
        m.insert(
            format!("/items/{{id}}/{action}"),
            json!({"parameters": [id_param()], "post": op}),
        );
    }
    m
}
