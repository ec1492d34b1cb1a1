//! Sync between the workspace and a team server's spaces (docs/sync.md): link each accepted
//! space to its person, make the operations of what changed here, push them, pull what the
//! space holds after this replica's cursor and write it into the workspace.
//!
//! Every step that writes is one transaction, so a sync killed at any point loses nothing
//! and duplicates nothing when it runs again: operations are logged before they are pushed,
//! the server takes one it already has as a duplicate, and a pulled page is applied with its
//! cursor at once. The network goes through a [`Transport`]: the command line's speaks HTTP,
//! the property tests call the server's own functions in the same process.

use crate::error::{AppError, Result};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, Instant};
use upward_domain::{Item, Meeting, Person, PersonRef, Relation, Status, Visibility};
use upward_space::model::{Ids, OpContext, RecordType, admit, meeting_id};
use upward_space::replica::{self, Links, SharedMeeting};
use upward_space::{Action, Hlc, Op, Record, WireOp};
use upward_store::{ItemFilter, Store, StoreExt, SyncLink, SyncOp, Transaction};
use uuid::Uuid;

/// Operations per push request (the server takes up to 500).
pub const PUSH_BATCH: usize = 500;
/// Operations per pulled page.
pub const PULL_PAGE: usize = 1000;
/// How far ahead of this machine's wall clock a pulled operation's clock may be (as the
/// server allows a pushed one).
pub const SKEW_MAX_MS: u64 = 5 * 60 * 1000;

/// "7 min 12 s".
fn skew(ms: u64) -> String {
    let s = ms / 1000;
    if s >= 48 * 3600 {
        return format!("{} days", s / 86_400);
    }
    format!("{} min {} s", s / 60, s % 60)
}

/// The caller's account and spaces, as the server lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteSpaces {
    /// My account.
    pub me: Uuid,
    pub spaces: Vec<RemoteSpace>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteSpace {
    pub id: Uuid,
    /// `invited`, `active`, `closed`, …
    pub status: String,
    pub my_role: String,
    /// The other member; their account is known once the invitation is accepted.
    pub other: RemoteMember,
    /// Whether I am the one invited (I answer the invitation).
    pub invited_me: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteMember {
    pub account: Option<Uuid>,
    pub email: String,
    pub name: Option<String>,
    pub role: String,
}

/// The server's answer to a push.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PushAnswer {
    pub accepted: usize,
    pub duplicates: usize,
    pub positions: Vec<i64>,
    pub head: i64,
}

/// A page of a pull.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PullPage {
    pub ops: Vec<WireOp>,
    pub last: i64,
    pub head: i64,
    pub more: bool,
}

/// What goes over the network. Errors are the user's words, ready to print.
pub trait Transport {
    fn spaces(&mut self) -> std::result::Result<RemoteSpaces, String>;
    fn push(&mut self, space: Uuid, ops: &[WireOp]) -> std::result::Result<PushAnswer, String>;
    fn pull(
        &mut self,
        space: Uuid,
        after: i64,
        limit: usize,
    ) -> std::result::Result<PullPage, String>;
}

