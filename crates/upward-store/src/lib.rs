//! The storage contract of upward: what a backend must do to hold a **workspace** (one
//! person's private SQLite file, or one shared space on the team server), and nothing about
//! how.
//!
//! A front end never talks to a backend: it calls the application layer (`upward-app`), which
//! opens a [`Transaction`], loads what a rule needs, asks the domain to decide, and writes the
//! result back through the same transaction. Backends only store; they never decide.
//!
//! # The contract
//!
//! **Transactions.** Every use case runs in exactly one transaction.
//! - *All or nothing*: what a transaction wrote is visible to others only after
//!   [`Transaction::commit`] returns `Ok`. Dropping a transaction without committing rolls it
//!   back, and so does a process killed at any point: a later reader sees everything or
//!   nothing of it.
//! - *Isolation*: a read transaction ([`Store::begin_read`]) sees one consistent state of the
//!   workspace from its first read to its end, whatever other processes commit meanwhile, and
//!   it never blocks a writer.
//! - *Concurrent writers wait*: write transactions ([`Store::begin_write`]) to one workspace
//!   are serialized. A second writer waits for the first to finish instead of failing (SQLite:
//!   `BEGIN IMMEDIATE` and a busy timeout; PostgreSQL: a per-workspace advisory lock). A
//!   writer of one workspace never waits for a writer of another.
//! - A read transaction refuses writes ([`StoreError::ReadOnly`]).
//! - A write the contract refuses (a UUID, id or name already taken, a reference to a record
//!   that is not there) is an error for that call only: the transaction stays usable, and
//!   what it wrote before and after still commits. (PostgreSQL aborts a transaction on a
//!   failed statement, so its backend checks before it writes.)
//! - Text is UTF-8 without NUL characters (the domain's validation refuses control
//!   characters); dates are years 1000–9999.
//!
//! **Identity.** People, items, meetings, updates and reflections each carry a UUID that never
//! changes and is the same on every device; records refer to each other by it. The small
//! integer `id` is a per-workspace alias for typing: `insert_*` with `id == 0` takes the next
//! free one, and a non-zero id is kept (import keeps the ids of an export). A UUID or an id
//! already present is a [`StoreError::Conflict`].
//!
//! **Errors** carry no driver types: a backend maps its driver's errors to [`StoreError`]
//! (keeping the driver's message as text), so front ends match on meaning, not on a library.
//!
//! The same contract suite ([`contract_suite!`], in [`contract`]) runs on every backend.

pub mod contract;
mod error;

pub use error::{Result, StoreError};

use jiff::civil::Date;
use serde::Serialize;
use upward_domain::{
    Decline, Effect, Item, Kind, Meeting, Person, Reflection, Snapshot, Status, Tombstone,
    UpdateSent,
};
use uuid::Uuid;

/// A workspace's storage. Implemented by `upward-store-sqlite` (the personal workspace) and
/// `upward-store-postgres` (spaces on the team server).
pub trait Store: Send {
    /// Begins a read transaction: one consistent view, never blocking writers.
    fn begin_read(&mut self) -> Result<Box<dyn Transaction + '_>>;
    /// Begins a write transaction, taken at once: it waits for other writers of this
    /// workspace to finish, then holds the workspace until it commits or is dropped.
    fn begin_write(&mut self) -> Result<Box<dyn Transaction + '_>>;
}

