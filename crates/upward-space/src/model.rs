//! The record types of a space and the builders that turn what a member asks for into
//! operations (docs/space.md#the-model). Every builder validates its input with the domain's
//! rules (titles, texts, dates, kinds' fields) and refuses what is wrong with a
//! [`SpaceError`] naming it; it writes nothing: the caller appends the operations and folds
//! them ([`Space::apply`]).
//!
//! Builders that change an existing record read it from the [`Space`] and set only the
//! fields that change; a builder with nothing to change returns no operation.

use crate::error::{Result, SpaceError};
use crate::hlc::Hlc;
use crate::op::{Action, Op, PROTOCOL, Payload};
use crate::record::Record;
use crate::view::Space;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use upward_domain::item::{KIND_FIELDS, validate_text, validate_title};
use upward_domain::{
    Channel, Clock, Duration, Item, ItemInput, Kind, Owner, Person, PersonRef, Relation, Status,
    check_date,
};
use uuid::Uuid;

/// What a record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordType {
    /// An item, as the domain's items (a topic, an action, a win, a goal, …).
    Item,
    /// A 1:1 on a date (one per space and date).
    Meeting,
    /// A status update sent.
    Update,
    /// A member's "how I like to work" card.
    Card,
    /// The space's own settings (its cadence).
    Space,
}

/// The fields of an item record besides the kinds' own ([`KIND_FIELDS`]): the domain item's
/// JSON fields, less those a space decides (id, uuid, person, visibility, timestamps) and
/// `done`, which is part of `status` (`{"status": "done", "on": DATE}`).
pub const ITEM_FIELDS: [&str; 12] = [
    "kind",
    "title",
    "body",
    "status",
    "created",
    "due",
    "tags",
    "original_due",
    "renegotiated",
    "discussed",
    "meeting",
    "why",
];

/// The style fields a card holds (the domain's style fields but trust, which is one's own
/// judgement of the other, never shared).
pub const CARD_FIELDS: [&str; 5] = ["channel", "length", "decides_by", "feedback", "cadence"];

impl RecordType {
    pub const ALL: [RecordType; 5] = [
        RecordType::Item,
        RecordType::Meeting,
        RecordType::Update,
        RecordType::Card,
        RecordType::Space,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordType::Item => "item",
            RecordType::Meeting => "meeting",
            RecordType::Update => "update",
            RecordType::Card => "card",
            RecordType::Space => "space",
        }
    }

    /// "an item", "a meeting", …: for messages.
    pub fn with_article(self) -> String {
        match self {
            RecordType::Item | RecordType::Update => format!("an {self}"),
            _ => format!("a {self}"),
        }
    }

    /// Whether a record of this type has the field `name`. A meeting's per-member and
    /// per-item fields are `notes:<account uuid>` and `discussed:<item uuid>`.
    pub fn accepts(self, name: &str) -> bool {
        match self {
            RecordType::Item => ITEM_FIELDS.contains(&name) || KIND_FIELDS.contains(&name),
            RecordType::Meeting => {
                name == "date"
                    || ["notes:", "discussed:"].iter().any(|prefix| {
                        name.strip_prefix(prefix)
                            .is_some_and(|u| Uuid::try_parse(u).is_ok())
                    })
            }
            RecordType::Update => ["date", "channel", "text"].contains(&name),
            RecordType::Card => CARD_FIELDS.contains(&name),
            RecordType::Space => name == "cadence",
        }
    }

    /// The fields, for error messages.
    pub fn accepted_fields(self) -> String {
        match self {
            RecordType::Item => ITEM_FIELDS
                .iter()
                .chain(KIND_FIELDS.iter())
                .copied()
                .collect::<Vec<_>>()
                .join(", "),
            RecordType::Meeting => "date, notes:<account uuid>, discussed:<item uuid>".into(),
            RecordType::Update => "date, channel, text".into(),
            RecordType::Card => CARD_FIELDS.join(", "),
            RecordType::Space => "cadence".into(),
        }
    }
}

impl std::fmt::Display for RecordType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for RecordType {
    type Err = SpaceError;
    fn from_str(s: &str) -> Result<RecordType> {
        RecordType::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| {
                SpaceError::Decode(format!(
                    "record type `{s}` is not known — accepted: item, meeting, update, card, space"
                ))
            })
    }
}

