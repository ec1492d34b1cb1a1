//! Sync on the server (docs/sync.md, "The protocol"): the `Upward-Protocol` header, and a
//! space's operations pulled (`GET /spaces/{id}/ops`) and pushed (`POST /spaces/{id}/ops`).
//!
//! A push is a device's: it needs an API token bound to a device at sign-in. It is taken whole
//! or not at all, in one write transaction under the space's log lock, each operation
//! checked (its space, author, device, protocol and clock here; well made and allowed by
//! `upward_space::admit` against the record as stored), appended with its payload exactly as
//! sent, and folded into the space's records as the pages' writes are
//! ([`spaces::append_payload`]). An operation already in the log with the same content is a
//! duplicate (a retry): not appended again, its stored position answered.

use crate::api::{error_response, json_body, json_response};
use crate::auth::{Caller, Via};
use crate::error::ServerError;
use crate::spaces;
use crate::state::AppState;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use jiff::Timestamp;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::sync::Arc;
use upward_server_store::{OpRow, ServerTx};
use upward_space::{Action, Envelope, Hlc, Op, RecordType, Role, WireOp};
use uuid::Uuid;

/// The header every sync request carries.
pub const HEADER: &str = "upward-protocol";
/// The protocols this server speaks: `MIN..=MAX`.
pub const MIN: u16 = 1;
pub const MAX: u16 = upward_space::PROTOCOL;

/// Operations a pull answers by default, and at most.
pub const PAGE: usize = 1000;
pub const PAGE_MAX: usize = 5000;
/// Operations a push carries at most.
pub const PUSH_MAX: usize = 500;
/// How far ahead of the server's wall clock a pushed operation's clock may be.
pub const SKEW_MAX_MS: u64 = 5 * 60 * 1000;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/spaces/{id}/ops", get(pull).post(push))
}

/// A refusal of this module: a [`ServerError`], or the 426 of a protocol this server does not
/// speak (`{"error", "min", "max"}`).
#[derive(Debug)]
pub enum Refused {
    Error(ServerError),
    Upgrade { theirs: String, number: Option<u64> },
}

impl From<ServerError> for Refused {
    fn from(e: ServerError) -> Refused {
        Refused::Error(e)
    }
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::Error(e) => write!(f, "{} ({})", e.message, e.status),
            Refused::Upgrade { theirs, .. } => {
                write!(
                    f,
                    "protocol {theirs} is not one this server speaks ({MIN} to {MAX})"
                )
            }
        }
    }
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        match self {
            Refused::Error(e) => e.into_response(),
            Refused::Upgrade { theirs, number } => upgrade(&theirs, number),
        }
    }
}

/// 426 `{"error", "min", "max"}`: `theirs` is not a protocol this server speaks.
fn upgrade(theirs: &str, number: Option<u64>) -> Response {
    let speaks = format!("this server speaks protocol {MIN} to {MAX}");
    let error = match number {
        Some(n) if n > u64::from(MAX) => {
            format!("{speaks}; upward here speaks {n}: upgrade the server")
        }
        Some(n) => format!("{speaks}; upward here speaks {n}: upgrade upward on this machine"),
        None => format!(
            "{speaks}; `{}` is not a protocol number (Upward-Protocol: {MAX}): upgrade upward on this machine",
            theirs.chars().take(40).collect::<String>().escape_debug()
        ),
    };
    (
        StatusCode::UPGRADE_REQUIRED,
        Json(json!({"error": error, "min": MIN, "max": MAX})),
    )
        .into_response()
}

/// The protocol a request declares: `None` without the header, `Err` (the 426) when it is not
/// one this server speaks.
fn declared(headers: &HeaderMap) -> Result<Option<u16>, Refused> {
    let Some(v) = headers.get(HEADER) else {
        return Ok(None);
    };
    let text = String::from_utf8_lossy(v.as_bytes()).trim().to_string();
    match text.parse::<u64>() {
        Ok(n) if (u64::from(MIN)..=u64::from(MAX)).contains(&n) => Ok(u16::try_from(n).ok()),
        Ok(n) => Err(Refused::Upgrade {
            theirs: text,
            number: Some(n),
        }),
        Err(_) => Err(Refused::Upgrade {
            theirs: text,
            number: None,
        }),
    }
}

/// The layer on `/api/v1/`: a request that declares a protocol this server does not speak is
/// 426 before anything else. Without the header it goes on (browsers send none); the ops
/// routes require it themselves.
pub async fn protocol(request: Request, next: Next) -> Response {
    match declared(request.headers()) {
        Err(refused) => refused.into_response(),
        Ok(_) => next.run(request).await,
    }
}