/// Runs a closure in one transaction: the way every use case touches a store.
pub trait StoreExt: Store {
    /// Runs `f` in one write transaction and commits only if it returns `Ok`.
    fn write<T, E>(&mut self, f: impl FnOnce(&dyn Transaction) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let tx = self.begin_write()?;
        let out = f(&*tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` in one read transaction: a consistent view while others write.
    fn read<T, E>(&mut self, f: impl FnOnce(&dyn Transaction) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let tx = self.begin_read()?;
        f(&*tx)
    }
}

impl<S: Store + ?Sized> StoreExt for S {}

/// One transaction on a workspace. Every method sees what this transaction wrote before it.
pub trait Transaction {
    /// Makes everything this transaction wrote durable and visible, all at once.
    fn commit(self: Box<Self>) -> Result<()>;

    /// "Empty": no people and no items.
    fn is_empty(&self) -> Result<bool>;

    // People.

    /// Every person, ordered: me first, then managers, then by name (case-insensitive).
    /// Archived people are included only when `archived` is true.
    fn people(&self, archived: bool) -> Result<Vec<Person>>;
    /// Adds a person and returns it with its id. A name already taken, in any case, is a
    /// [`StoreError::Conflict`]; so is a second person who `is_me`, and an `account` another
    /// person is linked to.
    fn insert_person(&self, p: &Person) -> Result<Person>;
    /// Writes every field of an existing person, found by UUID ([`StoreError::NotFound`] if
    /// none). A name or an `account` taken by another person is a [`StoreError::Conflict`].
    fn update_person(&self, p: &Person) -> Result<()>;

    // Items.

    /// One item by its id, or `None`.
    fn item(&self, id: i64) -> Result<Option<Item>>;
    /// One item by its UUID, or `None`.
    fn item_by_uuid(&self, uuid: Uuid) -> Result<Option<Item>>;
    /// Items matching `filter`: open before closed, then by due date (none last), rank (none
    /// last) and id.
    fn items(&self, filter: &ItemFilter) -> Result<Vec<Item>>;
    /// Adds an item and returns it with its id. Its person and meeting must exist.
    fn insert_item(&self, item: &Item) -> Result<Item>;
    /// Writes every field of an existing item, found by UUID ([`StoreError::NotFound`] if
    /// none). Its id is not changed.
    fn update_item(&self, item: &Item) -> Result<()>;

    // Meetings, updates sent, reflections.

    /// Records a meeting and the items discussed at it (they must exist).
    fn insert_meeting(&self, m: &Meeting) -> Result<Meeting>;
    /// Writes the date, the notes (mine, shared and theirs) and discussed items of an
    /// existing meeting, found by UUID
    /// ([`StoreError::NotFound`] if none). Items may refer to a meeting (an action agreed at
    /// it) and a meeting to items (those discussed), so import inserts the meetings without
    /// their items, then the items, then links each meeting's items with this.
    fn update_meeting(&self, m: &Meeting) -> Result<()>;
    /// Every meeting, by date then id. The items discussed are listed only for meetings on or
    /// after `discussed_since` (all of them when `None`).
    fn meetings(&self, discussed_since: Option<Date>) -> Result<Vec<Meeting>>;
    /// The date of the last meeting with a person.
    fn last_meeting(&self, person: Uuid) -> Result<Option<Date>>;
    fn insert_update(&self, u: &UpdateSent) -> Result<UpdateSent>;
    /// The date of the last update sent to a person.
    fn last_update(&self, person: Uuid) -> Result<Option<Date>>;
    /// Every update sent, by date then id.
    fn updates(&self) -> Result<Vec<UpdateSent>>;
    fn insert_reflection(&self, r: &Reflection) -> Result<Reflection>;
    /// Every reflection, by date then id.
    fn reflections(&self) -> Result<Vec<Reflection>>;

    // What a 1:1 changed, records removed for good, requests declined.

    /// Records what meetings changed in items, so a meeting can be undone. Each meeting and
    /// item must exist ([`StoreError::NotFound`]); a second change of the same meeting, item
    /// and field is a [`StoreError::Conflict`].
    fn insert_effects(&self, effects: &[Effect]) -> Result<()>;
    /// The changes recorded for one meeting (`Some`), or for every meeting (`None`), in the
    /// order they were recorded.
    fn effects(&self, meeting: Option<Uuid>) -> Result<Vec<Effect>>;
    /// Removes a meeting for good (`meeting undo`): the meeting, which items were discussed at
    /// it, and its changes; the items agreed at it stay, without a meeting. Then keeps the
    /// tombstone, so that what still holds the meeting (an export, another device) can be
    /// told. A tombstone whose meeting is not there is recorded all the same; one already
    /// recorded is kept as it was.
    fn remove_meeting(&self, tombstone: &Tombstone) -> Result<()>;
    /// Every tombstone, by time of removal then UUID.
    fn tombstones(&self) -> Result<Vec<Tombstone>>;
    /// Records a request declined and returns it with its id (its person must exist).
    fn insert_decline(&self, d: &Decline) -> Result<Decline>;
    /// Every request declined, by date then id.
    fn declines(&self) -> Result<Vec<Decline>>;

    // What the rules read.

    /// What a rule looks at: every person (archived ones too), meeting, update and
    /// reflection; the open items of `kinds`; and of the closed ones, as `scope` says. Items
    /// are ordered by id. Meetings before `scope.closed_since` come without their discussed
    /// items (those items are closed and left out too).
    ///
    /// The narrowing fields of [`Scope`] (`done_kinds`, `items_for`, `history`,
    /// `counted_kinds`, `unread`) are promises of what the caller will not read, not filters
    /// it relies on: a backend may honour them (and leave out what they name) or ignore any
    /// of them (and return more). Either way what it returns holds at least what they keep, so a rule
    /// gives the same result on it.
    fn snapshot_of(&self, scope: Scope, kinds: &[Kind]) -> Result<Snapshot>;

    /// Full-text search over item titles and texts, meeting notes, and people's names and
    /// profiles: every word must match (the last one as a prefix). A match in a title or a
    /// name ranks before one in a body; at most `limit` hits.
    fn search(&self, query: &str, limit: usize) -> Result<Vec<Hit>>;

    /// The backend's own consistency check: `"ok"` when sound.
    fn integrity_check(&self) -> Result<String>;

    // Sync with a team server (docs/sync.md). The SQLite workspace holds these; a backend
    // that does not answers [`StoreError::Unsupported`] (the defaults).

    /// This workspace's device UUID, once `remote login` made one.
    fn device(&self) -> Result<Option<Uuid>> {
        Ok(None)
    }
    /// Records the workspace's device UUID (replacing any).
    fn set_device(&self, _device: Uuid) -> Result<()> {
        Err(no_sync())
    }
    /// Every space this workspace syncs with, by space UUID.
    fn sync_links(&self) -> Result<Vec<SyncLink>> {
        Ok(Vec::new())
    }
    /// Adds or replaces the link of `link.space`.
    fn put_sync_link(&self, _link: &SyncLink) -> Result<()> {
        Err(no_sync())
    }
    /// Removes a space's link, its log and its records (`remote leave`, `remote logout`).
    fn delete_sync_space(&self, _space: Uuid) -> Result<()> {
        Err(no_sync())
    }
    /// One operation of the log, by its UUID.
    fn sync_op(&self, _id: Uuid) -> Result<Option<SyncOp>> {
        Ok(None)
    }
    /// Appends an operation to the log (its `seq` is assigned). `false`, and nothing
    /// written, when an operation with that UUID is already there.
    fn insert_sync_op(&self, _op: &SyncOp) -> Result<bool> {
        Err(no_sync())
    }
    /// Stores an operation's `position`, `pushed` and `applied` (by its UUID;
    /// [`StoreError::NotFound`] if the log has none).
    fn update_sync_op(&self, _op: &SyncOp) -> Result<()> {
        Err(no_sync())
    }
    /// A space's operations not yet pushed, in log order (`seq`).
    fn unpushed_ops(&self, _space: Uuid) -> Result<Vec<SyncOp>> {
        Ok(Vec::new())
    }
    /// Every operation of a space's log, in log order.
    fn sync_ops(&self, _space: Uuid) -> Result<Vec<SyncOp>> {
        Ok(Vec::new())
    }
    /// Operations received but not applied (a newer protocol), in log order.
    fn unapplied_ops(&self) -> Result<Vec<SyncOp>> {
        Ok(Vec::new())
    }
    /// A record of a space as this replica folded it (`upward_space::Record::to_bytes`).
    fn sync_record(&self, _space: Uuid, _record: Uuid) -> Result<Option<Vec<u8>>> {
        Ok(None)
    }
    /// Every record of a space as this replica folded it, by record UUID.
    fn sync_records(&self, _space: Uuid) -> Result<Vec<(Uuid, Vec<u8>)>> {
        Ok(Vec::new())
    }
    /// Stores a record's folded state (insert or replace).
    fn put_sync_record(&self, _space: Uuid, _record: Uuid, _state: &[u8]) -> Result<()> {
        Err(no_sync())
    }

    // What sync reads of a person (docs/sync.md, "What a sync reads"): by key, so that a
    // sync's work grows with what changed, not with the workspace. The defaults read
    // everything and filter, for a backend that has nothing better.

    /// The workspace's change mark: it grows with every write of an item, of a meeting or of
    /// what a meeting discussed (a removal included). `None`: this backend does not keep one
    /// (sync then compares everything, every time).
    fn change_mark(&self) -> Result<Option<i64>> {
        Ok(None)
    }
    /// What was written after `mark` (a [`change_mark`](Self::change_mark)): `person`'s items
    /// whole, and the keys of every item, meeting and meeting day written. Only a backend
    /// that keeps a change mark answers.
    fn changed_since(&self, _person: Uuid, _mark: i64) -> Result<Changed> {
        Err(no_sync())
    }
    /// Which of `items` are the person's items shared with them (`Visibility::Shared`),
    /// sorted: how a reference to an item is translated into a space.
    fn shared_among(&self, person: Uuid, items: &[Uuid]) -> Result<Vec<Uuid>> {
        let mut shared: Vec<Uuid> = self
            .items(&ItemFilter::of_person(person))?
            .into_iter()
            .filter(|i| {
                i.visibility == upward_domain::Visibility::Shared && items.contains(&i.uuid)
            })
            .map(|i| i.uuid)
            .collect();
        shared.sort_unstable();
        Ok(shared)
    }
    /// A person's meetings, those of `only` when given (others are left out), as UUID and
    /// date, by date then id: how a reference to a meeting is translated.
    fn meeting_days(&self, person: Uuid, only: Option<&[Uuid]>) -> Result<Vec<(Uuid, Date)>> {
        Ok(self
            .meetings(Some(Date::MAX))?
            .into_iter()
            .filter(|m| m.person.uuid == person && only.is_none_or(|o| o.contains(&m.uuid)))
            .map(|m| (m.uuid, m.date))
            .collect())
    }
    /// A person's items that refer to one of `to`: their meeting, the item they count for
    /// (`for_item`) or the request they answer (`answers`); ordered by id.
    fn items_referring(&self, person: Uuid, to: &[Uuid]) -> Result<Vec<Item>> {
        let mut items: Vec<Item> = self
            .items(&ItemFilter::of_person(person))?
            .into_iter()
            .filter(|i| {
                [i.meeting, i.for_item, i.answers]
                    .iter()
                    .flatten()
                    .any(|u| to.contains(u))
            })
            .collect();
        items.sort_by_key(|i| i.id);
        Ok(items)
    }
    /// A person's meetings on one of `days`, or on a day on which one of theirs discussed one
    /// of `discussing`: whole days, by date then id, with what each discussed.
    fn meetings_on_days(
        &self,
        person: Uuid,
        days: &[Date],
        discussing: &[Uuid],
    ) -> Result<Vec<Meeting>> {
        let all: Vec<Meeting> = self
            .meetings(None)?
            .into_iter()
            .filter(|m| m.person.uuid == person)
            .collect();
        let mut wanted: std::collections::BTreeSet<Date> = days.iter().copied().collect();
        wanted.extend(
            all.iter()
                .filter(|m| m.discussed.iter().any(|u| discussing.contains(u)))
                .map(|m| m.date),
        );
        Ok(all
            .into_iter()
            .filter(|m| wanted.contains(&m.date))
            .collect())
    }
}

/// What [`Transaction::changed_since`] found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changed {
    /// The person's items written since the mark, whole, by id.
    pub items: Vec<Item>,
    /// Every item written since the mark, anyone's, removed ones too.
    pub item_keys: Vec<Uuid>,
    /// Every meeting written since the mark (its discussed items too), anyone's, removed
    /// ones too.
    pub meeting_keys: Vec<Uuid>,
    /// The days of those meetings, before and after a change of date.
    pub days: Vec<Date>,
}

fn no_sync() -> StoreError {
    StoreError::Unsupported(
        "this workspace's database does not keep sync's log — sync runs on a SQLite workspace (--db FILE)".into(),
    )
}

/// A space this workspace syncs with (docs/sync.md, "The workspace's side").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncLink {
    pub space: Uuid,
    /// The server's URL as logged in to (`https://upward.example.com`).
    pub server: String,
    /// The person of this workspace who is the other member.
    pub person: Uuid,
    /// My account on the server, and the other member's.
    pub me: Uuid,
    pub other: Uuid,
    /// My role in the space: `report`, `manager` or `peer`.
    pub my_role: String,
    /// The last server position applied here (0: none yet).
    pub cursor: i64,
    /// The last hybrid logical clock this device gave out in the space (`upward_space::Hlc`).
    pub clock: u64,
    /// The space's status as last seen: `active` or `closed`.
    pub status: String,
    /// The workspace's change mark when this device last made the space's operations
    /// ([`Transaction::change_mark`]): the next sync compares only what was written after it.
    /// `None`: compare everything (never made yet, or the mark cannot be trusted).
    pub made: Option<i64>,
}

/// An operation in this device's log (docs/sync.md): made here or received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncOp {
    /// The operation's UUID.
    pub id: Uuid,
    pub space: Uuid,
    /// Its place in this device's log (assigned by `insert_sync_op`; 0 before).
    pub seq: i64,
    /// The envelope as JSON (`upward_space::Envelope`).
    pub envelope: Vec<u8>,
    /// The payload's bytes, never read by the server.
    pub payload: Vec<u8>,
    /// Its position in the space's log on the server, once known.
    pub position: Option<i64>,
    /// Whether the server has it.
    pub pushed: bool,
    /// Whether it is folded into this replica's records (false: a newer protocol, kept).
    pub applied: bool,
}

/// How much of the workspace a snapshot holds. Open items are always there; closed ones only
/// if closed, dated or changed from `closed_since` on (all of them when `None`), so everyday
/// commands stay instant on a workspace of many years.
///
/// The other fields narrow it further for a rule that reads less. Each only promises what the
/// caller does not read (see [`Transaction::snapshot_of`]): a backend may ignore it, and a
/// snapshot holding more still gives the same results. The default narrows nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scope {
    pub closed_since: Option<Date>,
    /// Of the closed items, only those done (not dropped) and of these kinds: the kinds of
    /// which the rule reads finished items (`upward_domain::workflow::prep::DONE_KINDS`, …).
    /// `None`: every closed item of the kinds asked for.
    pub done_kinds: Option<&'static [Kind]>,
    /// Only the items that belong with a person, and every open one of some kinds (prep).
    pub items_for: Option<ItemsFor>,
    /// Which meetings, updates sent and reflections.
    pub history: History,
    /// Of the items of these kinds, the rule only counts them: it reads their `id`, `uuid`,
    /// `kind`, `status`, `created`, `due`, `done`, `owner` and `updated_at`, and no other
    /// field (review's follow-through figures, over actions). A backend may leave the other
    /// fields of those items empty (an empty title, `None`, no tags, the default visibility,
    /// no renegotiation, `created_at` at the Unix epoch); which items the snapshot holds does
    /// not change. Empty: every field of every item.
    pub counted_kinds: &'static [Kind],
    /// Fields of an item the rule does not read, of any item: a backend may leave them empty
    /// (`None`, the default visibility, no renegotiation, `created_at` at the Unix epoch), so
    /// it neither reads nor decodes them (review names the fields of kinds it does not read
    /// and the record-keeping ones: [`Field::REVIEW_UNREAD`]). Which items the snapshot holds
    /// does not change. Empty: every field.
    pub unread: &'static [Field],
}

