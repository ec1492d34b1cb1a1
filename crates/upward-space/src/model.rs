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

/// The item fields that hold free text, checked as the domain checks texts.
const TEXT_FIELDS: [&str; 8] = [
    "body",
    "impact",
    "metric",
    "mitigation",
    "ask",
    "data",
    "outcome",
    "why",
];

/// The item fields that hold a date.
const DATE_FIELDS: [&str; 10] = [
    "created",
    "due",
    "original_due",
    "discussed",
    "date",
    "confirmed",
    "communicated",
    "escalated",
    "last_discussed",
    "ranked",
];

/// The item fields that refer to a record or an account by UUID.
const UUID_FIELDS: [&str; 5] = ["owner", "meeting", "for_item", "answers", "confirmed_by"];

/// The fields a member may set on an item someone else made: its status, and what a 1:1
/// that discussed it records.
pub const ANYONES_FIELDS: [&str; 3] = ["status", "discussed", "last_discussed"];

/// Whether `value` reads as a `T` (or is null).
fn reads_as<T: serde::de::DeserializeOwned>(value: &Value) -> bool {
    serde_json::from_value::<Option<T>>(value.clone()).is_ok()
}

fn reads_as_date(value: &Value) -> bool {
    value.is_null()
        || value
            .as_str()
            .and_then(|d| d.parse::<Date>().ok())
            .is_some_and(|d| check_date(d).is_ok())
}

fn reads_as_text(value: &Value) -> bool {
    value.is_null()
        || value
            .as_str()
            .is_some_and(|t| validate_text("text", t).is_ok())
}

fn reads_as_uuid(value: &Value) -> bool {
    value.is_null() || value.as_str().is_some_and(|u| Uuid::try_parse(u).is_ok())
}

/// Whether `value` is one the field `name` of a `record_type` takes, as the domain reads it
/// (a server checks every operation it receives with it, so that what is stored always reads
/// back: a title as `add` accepts it, dates from 1000 to 9999, texts without control
/// characters, …).
pub fn field_value_ok(record_type: RecordType, name: &str, value: &Value) -> bool {
    use upward_domain::{DecidesBy, Direction, Length, Level, RiskState, Tone};
    match record_type {
        RecordType::Item => match name {
            "kind" => value.as_str().is_some_and(|k| k.parse::<Kind>().is_ok()),
            "title" => value.as_str().is_some_and(|t| validate_title(t).is_ok()),
            "status" => ItemStatus::parse_value(value).is_some(),
            "tags" => serde_json::from_value::<Vec<String>>(value.clone())
                .is_ok_and(|t| upward_domain::item::validate_tags(t).is_ok()),
            "rank" => {
                value.is_null()
                    || value
                        .as_i64()
                        .is_some_and(|r| upward_domain::item::validate_rank(r).is_ok())
            }
            "renegotiated" => reads_as::<u32>(value),
            "effort" | "remaining" => reads_as::<Duration>(value),
            "likelihood" | "severity" | "communicated_severity" | "communicated_likelihood" => {
                reads_as::<Level>(value)
            }
            "state" | "communicated_state" => reads_as::<RiskState>(value),
            "direction" => reads_as::<Direction>(value),
            "tone" => reads_as::<Tone>(value),
            "consent" => reads_as::<bool>(value),
            n if TEXT_FIELDS.contains(&n) => reads_as_text(value),
            n if DATE_FIELDS.contains(&n) => reads_as_date(value),
            n if UUID_FIELDS.contains(&n) => reads_as_uuid(value),
            _ => false,
        },
        RecordType::Meeting => match name {
            "date" => !value.is_null() && reads_as_date(value),
            n if n.starts_with("notes:") => reads_as_text(value),
            n if n.starts_with("discussed:") => value.is_boolean(),
            _ => false,
        },
        RecordType::Update => match name {
            "date" => !value.is_null() && reads_as_date(value),
            "channel" => !value.is_null() && reads_as::<Channel>(value),
            "text" => reads_as_text(value),
            _ => false,
        },
        RecordType::Card => match name {
            "channel" => reads_as::<Channel>(value),
            "length" => reads_as::<Length>(value),
            "decides_by" => reads_as::<DecidesBy>(value),
            "feedback" => reads_as::<Level>(value),
            "cadence" => reads_as::<Duration>(value),
            _ => false,
        },
        RecordType::Space => name == "cadence" && reads_as::<Duration>(value),
    }
}

