//! The status update: `GET /api/v1/update[/{person}]?channel=&length=&since=&brief=` (as
//! `update [NAME] --json`) and `POST /api/v1/update/{person}/sent` (as `update NAME --sent
//! --json`).

use crate::error::WebError;
use crate::pages::input::{self, Pairs};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Map, Value, json};
use std::sync::Arc;
use upward_domain::workflow::update::{StatusUpdate, UpdateInput};
use upward_domain::{Channel, Length, parse_date};
use upward_store::Transaction;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/update", get(draft_manager))
        .route("/update/{person}", get(draft_person))
        .route("/update/{person}/sent", post(sent_person))
}

/// What an update asks for (`--channel`, `--length`, `--since`, `--brief`), as typed.
#[derive(Debug, Clone, Default)]
pub struct Asked {
    pub channel: Option<String>,
    pub length: Option<String>,
    pub since: Option<String>,
    /// The three-line brief, whoever the reader is (`--brief`).
    pub brief: bool,
}

impl Asked {
    pub fn from_pairs(pairs: &Pairs) -> Asked {
        let s = |k: &str| input::get(pairs, k).map(str::to_string);
        Asked {
            channel: s("channel"),
            length: s("length"),
            since: s("since"),
            brief: input::flag(pairs, "brief"),
        }
    }

    fn input(&self, today: jiff::civil::Date) -> Result<UpdateInput, WebError> {
        if self.brief && self.length.is_some() {
            // As `update --brief --length` is a usage error.
            return Err(WebError::bad_request(
                "brief and length cannot go together — the three-line brief has no length: leave out one of them",
            ));
        }
        Ok(UpdateInput {
            brief: self.brief,
            since: self
                .since
                .as_deref()
                .map(|s| parse_date(s, today))
                .transpose()?,
            channel: self
                .channel
                .as_deref()
                .map(str::parse::<Channel>)
                .transpose()?,
            length: self
                .length
                .as_deref()
                .map(str::parse::<Length>)
                .transpose()?,
            ..Default::default()
        })
    }
}

/// The update and its text, as `upward update` builds them.
pub fn draft(
    tx: &dyn Transaction,
    person: Option<&str>,
    asked: &Asked,
    today: jiff::civil::Date,
    clock: &upward_domain::Clock,
) -> Result<(StatusUpdate, String), WebError> {
    let su = upward_app::workflows::update(tx, person, asked.input(today)?, clock)?;
    let text = upward_render::update::text(&su);
    Ok((su, text))
}

/// Records the update as sent (its text as drafted now); the page's form and the API share it.
pub async fn send(
    state: &Arc<AppState>,
    person: Option<String>,
    asked: Asked,
) -> Result<(StatusUpdate, String), WebError> {
    state
        .write(move |tx, clock| {
            let (su, text) = draft(tx, person.as_deref(), &asked, clock.today, clock)?;
            upward_app::workflows::record_update_sent(tx, &su, &text, clock)?;
            Ok((su, text))
        })
        .await
}

async fn get_draft(
    state: Arc<AppState>,
    person: Option<String>,
    query: Option<String>,
) -> Result<Json<Value>, WebError> {
    let asked = Asked::from_pairs(&input::query_pairs(query.as_deref())?);
    state
        .read(move |tx, clock| {
            let (su, text) = draft(tx, person.as_deref(), &asked, clock.today, clock)?;
            Ok(Json(upward_render::update::json(&su, &text, false)))
        })
        .await
}

/// `GET /api/v1/update`: the update for my manager.
async fn draft_manager(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, WebError> {
    get_draft(state, None, query).await.map_err(WebError::json)
}

/// `GET /api/v1/update/{person}?channel=&length=&since=`: as `update NAME --json`.
async fn draft_person(
    State(state): State<Arc<AppState>>,
    Path(person): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, WebError> {
    get_draft(state, Some(person), query)
        .await
        .map_err(WebError::json)
}

/// The options of a `sent` request: the query, or a JSON body with the same keys.
fn asked_of(query: Option<&str>, body: &[u8]) -> Result<Asked, WebError> {
    let mut pairs = input::query_pairs(query)?;
    for (k, v) in input::json_object(body)? {
        if !matches!(k.as_str(), "channel" | "length" | "since" | "brief") {
            return Err(WebError::bad_request(format!(
                "unknown field `{}` — accepted: channel, length, since, brief",
                k.escape_debug()
            )));
        }
        match v {
            Value::Null => {}
            Value::Bool(b) if k == "brief" => pairs.push((k, b.to_string())),
            Value::String(s) => pairs.push((k, s)),
            _ if k == "brief" => {
                return Err(WebError::bad_request("`brief` must be true or false"));
            }
            _ => return Err(WebError::bad_request(format!("`{k}` must be a string"))),
        }
    }
    Ok(Asked::from_pairs(&pairs))
}

async fn post_sent(
    state: Arc<AppState>,
    person: String,
    query: Option<String>,
    body: Bytes,
) -> Result<Json<Value>, WebError> {
    let asked = asked_of(query.as_deref(), &body)?;
    let (su, text) = send(&state, Some(person), asked).await?;
    Ok(Json(upward_render::update::json(&su, &text, true)))
}

/// `POST /api/v1/update/{person}/sent`: as `update NAME --sent --json`.
async fn sent_person(
    State(state): State<Arc<AppState>>,
    Path(person): Path<String>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Result<Json<Value>, WebError> {
    post_sent(state, person, query, body)
        .await
        .map_err(WebError::json)
}

fn query(name: &str, description: &str) -> Value {
    json!({"name": name, "in": "query", "required": false, "description": description, "schema": {"type": "string"}})
}

pub fn paths() -> Map<String, Value> {
    let err = super::error_response;
    let params = json!([
        query(
            "channel",
            "in-person, chat, email or video (default: the person's)"
        ),
        query("length", "brief or detailed (default: the person's)"),
        query(
            "since",
            "The period's start (default: the last update, else the last 1:1)"
        ),
        query(
            "brief",
            "1 or true: the three-line brief (headline, decision needed, risk), whoever the reader is (default: for an executive, unless a length is given); not with length"
        )
    ]);
    let answer = json!({"description": "The update: person, channel, text, since, sent, omitted",
        "content": {"application/json": {"schema": {"type": "object",
            "required": ["person", "channel", "text", "since", "sent", "omitted"]}}}});
    let get_op = |summary: &str, id: &str| {
        json!({"summary": summary, "operationId": id, "parameters": params,
            "responses": {"200": answer, "400": err("A value is not valid"), "404": err("No such person")}})
    };
    let sent_op = |summary: &str, id: &str| {
        json!({"summary": summary, "operationId": id, "parameters": params,
            "responses": {"200": answer, "400": err("A value is not valid"), "404": err("No such person")}})
    };
    let person =
        json!({"name": "person", "in": "path", "required": true, "schema": {"type": "string"}});
    let mut m = Map::new();
    m.insert(
        "/update".into(),
        json!({"get": get_op("The status update for my manager (upward update --json)", "updateManager")}),
    );
    m.insert(
        "/update/{person}".into(),
        json!({"parameters": [person], "get": get_op("The status update for a person (upward update NAME --json)", "update")}),
    );
    m.insert(
        "/update/{person}/sent".into(),
        json!({"parameters": [person], "post": sent_op("Record the update as sent (upward update NAME --sent --json)", "updateSent")}),
    );
    m
}