/// A status as a space records it. A topic is open, discussed or parked; any other item
/// open, done or dropped (a win done or dropped: it is done when it happens).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemStatus {
    Open,
    Done,
    Dropped,
    Discussed,
    Parked,
}

impl ItemStatus {
    pub const ALL: [ItemStatus; 5] = [
        ItemStatus::Open,
        ItemStatus::Done,
        ItemStatus::Dropped,
        ItemStatus::Discussed,
        ItemStatus::Parked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemStatus::Open => "open",
            ItemStatus::Done => "done",
            ItemStatus::Dropped => "dropped",
            ItemStatus::Discussed => "discussed",
            ItemStatus::Parked => "parked",
        }
    }

    /// The statuses an item of `kind` takes.
    pub fn of_kind(kind: Kind) -> &'static [ItemStatus] {
        match kind {
            Kind::Topic => &[ItemStatus::Open, ItemStatus::Discussed, ItemStatus::Parked],
            Kind::Win => &[ItemStatus::Done, ItemStatus::Dropped],
            _ => &[ItemStatus::Open, ItemStatus::Done, ItemStatus::Dropped],
        }
    }

    /// The domain's status for it: discussed is done, parked is dropped.
    pub fn domain(self) -> Status {
        match self {
            ItemStatus::Open => Status::Open,
            ItemStatus::Done | ItemStatus::Discussed => Status::Done,
            ItemStatus::Dropped | ItemStatus::Parked => Status::Dropped,
        }
    }

    /// The space's status of a domain status, for an item of `kind`.
    pub fn of_domain(kind: Kind, status: Status) -> ItemStatus {
        match (kind, status) {
            (_, Status::Open) => ItemStatus::Open,
            (Kind::Topic, Status::Done) => ItemStatus::Discussed,
            (Kind::Topic, Status::Dropped) => ItemStatus::Parked,
            (_, Status::Done) => ItemStatus::Done,
            (_, Status::Dropped) => ItemStatus::Dropped,
        }
    }

    /// The value of the `status` field: the status and its date are one field, so that a
    /// status and the day it took effect are always written together.
    pub fn value(self, on: Option<Date>) -> Value {
        let on = if self == ItemStatus::Open { None } else { on };
        json!({ "status": self.as_str(), "on": on.map(|d| d.to_string()) })
    }

    /// Reads a `status` field's value.
    pub fn parse_value(value: &Value) -> Option<(ItemStatus, Option<Date>)> {
        let status = value.get("status")?.as_str()?.parse().ok()?;
        let on = value
            .get("on")
            .and_then(Value::as_str)
            .and_then(|d| d.parse().ok());
        Some((status, on))
    }
}

impl std::fmt::Display for ItemStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ItemStatus {
    type Err = SpaceError;
    fn from_str(s: &str) -> Result<ItemStatus> {
        let lower = s.trim().to_lowercase();
        ItemStatus::ALL
            .into_iter()
            .find(|t| t.as_str() == lower)
            .ok_or_else(|| {
                SpaceError::Invalid(format!(
                    "status `{s}` is not valid — accepted: open, discussed, parked (a topic); open, done, dropped (other items)"
                ))
            })
    }
}

/// Where new operation and record ids come from: random in use, a counter in tests so that
/// ids are known in advance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ids {
    Random,
    /// The next id is `Uuid::from_u128(n)`, then n + 1, …
    Counter(u128),
}

impl Ids {
    pub fn next_id(&mut self) -> Uuid {
        match self {
            Ids::Random => Uuid::new_v4(),
            Ids::Counter(n) => {
                let id = Uuid::from_u128(*n);
                *n += 1;
                id
            }
        }
    }
}

/// Who makes the operations, from where, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpContext {
    pub space: Uuid,
    /// The member's account.
    pub author: Uuid,
    /// The device the operations are made on (the server's own for its pages and API).
    pub device: Uuid,
    /// The author's civil date (in their time zone): new items' `created`, and the latest
    /// date a status, a 1:1 or an update may take.
    pub today: Date,
    /// The last clock this device gave out or saw. Each operation ticks it; the caller keeps
    /// it afterwards for the next operations.
    pub last: Hlc,
    /// Wall time now, in Unix milliseconds (the system clock, never `UPWARD_NOW`).
    pub wall_ms: u64,
    pub ids: Ids,
}