/// Where and when this sync runs.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The server's URL, as logged in to.
    pub server: String,
    /// This workspace's device.
    pub device: Uuid,
    /// My civil date (`UPWARD_NOW` may fix it).
    pub today: Date,
    /// Now, for new records' timestamps (the one clock).
    pub now: jiff::Timestamp,
    /// Wall time in Unix milliseconds, for hybrid clocks: the system clock, never `UPWARD_NOW`.
    pub wall_ms: u64,
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Operations pushed (new to the server), and pulled (new to this workspace).
    pub pushed: usize,
    pub pulled: usize,
    pub spaces: Vec<SpaceReport>,
    /// Invitations waiting for my answer or theirs.
    pub invitations: Vec<Invitation>,
    /// What the user should know (a local edit of the other member's item that stays local).
    pub warnings: Vec<String>,
    /// How long each step took, in order (the command line prints them when
    /// `UPWARD_SYNC_TIMING` is set); not part of the JSON.
    #[serde(skip)]
    pub steps: Vec<(String, Duration)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpaceReport {
    pub id: Uuid,
    pub person: String,
    pub status: String,
    pub pushed: usize,
    pub pulled: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Invitation {
    pub id: Uuid,
    pub with: String,
    /// `to me` (I answer it) or `from me`.
    pub direction: &'static str,
}

fn sync_error(message: impl Into<String>) -> AppError {
    AppError::Sync(message.into())
}

/// One whole sync: link, make, push, pull.
pub fn sync<S: Store + ?Sized>(
    store: &mut S,
    transport: &mut dyn Transport,
    settings: &Settings,
) -> Result<Report> {
    let mut t = Instant::now();
    let mut lap = |report: &mut Report, step: String| {
        let took = t.elapsed();
        report.steps.push((step, took));
        t = Instant::now();
        took
    };
    let remote = transport.spaces().map_err(sync_error)?;
    let mut report = Report::default();
    lap(&mut report, "server: the spaces".into());
    let links = store.write(|tx| link_spaces(tx, &remote, settings, &mut report))?;
    lap(&mut report, "link the spaces".into());
    for link in &links {
        let person = store.read(|tx| person_name(tx, link.person))?;
        let short = &link.space.to_string()[..8];
        let mut space = SpaceReport {
            id: link.space,
            person,
            status: link.status.clone(),
            pushed: 0,
            pulled: 0,
        };
        if link.status == "active" {
            let warnings = store.write(|tx| make_ops(tx, link.space, settings))?;
            report.warnings.extend(warnings);
            lap(&mut report, format!("{short}: make the operations"));
            space.pushed = push(store, transport, link.space)?;
            lap(&mut report, format!("{short}: push"));
        } else {
            let unpushed = store.read(|tx| tx.unpushed_ops(link.space))?.len();
            if unpushed > 0 {
                report.warnings.push(format!(
                    "the space with {} is {}: {unpushed} change{} made here before it closed never reached it and stay in this workspace only (docs/sync.md, \"When a push is refused\")",
                    space.person,
                    link.status,
                    if unpushed == 1 { "" } else { "s" }
                ));
            }
        }
        let mut server = Duration::ZERO;
        let (pushed_again, pulled) = pull(store, transport, link.space, settings, &mut server)?;
        space.pushed += pushed_again;
        space.pulled = pulled;
        let took = lap(&mut report, format!("{short}: pull, the server's part"));
        if let Some(last) = report.steps.last_mut() {
            last.1 = server;
        }
        report.steps.push((
            format!("{short}: pull, apply the pages"),
            took.saturating_sub(server),
        ));
        report.pushed += space.pushed;
        report.pulled += space.pulled;
        report.spaces.push(space);
    }
    Ok(report)
}

fn person_name(tx: &dyn Transaction, uuid: Uuid) -> Result<String> {
    Ok(tx
        .people(true)?
        .into_iter()
        .find(|p| p.uuid == uuid)
        .map_or_else(|| uuid.to_string(), |p| p.name))
}

/// An email as compared: trimmed, lower case.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The relation of the other member as I see them, from their role.
fn relation_of(role: &str) -> Relation {
    match role {
        "manager" => Relation::Manager,
        "report" => Relation::Report,
        _ => Relation::Peer,
    }
}

/// Links each accepted space to its person (by account, then by email; a member with no
/// person gets one), and gives back the links of the spaces to sync.
fn link_spaces(
    tx: &dyn Transaction,
    remote: &RemoteSpaces,
    settings: &Settings,
    report: &mut Report,
) -> Result<Vec<SyncLink>> {
    let existing: HashMap<Uuid, SyncLink> =
        tx.sync_links()?.into_iter().map(|l| (l.space, l)).collect();
    let mut out = Vec::new();
    for s in &remote.spaces {
        if s.status == "invited" {
            report.invitations.push(Invitation {
                id: s.id,
                with: s
                    .other
                    .name
                    .clone()
                    .unwrap_or_else(|| s.other.email.clone()),
                direction: if s.invited_me { "to me" } else { "from me" },
            });
            continue;
        }
        if !matches!(s.status.as_str(), "active" | "closed") {
            continue;
        }
        let Some(other) = s.other.account else {
            continue;
        };
        let mut link = match existing.get(&s.id) {
            Some(l) if l.server == settings.server => l.clone(),
            Some(l) => {
                return Err(sync_error(format!(
                    "space {} is linked to {} here, not to {} — log in to the server it came from",
                    s.id, l.server, settings.server
                )));
            }
            None => {
                let person = person_for(tx, &s.other, other, settings.now)?;
                SyncLink {
                    space: s.id,
                    server: settings.server.clone(),
                    person: person.uuid,
                    me: remote.me,
                    other,
                    my_role: s.my_role.clone(),
                    cursor: 0,
                    clock: 0,
                    status: s.status.clone(),
                    made: None,
                }
            }
        };
        link.status.clone_from(&s.status);
        if existing.get(&s.id) != Some(&link) {
            tx.put_sync_link(&link)?;
        }
        out.push(link);
    }
    Ok(out)
}

/// The person who is the other member: linked by account, else by email (then linked), else
/// a new one named as the server shows them.
fn person_for(
    tx: &dyn Transaction,
    member: &RemoteMember,
    account: Uuid,
    now: jiff::Timestamp,
) -> Result<Person> {
    let people = tx.people(true)?;
    if let Some(p) = people.iter().find(|p| p.account == Some(account)) {
        return Ok(p.clone());
    }
    let key = email_key(&member.email);
    if let Some(p) = people
        .iter()
        .find(|p| !p.is_me && p.email.as_deref().map(email_key) == Some(key.clone()))
    {
        let mut p = p.clone();
        p.account = Some(account);
        p.archived = false;
        tx.update_person(&p)?;
        return Ok(p);
    }
    let base = member
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| member.email.clone());
    let taken = |n: &str| {
        people
            .iter()
            .any(|p| p.name.to_lowercase() == n.to_lowercase())
    };
    let name = if taken(&base) {
        format!("{base} ({})", member.email)
    } else {
        base
    };
    let mut p = Person::new(&name, relation_of(&member.role), now)?;
    p.email = Some(member.email.clone());
    p.account = Some(account);
    Ok(tx.insert_person(&p)?)
}