/// The ops routes need the header.
fn required(headers: &HeaderMap) -> Result<(), Refused> {
    match declared(headers)? {
        Some(_) => Ok(()),
        None => Err(ServerError::bad_request(format!(
            "the header Upward-Protocol is missing — the sync routes need it (Upward-Protocol: {MAX}; `upward sync` sends it)"
        ))
        .into()),
    }
}

/// `after` and `limit` of a pull, checked.
fn page_of(query: Option<&str>) -> Result<(i64, usize), ServerError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or(""))
        .map_err(|_| ServerError::bad_request("the query is not a URL-encoded query string"))?;
    let (mut after, mut limit) = (0i64, PAGE);
    for (k, v) in pairs {
        match k.as_str() {
            "after" => {
                after = v.trim().parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
                    ServerError::bad_request(format!(
                        "after `{}` is not a position — accepted: a whole number, 0 or more (the last position you applied)",
                        v.chars().take(40).collect::<String>().escape_debug()
                    ))
                })?;
            }
            "limit" => {
                limit = v
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=PAGE_MAX).contains(n))
                    .ok_or_else(|| {
                        ServerError::bad_request(format!(
                            "limit `{}` is not accepted — accepted: 1 to {PAGE_MAX} (default {PAGE})",
                            v.chars().take(40).collect::<String>().escape_debug()
                        ))
                    })?;
            }
            other => {
                return Err(ServerError::bad_request(format!(
                    "`{}` is not a parameter of this route — accepted: after, limit",
                    other.chars().take(40).collect::<String>().escape_debug()
                )));
            }
        }
    }
    Ok((after, limit))
}

fn op_json(o: &OpRow) -> Value {
    json!({
        "position": o.position,
        "id": o.id,
        "space": o.space,
        "record": o.record,
        "record_type": o.record_type,
        "action": o.action,
        "author": o.author,
        "device": o.device,
        "clock": o.clock,
        "protocol": o.protocol,
        "payload": STANDARD.encode(&o.payload),
    })
}

/// A page of a pull, as its route answers it.
#[derive(Debug, Clone)]
pub struct PullDone {
    pub ops: Vec<OpRow>,
    pub last: i64,
    pub head: i64,
}

impl PullDone {
    /// The route's JSON: `{"ops", "last", "head", "more"}`.
    pub fn json(&self) -> Value {
        json!({
            "ops": self.ops.iter().map(op_json).collect::<Vec<_>>(),
            "last": self.last,
            "head": self.head,
            "more": self.head > self.last,
        })
    }
}

/// A pull by `me` of the space `id` (as typed) after `after`, at most `limit` operations, in
/// the caller's transaction: what `GET /spaces/{id}/ops` answers (the property tests call it
/// in process).
pub fn pull_in(
    tx: &mut dyn ServerTx,
    id: &str,
    me: &upward_server_store::Account,
    after: i64,
    limit: usize,
    now: Timestamp,
) -> Result<PullDone, ServerError> {
    let space = spaces::space_of(tx, id, me)?;
    spaces::readable(&space, now)?;
    let ops = tx.ops_after(space.id, after, limit)?;
    let head = tx.head(space.id)?;
    let last = ops.last().map_or(after, |o| o.position);
    Ok(PullDone { ops, last, head })
}

async fn pull(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    if let Err(r) = required(request.headers()) {
        return r.into_response();
    }
    let query = request.uri().query().map(str::to_string);
    let answer = async move {
        let (after, limit) = page_of(query.as_deref())?;
        let me = caller.account.clone();
        let now = state.clock.now();
        let page = state
            .read(move |tx| pull_in(tx, &id, &me, after, limit, now))
            .await?;
        Ok::<_, ServerError>(Json(page.json()))
    };
    answer.await.into_response()
}

/// One operation as a device pushes it: the envelope and the payload in standard base64.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpIn {
    pub id: Uuid,
    pub space: Uuid,
    pub record: Uuid,
    pub record_type: String,
    pub action: String,
    pub author: Uuid,
    pub device: Uuid,
    pub clock: u64,
    pub protocol: u64,
    pub payload: String,
}