impl OpContext {
    /// The clock for the next operation (it advances `last`).
    pub fn tick(&mut self) -> Hlc {
        self.last = Hlc::tick(self.last, self.wall_ms);
        self.last
    }

    /// A new id (of an operation or a record).
    pub fn new_id(&mut self) -> Uuid {
        self.ids.next_id()
    }

    /// The domain's clock for this context (its date; the instant of the wall time).
    pub fn clock(&self) -> Clock {
        Clock::new(Hlc::new(self.wall_ms, 0).timestamp(), self.today)
    }

    /// An operation by this context on `record`.
    pub fn op(
        &mut self,
        record: Uuid,
        record_type: RecordType,
        action: Action,
        payload: Payload,
    ) -> Op {
        Op {
            id: self.new_id(),
            space: self.space,
            record,
            record_type,
            action,
            author: self.author,
            device: self.device,
            clock: self.tick(),
            protocol: PROTOCOL,
            payload,
        }
    }
}

/// The id of a space's meeting on `date`: derived, so that two members who record the same
/// 1:1 make the same record.
pub fn meeting_id(space: Uuid, date: Date) -> Uuid {
    Uuid::new_v5(&space, date.to_string().as_bytes())
}

/// The id of `account`'s card in a space: derived, so that each member has one card.
pub fn card_id(space: Uuid, account: Uuid) -> Uuid {
    Uuid::new_v5(&space, format!("card:{account}").as_bytes())
}

/// An action agreed at a 1:1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAction {
    pub title: String,
    /// The member who owns it, by account.
    pub owner: Uuid,
    pub due: Option<Date>,
}

/// A new topic for the next 1:1.
pub fn new_topic(ctx: &mut OpContext, title: &str, body: Option<&str>) -> Result<Vec<Op>> {
    let input = ItemInput {
        title: Some(title.to_string()),
        body: body.map(str::to_string),
        ..ItemInput::default()
    };
    new_item(ctx, Kind::Topic, input)
}

/// A new action owned by `owner` (a member's account: the caller resolves it among the two),
/// due on `due`, agreed at `meeting` when it was.
pub fn new_action(
    ctx: &mut OpContext,
    title: &str,
    owner: Uuid,
    due: Option<Date>,
    meeting: Option<Uuid>,
) -> Result<Vec<Op>> {
    let input = ItemInput {
        title: Some(title.to_string()),
        due,
        ..ItemInput::default()
    };
    let mut item = domain_item(ctx, Kind::Action, input)?;
    item.meeting = meeting;
    Ok(vec![create_item(ctx, &item, Some(owner))])
}

/// A new item of any kind (a shared win, a career goal, …) with the domain's defaults and
/// validation: the title, the kind's own fields (`Kind::fields`), texts and dates. The person
/// is the other member and the item is shared, so `person` and `visibility` are refused; an
/// action's owner is an account ([`new_action`]).
pub fn new_item(ctx: &mut OpContext, kind: Kind, input: ItemInput) -> Result<Vec<Op>> {
    let owner = match kind {
        Kind::Action => Some(ctx.author),
        _ => None,
    };
    let item = domain_item(ctx, kind, input)?;
    Ok(vec![create_item(ctx, &item, owner)])
}

/// Checks what a space decides itself, then builds the domain's item (its defaults and
/// validation).
fn domain_item(ctx: &mut OpContext, kind: Kind, input: ItemInput) -> Result<Item> {
    refuse_space_fields(&input)?;
    for date in [input.due, input.date, input.confirmed, input.communicated]
        .into_iter()
        .chain([input.escalated, input.last_discussed])
        .flatten()
    {
        check_date(date)?;
    }
    let mut item = Item::new(kind, input, &ctx.clock(), 1)?;
    item.uuid = ctx.new_id();
    Ok(item)
}