/// What the links of a space must translate for the items, meetings and records at hand:
/// references to items (is each shared?), to local meetings (their day) and to the space's
/// meetings (which local one). Only those are read, so that the links cost what is compared,
/// not what the workspace holds.
#[derive(Debug, Default)]
struct Need {
    items: BTreeSet<Uuid>,
    meetings: BTreeSet<Uuid>,
    space_meetings: BTreeSet<Uuid>,
}

impl Need {
    fn item(&mut self, i: &Item) {
        self.items.extend(i.for_item.iter().chain(&i.answers));
        self.meetings.extend(i.meeting);
    }

    fn meeting(&mut self, m: &Meeting) {
        self.items.extend(&m.discussed);
    }

    /// An item record's references (other records refer to nothing the links translate).
    fn record(&mut self, r: &Record) {
        if r.record_type != RecordType::Item {
            return;
        }
        let uuid = |field: &str| r.text(field).and_then(|u| Uuid::try_parse(u).ok());
        self.items
            .extend(uuid("for_item").into_iter().chain(uuid("answers")));
        self.space_meetings.extend(uuid("meeting"));
    }
}

/// The links of one space as the replica mapping sees them, with what `need` names read by
/// key (docs/sync.md, "What a sync reads"); the space's meetings are resolved by
/// [`resolve_meetings`].
fn links_of(tx: &dyn Transaction, link: &SyncLink, need: &Need) -> Result<Links> {
    let people = tx.people(true)?;
    let me = people.iter().find(|p| p.is_me).ok_or_else(|| {
        sync_error("who you are is not recorded — run `upward init --me NAME` first")
    })?;
    let other = people
        .iter()
        .find(|p| p.uuid == link.person)
        .ok_or_else(|| sync_error(format!("the person of space {} is gone", link.space)))?;
    let items: Vec<Uuid> = need.items.iter().copied().collect();
    let meetings: Vec<Uuid> = need.meetings.iter().copied().collect();
    let mut links = Links {
        space: link.space,
        me_account: link.me,
        other_account: link.other,
        me_person: me.uuid,
        other_person: other.uuid,
        other_name: other.name.clone(),
        meetings: if meetings.is_empty() {
            BTreeMap::new()
        } else {
            tx.meeting_days(link.person, Some(&meetings))?
                .into_iter()
                .collect()
        },
        meeting_ids: BTreeMap::new(),
        shared: tx.shared_among(link.person, &items)?.into_iter().collect(),
    };
    links.index_meetings();
    Ok(links)
}

/// Makes the space's meetings `ids` translatable: when one is not among the links' meetings
/// yet (its day is not known here without reading), every meeting of the person is read.
fn resolve_meetings(tx: &dyn Transaction, links: &mut Links, ids: &BTreeSet<Uuid>) -> Result<()> {
    if ids
        .iter()
        .all(|id| links.from_space("meeting", *id).is_some())
    {
        return Ok(());
    }
    links
        .meetings
        .extend(tx.meeting_days(links.other_person, None)?);
    links.index_meetings();
    Ok(())
}

/// What `make_ops` compares with the space: the person's items and meetings that may have
/// changed since the link's mark, or all of them when there is no mark to trust
/// (docs/sync.md, "What a sync reads").
fn to_compare(
    tx: &dyn Transaction,
    link: &SyncLink,
    mark: Option<i64>,
) -> Result<(Vec<Item>, Vec<Meeting>)> {
    let (Some(now), Some(made)) = (mark, link.made) else {
        return everything(tx, link);
    };
    if made > now {
        // A mark from another file (a copy put back): it says nothing about this one.
        return everything(tx, link);
    }
    let changed = tx.changed_since(link.person, made)?;
    // An item written, and those that refer to it (it may have been shared or unshared, or
    // be gone) or to a meeting written (its date may have moved): their references read
    // differently in the space.
    let mut items: BTreeMap<Uuid, Item> = changed.items.into_iter().map(|i| (i.uuid, i)).collect();
    let to: Vec<Uuid> = changed
        .item_keys
        .iter()
        .chain(&changed.meeting_keys)
        .copied()
        .collect();
    if !to.is_empty() {
        for i in tx.items_referring(link.person, &to)? {
            items.entry(i.uuid).or_insert(i);
        }
    }
    let mut items: Vec<Item> = items.into_values().collect();
    items.sort_by_key(|i| i.id);
    // Whole days: the day of a meeting written, and of a meeting that discussed an item
    // written (its being shared decides whether the meeting sends it).
    let meetings = if changed.days.is_empty() && changed.item_keys.is_empty() {
        Vec::new()
    } else {
        tx.meetings_on_days(link.person, &changed.days, &changed.item_keys)?
    };
    Ok((items, meetings))
}

/// Every item and meeting of the link's person.
fn everything(tx: &dyn Transaction, link: &SyncLink) -> Result<(Vec<Item>, Vec<Meeting>)> {
    let items = tx.items(&ItemFilter::of_person(link.person))?;
    let meetings: Vec<Meeting> = tx
        .meetings(None)?
        .into_iter()
        .filter(|m| m.person.uuid == link.person)
        .collect();
    Ok((items, meetings))
}