impl From<&WireOp> for OpIn {
    /// A device's operation as its push carries it (the position left out).
    fn from(w: &WireOp) -> OpIn {
        OpIn {
            id: w.id,
            space: w.space,
            record: w.record,
            record_type: w.record_type.clone(),
            action: w.action.clone(),
            author: w.author,
            device: w.device,
            clock: w.clock,
            protocol: u64::from(w.protocol),
            payload: w.payload.clone(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Push {
    ops: Vec<OpIn>,
}

/// A pushed operation, checked as far as it can be without the store: the operation, and
/// its payload's bytes as sent.
pub struct Pushed {
    op: Op,
    payload: Vec<u8>,
}

fn wall_ms() -> u64 {
    u64::try_from(Timestamp::now().as_millisecond()).unwrap_or(0)
}

/// "7 min 12 s".
fn skew(ms: u64) -> String {
    let s = ms / 1000;
    format!("{} min {} s", s / 60, s % 60)
}

/// Checks each operation of a push by `account` from `device` to `space` on its own, before
/// any transaction ([`check_one`]); `wall` is the server's wall clock in Unix milliseconds.
pub fn check_push(
    space: Uuid,
    ops: Vec<OpIn>,
    account: Uuid,
    device: Uuid,
    server_device: Uuid,
    wall: u64,
) -> Result<Vec<Pushed>, Refused> {
    ops.into_iter()
        .enumerate()
        .map(|(i, o)| check_one(i + 1, o, space, account, device, server_device, wall))
        .collect()
}

/// The server's wall clock in Unix milliseconds (the system's, never `UPWARD_NOW`).
pub fn wall_now() -> u64 {
    wall_ms()
}

/// Checks operation `n` (1-based) of a push by `account` to `space` on its own: space, author,
/// device, protocol (the 426 as a response), clock, and that it reads back as an operation.
fn check_one(
    n: usize,
    o: OpIn,
    space: Uuid,
    account: Uuid,
    device: Uuid,
    server_device: Uuid,
    wall: u64,
) -> Result<Pushed, Refused> {
    let refuse = Refused::Error;
    if o.space != space {
        return Err(refuse(ServerError::bad_request(format!(
            "operation {n} is for another space ({}, not this one) — push each space's operations to its own route",
            o.space
        ))));
    }
    if o.author != account {
        return Err(refuse(ServerError::forbidden(format!(
            "operation {n} was made by another account ({}) — a device pushes only its own account's operations",
            o.author
        ))));
    }
    if o.device != device || o.device == server_device {
        return Err(refuse(ServerError::forbidden(format!(
            "operation {n} was made on another device ({}) than this token's ({device}) — push from the machine that made it",
            o.device
        ))));
    }
    if !(u64::from(MIN)..=u64::from(MAX)).contains(&o.protocol) {
        return Err(Refused::Upgrade {
            theirs: o.protocol.to_string(),
            number: Some(o.protocol),
        });
    }
    let clock = Hlc(o.clock);
    if clock.ms() > wall.saturating_add(SKEW_MAX_MS) {
        return Err(refuse(ServerError::bad_request(format!(
            "operation {n}'s clock is {} ahead of the server's — check this machine's clock (at most 5 min is accepted)",
            skew(clock.ms() - wall)
        ))));
    }
    let bad = |why: String| refuse(ServerError::bad_request(format!("operation {n}: {why}")));
    let record_type: RecordType = o.record_type.parse().map_err(|e| bad(format!("{e}")))?;
    let action: Action = o.action.parse().map_err(|e| bad(format!("{e}")))?;
    let payload = STANDARD.decode(o.payload.as_bytes()).map_err(|_| {
        bad("its payload is not standard base64 (RFC 4648, with padding)".to_string())
    })?;
    let envelope = Envelope {
        id: o.id,
        space: o.space,
        record: o.record,
        record_type,
        action,
        author: o.author,
        device: o.device,
        clock,
        // Checked above to be one this server speaks.
        protocol: u16::try_from(o.protocol).unwrap_or(MAX),
    };
    let op = Op::from_parts(envelope, &payload).map_err(|e| bad(e.to_string()))?;
    Ok(Pushed { op, payload })
}

/// The stored row a pushed operation would be (its position aside), to compare a retry.
fn row_of(space: Uuid, p: &Pushed) -> OpRow {
    let e = p.op.envelope();
    OpRow {
        space,
        position: 0,
        id: e.id,
        record: e.record,
        record_type: e.record_type.as_str().to_string(),
        action: e.action.as_str().to_string(),
        author: e.author,
        device: e.device,
        clock: e.clock.0,
        protocol: i32::from(e.protocol),
        payload: p.payload.clone(),
    }
}

/// Wins, goals and status updates are the report's to share (either member between peers),
/// as on the pages.
fn may_share(n: usize, op: &Op, role: Role) -> Result<(), ServerError> {
    if role != Role::Manager {
        return Ok(());
    }
    let kind = op.payload.get("kind").and_then(Value::as_str);
    let shared = matches!(kind, Some("win" | "goal"))
        || (op.record_type == RecordType::Update && op.action == Action::Create);
    if shared {
        return Err(ServerError::forbidden(format!(
            "operation {n}: wins, goals and status updates are shared by the report — as the manager, add a topic or an action"
        )));
    }
    Ok(())
}

/// What a push did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushDone {
    pub accepted: usize,
    pub duplicates: usize,
    pub positions: Vec<i64>,
    pub head: i64,
}

impl PushDone {
    /// The route's JSON: `{"accepted", "duplicates", "positions", "head"}`.
    pub fn json(&self) -> Value {
        json!({
            "accepted": self.accepted,
            "duplicates": self.duplicates,
            "positions": self.positions,
            "head": self.head,
        })
    }
}

/// A push by `me` to the space `id` (as typed) of operations [`check_push`] took, in the
/// caller's write transaction: all of them or, refused, nothing (the caller rolls back). What
/// `POST /spaces/{id}/ops` does once the request is read; the property tests call it in
/// process.
pub fn push_in(
    tx: &mut dyn ServerTx,
    id: &str,
    me: &upward_server_store::Account,
    ops: &[Pushed],
    now: Timestamp,
) -> Result<PushDone, ServerError> {
    let found = spaces::space_of(tx, id, me)?;
    // The space's log lock first, to the end of the transaction (as the pages' writes).
    tx.append_ops(found.id, &[])?;
    let space = spaces::space_of(tx, id, me)?;
    spaces::writable(&space, now)?;
    let members = spaces::members(tx, &space, me)?;
    let mut out = PushDone {
        accepted: 0,
        duplicates: 0,
        positions: Vec::with_capacity(ops.len()),
        head: 0,
    };
    for (i, p) in ops.iter().enumerate() {
        let n = i + 1;
        let row = row_of(space.id, p);
        if let Some(stored) = tx.op(space.id, p.op.id)? {
            let same = OpRow {
                position: 0,
                ..stored.clone()
            } == row;
            if !same {
                return Err(ServerError::conflict(format!(
                    "operation {n} replays operation {} (position {}) with other content — an operation's UUID is made once; give a changed operation a new one",
                    p.op.id, stored.position
                )));
            }
            out.duplicates += 1;
            out.positions.push(stored.position);
            continue;
        }
        may_share(n, &p.op, members.me.role)?;
        let position =
            spaces::append_payload(tx, space.id, &p.op, p.payload.clone()).map_err(|e| {
                ServerError {
                    message: format!("operation {n}: {}", e.message),
                    ..e
                }
            })?;
        out.accepted += 1;
        out.positions.push(position);
    }
    if let Some(last) = ops.iter().map(|p| p.op.clock).max() {
        spaces::observe_clock(tx, last)?;
    }
    out.head = tx.head(space.id)?;
    Ok(out)
}

async fn push(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Json<Push>, axum::extract::rejection::JsonRejection>,
) -> Response {
    if let Err(r) = required(&headers) {
        return r.into_response();
    }
    if caller.via == Via::Session {
        return ServerError::forbidden(
            "a push is a device's: a browser session cannot push — sign in on that machine with `upward remote login`",
        )
        .into_response();
    }
    let Some(device) = caller.device else {
        return ServerError::forbidden(
            "this API token is bound to no device — sign in again with `upward remote login`, which binds its token to the machine",
        )
        .into_response();
    };
    let Json(body) = match body {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    if body.ops.is_empty() || body.ops.len() > PUSH_MAX {
        return ServerError::bad_request(format!(
            "a push carries 1 to {PUSH_MAX} operations, not {} — send the rest in the next request",
            body.ops.len()
        ))
        .into_response();
    }
    // The space as typed must be a UUID the caller reaches; an operation's `space` is
    // compared with it (a space that is not the caller's is 404 in the transaction).
    let Ok(space) = id.trim().parse::<Uuid>() else {
        return spaces::not_found().into_response();
    };
    let ops = match check_push(
        space,
        body.ops,
        caller.account.id,
        device,
        state.device,
        wall_ms(),
    ) {
        Ok(ops) => ops,
        Err(r) => return r.into_response(),
    };
    let me = caller.account.clone();
    let now = state.clock.now();
    let done = state
        .write(move |tx| push_in(tx, &id, &me, &ops, now))
        .await;
    match done {
        Ok(d) => Json(d.json()).into_response(),
        Err(e) => e.into_response(),
    }
}

/// The OpenAPI description of the sync routes.
pub fn paths() -> Map<String, Value> {
    let uuid = json!({"type": "string", "format": "uuid"});
    let envelope = |with_position: bool| {
        let mut props = json!({
            "id": uuid, "space": uuid, "record": uuid,
            "record_type": {"type": "string", "enum": ["item", "meeting", "update", "card", "space"]},
            "action": {"type": "string", "enum": ["create", "set", "remove"]},
            "author": uuid, "device": uuid,
            "clock": {"type": "integer", "minimum": 0, "description": "The hybrid logical clock: 48 bits of Unix milliseconds, 16 of counter"},
            "protocol": {"type": "integer", "minimum": 0},
            "payload": {"type": "string", "contentEncoding": "base64", "description": "The payload's bytes in standard base64"}
        });
        let mut required = vec![
            "id",
            "space",
            "record",
            "record_type",
            "action",
            "author",
            "device",
            "clock",
            "protocol",
            "payload",
        ];
        if with_position {
            props["position"] = json!({"type": "integer", "minimum": 1});
            required.insert(0, "position");
        }
        json!({"type": "object", "required": required, "properties": props})
    };
    let id_param = json!({"name": "id", "in": "path", "required": true, "schema": uuid});
    let header = json!({"name": "Upward-Protocol", "in": "header", "required": true,
        "description": format!("The sync protocol of the client; this server speaks {MIN} to {MAX}"),
        "schema": {"type": "integer", "minimum": MIN, "maximum": MAX}});
    let upgrade = json_response(
        "A protocol this server does not speak: which side to upgrade",
        json!({"type": "object", "required": ["error", "min", "max"], "properties": {
            "error": {"type": "string"}, "min": {"type": "integer"}, "max": {"type": "integer"}}}),
    );
    let mut m = Map::new();
    m.insert(
        "/spaces/{id}/ops".into(),
        json!({
            "get": {
                "summary": "The space's operations after a position (either member; active or closed space)",
                "parameters": [id_param, header,
                    {"name": "after", "in": "query", "required": false, "description": "The last position applied (default 0)", "schema": {"type": "integer", "minimum": 0}},
                    {"name": "limit", "in": "query", "required": false, "description": format!("At most this many (default {PAGE})"), "schema": {"type": "integer", "minimum": 1, "maximum": PAGE_MAX}}],
                "responses": {
                    "200": json_response("A page of operations", json!({
                        "type": "object",
                        "required": ["ops", "last", "head", "more"],
                        "properties": {
                            "ops": {"type": "array", "items": envelope(true)},
                            "last": {"type": "integer", "description": "The position of the last operation returned (or after)"},
                            "head": {"type": "integer", "description": "The space's last position"},
                            "more": {"type": "boolean"}
                        }
                    })),
                    "400": error_response("A bad after or limit, or no Upward-Protocol header"),
                    "401": error_response("Not signed in"),
                    "404": error_response("No such space (also every space the caller is not a member of)"),
                    "409": error_response("The invitation has not been accepted"),
                    "426": upgrade
                }
            },
            "post": {
                "summary": "Pushes a device's operations: all or nothing, in order (an API token bound to a device)",
                "parameters": [id_param, header],
                "requestBody": json_body(json!({
                    "type": "object",
                    "required": ["ops"],
                    "properties": {"ops": {"type": "array", "minItems": 1, "maxItems": PUSH_MAX, "items": envelope(false)}}
                })),
                "responses": {
                    "200": json_response("Taken: each operation's position (a duplicate's as stored)", json!({
                        "type": "object",
                        "required": ["accepted", "duplicates", "positions", "head"],
                        "properties": {
                            "accepted": {"type": "integer", "description": "Operations appended now"},
                            "duplicates": {"type": "integer", "description": "Operations already in the log with the same content"},
                            "positions": {"type": "array", "items": {"type": "integer"}},
                            "head": {"type": "integer"}
                        }
                    })),
                    "400": error_response("An operation for another space, not well made, or with a clock more than 5 minutes ahead; no Upward-Protocol header; 1 to 500 operations"),
                    "401": error_response("Not signed in"),
                    "403": error_response("A browser session, a token bound to no device, another account's or device's operation, or one its author may not make"),
                    "404": error_response("No such space (also every space the caller is not a member of), or no such record"),
                    "409": error_response("A closed space (read-only), an invitation not accepted, or an operation UUID replayed with other content"),
                    "413": error_response("A body over 1 MiB"),
                    "415": error_response("A body that is not application/json"),
                    "422": error_response("A JSON body of the wrong shape (a missing or unknown key, a wrong type)"),
                    "426": upgrade
                }
            }
        }),
    );
    m
}