fn refuse_space_fields(input: &ItemInput) -> Result<()> {
    let refuse = |field: &str, why: &str| {
        Err(SpaceError::Invalid(format!(
            "{field} is not set on an item of a space — {why}"
        )))
    };
    if input.person.is_some() {
        return refuse("person", "its person is the other member");
    }
    if input.visibility.is_some() {
        return refuse("visibility", "everything in a space is shared");
    }
    if input.owner.is_some() {
        return refuse(
            "owner (me or them)",
            "an action's owner is a member's email",
        );
    }
    Ok(())
}

fn create_item(ctx: &mut OpContext, item: &Item, owner: Option<Uuid>) -> Op {
    let fields = item_fields(item, owner);
    ctx.op(item.uuid, RecordType::Item, Action::Create, fields)
}

/// Sets an item's status on `on` (a topic: open, discussed, parked; another item: open,
/// done, dropped). Either member may. Nothing when it has that status on that date already.
pub fn set_status(
    ctx: &mut OpContext,
    space: &Space,
    record: Uuid,
    status: ItemStatus,
    on: Date,
) -> Result<Vec<Op>> {
    let rec = visible(space, record, RecordType::Item)?;
    let kind = kind_of(rec)?;
    let accepted = ItemStatus::of_kind(kind);
    if !accepted.contains(&status) {
        let names: Vec<&str> = accepted.iter().map(|s| s.as_str()).collect();
        return Err(SpaceError::Invalid(format!(
            "status `{status}` is not one a {kind} takes — accepted: {}",
            names.join(", ")
        )));
    }
    not_after_today(ctx, "the status date", on)?;
    let value = status.value(Some(on));
    if rec.get("status") == Some(&value) {
        return Ok(Vec::new());
    }
    let payload = Payload::from([("status".to_string(), value)]);
    Ok(vec![ctx.op(record, RecordType::Item, Action::Set, payload)])
}

/// Edits an item its author made: the fields `input` sets (validated as `edit` does, a moved
/// due date counted as a renegotiation) and an action's `owner` (a member's account). Only
/// the fields that change are set; the status is [`set_status`]'s.
pub fn edit_item(
    ctx: &mut OpContext,
    space: &Space,
    record: Uuid,
    input: ItemInput,
    owner: Option<Uuid>,
) -> Result<Vec<Op>> {
    let rec = visible(space, record, RecordType::Item)?;
    authored(ctx, rec, "edit")?;
    refuse_space_fields(&input)?;
    let kind = kind_of(rec)?;
    if owner.is_some() && kind != Kind::Action {
        return Err(SpaceError::Invalid(format!(
            "owner does not apply to a {kind} — it is for: action"
        )));
    }
    for date in [input.due, input.date, input.confirmed, input.communicated]
        .into_iter()
        .chain([input.escalated, input.last_discussed])
        .flatten()
    {
        check_date(date)?;
    }
    let before = item_of_record(rec, 0, ctx.author, None)
        .ok_or_else(|| SpaceError::Decode(format!("item {record} does not read as an item")))?;
    let mut after = before.clone();
    after.apply(input, &ctx.clock())?;
    let old_owner = rec.text("owner").and_then(|u| Uuid::try_parse(u).ok());
    let old = item_fields(&before, old_owner);
    let new = item_fields(&after, owner.or(old_owner));
    let mut payload = Payload::new();
    for key in old.keys().chain(new.keys()) {
        if key == "status" || key == "discussed" {
            continue;
        }
        let value = new.get(key).cloned().unwrap_or(Value::Null);
        if old.get(key).unwrap_or(&Value::Null) != &value {
            payload.insert(key.clone(), value);
        }
    }
    // A win's date is when it was done, so moving it moves the status's date.
    if (before.status, before.done) != (after.status, after.done) {
        let status = ItemStatus::of_domain(kind, after.status);
        payload.insert("status".into(), status.value(after.done));
    }
    if payload.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![ctx.op(record, RecordType::Item, Action::Set, payload)])
}