fn link_of(tx: &dyn Transaction, space: Uuid) -> Result<SyncLink> {
    tx.sync_links()?
        .into_iter()
        .find(|l| l.space == space)
        .ok_or_else(|| sync_error(format!("space {space} is not linked here")))
}

/// A record of the space as this replica folded it.
fn record_of(tx: &dyn Transaction, space: Uuid, id: Uuid) -> Result<Option<Record>> {
    tx.sync_record(space, id)?
        .map(|state| {
            Record::from_bytes(&state)
                .map_err(|e| sync_error(format!("a synced record does not read back: {e}")))
        })
        .transpose()
}

/// Logs an operation made here and folds it into the replica's record.
fn log_op(tx: &dyn Transaction, op: &Op, record: Option<&Record>) -> Result<Record> {
    let folded = admit(record, op).map_err(|e| sync_error(e.to_string()))?;
    tx.put_sync_record(op.space, op.record, &folded.to_bytes())?;
    tx.insert_sync_op(&SyncOp {
        id: op.id,
        space: op.space,
        seq: 0,
        envelope: envelope_bytes(&WireOp::of(op)),
        payload: op.payload_bytes(),
        position: None,
        pushed: false,
        applied: true,
    })?;
    Ok(folded)
}

/// The envelope as the log keeps it: the wire form without its payload.
fn envelope_bytes(w: &WireOp) -> Vec<u8> {
    let e = WireOp {
        payload: String::new(),
        position: None,
        ..w.clone()
    };
    serde_json::to_vec(&e).unwrap_or_default()
}

/// The wire form of a logged operation.
fn wire_of(op: &SyncOp) -> Result<WireOp> {
    use base64::Engine;
    let mut w: WireOp = serde_json::from_slice(&op.envelope).map_err(|e| {
        sync_error(format!(
            "operation {} in the log does not read back: {e}",
            op.id
        ))
    })?;
    w.payload = base64::engine::general_purpose::STANDARD.encode(&op.payload);
    w.position = op.position;
    Ok(w)
}

fn context(link: &SyncLink, settings: &Settings) -> OpContext {
    OpContext {
        space: link.space,
        author: link.me,
        device: settings.device,
        today: settings.today,
        last: Hlc(link.clock),
        wall_ms: settings.wall_ms,
        ids: Ids::Random,
    }
}

/// Makes and logs the operations of what changed here in one space since the replica last
/// saw it. Gives back the warnings (edits of the other member's items that stay local).
pub fn make_ops(tx: &dyn Transaction, space: Uuid, settings: &Settings) -> Result<Vec<String>> {
    let mut link = link_of(tx, space)?;
    let (items, meetings) = to_compare(tx, &link, tx.change_mark()?)?;
    let meetings = one_per_day(tx, &meetings)?;
    // The records compared, read by key, and what the links must translate for them.
    let card = upward_space::model::card_id(space, link.me);
    let mut records: BTreeMap<Uuid, Record> = BTreeMap::new();
    let ids = meetings
        .iter()
        .map(|m| meeting_id(space, m.date))
        .chain(items.iter().map(|i| i.uuid))
        .chain([card]);
    let mut need = Need::default();
    for id in ids {
        if let Some(r) = record_of(tx, space, id)? {
            need.record(&r);
            records.insert(id, r);
        }
    }
    items.iter().for_each(|i| need.item(i));
    meetings.iter().for_each(|m| need.meeting(m));
    let mut links = links_of(tx, &link, &need)?;
    resolve_meetings(tx, &mut links, &need.space_meetings)?;
    let mut ctx = context(&link, settings);
    let mut warnings = Vec::new();
    let emit = |tx: &dyn Transaction,
                records: &mut BTreeMap<Uuid, Record>,
                ctx: &mut OpContext,
                id: Uuid,
                t: RecordType,
                (action, payload): (Action, upward_space::Payload)|
     -> Result<()> {
        let op = ctx.op(id, t, action, payload);
        let folded = log_op(tx, &op, records.get(&id))?;
        records.insert(id, folded);
        Ok(())
    };
    // Meetings first, so that an action agreed at one refers to a meeting the space has.
    for m in meetings {
        let shared = SharedMeeting {
            date: m.date,
            shared_notes: m.shared_notes.clone(),
            discussed: m
                .discussed
                .iter()
                .copied()
                .filter(|u| links.shared.contains(u))
                .collect(),
        };
        let id = meeting_id(space, m.date);
        if let Some(change) = replica::meeting_change(records.get(&id), &shared, &links) {
            emit(tx, &mut records, &mut ctx, id, RecordType::Meeting, change)?;
        }
    }
    for item in &items {
        let rec = records.get(&item.uuid);
        if item.visibility == Visibility::Shared {
            if let Some(change) = replica::item_change(rec, item, &links) {
                emit(
                    tx,
                    &mut records,
                    &mut ctx,
                    item.uuid,
                    RecordType::Item,
                    change,
                )?;
            }
            // The other member's item: what only they change is put back as the space has it
            // (else the copies would differ for good when nothing else touches the record).
            if let Some(r) = records.get(&item.uuid) {
                let fields = replica::edits_of_theirs(r, item, &links);
                if !fields.is_empty()
                    && let Some(mut theirs) = replica::item_of(r, &links, Some(item))
                {
                    for field in fields {
                        warnings.push(format!(
                            "#{} \"{}\": your change of its {field} is undone — it is {}'s, only they change it in the space (its status is yours to set too)",
                            item.id, item.title, links.other_name
                        ));
                    }
                    theirs.visibility = Visibility::Shared;
                    tx.update_item(&theirs)?;
                }
            }
        } else if rec.is_some_and(|r| r.is_visible() && r.author == Some(link.me)) {
            // Unshared: a tombstone in the space.
            emit(
                tx,
                &mut records,
                &mut ctx,
                item.uuid,
                RecordType::Item,
                (Action::Remove, upward_space::Payload::new()),
            )?;
        }
    }
    if records.get(&card).is_some_and(Record::is_visible) {
        let me = tx
            .people(true)?
            .into_iter()
            .find(|p| p.is_me)
            .ok_or_else(|| sync_error("who you are is not recorded"))?;
        if let Some(change) = replica::card_change(records.get(&card), &me) {
            emit(tx, &mut records, &mut ctx, card, RecordType::Card, change)?;
        }
    }
    // What this run wrote itself (an edit of theirs put back, shared notes moved) is
    // compared already: the next sync starts after it. A sync with nothing new writes
    // nothing.
    let made = tx.change_mark()?;
    if link.clock != ctx.last.0 || link.made != made {
        link.clock = ctx.last.0;
        link.made = made;
        tx.put_sync_link(&link)?;
    }
    Ok(warnings)
}