/// What a replica (the server, later a device) does with an operation before it logs it:
/// checks it ([`Op::check`]) and who may make it ([`check_permission`]) against the record as
/// it stands (`None` when new), and gives back the record with it folded in. Nothing is
/// changed when it is refused.
pub fn admit(record: Option<&Record>, op: &Op) -> Result<Record> {
    op.check()?;
    check_permission(record, op)?;
    let mut folded = record
        .cloned()
        .unwrap_or_else(|| Record::new(op.record, op.record_type));
    folded.apply(op);
    Ok(folded)
}

/// The fields a create of this type must carry: what a record is shown with.
pub fn required_fields(record_type: RecordType) -> &'static [&'static str] {
    match record_type {
        RecordType::Item => &["kind", "title"],
        RecordType::Meeting => &["date"],
        RecordType::Update => &["date", "channel"],
        RecordType::Card | RecordType::Space => &[],
    }
}

/// Whether the author of `op` may make it on `record` (as it stands before it; `None` when the
/// space has no such record yet): only a record's author edits or removes it, but either
/// member may change an item's status and record that a 1:1 discussed it
/// ([`ANYONES_FIELDS`]); a card and a member's notes on a 1:1 are the member's own; a create makes a record, so it may not
/// come after another member's. A record not created yet (a set that arrived before its
/// create) gives no author to check against.
pub fn check_permission(record: Option<&Record>, op: &Op) -> Result<()> {
    if let Some(r) = record.filter(|r| r.record_type != op.record_type) {
        return Err(SpaceError::Invalid(format!(
            "record {} is {}, not {} — a record keeps its type",
            r.id,
            r.record_type.with_article(),
            op.record_type.with_article()
        )));
    }
    if op.record_type == RecordType::Card && op.record != card_id(op.space, op.author) {
        return Err(SpaceError::Forbidden(
            "a card is set only by its member".into(),
        ));
    }
    let own_notes = format!("notes:{}", op.author);
    if op.record_type == RecordType::Meeting
        && op
            .payload
            .keys()
            .any(|k| k.starts_with("notes:") && *k != own_notes)
    {
        return Err(SpaceError::Forbidden(
            "each member writes only their own notes on a 1:1".into(),
        ));
    }
    let Some(author) = record.and_then(|r| r.author) else {
        return Ok(());
    };
    if author == op.author {
        return Ok(());
    }
    let shared = matches!(op.record_type, RecordType::Meeting | RecordType::Space);
    let allowed = match op.action {
        _ if shared => true,
        Action::Set if op.record_type == RecordType::Item => op
            .payload
            .keys()
            .all(|k| ANYONES_FIELDS.contains(&k.as_str())),
        _ => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(SpaceError::Forbidden(format!(
            "only its author may edit or remove this {} — either member may change an item's status",
            op.record_type
        )))
    }
}

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
        with_article(self.as_str())
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

    /// Reads a `status` field's value (`None` when it is not one: an unknown status, or a
    /// date that does not read or is outside 1000–9999).
    pub fn parse_value(value: &Value) -> Option<(ItemStatus, Option<Date>)> {
        let status = value.get("status")?.as_str()?.parse().ok()?;
        let on = match value.get("on") {
            None | Some(Value::Null) => None,
            Some(on) => Some(
                on.as_str()
                    .and_then(|d| d.parse().ok())
                    .and_then(|d| check_date(d).ok())?,
            ),
        };
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

/// "an action", "a topic": a noun with its article, for messages.
fn with_article(noun: &str) -> String {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {noun}")
    } else {
        format!("a {noun}")
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
            "status `{status}` is not one {} takes — accepted: {}",
            with_article(kind.as_str()),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::*;

    fn err(r: Result<Vec<Op>>) -> String {
        r.expect_err("refused").to_string()
    }

    #[test]
    fn record_types_are_spelled_as_stored() {
        for t in RecordType::ALL {
            assert_eq!(t.as_str().parse::<RecordType>().unwrap(), t);
        }
        assert_eq!(
            "note".parse::<RecordType>().unwrap_err().to_string(),
            "record type `note` is not known — accepted: item, meeting, update, card, space"
        );
        assert!(RecordType::Meeting.accepts(&format!("notes:{ALEX}")));
        assert!(!RecordType::Meeting.accepts("notes:alex"));
        assert!(RecordType::Item.accepts("severity") && !RecordType::Item.accepts("person"));
        assert!(!RecordType::Card.accepts("trust"));
    }

    #[test]
    fn a_topic_is_created_with_its_fields_author_and_a_clock() {
        let mut w = World::new("2026-11-25");
        let ops = new_topic(&mut w.alex, "  Offsite plans ", Some("Dates?")).unwrap();
        let [op] = ops.as_slice() else {
            panic!("one operation")
        };
        assert_eq!(
            (op.action, op.record_type, op.author, op.device, op.space),
            (Action::Create, RecordType::Item, ALEX, SERVER, SPACE)
        );
        assert_eq!(op.clock, Hlc::new(WALL, 0));
        assert_eq!(w.alex.last, op.clock, "the context keeps the last clock");
        assert_eq!(
            serde_json::to_value(&op.payload).unwrap(),
            json!({"kind": "topic", "title": "Offsite plans", "body": "Dates?",
                   "created": "2026-11-25", "status": {"status": "open", "on": null}})
        );
        let next = new_topic(&mut w.alex, "Second", None).unwrap();
        assert_eq!(next[0].clock, Hlc::new(WALL, 1), "strictly later");
        assert_ne!(next[0].record, op.record);
    }

    #[test]
    fn bad_items_are_refused_with_the_accepted_forms() {
        let mut w = World::new("2026-11-25");
        let e = err(new_topic(&mut w.alex, "   ", None));
        assert!(
            e.starts_with("title `   ` is not valid — accepted: a non-empty title"),
            "{e}"
        );
        let e = err(new_topic(&mut w.alex, &"x".repeat(1001), None));
        assert!(e.contains("at most 1000 characters"), "{e}");
        let e = err(new_topic(&mut w.alex, "ok", Some("bell\u{7}")));
        assert!(e.contains("without control characters"), "{e}");
        let severity = ItemInput {
            title: Some("Shipped".into()),
            severity: Some(upward_domain::Level::High),
            ..ItemInput::default()
        };
        let e = err(new_item(&mut w.alex, Kind::Win, severity));
        assert_eq!(e, "--severity does not apply to a win — it is for: risk");
        let person = ItemInput {
            title: Some("x".into()),
            person: Some(PersonRef {
                uuid: DANA,
                name: "Dana".into(),
            }),
            ..ItemInput::default()
        };
        let e = err(new_item(&mut w.alex, Kind::Goal, person));
        assert_eq!(
            e,
            "person is not set on an item of a space — its person is the other member"
        );
        let far = ItemInput {
            title: Some("x".into()),
            due: Some(jiff::civil::date(999, 1, 1)),
            ..ItemInput::default()
        };
        let e = err(new_item(&mut w.alex, Kind::Action, far));
        assert!(e.starts_with("date `0999-01-01` is not valid"), "{e}");
        assert_eq!(w.alex.last, Hlc::ZERO, "nothing refused ticks the clock");
    }

    #[test]
    fn a_win_is_done_when_it_happens_and_a_goal_is_open() {
        let mut w = World::new("2026-11-25");
        let win = ItemInput {
            title: Some("Shipped search".into()),
            date: Some(day("2026-11-20")),
            impact: Some("p95 halved".into()),
            ..ItemInput::default()
        };
        let id = w.by(ALEX, |c, _| new_item(c, Kind::Win, win));
        let rec = w.space.record(id).unwrap();
        assert_eq!(
            rec.get("status"),
            Some(&json!({"status": "done", "on": "2026-11-20"}))
        );
        assert_eq!(rec.text("date"), Some("2026-11-20"));
        let goal = ItemInput {
            title: Some("Lead a project".into()),
            ..ItemInput::default()
        };
        let id = w.by(ALEX, |c, _| new_item(c, Kind::Goal, goal));
        let rec = w.space.record(id).unwrap();
        assert_eq!(
            rec.get("status"),
            Some(&json!({"status": "open", "on": null}))
        );
    }

    #[test]
    fn an_action_names_its_owner_by_account() {
        let mut w = World::new("2026-11-25");
        let meeting = meeting_id(SPACE, day("2026-11-24"));
        let ops = new_action(
            &mut w.dana,
            "Send the plan",
            ALEX,
            Some(day("2026-11-27")),
            Some(meeting),
        )
        .unwrap();
        let p = &ops[0].payload;
        assert_eq!(p["owner"], json!(ALEX.to_string()));
        assert_eq!(p["due"], json!("2026-11-27"));
        assert_eq!(p["meeting"], json!(meeting.to_string()));
        assert_eq!(ops[0].author, DANA);
    }

    #[test]
    fn a_status_is_one_field_with_its_date_and_either_member_may_set_it() {
        let mut w = World::new("2026-11-25");
        let topic = w.by(ALEX, |c, _| new_topic(c, "Offsite", None));
        let on = day("2026-11-24");
        let ops = set_status(&mut w.dana, &w.space, topic, ItemStatus::Discussed, on).unwrap();
        assert_eq!(
            serde_json::to_value(&ops[0].payload).unwrap(),
            json!({"status": {"status": "discussed", "on": "2026-11-24"}})
        );
        w.apply(Ok(ops));
        let again = set_status(&mut w.alex, &w.space, topic, ItemStatus::Discussed, on).unwrap();
        assert!(again.is_empty(), "nothing changes");
        let e = err(set_status(
            &mut w.alex,
            &w.space,
            topic,
            ItemStatus::Done,
            on,
        ));
        assert_eq!(
            e,
            "status `done` is not one a topic takes — accepted: open, discussed, parked"
        );
        let e = err(set_status(
            &mut w.alex,
            &w.space,
            topic,
            ItemStatus::Parked,
            day("2026-11-26"),
        ));
        assert_eq!(
            e,
            "the status date 2026-11-26 is in the future — accepted: today (2026-11-25) or earlier"
        );
        let action = w.by(ALEX, |c, _| new_action(c, "Plan", DANA, None, None));
        let e = err(set_status(
            &mut w.alex,
            &w.space,
            action,
            ItemStatus::Parked,
            on,
        ));
        assert_eq!(
            e,
            "status `parked` is not one a action takes — accepted: open, done, dropped"
                .replace("a action", "an action")
        );
        let e = "closed".parse::<ItemStatus>().unwrap_err().to_string();
        assert!(
            e.starts_with("status `closed` is not valid — accepted: open, discussed, parked"),
            "{e}"
        );
        let e = err(set_status(
            &mut w.alex,
            &w.space,
            Uuid::from_u128(9),
            ItemStatus::Open,
            on,
        ));
        assert_eq!(
            e,
            format!("record {} is not in this space", Uuid::from_u128(9))
        );
    }

    #[test]
    fn only_the_author_edits_and_only_what_changed_is_set() {
        let mut w = World::new("2026-11-20");
        let action = w.by(ALEX, |c, _| {
            new_action(c, "Plan", ALEX, Some(day("2026-11-24")), None)
        });
        w.on("2026-11-23");
        let e = err(edit_item(
            &mut w.dana,
            &w.space,
            action,
            ItemInput::default(),
            None,
        ));
        assert_eq!(
            e,
            "only its author may edit this item — either member may change its status"
        );
        let same = ItemInput {
            title: Some("Plan".into()),
            ..ItemInput::default()
        };
        assert!(
            edit_item(&mut w.alex, &w.space, action, same, None)
                .unwrap()
                .is_empty()
        );
        let moved = ItemInput {
            due: Some(day("2026-11-30")),
            body: Some("Drafted".into()),
            ..ItemInput::default()
        };
        let ops = edit_item(&mut w.alex, &w.space, action, moved, Some(DANA)).unwrap();
        assert_eq!(
            serde_json::to_value(&ops[0].payload).unwrap(),
            json!({"body": "Drafted", "due": "2026-11-30", "original_due": "2026-11-24",
                   "renegotiated": 1, "owner": DANA.to_string()}),
            "a date moved after the day it was set is a renegotiation"
        );
        let topic = w.by(ALEX, |c, _| new_topic(c, "T", Some("b")));
        let cleared = ItemInput {
            body: Some(String::new()),
            ..ItemInput::default()
        };
        let ops = edit_item(&mut w.alex, &w.space, topic, cleared, None).unwrap();
        assert_eq!(
            serde_json::to_value(&ops[0].payload).unwrap(),
            json!({"body": null})
        );
        let e = err(edit_item(
            &mut w.alex,
            &w.space,
            topic,
            ItemInput::default(),
            Some(DANA),
        ));
        assert_eq!(e, "owner does not apply to a topic — it is for: action");
    }

    #[test]
    fn editing_a_wins_date_moves_the_date_of_its_status() {
        let mut w = World::new("2026-11-25");
        let win = ItemInput {
            title: Some("Shipped".into()),
            ..ItemInput::default()
        };
        let id = w.by(ALEX, |c, _| new_item(c, Kind::Win, win));
        let earlier = ItemInput {
            date: Some(day("2026-11-21")),
            ..ItemInput::default()
        };
        let ops = edit_item(&mut w.alex, &w.space, id, earlier, None).unwrap();
        assert_eq!(
            serde_json::to_value(&ops[0].payload).unwrap(),
            json!({"date": "2026-11-21", "status": {"status": "done", "on": "2026-11-21"}})
        );
    }

    #[test]
    fn a_meeting_is_one_per_date_whoever_records_it_first() {
        let mut w = World::new("2026-11-25");
        let t1 = w.by(ALEX, |c, _| new_topic(c, "Offsite", None));
        let t2 = w.by(DANA, |c, _| new_topic(c, "Headcount", None));
        let goal = w.by(ALEX, |c, _| {
            new_item(
                c,
                Kind::Goal,
                ItemInput {
                    title: Some("Lead".into()),
                    ..ItemInput::default()
                },
            )
        });
        let date = day("2026-11-24");
        let action = NewAction {
            title: "Book the room".into(),
            owner: DANA,
            due: Some(day("2026-11-27")),
        };
        let ops = record_meeting(
            &mut w.alex,
            &w.space,
            date,
            Some("Went well"),
            &[t1, goal, t1],
            vec![action],
        )
        .unwrap();
        let id = meeting_id(SPACE, date);
        assert_eq!(
            ops.iter().map(|o| (o.record, o.action)).collect::<Vec<_>>()[..3],
            [(id, Action::Create), (t1, Action::Set), (goal, Action::Set),]
        );
        assert_eq!(
            serde_json::to_value(&ops[0].payload).unwrap(),
            json!({"date": "2026-11-24", format!("notes:{ALEX}"): "Went well",
                   format!("discussed:{t1}"): true, format!("discussed:{goal}"): true})
        );
        assert_eq!(
            ops[1].payload["status"],
            json!({"status": "discussed", "on": "2026-11-24"})
        );
        assert_eq!(ops[2].payload["last_discussed"], json!("2026-11-24"));
        assert_eq!(ops[3].payload["meeting"], json!(id.to_string()));
        w.apply(Ok(ops));
        // Dana records the same 1:1: her notes and topic join the same meeting.
        let ops = record_meeting(
            &mut w.dana,
            &w.space,
            date,
            Some("Agreed on dates"),
            &[t1, t2],
            vec![],
        )
        .unwrap();
        assert_eq!(ops[0].action, Action::Set);
        assert_eq!(
            serde_json::to_value(&ops[0].payload).unwrap(),
            json!({format!("notes:{DANA}"): "Agreed on dates", format!("discussed:{t2}"): true}),
            "only what is new; t1 is discussed already"
        );
        assert_eq!(
            ops.len(),
            2,
            "the meeting, and t2 (t1 is not open any more)"
        );
        w.apply(Ok(ops));
        let m = w.space.record(id).unwrap();
        assert_eq!(m.author, Some(ALEX));
        assert!(
            record_meeting(
                &mut w.dana,
                &w.space,
                date,
                Some("Agreed on dates"),
                &[t2],
                vec![]
            )
            .unwrap()
            .is_empty()
        );
    }

    #[test]
    fn two_members_recording_the_same_meeting_at_once_keep_both() {
        let mut w = World::new("2026-11-25");
        let t1 = w.by(ALEX, |c, _| new_topic(c, "Offsite", None));
        let t2 = w.by(DANA, |c, _| new_topic(c, "Headcount", None));
        let date = day("2026-11-24");
        let before = w.space.clone();
        let mine = record_meeting(&mut w.alex, &before, date, Some("Mine"), &[t1], vec![]).unwrap();
        w.dana.device = Uuid::from_u128(0xDE); // her laptop, offline
        let theirs =
            record_meeting(&mut w.dana, &before, date, Some("Theirs"), &[t2], vec![]).unwrap();
        assert_eq!(
            (mine[0].action, theirs[0].action),
            (Action::Create, Action::Create)
        );
        w.apply(Ok(theirs));
        w.apply(Ok(mine));
        let m = w.space.record(meeting_id(SPACE, date)).unwrap();
        assert_eq!(m.text(&format!("notes:{ALEX}")), Some("Mine"));
        assert_eq!(m.text(&format!("notes:{DANA}")), Some("Theirs"));
        assert!(
            m.get(&format!("discussed:{t1}")).is_some()
                && m.get(&format!("discussed:{t2}")).is_some()
        );
    }

    #[test]
    fn a_meeting_is_refused_in_the_future_or_with_unknown_items() {
        let mut w = World::new("2026-11-25");
        let e = err(record_meeting(
            &mut w.alex,
            &w.space,
            day("2026-11-26"),
            None,
            &[],
            vec![],
        ));
        assert_eq!(
            e,
            "the 1:1 date 2026-11-26 is in the future — accepted: today (2026-11-25) or earlier"
        );
        let ghost = Uuid::from_u128(77);
        let e = err(record_meeting(
            &mut w.alex,
            &w.space,
            day("2026-11-25"),
            None,
            &[ghost],
            vec![],
        ));
        assert_eq!(e, format!("record {ghost} is not in this space"));
        let bad = NewAction {
            title: " ".into(),
            owner: ALEX,
            due: None,
        };
        assert!(
            record_meeting(
                &mut w.alex,
                &w.space,
                day("2026-11-25"),
                None,
                &[],
                vec![bad]
            )
            .is_err()
        );
        assert_eq!(w.alex.last, Hlc::ZERO);
    }

    #[test]
    fn a_card_holds_the_style_fields_as_the_domain_reads_them() {
        let mut w = World::new("2026-11-25");
        let fields = [
            ("channel", "Chat"),
            ("length", "brief"),
            ("decides-by", "data"),
            ("cadence", "2w"),
        ];
        let ops = set_card(&mut w.dana, &w.space, &fields).unwrap();
        assert_eq!(
            (ops[0].record, ops[0].action),
            (card_id(SPACE, DANA), Action::Create)
        );
        assert_eq!(
            serde_json::to_value(&ops[0].payload).unwrap(),
            json!({"channel": "chat", "length": "brief", "decides_by": "data", "cadence": "2w"})
        );
        w.apply(Ok(ops));
        assert!(set_card(&mut w.dana, &w.space, &fields).unwrap().is_empty());
        let ops = set_card(
            &mut w.dana,
            &w.space,
            &[("channel", ""), ("feedback", "high")],
        )
        .unwrap();
        assert_eq!(
            serde_json::to_value(&ops[0].payload).unwrap(),
            json!({"channel": null, "feedback": "high"})
        );
        let e = err(set_card(&mut w.dana, &w.space, &[("trust", "5")]));
        assert_eq!(
            e,
            "card field `trust` is not valid — accepted: channel, length, decides_by, feedback, cadence"
        );
        let e = err(set_card(&mut w.dana, &w.space, &[("channel", "fax")]));
        assert_eq!(
            e,
            "channel `fax` is not valid — accepted: in-person, chat, email, video"
        );
        assert_ne!(card_id(SPACE, DANA), card_id(SPACE, ALEX));
    }

    #[test]
    fn the_cadence_is_the_space_records() {
        let mut w = World::new("2026-11-25");
        assert!(set_cadence(&mut w.alex, &w.space, None).unwrap().is_empty());
        let ops = set_cadence(&mut w.alex, &w.space, Some(Duration::days(14))).unwrap();
        assert_eq!(
            (ops[0].record, ops[0].record_type),
            (SPACE, RecordType::Space)
        );
        w.apply(Ok(ops));
        assert_eq!(w.space.cadence(), Some(Duration::days(14)));
        let ops = set_cadence(&mut w.dana, &w.space, None).unwrap();
        assert_eq!(
            (ops[0].action, &ops[0].payload["cadence"]),
            (Action::Set, &Value::Null)
        );
    }

    #[test]
    fn an_update_and_what_may_be_removed() {
        let mut w = World::new("2026-11-25");
        let u = w.by(ALEX, |c, _| {
            new_update(
                c,
                day("2026-11-25"),
                Channel::Email,
                Some("Weekly: shipped search"),
            )
        });
        assert_eq!(w.space.record(u).unwrap().text("channel"), Some("email"));
        let e = err(new_update(
            &mut w.alex,
            day("2026-11-26"),
            Channel::Chat,
            None,
        ));
        assert!(e.contains("is in the future"), "{e}");
        let e = err(remove(&mut w.dana, &w.space, u));
        assert_eq!(
            e,
            "only its author may remove this update — either member may change its status"
        );
        w.by(ALEX, |c, s| remove(c, s, u));
        assert!(w.space.record(u).unwrap().is_removed());
        let e = err(remove(&mut w.alex, &w.space, u));
        assert_eq!(e, format!("record {u} is not in this space"));
        let m = w.by(ALEX, |c, s| {
            record_meeting(c, s, day("2026-11-25"), None, &[], vec![])
        });
        let e = err(remove(&mut w.alex, &w.space, m));
        assert!(
            e.starts_with("a meeting is not removed — its id comes from what it is"),
            "{e}"
        );
    }

    #[test]
    fn fields_and_items_convert_both_ways() {
        let mut w = World::new("2026-11-25");
        let input = ItemInput {
            title: Some("Plan".into()),
            due: Some(day("2026-11-27")),
            tags: Some(vec!["q4".into()]),
            ..ItemInput::default()
        };
        let id = w.by(ALEX, |c, _| new_item(c, Kind::Action, input));
        let seen_by_alex = item_of_record(w.space.record(id).unwrap(), 3, ALEX, None).unwrap();
        let seen_by_dana = item_of_record(w.space.record(id).unwrap(), 3, DANA, None).unwrap();
        assert_eq!(
            (seen_by_alex.owner, seen_by_dana.owner),
            (Some(Owner::Me), Some(Owner::Them))
        );
        assert_eq!(
            (seen_by_alex.id, seen_by_alex.uuid, seen_by_alex.created),
            (3, id, day("2026-11-25"))
        );
        assert_eq!(seen_by_alex.visibility, upward_domain::Visibility::Shared);
        assert_eq!(seen_by_alex.created_at, Hlc::new(WALL, 0).timestamp());
        assert_eq!(
            item_fields(&seen_by_alex, Some(ALEX)),
            w.space.record(id).unwrap().values()
        );
    }
    #[test]
    fn values_are_checked_as_the_domain_reads_them() {
        let ok = |t, f: &str, v: Value| field_value_ok(t, f, &v);
        let item = RecordType::Item;
        assert!(ok(item, "title", json!("Offsite")) && !ok(item, "title", json!(" ")));
        assert!(!ok(item, "title", Value::Null) && !ok(item, "title", json!(5)));
        assert!(ok(item, "kind", json!("goal")) && !ok(item, "kind", json!("chore")));
        assert!(ok(item, "due", json!("2026-11-27")) && ok(item, "due", Value::Null));
        assert!(!ok(item, "due", json!("0999-01-01")) && !ok(item, "due", json!("soon")));
        assert!(ok(
            item,
            "status",
            ItemStatus::Done.value(Some(day("2026-11-20")))
        ));
        assert!(!ok(item, "status", json!("done")));
        assert!(ok(item, "body", json!("two\nlines")) && !ok(item, "body", json!("\u{1b}[31m")));
        assert!(ok(item, "owner", json!(ALEX.to_string())) && !ok(item, "owner", json!("me")));
        assert!(ok(item, "tags", json!(["q4"])) && !ok(item, "tags", json!(["two words"])));
        assert!(ok(item, "severity", json!("high")) && !ok(item, "severity", json!("extreme")));
        assert!(ok(item, "effort", json!("3d")) && !ok(item, "rank", json!(0)));
        let meeting = RecordType::Meeting;
        assert!(ok(meeting, &format!("discussed:{ALEX}"), json!(true)));
        assert!(!ok(meeting, &format!("discussed:{ALEX}"), json!("yes")));
        assert!(!ok(meeting, "date", Value::Null));
        assert!(ok(RecordType::Card, "channel", json!("video")));
        assert!(!ok(RecordType::Card, "cadence", json!("often")));
        assert!(ok(RecordType::Space, "cadence", Value::Null));
    }

    #[test]
    fn an_operation_that_breaks_the_model_is_refused() {
        let mut w = World::new("2026-11-25");
        let mut op = new_topic(&mut w.alex, "Offsite", None).unwrap().remove(0);
        op.payload.insert("due".into(), json!("someday"));
        let e = op.check().unwrap_err().to_string();
        assert!(
            e.ends_with("the value of `due` is not one an item takes"),
            "{e}"
        );
        op.payload.remove("due");
        op.payload.remove("title");
        let e = op.check().unwrap_err().to_string();
        assert!(
            e.ends_with("a create of an item carries its `title`"),
            "{e}"
        );
        let mut m = record_meeting(&mut w.alex, &w.space, day("2026-11-24"), None, &[], vec![])
            .unwrap()
            .remove(0);
        m.check().unwrap();
        m.payload.insert("date".into(), json!("2026-11-23"));
        let e = m.check().unwrap_err().to_string();
        assert!(
            e.contains("a meeting has the id its space and date gives"),
            "{e}"
        );
        let mut card = set_card(&mut w.alex, &w.space, &[("length", "brief")])
            .unwrap()
            .remove(0);
        card.author = DANA;
        let e = card.check().unwrap_err().to_string();
        assert!(
            e.contains("a card has the id its space and member gives"),
            "{e}"
        );
    }

    #[test]
    fn admitting_checks_then_folds() {
        let mut w = World::new("2026-11-25");
        let op = new_topic(&mut w.alex, "Offsite", None).unwrap().remove(0);
        let rec = admit(None, &op).unwrap();
        assert!(rec.is_visible() && rec.author == Some(ALEX));
        let mut edit = op.clone();
        edit.action = Action::Set;
        edit.author = DANA;
        let e = admit(Some(&rec), &edit).unwrap_err();
        assert!(matches!(e, SpaceError::Forbidden(_)), "{e}");
        let mut bad = op;
        bad.payload.insert("due".into(), json!("soon"));
        assert!(matches!(admit(None, &bad), Err(SpaceError::Decode(_))));
    }

    #[test]
    fn permissions_follow_authorship() {
        let mut w = World::new("2026-11-25");
        let topic = w.by(ALEX, |c, _| new_topic(c, "Offsite", None));
        let rec = w.space.record(topic).cloned();
        let status = set_status(
            &mut w.dana,
            &w.space,
            topic,
            ItemStatus::Parked,
            day("2026-11-25"),
        )
        .unwrap();
        check_permission(rec.as_ref(), &status[0]).unwrap();
        let mut edit = status[0].clone();
        edit.payload = Payload::from([("title".to_string(), json!("Mine now"))]);
        let e = check_permission(rec.as_ref(), &edit).unwrap_err();
        assert!(matches!(e, SpaceError::Forbidden(_)));
        edit.author = ALEX;
        check_permission(rec.as_ref(), &edit).unwrap();
        let mut gone = remove(&mut w.alex, &w.space, topic).unwrap().remove(0);
        check_permission(rec.as_ref(), &gone).unwrap();
        gone.author = DANA;
        assert!(check_permission(rec.as_ref(), &gone).is_err());
        let m = record_meeting(
            &mut w.alex,
            &w.space,
            day("2026-11-25"),
            Some("n"),
            &[],
            vec![],
        )
        .unwrap();
        check_permission(None, &m[0]).unwrap();
        let mut forged = m[0].clone();
        forged.author = DANA;
        let e = check_permission(None, &forged).unwrap_err().to_string();
        assert_eq!(e, "each member writes only their own notes on a 1:1");
        let mut card = set_card(&mut w.alex, &w.space, &[("length", "brief")])
            .unwrap()
            .remove(0);
        check_permission(None, &card).unwrap();
        card.author = DANA;
        assert_eq!(
            check_permission(None, &card).unwrap_err().to_string(),
            "a card is set only by its member"
        );
        let mut retyped = status[0].clone();
        retyped.record_type = RecordType::Update;
        let e = check_permission(rec.as_ref(), &retyped)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            format!("record {topic} is an item, not an update — a record keeps its type")
        );
    }
}