/// Records the 1:1 of `date` (today or before): the caller's notes (`notes:<account>`, each
/// member has their own), the items discussed (a topic becomes discussed on that date, a goal
/// discussed last on it, any other item discussed on it), and the actions agreed, made with
/// `meeting` set. The meeting's id is derived from the space and the date, so whoever records
/// it first creates it and the other adds to the same one.
pub fn record_meeting(
    ctx: &mut OpContext,
    space: &Space,
    date: Date,
    notes: Option<&str>,
    discussed: &[Uuid],
    actions: Vec<NewAction>,
) -> Result<Vec<Op>> {
    check_date(date)?;
    not_after_today(ctx, "the 1:1 date", date)?;
    let notes = notes.map(|n| validate_text("notes", n)).transpose()?;
    let mut topics: Vec<&Record> = Vec::new();
    for id in discussed {
        let rec = visible(space, *id, RecordType::Item)?;
        if !topics.iter().any(|t| t.id == rec.id) {
            topics.push(rec);
        }
    }
    for a in &actions {
        validate_title(&a.title)?;
        if let Some(due) = a.due {
            check_date(due)?;
        }
    }

    let id = meeting_id(ctx.space, date);
    let existing = space.record(id).filter(|r| r.created.is_some());
    let mut payload = Payload::new();
    let notes_field = format!("notes:{}", ctx.author);
    match (&notes, existing) {
        (Some(n), Some(r)) if r.text(&notes_field) == n.as_deref() => {}
        (Some(None), None) | (None, _) => {}
        (Some(n), _) => {
            payload.insert(notes_field, n.clone().map_or(Value::Null, Value::from));
        }
    }
    for t in &topics {
        let field = format!("discussed:{}", t.id);
        if existing.is_none_or(|r| r.get(&field) != Some(&Value::Bool(true))) {
            payload.insert(field, Value::Bool(true));
        }
    }
    let mut ops = Vec::new();
    match existing {
        None => {
            payload.insert("date".into(), date.to_string().into());
            ops.push(ctx.op(id, RecordType::Meeting, Action::Create, payload));
        }
        Some(_) if payload.is_empty() => {}
        Some(_) => ops.push(ctx.op(id, RecordType::Meeting, Action::Set, payload)),
    }
    for t in topics {
        if let Some(fields) = discussed_fields(t, date) {
            ops.push(ctx.op(t.id, RecordType::Item, Action::Set, fields));
        }
    }
    for a in actions {
        ops.extend(new_action(ctx, &a.title, a.owner, a.due, Some(id))?);
    }
    Ok(ops)
}

/// What discussing an item on `date` sets: an open topic becomes discussed; a goal's last
/// discussion and any other item's `discussed` move to the latest date.
fn discussed_fields(item: &Record, date: Date) -> Option<Payload> {
    let kind = kind_of(item).ok()?;
    let latest = |field: &str| {
        let old = item.text(field).and_then(|d| d.parse::<Date>().ok());
        old.is_none_or(|d| d < date)
            .then(|| Payload::from([(field.to_string(), Value::from(date.to_string()))]))
    };
    match kind {
        Kind::Topic => {
            let open = item
                .get("status")
                .and_then(ItemStatus::parse_value)
                .is_none_or(|(s, _)| s == ItemStatus::Open);
            open.then(|| {
                Payload::from([(
                    "status".to_string(),
                    ItemStatus::Discussed.value(Some(date)),
                )])
            })
        }
        Kind::Goal => latest("last_discussed"),
        _ => latest("discussed"),
    }
}

/// Sets the caller's card from the style fields as typed (`channel`, `length`, `decides_by`,
/// `feedback`, `cadence`; an empty value clears one), validated as `person set` does. Only
/// what changes is set.
pub fn set_card(ctx: &mut OpContext, space: &Space, fields: &[(&str, &str)]) -> Result<Vec<Op>> {
    let mut scratch = Person::new("card", Relation::Peer, ctx.clock().now)?;
    scratch.cadence = None;
    let mut payload = Payload::new();
    for (field, text) in fields {
        let name = field.trim().to_lowercase().replace('-', "_");
        if !CARD_FIELDS.contains(&name.as_str()) {
            return Err(SpaceError::Invalid(format!(
                "card field `{field}` is not valid — accepted: {}",
                CARD_FIELDS.join(", ")
            )));
        }
        scratch.set(&name, text, ctx.clock().now)?;
        let value = match name.as_str() {
            "channel" => serde_json::to_value(scratch.channel),
            "length" => serde_json::to_value(scratch.length),
            "decides_by" => serde_json::to_value(scratch.decides_by),
            "feedback" => serde_json::to_value(scratch.feedback),
            _ => serde_json::to_value(scratch.cadence),
        }
        .unwrap_or(Value::Null);
        payload.insert(name, value);
    }
    let id = card_id(ctx.space, ctx.author);
    Ok(upsert(ctx, space, id, RecordType::Card, payload))
}