/// The meetings with the person as the space sees them: one per date. The workspace may hold
/// several on one day (`meet` twice, or once after a pull made that day's); the first, where a
/// pull writes, takes the shared notes of the others (moved, once, so that no copy of them is
/// sent twice and the two never overwrite each other at every sync) and all their shared
/// discussions.
fn one_per_day(tx: &dyn Transaction, meetings: &[Meeting]) -> Result<Vec<Meeting>> {
    let mut out: Vec<Meeting> = Vec::new();
    for m in meetings {
        let Some(first) = out.iter_mut().find(|x| x.date == m.date) else {
            out.push(m.clone());
            continue;
        };
        for u in &m.discussed {
            if !first.discussed.contains(u) {
                first.discussed.push(*u);
            }
        }
        let Some(notes) = m.shared_notes.as_deref().filter(|n| !n.trim().is_empty()) else {
            continue;
        };
        let mut moved = m.clone();
        moved.shared_notes = None;
        tx.update_meeting(&moved)?;
        let mut stored = tx
            .meetings_on_days(first.person.uuid, &[first.date], &[])?
            .into_iter()
            .find(|x| x.uuid == first.uuid)
            .ok_or_else(|| sync_error("a meeting vanished during the sync"))?;
        stored.shared_notes = Some(match stored.shared_notes.as_deref().map(str::trim) {
            Some(f) if !f.is_empty() => format!("{f}\n\n{}", notes.trim()),
            _ => notes.trim().to_string(),
        });
        first.shared_notes.clone_from(&stored.shared_notes);
        tx.update_meeting(&stored)?;
    }
    Ok(out)
}

/// Pushes a space's unpushed operations; how many the server did not have.
fn push<S: Store + ?Sized>(
    store: &mut S,
    transport: &mut dyn Transport,
    space: Uuid,
) -> Result<usize> {
    let mut pushed = 0;
    loop {
        let ops = store.read(|tx| tx.unpushed_ops(space))?;
        if ops.is_empty() {
            return Ok(pushed);
        }
        let batch: Vec<SyncOp> = ops.into_iter().take(PUSH_BATCH).collect();
        let wire = batch.iter().map(wire_of).collect::<Result<Vec<_>>>()?;
        let answer = transport.push(space, &wire).map_err(sync_error)?;
        if answer.positions.len() != batch.len() {
            return Err(sync_error(format!(
                "the server answered a push of {} operations with {} positions — nothing was marked sent; sync again",
                batch.len(),
                answer.positions.len()
            )));
        }
        store.write(|tx| {
            for (op, position) in batch.iter().zip(&answer.positions) {
                let mut op = op.clone();
                op.pushed = true;
                op.position = Some(*position);
                tx.update_sync_op(&op)?;
            }
            Ok::<_, AppError>(())
        })?;
        pushed += answer.accepted;
    }
}

/// Pulls a space's operations after the cursor, a page per transaction; how many were new.
fn pull<S: Store + ?Sized>(
    store: &mut S,
    transport: &mut dyn Transport,
    space: Uuid,
    settings: &Settings,
    server: &mut Duration,
) -> Result<(usize, usize)> {
    let mut pulled = 0;
    let mut pushed_again = 0;
    let mut reset = false;
    loop {
        let cursor = store.read(|tx| link_of(tx, space))?.cursor;
        let t = Instant::now();
        let page = transport
            .pull(space, cursor, PULL_PAGE)
            .map_err(sync_error)?;
        *server += t.elapsed();
        if page.head < cursor && !reset {
            // The server's log is shorter than what this replica has seen: it was restored
            // from an older backup, or reset. What this device made is sent again (the server
            // takes what it still has as duplicates) and the space is read from the start.
            reset = true;
            store.write(|tx| resend_after_reset(tx, space, settings.device))?;
            pushed_again += push(store, transport, space)?;
            continue;
        }
        check_page(&page, cursor, space)?;
        pulled += store.write(|tx| apply_page(tx, space, &page, settings))?;
        if !page.more || page.ops.is_empty() {
            return Ok((pushed_again, pulled));
        }
    }
}