/// A field of an item that a rule may leave unread ([`Scope::unread`]). The ones every rule
/// reads (`id`, `uuid`, `kind`, `status`, `created`, `updated_at`) and those review reads
/// are not here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Visibility,
    Rank,
    Effort,
    Likelihood,
    Severity,
    Mitigation,
    Communicated,
    Ask,
    Data,
    Escalated,
    Consent,
    Ranked,
    ConfirmedBy,
    Remaining,
    State,
    Outcome,
    CommunicatedSeverity,
    CommunicatedLikelihood,
    CommunicatedState,
    Answers,
    Discussed,
    Meeting,
    Why,
    CreatedAt,
}

impl Field {
    /// Every field [`Field`] names.
    pub const ALL: &'static [Field] = &[
        Field::Visibility,
        Field::Rank,
        Field::Effort,
        Field::Likelihood,
        Field::Severity,
        Field::Mitigation,
        Field::Communicated,
        Field::Ask,
        Field::Data,
        Field::Escalated,
        Field::Consent,
        Field::Ranked,
        Field::ConfirmedBy,
        Field::Remaining,
        Field::State,
        Field::Outcome,
        Field::CommunicatedSeverity,
        Field::CommunicatedLikelihood,
        Field::CommunicatedState,
        Field::Answers,
        Field::Discussed,
        Field::Meeting,
        Field::Why,
        Field::CreatedAt,
    ];

    /// What review reads none of: every field [`Field`] names (the packet reads titles,
    /// bodies, people, tags, the dates, metric, impact, `for_item`, `confirmed`, direction,
    /// tone, `last_discussed`, owner, `original_due` and `renegotiated`).
    pub const REVIEW_UNREAD: &'static [Field] = Field::ALL;

    /// The item's field of this name (as in the export and `Item`).
    pub fn name(self) -> &'static str {
        match self {
            Field::Visibility => "visibility",
            Field::Rank => "rank",
            Field::Effort => "effort",
            Field::Likelihood => "likelihood",
            Field::Severity => "severity",
            Field::Mitigation => "mitigation",
            Field::Communicated => "communicated",
            Field::Ask => "ask",
            Field::Data => "data",
            Field::Escalated => "escalated",
            Field::Consent => "consent",
            Field::Ranked => "ranked",
            Field::ConfirmedBy => "confirmed_by",
            Field::Remaining => "remaining",
            Field::State => "state",
            Field::Outcome => "outcome",
            Field::CommunicatedSeverity => "communicated_severity",
            Field::CommunicatedLikelihood => "communicated_likelihood",
            Field::CommunicatedState => "communicated_state",
            Field::Answers => "answers",
            Field::Discussed => "discussed",
            Field::Meeting => "meeting",
            Field::Why => "why",
            Field::CreatedAt => "created_at",
        }
    }
}