/// Sets the space's cadence (how often the two meet), or clears it.
pub fn set_cadence(
    ctx: &mut OpContext,
    space: &Space,
    cadence: Option<Duration>,
) -> Result<Vec<Op>> {
    let value = cadence.map_or(Value::Null, |c| c.to_string().into());
    let payload = Payload::from([("cadence".to_string(), value)]);
    let id = ctx.space;
    Ok(upsert(ctx, space, id, RecordType::Space, payload))
}

/// Creates the record with the fields that have a value, or sets those that change on the
/// one there.
fn upsert(
    ctx: &mut OpContext,
    space: &Space,
    id: Uuid,
    record_type: RecordType,
    mut payload: Payload,
) -> Vec<Op> {
    match space.record(id).filter(|r| r.created.is_some()) {
        Some(rec) => {
            payload.retain(|k, v| rec.fields.get(k).map_or(&Value::Null, |(old, _)| old) != v);
            if payload.is_empty() {
                return Vec::new();
            }
            vec![ctx.op(id, record_type, Action::Set, payload)]
        }
        None => {
            payload.retain(|_, v| !v.is_null());
            if payload.is_empty() {
                return Vec::new();
            }
            vec![ctx.op(id, record_type, Action::Create, payload)]
        }
    }
}

/// A status update sent on `date` (today or before) by `channel`.
pub fn new_update(
    ctx: &mut OpContext,
    date: Date,
    channel: Channel,
    text: Option<&str>,
) -> Result<Vec<Op>> {
    check_date(date)?;
    not_after_today(ctx, "the update's date", date)?;
    let text = text
        .map(|t| validate_text("text", t))
        .transpose()?
        .flatten();
    let mut payload = Payload::from([
        ("date".to_string(), Value::from(date.to_string())),
        ("channel".to_string(), Value::from(channel.as_str())),
    ]);
    if let Some(t) = text {
        payload.insert("text".into(), t.into());
    }
    let id = ctx.new_id();
    Ok(vec![ctx.op(
        id,
        RecordType::Update,
        Action::Create,
        payload,
    )])
}

/// Removes an item or an update its author made, for good. Meetings, cards and the space's
/// settings are not removed: their ids are derived, so removed they could never be made
/// again (clear their fields instead).
pub fn remove(ctx: &mut OpContext, space: &Space, record: Uuid) -> Result<Vec<Op>> {
    let rec = space
        .record(record)
        .filter(|r| r.is_visible())
        .ok_or_else(|| not_found(record))?;
    if !matches!(rec.record_type, RecordType::Item | RecordType::Update) {
        return Err(SpaceError::Invalid(format!(
            "a {} is not removed — its id comes from what it is, so it could never be made again; clear its fields instead (accepted: an item or an update)",
            rec.record_type
        )));
    }
    authored(ctx, rec, "remove")?;
    Ok(vec![ctx.op(
        record,
        rec.record_type,
        Action::Remove,
        Payload::new(),
    )])
}

fn not_found(record: Uuid) -> SpaceError {
    SpaceError::NotFound(format!("record {record} is not in this space"))
}

/// The visible record `id` of type `record_type`.
fn visible(space: &Space, id: Uuid, record_type: RecordType) -> Result<&Record> {
    let rec = space
        .record(id)
        .filter(|r| r.is_visible())
        .ok_or_else(|| not_found(id))?;
    if rec.record_type != record_type {
        return Err(SpaceError::Invalid(format!(
            "record {id} is {}, not {}",
            rec.record_type.with_article(),
            record_type.with_article()
        )));
    }
    Ok(rec)
}