/// After a server reset: this device's operations of the space are unpushed again, with no
/// position, and the cursor goes back to the start (applying again changes nothing).
fn resend_after_reset(tx: &dyn Transaction, space: Uuid, device: Uuid) -> Result<usize> {
    let mut link = link_of(tx, space)?;
    let mut again = 0;
    for mut op in tx.sync_ops(space)? {
        let wire = wire_of(&op)?;
        if wire.device == device && wire.author == link.me {
            op.pushed = false;
            op.position = None;
            tx.update_sync_op(&op)?;
            again += 1;
        }
    }
    link.cursor = 0;
    tx.put_sync_link(&link)?;
    Ok(again)
}

/// A page that does not follow the cursor is the server's fault: refused whole.
fn check_page(page: &PullPage, cursor: i64, space: Uuid) -> Result<()> {
    let mut last = cursor;
    for w in &page.ops {
        match w.position {
            Some(p) if p > last => last = p,
            _ => {
                return Err(sync_error(format!(
                    "the server sent operations out of order for space {space} (after position {last}) — nothing was applied; this is the server's fault, tell its operator"
                )));
            }
        }
    }
    if page.last < last || (page.ops.is_empty() && page.last != cursor && page.more) {
        return Err(sync_error(format!(
            "the server's page for space {space} ends at {} before its last operation {last} — nothing was applied",
            page.last
        )));
    }
    Ok(())
}

/// Applies one pulled page and stores the new cursor: one transaction. How many operations
/// were new here.
pub fn apply_page(
    tx: &dyn Transaction,
    space: Uuid,
    page: &PullPage,
    settings: &Settings,
) -> Result<usize> {
    let mut link = link_of(tx, space)?;
    // Nothing written here since the operations were made: what the page writes is the
    // space's own, equal to its records, and the next sync need not compare it again.
    let in_step = link.made.is_some() && link.made == tx.change_mark()?;
    let mut new = 0;
    let mut touched: BTreeSet<Uuid> = BTreeSet::new();
    let mut clock = Hlc(link.clock);
    for w in &page.ops {
        if w.space != space {
            return Err(sync_error(format!(
                "the server sent operation {} of another space into space {space} — refused, nothing was applied",
                w.id
            )));
        }
        if w.author != link.me && w.author != link.other {
            return Err(sync_error(format!(
                "operation {} of space {space} was made by an account that is not a member — refused, nothing was applied",
                w.id
            )));
        }
        let known = tx.sync_op(w.id)?;
        let payload = w.payload_bytes().map_err(|e| {
            sync_error(format!(
                "the server sent a malformed operation: {e} — refused, nothing was applied"
            ))
        })?;
        if let Some(mut k) = known.clone() {
            if envelope_bytes(w) != k.envelope || payload != k.payload {
                return Err(sync_error(format!(
                    "operation {} came back different from the one logged here — a replay or a forgery; refused, nothing was applied",
                    w.id
                )));
            }
            if k.applied || !w.is_readable() {
                if !k.pushed || k.position != w.position {
                    k.pushed = true;
                    k.position = w.position;
                    tx.update_sync_op(&k)?;
                }
                continue;
            }
        }
        let ahead = Hlc(w.clock).ms().saturating_sub(settings.wall_ms);
        if ahead > SKEW_MAX_MS {
            return Err(sync_error(format!(
                "operation {} of space {space} has a clock {} ahead of this machine's — refused, nothing was applied; check this machine's clock, else the server's data is damaged (at most 5 min is accepted)",
                w.id,
                skew(ahead)
            )));
        }
        let mut logged = SyncOp {
            id: w.id,
            space,
            seq: 0,
            envelope: envelope_bytes(w),
            payload,
            position: w.position,
            pushed: true,
            applied: false,
        };
        if w.is_readable() {
            let op = w.to_op().map_err(|e| {
                sync_error(format!(
                    "the server sent an operation that does not read: {e} — nothing was applied"
                ))
            })?;
            let record = match tx.sync_record(space, op.record)? {
                Some(bytes) => {
                    Some(Record::from_bytes(&bytes).map_err(|e| sync_error(e.to_string()))?)
                }
                None => None,
            };
            let folded = admit(record.as_ref(), &op).map_err(|e| {
                sync_error(format!(
                    "the server sent operation {} that this replica refuses: {e} — nothing was applied",
                    w.id
                ))
            })?;
            tx.put_sync_record(space, op.record, &folded.to_bytes())?;
            clock = Hlc::observe(clock, op.clock, settings.wall_ms);
            touched.insert(op.record);
            logged.applied = true;
        }
        if known.is_some() {
            tx.update_sync_op(&logged)?;
        } else {
            tx.insert_sync_op(&logged)?;
            new += 1;
        }
    }
    project(tx, &link, &touched, settings)?;
    link.cursor = page.last.max(link.cursor);
    link.clock = clock.0;
    if in_step {
        link.made = tx.change_mark()?;
    }
    tx.put_sync_link(&link)?;
    Ok(new)
}