/// The items of a snapshot for a rule about one person (see [`Scope::items_for`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemsFor {
    /// The items that belong with this person (by UUID), as `Snapshot::is_for` counts them:
    /// theirs, and those with no person when they are my manager.
    pub person: Uuid,
    /// And every open item of these kinds, whoever it belongs with (my manager's agenda
    /// ranks every open priority: `upward_domain::workflow::prep::everyones_open`).
    pub every_open: &'static [Kind],
}

/// The meetings, updates sent and reflections a snapshot holds (see [`Scope`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum History {
    /// Every one.
    #[default]
    All,
    /// For each person, those of the last day they had a meeting, an update or a reflection
    /// (each kind on its own): all a rule needs that reads them through
    /// `Snapshot::last_meeting`, `last_update`, `last_contact` and `last_reflection` (prep,
    /// nudges), and `update`, which also reads the updates sent on the day of the last one.
    LastDay,
    /// [`History::LastDay`] for one person (by UUID) only: for a rule about them alone
    /// (prep).
    LastDayOf(Uuid),
    /// [`History::LastDay`] for the people worked with on a rhythm only (not me, not
    /// archived, with a cadence): the only ones nudges asks about.
    LastDayOnACadence,
    /// None, for a rule that reads none (review).
    Omitted,
}