fn authored(ctx: &OpContext, rec: &Record, what: &str) -> Result<()> {
    if rec.author != Some(ctx.author) {
        return Err(SpaceError::Forbidden(format!(
            "only its author may {what} this {} — either member may change its status",
            rec.record_type
        )));
    }
    Ok(())
}

fn kind_of(rec: &Record) -> Result<Kind> {
    rec.text("kind")
        .and_then(|k| k.parse().ok())
        .ok_or_else(|| SpaceError::Decode(format!("item {} has no valid kind", rec.id)))
}

fn not_after_today(ctx: &OpContext, what: &str, date: Date) -> Result<()> {
    if date > ctx.today {
        return Err(SpaceError::Invalid(format!(
            "{what} {date} is in the future — accepted: today ({}) or earlier",
            ctx.today
        )));
    }
    Ok(())
}

/// The fields of an item record for a domain item: its JSON fields but those a space decides,
/// `status` with its date, an action's owner as `owner_account`. Empty values are left out.
pub fn item_fields(item: &Item, owner_account: Option<Uuid>) -> Payload {
    let Value::Object(json) = item.to_json() else {
        return Payload::new();
    };
    let mut fields: Payload = json
        .into_iter()
        .filter(|(k, _)| ITEM_FIELDS.contains(&k.as_str()) || KIND_FIELDS.contains(&k.as_str()))
        // Defaults are left out: null, no tags, never renegotiated.
        .filter(|(_, v)| !v.is_null() && v != &json!([]) && v != &json!(0))
        .collect();
    let status = ItemStatus::of_domain(item.kind, item.status);
    fields.insert("status".into(), status.value(item.done));
    if item.kind.fields().contains(&"owner") {
        match owner_account {
            Some(o) => fields.insert("owner".into(), o.to_string().into()),
            None => fields.remove("owner"),
        };
    }
    fields
}

/// The domain item of an item record, as seen by `me`: `id` the record's seq, the owner Me
/// when it is `me`'s account, the person `person`, shared. A topic discussed is done with its
/// `discussed` date; a parked one is dropped. `None` when the record is not a readable item.
pub fn item_of_record(rec: &Record, seq: i64, me: Uuid, person: Option<PersonRef>) -> Option<Item> {
    let mut obj = serde_json::Map::new();
    for (k, v) in rec.values() {
        if !v.is_null() {
            obj.insert(k, v);
        }
    }
    let kind: Kind = obj.get("kind")?.as_str()?.parse().ok()?;
    let (status, on) = obj
        .get("status")
        .and_then(ItemStatus::parse_value)
        .unwrap_or((ItemStatus::Open, None));
    let created_at = rec.created.map(|k| k.clock.timestamp())?;
    let updated_at = rec
        .last_change()
        .map_or(created_at, |k| k.clock.timestamp());
    let created = obj
        .get("created")
        .and_then(Value::as_str)
        .and_then(|d| d.parse::<Date>().ok())
        .unwrap_or_else(|| created_at.to_zoned_datetime(jiff::tz::TimeZone::UTC).date());
    obj.insert("id".into(), seq.into());
    obj.insert("uuid".into(), rec.id.to_string().into());
    obj.insert("status".into(), status.domain().as_str().into());
    obj.insert("created".into(), created.to_string().into());
    obj.insert("visibility".into(), "shared".into());
    obj.insert("created_at".into(), created_at.to_string().into());
    obj.insert("updated_at".into(), updated_at.to_string().into());
    obj.remove("person");
    if status.domain() == Status::Done {
        obj.insert("done".into(), on.map(|d| d.to_string()).into());
    }
    if kind.fields().contains(&"owner") {
        let owner = obj
            .get("owner")
            .and_then(Value::as_str)
            .and_then(|u| Uuid::try_parse(u).ok());
        let owner = match owner {
            Some(o) if o == me => Some(Owner::Me),
            Some(_) => Some(Owner::Them),
            None => None,
        };
        obj.insert("owner".into(), serde_json::to_value(owner).ok()?);
    } else {
        obj.remove("owner");
    }
    let mut item: Item = serde_json::from_value(Value::Object(obj)).ok()?;
    if status == ItemStatus::Discussed {
        item.discussed = item.discussed.max(on);
    }
    item.person = person;
    Some(item)
}