/// Writes the records `touched` into the workspace: meetings first, then items, the other
/// member's card and the space's cadence.
fn project(
    tx: &dyn Transaction,
    link: &SyncLink,
    touched: &BTreeSet<Uuid>,
    settings: &Settings,
) -> Result<()> {
    if touched.is_empty() {
        return Ok(());
    }
    let mut records = Vec::new();
    let mut need = Need::default();
    for id in touched {
        if let Some(r) = record_of(tx, link.space, *id)? {
            need.record(&r);
            records.push(r);
        }
    }
    let mut links = links_of(tx, link, &need)?;
    let person = PersonRef {
        uuid: links.other_person,
        name: links.other_name.clone(),
    };
    for rec in records
        .iter()
        .filter(|r| r.record_type == RecordType::Meeting)
    {
        let Some(m) = replica::meeting_of(rec, &links) else {
            continue;
        };
        let mut discussed = Vec::new();
        for u in &m.discussed {
            if tx.item_by_uuid(*u)?.is_some() {
                discussed.push(*u);
            }
        }
        let local = tx
            .meetings_on_days(link.person, &[m.date], &[])?
            .into_iter()
            .next();
        match local.as_ref() {
            Some(local) => {
                let mut changed = local.clone();
                changed.their_notes.clone_from(&m.their_notes);
                changed.shared_notes.clone_from(&m.my_notes);
                for u in discussed {
                    if !changed.discussed.contains(&u) {
                        changed.discussed.push(u);
                    }
                }
                if &changed != local {
                    tx.update_meeting(&changed)?;
                }
            }
            None => {
                let made = tx.insert_meeting(&Meeting {
                    id: 0,
                    uuid: Uuid::new_v4(),
                    person: person.clone(),
                    date: m.date,
                    notes: None,
                    shared_notes: m.my_notes.clone(),
                    their_notes: m.their_notes.clone(),
                    discussed,
                    created_at: settings.now,
                })?;
                links.meetings.insert(made.uuid, made.date);
                links
                    .meeting_ids
                    .insert(meeting_id(link.space, made.date), made.uuid);
            }
        }
    }
    // After the meetings, which a page may have brought with the items agreed at them.
    resolve_meetings(tx, &mut links, &need.space_meetings)?;
    for rec in records.iter().filter(|r| r.record_type == RecordType::Item) {
        let existing = tx.item_by_uuid(rec.id)?;
        if rec.is_visible() {
            let Some(mut item) = replica::item_of(rec, &links, existing.as_ref()) else {
                continue;
            };
            item.visibility = Visibility::Shared;
            match existing {
                Some(e) if e == item => {}
                Some(_) => tx.update_item(&item)?,
                None => {
                    tx.insert_item(&item)?;
                }
            }
        } else if rec.is_removed()
            && let Some(mut e) = existing.filter(|e| e.visibility == Visibility::Shared)
        {
            e.visibility = Visibility::Private;
            if rec.author != Some(link.me) && e.status == Status::Open {
                e.status = Status::Dropped;
                e.done = Some(settings.today);
                e.why = Some(format!("removed from the space by {}", links.other_name));
            }
            e.updated_at = settings.now;
            tx.update_item(&e)?;
        }
    }
    let mut other = tx
        .people(true)?
        .into_iter()
        .find(|p| p.uuid == link.person)
        .ok_or_else(|| sync_error("the person of the space is gone"))?;
    let mut changed = false;
    for rec in &records {
        match rec.record_type {
            RecordType::Card if rec.author == Some(link.other) => {
                changed |= replica::apply_card(rec, &mut other);
            }
            RecordType::Space => {
                let cadence = replica::cadence_of(rec);
                if cadence.is_some() && cadence != other.cadence {
                    other.cadence = cadence;
                    changed = true;
                }
            }
            _ => {}
        }
    }
    if changed {
        other.updated_at = settings.now;
        tx.update_person(&other)?;
    }
    // My card as another of my devices left it: my style here follows, so that this device
    // does not send its older copy back at its next sync.
    let mine = replica::my_card(&links);
    if let Some(rec) = records.iter().find(|r| r.id == mine) {
        let me = tx.people(true)?.into_iter().find(|p| p.is_me);
        if let Some(mut me) = me
            && replica::apply_my_card(rec, &mut me)
        {
            me.updated_at = settings.now;
            tx.update_person(&me)?;
        }
    }
    Ok(())
}

/// What `share` needs to know of an item's person before marking it shared.
pub fn check_shareable(tx: &dyn Transaction, item: &Item) -> Result<SyncLink> {
    let Some(person) = &item.person else {
        return Err(sync_error(format!(
            "#{} has no person — a space is with someone: `upward edit {} --person NAME` first",
            item.id, item.id
        )));
    };
    let p = tx
        .people(true)?
        .into_iter()
        .find(|p| p.uuid == person.uuid)
        .ok_or_else(|| sync_error("the item's person is gone"))?;
    let link = tx.sync_links()?.into_iter().find(|l| l.person == p.uuid);
    match (p.email.as_ref(), link) {
        (_, Some(l)) if l.status == "active" => Ok(l),
        (_, Some(_)) => Err(sync_error(format!(
            "the space with {} is closed — it is read-only; nothing more is shared into it",
            p.name
        ))),
        (None, None) => Err(sync_error(format!(
            "{} has no email, so no space can be found for them — `upward person set \"{}\" email ADDRESS`, then `upward remote invite \"{}\"`",
            p.name, p.name, p.name
        ))),
        (Some(_), None) => Err(sync_error(format!(
            "there is no accepted space with {} yet — `upward remote invite \"{}\"`, or `upward sync` once they accepted",
            p.name, p.name
        ))),
    }
}