/// What `list` filters on. `status: None` means every status.
#[derive(Debug, Clone, Default)]
pub struct ItemFilter {
    pub kind: Option<Kind>,
    /// Items with this person.
    pub person: Option<Uuid>,
    pub status: Option<Status>,
    /// Created, done or dated on or after this date.
    pub since: Option<Date>,
    /// Items carrying this tag (without its `#`).
    pub tag: Option<String>,
    pub limit: Option<usize>,
}

impl ItemFilter {
    /// Every item with `person`, of every status.
    pub fn of_person(person: Uuid) -> ItemFilter {
        ItemFilter {
            person: Some(person),
            ..ItemFilter::default()
        }
    }
}

/// Marks placed around each matching word in [`Hit::snippet`]; renderers replace them.
pub const MATCH_START: char = '\u{2}';
pub const MATCH_END: char = '\u{3}';

/// One search result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// `item`, `meeting` or `person`.
    pub source: &'static str,
    /// The item or meeting id (a person has none).
    pub id: Option<i64>,
    pub kind: Option<String>,
    pub title: String,
    pub person: Option<String>,
    pub status: Option<String>,
    /// The best matching passage, with matches between [`MATCH_START`] and [`MATCH_END`].
    pub snippet: String,
    /// Lower is better; comparable only within one backend.
    pub score: f64,
}