/// Marks an item shared, or private (`unshare`), checking first that it has a space to go to.
/// Gives back the item and the space's link.
pub fn share(
    tx: &dyn Transaction,
    id: i64,
    shared: bool,
    now: jiff::Timestamp,
) -> Result<(Item, Option<SyncLink>)> {
    let mut item = tx.item(id)?.ok_or(AppError::NoItem { id })?;
    let link = if shared {
        Some(check_shareable(tx, &item)?)
    } else {
        tx.sync_links()?
            .into_iter()
            .find(|l| item.person.as_ref().is_some_and(|p| p.uuid == l.person))
    };
    // The other member's item stays in the space: a tombstone is its author's to make.
    let theirs = match &link {
        Some(l) if !shared => tx
            .sync_record(l.space, item.uuid)?
            .and_then(|b| Record::from_bytes(&b).ok())
            .is_some_and(|r| r.is_visible() && r.author != Some(l.me)),
        _ => false,
    };
    if theirs {
        let name = item
            .person
            .as_ref()
            .map_or("the other member", |p| p.name.as_str());
        return Err(sync_error(format!(
            "#{} is {name}'s: it came from the space, and only they remove it from there — `upward drop {}` closes it for you both",
            item.id, item.id
        )));
    }
    if shared {
        let removed = match &link {
            Some(l) => tx
                .sync_record(l.space, item.uuid)?
                .and_then(|b| Record::from_bytes(&b).ok())
                .is_some_and(|r| r.is_removed()),
            None => false,
        };
        if removed {
            return Err(sync_error(format!(
                "#{} was unshared before, and a space never brings back what was removed — add it again with --shared to share a new copy",
                item.id
            )));
        }
    }
    let visibility = if shared {
        Visibility::Shared
    } else {
        Visibility::Private
    };
    if item.visibility != visibility {
        item.visibility = visibility;
        item.updated_at = now;
        tx.update_item(&item)?;
    }
    Ok((item, link))
}

/// Shares my "how I like to work" card into every active space: logs its create there (the
/// next sync keeps it up to date and pushes it). How many spaces it went into.
pub fn share_card(tx: &dyn Transaction, settings: &Settings) -> Result<usize> {
    let me = tx
        .people(true)?
        .into_iter()
        .find(|p| p.is_me)
        .ok_or_else(|| {
            sync_error("who you are is not recorded — run `upward init --me NAME` first")
        })?;
    let links: Vec<SyncLink> = tx
        .sync_links()?
        .into_iter()
        .filter(|l| l.status == "active")
        .collect();
    if links.is_empty() {
        return Err(sync_error(
            "there is no accepted space yet — `upward remote invite NAME`, or `upward sync` once an invitation is accepted",
        ));
    }
    for link in &links {
        let id = upward_space::model::card_id(link.space, link.me);
        let record = match tx.sync_record(link.space, id)? {
            Some(b) => Some(Record::from_bytes(&b).map_err(|e| sync_error(e.to_string()))?),
            None => None,
        };
        if record.as_ref().is_some_and(|r| r.created.is_some()) {
            continue;
        }
        let Some(change) = replica::card_change(None, &me) else {
            continue;
        };
        let mut ctx = context(link, settings);
        let op = ctx.op(id, RecordType::Card, change.0, change.1);
        log_op(tx, &op, record.as_ref())?;
        let mut l = link.clone();
        l.clock = ctx.last.0;
        tx.put_sync_link(&l)?;
    }
    Ok(links.len())
}

/// What `remote status` shows of the workspace's side: per space, the operations waiting to
/// be pushed and the cursor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkStatus {
    pub space: Uuid,
    pub server: String,
    pub person: String,
    pub status: String,
    pub unpushed: usize,
    pub cursor: i64,
}

pub fn status(tx: &dyn Transaction) -> Result<Vec<LinkStatus>> {
    let mut out = Vec::new();
    for l in tx.sync_links()? {
        out.push(LinkStatus {
            space: l.space,
            server: l.server.clone(),
            person: person_name(tx, l.person)?,
            status: l.status.clone(),
            unpushed: tx.unpushed_ops(l.space)?.len(),
            cursor: l.cursor,
        });
    }
    Ok(out)
}

/// The link of a person, by name as typed (`remote leave NAME`).
pub fn link_of_person(tx: &dyn Transaction, name: &str) -> Result<SyncLink> {
    let p = crate::people::resolve(tx, name)?;
    tx.sync_links()?
        .into_iter()
        .find(|l| l.person == p.uuid)
        .ok_or_else(|| {
            sync_error(format!(
                "there is no space with {} here — `upward remote status` lists them",
                p.name
            ))
        })
}
