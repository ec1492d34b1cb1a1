//! A space seen by one of its two members (docs/space.md#the-view): its records as upward's
//! domain — a [`Snapshot`] in which the caller is me and the other member is the person — so
//! that the agenda is the one `prep --shared` computes, and so are follow-through, what needs
//! the member, an item's JSON and the export document.

use crate::error::{Result, SpaceError};
use crate::model::{RecordType, card_id, item_of_record};
use crate::op::Op;
use crate::record::Record;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use upward_domain::workflow::prep::{Agenda, Audience};
use upward_domain::{
    Channel, Clock, Duration, Item, Kind, Meeting, Person, PersonRef, Relation, Snapshot, Status,
    UpdateSent,
};
use uuid::Uuid;

/// One record of a space with its `seq`: the position of the first operation that made it
/// (the store's `RecordRow.seq`), the small number shown as its id.
#[derive(Debug, Clone, PartialEq)]
pub struct SpaceRecord {
    pub seq: i64,
    pub record: Record,
}

/// The records of one space, removed ones included.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Space {
    pub id: Uuid,
    records: BTreeMap<Uuid, SpaceRecord>,
}

impl Space {
    pub fn new(id: Uuid) -> Space {
        Space {
            id,
            records: BTreeMap::new(),
        }
    }

    /// A space of records with their seqs.
    pub fn from_records(id: Uuid, records: impl IntoIterator<Item = (i64, Record)>) -> Space {
        Space {
            id,
            records: records
                .into_iter()
                .map(|(seq, record)| (record.id, SpaceRecord { seq, record }))
                .collect(),
        }
    }

    /// A space of stored records: each one's seq and state bytes (`RecordRow.seq`, `.state`).
    pub fn from_states<'a>(
        id: Uuid,
        rows: impl IntoIterator<Item = (i64, &'a [u8])>,
    ) -> Result<Space> {
        let records = rows
            .into_iter()
            .map(|(seq, state)| Record::from_bytes(state).map(|r| (seq, r)))
            .collect::<Result<Vec<_>>>()?;
        Ok(Space::from_records(id, records))
    }

    /// Folds `op` in: into its record, made (with `seq` = `position`, the operation's place in
    /// the log) when it is the record's first. Whether anything changed. An operation of
    /// another space changes nothing.
    pub fn apply(&mut self, op: &Op, position: i64) -> bool {
        if op.space != self.id {
            return false;
        }
        let entry = self
            .records
            .entry(op.record)
            .or_insert_with(|| SpaceRecord {
                seq: position,
                record: Record::new(op.record, op.record_type),
            });
        entry.record.apply(op)
    }

    /// A record by id, removed or not.
    pub fn record(&self, id: Uuid) -> Option<&Record> {
        self.records.get(&id).map(|r| &r.record)
    }

    pub fn get(&self, id: Uuid) -> Option<&SpaceRecord> {
        self.records.get(&id)
    }

    /// The record shown with `seq` (what a member types or clicks).
    pub fn by_seq(&self, seq: i64) -> Option<&SpaceRecord> {
        self.records.values().find(|r| r.seq == seq)
    }

    /// Every record, removed ones included, in seq order.
    pub fn records(&self) -> Vec<&SpaceRecord> {
        let mut all: Vec<&SpaceRecord> = self.records.values().collect();
        all.sort_by_key(|r| (r.seq, r.record.id));
        all
    }

    /// The visible records of a type, in seq order.
    pub fn visible(&self, record_type: RecordType) -> impl Iterator<Item = &SpaceRecord> {
        self.records()
            .into_iter()
            .filter(move |r| r.record.record_type == record_type && r.record.is_visible())
    }

    /// The space's cadence (how often the two meet), when set.
    pub fn cadence(&self) -> Option<Duration> {
        self.record(self.id)
            .filter(|r| r.is_visible())
            .and_then(|r| r.text("cadence"))
            .and_then(|c| c.parse().ok())
    }
}

/// A member's role in the space.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Report,
    Manager,
    Peer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Report => "report",
            Role::Manager => "manager",
            Role::Peer => "peer",
        }
    }

    /// The other member's role.
    pub fn counterpart(self) -> Role {
        match self {
            Role::Report => Role::Manager,
            Role::Manager => Role::Report,
            Role::Peer => Role::Peer,
        }
    }

    /// How someone of this role relates to the other member.
    pub fn relation(self) -> Relation {
        match self {
            Role::Report => Relation::Report,
            Role::Manager => Relation::Manager,
            Role::Peer => Relation::Peer,
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Role {
    type Err = SpaceError;
    fn from_str(s: &str) -> Result<Role> {
        match s.trim().to_lowercase().as_str() {
            "report" => Ok(Role::Report),
            "manager" => Ok(Role::Manager),
            "peer" => Ok(Role::Peer),
            _ => Err(SpaceError::Invalid(format!(
                "role `{s}` is not valid — accepted: report, manager, peer"
            ))),
        }
    }
}

/// One member of a space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub account: Uuid,
    pub email: String,
    pub name: String,
    /// Their own role: `Report` for the report of a report–manager pair.
    pub role: Role,
}

/// The two members, from where one of them (`me`) stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Members {
    pub me: Member,
    pub other: Member,
}

impl Members {
    /// The member of `account`.
    pub fn by_account(&self, account: Uuid) -> Option<&Member> {
        [&self.me, &self.other]
            .into_iter()
            .find(|m| m.account == account)
    }

    /// The same two, seen from the other.
    pub fn swapped(&self) -> Members {
        Members {
            me: self.other.clone(),
            other: self.me.clone(),
        }
    }
}

/// One member's follow-through on the actions they own (docs/space.md#follow-through).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SideFollowThrough {
    pub account: Uuid,
    pub email: String,
    pub name: String,
    /// Done on or before the due date first committed to, or done with no due date.
    pub done_on_time: usize,
    pub done_late: usize,
    pub open: usize,
    /// Of the open ones, those past their due date.
    pub overdue: usize,
}

/// What needs a member in a space, for their home (docs/space.md#what-needs-you).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NeedsYou {
    /// Their own open actions past their due date, most overdue first.
    #[serde(serialize_with = "items_as_json")]
    pub my_overdue_actions: Vec<Item>,
    /// Open topics the other member added after the last 1:1 (all of theirs before the
    /// first), oldest first.
    #[serde(serialize_with = "items_as_json")]
    pub their_new_topics: Vec<Item>,
    pub last_meeting: Option<Date>,
    /// The last 1:1 plus the space's cadence; today when they never met and the space has a
    /// cadence; none without a cadence.
    pub next_meeting_due: Option<Date>,
}

fn items_as_json<S: serde::Serializer>(
    items: &[Item],
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let mut seq = s.serialize_seq(Some(items.len()))?;
    for item in items {
        seq.serialize_element(&item.to_json())?;
    }
    seq.end()
}

/// The instant the people of a space's view carry: the oldest, so that importing an export
/// never replaces a person one already has (`import --merge` keeps the newer version).
const PERSON_TIME: Timestamp = Timestamp::UNIX_EPOCH;

/// A member as the domain's person: the account's id and name, the style of their card.
fn person(space: &Space, member: &Member, relation: Relation) -> Person {
    let mut p = Person::new("member", relation, PERSON_TIME)
        .expect("a fixed valid name always makes a person");
    p.name.clone_from(&member.name);
    p.uuid = member.account;
    p.cadence = None;
    if let Some(card) = space
        .record(card_id(space.id, member.account))
        .filter(|r| r.is_visible())
    {
        let get = |f: &str| card.get(f).cloned().unwrap_or(Value::Null);
        p.channel = serde_json::from_value(get("channel")).ok().flatten();
        p.length = serde_json::from_value(get("length")).ok().flatten();
        p.decides_by = serde_json::from_value(get("decides_by")).ok().flatten();
        p.feedback = serde_json::from_value(get("feedback")).ok().flatten();
        p.cadence = serde_json::from_value(get("cadence")).ok().flatten();
    }
    p
}

/// The space as `members.me` sees it: me (relation `self`), the other member as the person
/// (manager when I am the report, report when I am the manager, else peer; their style from
/// their card; the space's cadence as theirs), and the visible items, meetings and updates
/// with the other as their person. Ids are the records' seqs.
pub fn snapshot(space: &Space, members: &Members) -> (Snapshot, Person) {
    let mut me = person(space, &members.me, Relation::Myself);
    me.is_me = true;
    let mut other = person(space, &members.other, members.other.role.relation());
    other.cadence = space.cadence();
    let other_ref = other.to_ref();

    let items = items(space, members, &other_ref);
    let known: HashSet<Uuid> = items.iter().map(|i| i.uuid).collect();
    let meetings: Vec<Meeting> = space
        .visible(RecordType::Meeting)
        .filter_map(|r| meeting(r, members, &other_ref, &known))
        .collect();
    let updates: Vec<UpdateSent> = space
        .visible(RecordType::Update)
        .filter_map(|r| update(r, members, &other_ref))
        .collect();
    let meeting_ids: HashSet<Uuid> = meetings.iter().map(|m| m.uuid).collect();
    let items = items
        .into_iter()
        .map(|mut i| {
            // A link to what is not shown (not made yet, or removed) reads as none.
            i.meeting = i.meeting.filter(|m| meeting_ids.contains(m));
            i.for_item = i.for_item.filter(|u| known.contains(u));
            i.answers = i.answers.filter(|u| known.contains(u));
            i.confirmed_by = i
                .confirmed_by
                .filter(|u| *u == members.me.account || *u == members.other.account);
            i
        })
        .collect();
    let snap = Snapshot {
        people: vec![me, other.clone()],
        items,
        meetings,
        updates,
        reflections: Vec::new(),
    };
    (snap, other)
}

fn items(space: &Space, members: &Members, other: &PersonRef) -> Vec<Item> {
    space
        .visible(RecordType::Item)
        .filter_map(|r| item_of_record(&r.record, r.seq, members.me.account, Some(other.clone())))
        .collect()
}

/// A text two people may have written, as one: each part prefixed by its author's name.
fn by_name(name: &str, text: &str) -> String {
    format!("{name}: {text}")
}

fn meeting(
    r: &SpaceRecord,
    members: &Members,
    other: &PersonRef,
    known: &HashSet<Uuid>,
) -> Option<Meeting> {
    let rec = &r.record;
    let date: Date = rec.text("date")?.parse().ok()?;
    let notes: Vec<String> = [&members.me, &members.other]
        .into_iter()
        .filter_map(|m| {
            rec.text(&format!("notes:{}", m.account))
                .filter(|n| !n.trim().is_empty())
                .map(|n| by_name(&m.name, n))
        })
        .collect();
    let mut discussed: Vec<(crate::op::OpKey, Uuid)> = rec
        .fields
        .iter()
        .filter(|(_, (v, _))| v == &Value::Bool(true))
        .filter_map(|(k, (_, key))| {
            let id = Uuid::try_parse(k.strip_prefix("discussed:")?).ok()?;
            known.contains(&id).then_some((*key, id))
        })
        .collect();
    discussed.sort();
    Some(Meeting {
        id: r.seq,
        uuid: rec.id,
        person: other.clone(),
        date,
        notes: (!notes.is_empty()).then(|| notes.join("\n\n")),
        shared_notes: None,
        their_notes: None,
        discussed: discussed.into_iter().map(|(_, id)| id).collect(),
        created_at: rec.created?.clock.timestamp(),
    })
}

fn update(r: &SpaceRecord, members: &Members, other: &PersonRef) -> Option<UpdateSent> {
    let rec = &r.record;
    let text = rec.text("text").map(|t| match rec.author {
        Some(a) if a == members.other.account => by_name(&members.other.name, t),
        _ => t.to_string(),
    });
    Some(UpdateSent {
        id: r.seq,
        uuid: rec.id,
        person: other.clone(),
        date: rec.text("date")?.parse().ok()?,
        channel: rec.text("channel")?.parse::<Channel>().ok()?,
        text,
        created_at: rec.created?.clock.timestamp(),
    })
}

/// The shared agenda of the space for `members.me`: the domain's agenda for the next 1:1
/// with the other member, for [`Audience::Shared`] (no coaching) — the same function as
/// `prep --shared`.
pub fn agenda(space: &Space, members: &Members, clock: &Clock) -> Agenda {
    let (snap, other) = snapshot(space, members);
    upward_domain::workflow::prep::agenda(&snap, &other, clock, Audience::Shared)
}

/// Each member's follow-through on the actions they own, `members.me` first: done on time
/// (on or before the due date first committed to, by the domain's rule), done late, open, and
/// of those overdue. Dropped actions are not counted.
pub fn follow_through(space: &Space, members: &Members, today: Date) -> [SideFollowThrough; 2] {
    let (snap, _) = snapshot(space, members);
    follow_through_in(&snap, space, members, today)
}

/// What a space's page shows that needs the space's snapshot: the agenda, both sides'
/// follow-through and every item's JSON, from one snapshot (each alone makes its own).
pub struct Overview {
    pub agenda: Agenda,
    pub follow_through: [SideFollowThrough; 2],
    pub items: Vec<Value>,
}

/// [`agenda`], [`follow_through`] and [`items_json`] from one snapshot.
pub fn overview(space: &Space, members: &Members, clock: &Clock) -> Overview {
    let (snap, other) = snapshot(space, members);
    Overview {
        agenda: upward_domain::workflow::prep::agenda(&snap, &other, clock, Audience::Shared),
        follow_through: follow_through_in(&snap, space, members, clock.today),
        items: items_json_in(&snap, space, members),
    }
}

fn follow_through_in(
    snap: &Snapshot,
    space: &Space,
    members: &Members,
    today: Date,
) -> [SideFollowThrough; 2] {
    let side = |m: &Member, owned: &dyn Fn(&Item) -> bool| {
        let mut f = SideFollowThrough {
            account: m.account,
            email: m.email.clone(),
            name: m.name.clone(),
            done_on_time: 0,
            done_late: 0,
            open: 0,
            overdue: 0,
        };
        for i in snap
            .items
            .iter()
            .filter(|i| i.kind == Kind::Action && owned(i))
        {
            match i.status {
                Status::Done if i.kept_on_time(i.done.unwrap_or(i.created)) => f.done_on_time += 1,
                Status::Done => f.done_late += 1,
                Status::Open => {
                    f.open += 1;
                    if i.due.is_some_and(|d| d < today) {
                        f.overdue += 1;
                    }
                }
                Status::Dropped => {}
            }
        }
        f
    };
    let owner = |i: &Item| owner_account(space, i.uuid);
    [
        side(&members.me, &|i| owner(i) == Some(members.me.account)),
        side(&members.other, &|i| owner(i) == Some(members.other.account)),
    ]
}

fn owner_account(space: &Space, item: Uuid) -> Option<Uuid> {
    space
        .record(item)
        .and_then(|r| r.text("owner"))
        .and_then(|u| Uuid::try_parse(u).ok())
}

/// What needs `members.me` in the space as of `today`: their overdue actions, the topics the
/// other added since the last 1:1, and when the next 1:1 is due by the space's cadence.
pub fn needs_you(space: &Space, members: &Members, today: Date) -> NeedsYou {
    let (snap, other) = snapshot(space, members);
    let last_meeting = snap.last_meeting(other.uuid);
    let mut my_overdue_actions: Vec<Item> = snap
        .items
        .iter()
        .filter(|i| i.kind == Kind::Action && i.is_open())
        .filter(|i| i.due.is_some_and(|d| d < today))
        .filter(|i| owner_account(space, i.uuid) == Some(members.me.account))
        .cloned()
        .collect();
    my_overdue_actions.sort_by_key(|i| (i.due, i.id));
    let mut their_new_topics: Vec<Item> = snap
        .items
        .iter()
        .filter(|i| i.kind == Kind::Topic && i.is_open())
        .filter(|i| last_meeting.is_none_or(|m| i.created > m))
        .filter(|i| space.record(i.uuid).and_then(|r| r.author) == Some(members.other.account))
        .cloned()
        .collect();
    their_new_topics.sort_by_key(|i| (i.created, i.id));
    let cadence = space.cadence();
    let next_meeting_due = match (last_meeting, cadence) {
        (Some(m), Some(c)) => Some(c.after(m)),
        (None, Some(_)) => Some(today),
        (_, None) => None,
    };
    NeedsYou {
        my_overdue_actions,
        their_new_topics,
        last_meeting,
        next_meeting_due,
    }
}

/// The item shape of the command line (`show --json`: the domain's item JSON) for the item
/// `record` as `members.me` sees it, plus `author` (the email of the member who made it) and
/// `owner_email` (an action's owner; null otherwise). `None` when it is not a visible item.
pub fn item_json(space: &Space, members: &Members, record: Uuid) -> Option<Value> {
    let (snap, _) = snapshot(space, members);
    item_json_in(&snap, space, members, record)
}

/// [`item_json`] of every visible item, in seq order: the space's snapshot made once for all
/// (made per item, a page of a space with a few hundred items took seconds).
pub fn items_json(space: &Space, members: &Members) -> Vec<Value> {
    let (snap, _) = snapshot(space, members);
    items_json_in(&snap, space, members)
}

fn items_json_in(snap: &Snapshot, space: &Space, members: &Members) -> Vec<Value> {
    space
        .visible(RecordType::Item)
        .filter_map(|r| item_json_in(snap, space, members, r.record.id))
        .collect()
}

fn item_json_in(snap: &Snapshot, space: &Space, members: &Members, record: Uuid) -> Option<Value> {
    let item = snap.item_by_uuid(record)?;
    let mut json = item.to_json();
    let email = |account: Option<Uuid>| {
        account
            .and_then(|a| members.by_account(a))
            .map_or(Value::Null, |m| m.email.clone().into())
    };
    let rec = space.record(record)?;
    json["author"] = email(rec.author);
    json["owner_email"] = if item.kind.fields().contains(&"owner") {
        email(owner_account(space, record))
    } else {
        Value::Null
    };
    Some(json)
}

/// The whole space as an upward export document (the current format version, what `upward import
/// --merge` reads) for `members.me`: the other member as the one person, every visible item,
/// meeting (both members' notes, each prefixed by its author's name) and update, exported at
/// `exported`.
pub fn export(space: &Space, members: &Members, exported: Timestamp) -> Value {
    let (mut snap, other) = snapshot(space, members);
    // The document's one person is the other member: who confirmed is them, or not said.
    for item in &mut snap.items {
        item.confirmed_by = item.confirmed_by.filter(|u| *u == other.uuid);
    }
    let doc = upward_domain::export::Export {
        format: upward_domain::export::FORMAT.to_string(),
        version: upward_domain::export::VERSION,
        exported,
        people: vec![other],
        items: snap.items,
        meetings: snap.meetings,
        updates: snap.updates,
        reflections: Vec::new(),
        effects: Vec::new(),
        declines: Vec::new(),
        removed: Vec::new(),
    };
    serde_json::to_value(&doc).expect("an export always serializes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::*;
    use crate::model::{self, ItemStatus, NewAction};
    use crate::op::Action;
    use serde_json::json;
    use upward_domain::export::Export;
    use upward_domain::{ItemInput, Owner};

    /// Three weeks of a report (Alex) and their manager (Dana) in a space; each step's date
    /// is the day it happened.
    struct Story {
        w: World,
        offsite: Uuid,
        headcount: Uuid,
        budget: Uuid,
        promo: Uuid,
        send_plan: Uuid,
        intro: Uuid,
        win: Uuid,
        gone: Uuid,
    }

    fn story() -> Story {
        let mut w = World::new("2026-11-10");
        w.by(ALEX, |c, s| {
            model::set_cadence(c, s, Some(Duration::days(7)))
        });
        w.by(DANA, |c, s| {
            model::set_card(c, s, &[("channel", "chat"), ("length", "brief")])
        });
        let offsite = w.by(ALEX, |c, _| model::new_topic(c, "Offsite", Some("Dates?")));
        let headcount = w.by(DANA, |c, _| model::new_topic(c, "Headcount", None));
        let gone = w.by(ALEX, |c, _| model::new_topic(c, "Never mind", None));
        w.by(ALEX, |c, s| model::remove(c, s, gone));
        let send_plan = w.by(ALEX, |c, _| {
            model::new_action(c, "Send the plan", ALEX, Some(day("2026-11-12")), None)
        });
        let write_doc = w.by(ALEX, |c, _| {
            model::new_action(c, "Write the doc", ALEX, Some(day("2026-11-20")), None)
        });
        let moved = w.by(ALEX, |c, _| {
            model::new_action(c, "Migrate", ALEX, Some(day("2026-11-15")), None)
        });
        w.on("2026-11-13");
        let intro = NewAction {
            title: "Intro to infra".into(),
            owner: DANA,
            due: Some(day("2026-11-20")),
        };
        w.by(ALEX, |c, s| {
            model::record_meeting(
                c,
                s,
                day("2026-11-13"),
                Some("Good talk"),
                &[offsite],
                vec![intro],
            )
        });
        w.by(DANA, |c, s| {
            model::record_meeting(c, s, day("2026-11-13"), Some("Alex to own Q1"), &[], vec![])
        });
        let intro = w
            .space
            .visible(RecordType::Item)
            .find(|r| r.record.text("title") == Some("Intro to infra"))
            .map(|r| r.record.id)
            .unwrap();
        w.on("2026-11-14");
        w.by(ALEX, |c, s| {
            model::set_status(c, s, send_plan, ItemStatus::Done, day("2026-11-14"))
        });
        let later = ItemInput {
            due: Some(day("2026-11-22")),
            ..ItemInput::default()
        };
        w.by(ALEX, |c, s| model::edit_item(c, s, moved, later, None));
        w.on("2026-11-16");
        let budget = w.by(DANA, |c, _| model::new_topic(c, "Budget", None));
        let promo = w.by(ALEX, |c, _| model::new_topic(c, "Promo case", None));
        w.by(DANA, |c, s| {
            model::set_status(c, s, headcount, ItemStatus::Parked, day("2026-11-16"))
        });
        let shipped = ItemInput {
            title: Some("Shipped search".into()),
            impact: Some("p95 halved".into()),
            ..ItemInput::default()
        };
        let win = w.by(ALEX, |c, _| model::new_item(c, Kind::Win, shipped));
        w.by(ALEX, |c, _| {
            model::new_update(c, day("2026-11-16"), Channel::Email, Some("Weekly"))
        });
        w.on("2026-11-18");
        w.by(ALEX, |c, s| {
            model::set_status(c, s, write_doc, ItemStatus::Done, day("2026-11-18"))
        });
        w.on("2026-11-21");
        w.by(ALEX, |c, s| {
            model::set_status(c, s, moved, ItemStatus::Done, day("2026-11-21"))
        });
        w.on("2026-11-25");
        Story {
            w,
            offsite,
            headcount,
            budget,
            promo,
            send_plan,
            intro,
            win,
            gone,
        }
    }

    fn item(snap: &Snapshot, id: Uuid) -> &Item {
        snap.item_by_uuid(id).expect("the item is shown")
    }

    #[test]
    fn the_overview_is_what_agenda_follow_through_and_items_json_give_alone() {
        let s = story();
        let clock = Clock::fixed("2026-11-25").unwrap();
        for who in [ALEX, DANA] {
            let m = members_of(who);
            let o = overview(&s.w.space, &m, &clock);
            assert_eq!(
                serde_json::to_value(&o.agenda).unwrap(),
                serde_json::to_value(agenda(&s.w.space, &m, &clock)).unwrap()
            );
            assert_eq!(
                o.follow_through,
                follow_through(&s.w.space, &m, clock.today)
            );
            assert_eq!(o.items, items_json(&s.w.space, &m));
            assert!(!o.items.is_empty());
        }
    }

    #[test]
    fn the_other_member_is_the_person_and_the_caller_is_me() {
        let s = story();
        let (snap, dana) = snapshot(&s.w.space, &members_of(ALEX));
        let me = snap.me().unwrap();
        assert_eq!(
            (me.uuid, me.name.as_str(), me.relation),
            (ALEX, "Alex Kim", Relation::Myself)
        );
        assert_eq!((dana.uuid, dana.relation), (DANA, Relation::Manager));
        assert_eq!(snap.manager().map(|m| m.uuid), Some(DANA));
        assert_eq!(
            (dana.channel, dana.length, dana.cadence),
            (
                Some(Channel::Chat),
                Some(upward_domain::Length::Brief),
                Some(Duration::days(7))
            )
        );
        let (_, alex) = snapshot(&s.w.space, &members_of(DANA));
        assert_eq!(
            (alex.uuid, alex.relation, alex.channel),
            (ALEX, Relation::Report, None)
        );
        let mut peers = members_of(ALEX);
        peers.me.role = Role::Peer;
        peers.other.role = Role::Peer;
        assert_eq!(snapshot(&s.w.space, &peers).1.relation, Relation::Peer);
    }

    #[test]
    fn items_read_as_the_domains_from_where_the_caller_stands() {
        let s = story();
        let (snap, dana) = snapshot(&s.w.space, &members_of(ALEX));
        assert!(snap.item_by_uuid(s.gone).is_none(), "removed");
        let offsite = item(&snap, s.offsite);
        assert_eq!(
            (offsite.status, offsite.done, offsite.discussed),
            (
                Status::Done,
                Some(day("2026-11-13")),
                Some(day("2026-11-13"))
            ),
            "discussed is done, with the date"
        );
        let headcount = item(&snap, s.headcount);
        assert_eq!(
            (headcount.status, headcount.done),
            (Status::Dropped, None),
            "parked"
        );
        assert_eq!(item(&snap, s.intro).owner, Some(Owner::Them));
        assert_eq!(item(&snap, s.send_plan).owner, Some(Owner::Me));
        let (dana_snap, _) = snapshot(&s.w.space, &members_of(DANA));
        assert_eq!(item(&dana_snap, s.intro).owner, Some(Owner::Me));
        for i in &snap.items {
            assert_eq!(i.person.as_ref().map(|p| p.uuid), Some(dana.uuid));
            assert_eq!(i.visibility, upward_domain::Visibility::Shared);
            assert_eq!(
                Some(i.id),
                s.w.space.get(i.uuid).map(|r| r.seq),
                "id is the seq"
            );
        }
        let m = &snap.meetings[0];
        assert_eq!(
            (m.date, m.discussed.as_slice()),
            (day("2026-11-13"), &[s.offsite][..])
        );
        assert_eq!(
            m.notes.as_deref(),
            Some("Alex Kim: Good talk\n\nDana Whitfield: Alex to own Q1")
        );
        assert_eq!(item(&snap, s.intro).meeting, Some(m.uuid));
        let (dana_snap, _) = snapshot(&s.w.space, &members_of(DANA));
        assert_eq!(
            dana_snap.meetings[0].notes.as_deref(),
            Some("Dana Whitfield: Alex to own Q1\n\nAlex Kim: Good talk"),
            "the caller's notes first"
        );
        assert_eq!(snap.updates[0].text.as_deref(), Some("Weekly"));
        assert_eq!(
            dana_snap.updates[0].text.as_deref(),
            Some("Alex Kim: Weekly")
        );
    }

    /// The agenda lines of a section, as text.
    fn lines(a: &Agenda, key: &str) -> Vec<String> {
        a.section(key)
            .map(|s| {
                s.items
                    .iter()
                    .map(|i| format!("{} | {}", i.text, i.reason))
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn the_agenda_is_prep_shared_over_the_space() {
        let s = story();
        let clock = Clock::fixed("2026-11-25").unwrap();
        let a = agenda(&s.w.space, &members_of(ALEX), &clock);
        assert!(a.shared);
        assert_eq!(a.person, "Dana Whitfield");
        assert_eq!(
            lines(&a, "follow_up"),
            [
                "Intro to infra | Dana Whitfield's action, overdue by 5 days",
                "Budget | topic added 9 days ago (2026-11-16)",
                "Promo case | topic added 9 days ago (2026-11-16)",
            ]
        );
        assert_eq!(
            lines(&a, "wins"),
            ["Shipped search — p95 halved | won 9 days ago (2026-11-16), not yet discussed"]
        );
        assert!(a.section("know_them").is_none() && a.section("relationship").is_none());
        let ids: Vec<Option<i64>> = a.sections[0].items.iter().map(|i| i.id).collect();
        let seqs: Vec<Option<i64>> = [s.intro, s.budget, s.promo]
            .iter()
            .map(|u| s.w.space.get(*u).map(|r| r.seq))
            .collect();
        assert_eq!(ids, seqs);
        let theirs = agenda(&s.w.space, &members_of(DANA), &clock);
        assert_eq!(theirs.person, "Alex Kim");
        assert_eq!(
            lines(&theirs, "follow_up")[0],
            "Intro to infra | my action, overdue by 5 days"
        );
    }

    #[test]
    fn follow_through_counts_each_sides_actions() {
        let s = story();
        let [alex, dana] = follow_through(&s.w.space, &members_of(ALEX), day("2026-11-25"));
        assert_eq!(
            (
                alex.account,
                alex.done_on_time,
                alex.done_late,
                alex.open,
                alex.overdue
            ),
            (ALEX, 1, 2, 0, 0),
            "the plan done after its date, and Migrate after the date first committed to"
        );
        assert_eq!(
            (
                dana.account,
                dana.done_on_time,
                dana.done_late,
                dana.open,
                dana.overdue
            ),
            (DANA, 0, 0, 1, 1)
        );
        let [d, a] = follow_through(&s.w.space, &members_of(DANA), day("2026-11-25"));
        assert_eq!((d, a), (dana, alex), "the same figures from either side");
        let [_, dana] = follow_through(&s.w.space, &members_of(ALEX), day("2026-11-20"));
        assert_eq!(
            (dana.open, dana.overdue),
            (1, 0),
            "due today is not overdue"
        );
    }

    #[test]
    fn what_needs_each_member() {
        let s = story();
        let today = day("2026-11-25");
        let dana = needs_you(&s.w.space, &members_of(DANA), today);
        let uuids = |items: &[Item]| items.iter().map(|i| i.uuid).collect::<Vec<_>>();
        assert_eq!(uuids(&dana.my_overdue_actions), [s.intro]);
        assert_eq!(
            uuids(&dana.their_new_topics),
            [s.promo],
            "Alex's, since the 1:1, open"
        );
        assert_eq!(dana.last_meeting, Some(day("2026-11-13")));
        assert_eq!(dana.next_meeting_due, Some(day("2026-11-20")));
        let alex = needs_you(&s.w.space, &members_of(ALEX), today);
        assert_eq!(uuids(&alex.my_overdue_actions), Vec::<Uuid>::new());
        assert_eq!(uuids(&alex.their_new_topics), [s.budget]);
        let json = serde_json::to_value(&alex).unwrap();
        assert_eq!(json["their_new_topics"][0]["title"], "Budget");
        assert_eq!(json["next_meeting_due"], "2026-11-20");

        let mut fresh = World::new("2026-11-25");
        let t = fresh.by(ALEX, |c, _| model::new_topic(c, "First", None));
        let n = needs_you(&fresh.space, &members_of(DANA), today);
        assert_eq!(
            (uuids(&n.their_new_topics), n.next_meeting_due),
            (vec![t], None)
        );
        fresh.by(DANA, |c, s| {
            model::set_cadence(c, s, Some(Duration::days(14)))
        });
        let n = needs_you(&fresh.space, &members_of(DANA), today);
        assert_eq!(n.next_meeting_due, Some(today), "never met: due now");
    }

    #[test]
    fn item_json_is_the_command_lines_with_author_and_owner_emails() {
        let s = story();
        let m = members_of(DANA);
        let json = item_json(&s.w.space, &m, s.send_plan).unwrap();
        let (snap, _) = snapshot(&s.w.space, &m);
        let mut cli = item(&snap, s.send_plan).to_json();
        cli["author"] = json!("alex@example.com");
        cli["owner_email"] = json!("alex@example.com");
        assert_eq!(json, cli);
        assert_eq!(json["owner"], "them");
        assert_eq!(json["status"], "done");
        let topic = item_json(&s.w.space, &m, s.budget).unwrap();
        assert_eq!(
            (&topic["author"], &topic["owner_email"]),
            (&json!("dana@example.com"), &Value::Null)
        );
        assert!(topic.get("owner").is_none(), "a topic has no owner field");
        assert!(item_json(&s.w.space, &m, s.gone).is_none());
        let meeting = model::meeting_id(SPACE, day("2026-11-13"));
        assert!(item_json(&s.w.space, &m, meeting).is_none(), "not an item");
    }

    #[test]
    fn the_export_is_a_document_import_merge_accepts() {
        let s = story();
        let exported = Timestamp::from_second(1_796_000_000).unwrap();
        let doc = export(&s.w.space, &members_of(ALEX), exported);
        let text = serde_json::to_string_pretty(&doc).unwrap();
        let parsed = Export::parse(&text).expect("a valid export");
        assert_eq!(
            (parsed.version, parsed.exported),
            (upward_domain::export::VERSION, exported)
        );
        assert_eq!(parsed.people.len(), 1);
        assert_eq!(
            (parsed.people[0].uuid, parsed.people[0].relation),
            (DANA, Relation::Manager)
        );
        assert_eq!(
            parsed.items.len(),
            9,
            "every item shown; the removed one left out"
        );
        assert_eq!(parsed.meetings.len(), 1);
        assert_eq!(parsed.updates.len(), 1);

        // Into an empty workspace: everything comes in, with its ids.
        let plan = parsed.merge_plan(&Snapshot::default());
        assert_eq!((plan.people.len(), plan.items_added.len()), (1, 9));
        assert_eq!(
            plan.meetings[0].notes.as_deref(),
            Some("Alex Kim: Good talk\n\nDana Whitfield: Alex to own Q1")
        );
        assert_eq!(plan.links[0].discussed, [s.offsite]);

        // Into Alex's own upward, where Dana is already (another uuid, a profile): she stays
        // as she is and the space's records are filed under her.
        let now = Timestamp::from_second(1_790_000_000).unwrap();
        let me = Person::new("Alex Kim", Relation::Myself, now).unwrap();
        let mut local_dana = Person::new("Dana Whitfield", Relation::Manager, now).unwrap();
        local_dana.goals = Some("Ship the platform".into());
        let local = Snapshot {
            people: vec![me, local_dana.clone()],
            ..Snapshot::default()
        };
        let plan = parsed.merge_plan(&local);
        assert!(plan.people.is_empty() && plan.people_updated.is_empty());
        assert!(
            plan.items_added
                .iter()
                .all(|i| i.person.as_ref().map(|p| p.uuid) == Some(local_dana.uuid))
        );
        let win = plan.items_added.iter().find(|i| i.uuid == s.win).unwrap();
        assert_eq!((win.kind, win.status), (Kind::Win, Status::Done));
        let intro = plan.items_added.iter().find(|i| i.uuid == s.intro).unwrap();
        assert_eq!(
            (intro.owner, intro.meeting),
            (Some(Owner::Them), Some(plan.meetings[0].uuid))
        );
    }

    // ---- whatever a log holds ----

    /// Candidate fields per record type, good and bad values mixed.
    fn candidates(t: RecordType) -> Vec<(String, Value)> {
        let v = |pairs: &[(&str, Value)]| -> Vec<(String, Value)> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect()
        };
        match t {
            RecordType::Item => v(&[
                ("kind", json!("topic")),
                ("kind", json!("action")),
                ("kind", json!("win")),
                ("kind", json!("priority")),
                ("kind", json!("bogus")),
                ("title", json!("A title")),
                ("title", json!("")),
                ("title", Value::Null),
                ("body", json!("text")),
                ("status", json!({"status": "done", "on": "2026-11-20"})),
                ("status", json!({"status": "discussed", "on": "2026-11-20"})),
                ("status", json!({"status": "parked", "on": null})),
                ("status", json!({"status": "done", "on": "0999-01-01"})),
                ("status", json!("open")),
                ("created", json!("2026-11-01")),
                ("due", json!("2026-11-20")),
                ("due", json!("later")),
                ("owner", json!(ALEX.to_string())),
                ("owner", json!(Uuid::from_u128(3).to_string())),
                (
                    "meeting",
                    json!(model::meeting_id(SPACE, day("2026-11-13")).to_string()),
                ),
                ("for_item", json!(Uuid::from_u128(1).to_string())),
                ("confirmed_by", json!(ALEX.to_string())),
                ("confirmed", json!("2026-11-02")),
                ("rank", json!(2)),
                ("severity", json!("high")),
                ("tags", json!(["a", "b"])),
                ("renegotiated", json!(2)),
                ("original_due", json!("2026-11-10")),
                ("discussed", json!("2026-11-13")),
            ]),
            RecordType::Meeting => v(&[
                ("date", json!("2026-11-13")),
                ("date", json!("2026-11-14")),
                (&format!("notes:{ALEX}"), json!("mine")),
                (&format!("notes:{DANA}"), json!("theirs")),
                (&format!("discussed:{}", Uuid::from_u128(1)), json!(true)),
                (&format!("discussed:{}", Uuid::from_u128(2)), json!(false)),
            ]),
            RecordType::Update => v(&[
                ("date", json!("2026-11-13")),
                ("channel", json!("chat")),
                ("channel", json!("pigeon")),
                ("text", json!("Weekly")),
            ]),
            RecordType::Card => v(&[
                ("channel", json!("video")),
                ("length", json!("detailed")),
                ("cadence", json!("2w")),
                ("cadence", json!("often")),
            ]),
            RecordType::Space => v(&[("cadence", json!("1w")), ("cadence", Value::Null)]),
        }
    }

    fn arbitrary_op(n: usize, pick: (u8, u8, u8, u8, Vec<u8>)) -> Op {
        let (target, action, author, clock, fields) = pick;
        let author = if author % 2 == 0 { ALEX } else { DANA };
        let (record, record_type) = match target % 8 {
            0..=2 => (
                Uuid::from_u128(u128::from(target % 8) + 1),
                RecordType::Item,
            ),
            3 => (
                model::meeting_id(SPACE, day("2026-11-13")),
                RecordType::Meeting,
            ),
            4 => (
                model::meeting_id(SPACE, day("2026-11-14")),
                RecordType::Meeting,
            ),
            5 => (Uuid::from_u128(10), RecordType::Update),
            6 => (model::card_id(SPACE, author), RecordType::Card),
            _ => (SPACE, RecordType::Space),
        };
        let action = match action % 8 {
            0..=2 => Action::Create,
            3..=6 => Action::Set,
            _ => Action::Remove,
        };
        let pool = candidates(record_type);
        let mut payload: crate::Payload = fields
            .iter()
            .map(|f| pool[usize::from(*f) % pool.len()].clone())
            .collect();
        // Most creates carry what their record is shown with, so that most logs show records.
        if action == Action::Create {
            let kinds = ["topic", "action", "win", "goal", "priority", "risk"];
            let date = if target % 8 == 4 {
                "2026-11-14"
            } else {
                "2026-11-13"
            };
            let base = match record_type {
                RecordType::Item => {
                    json!({"kind": kinds[usize::from(clock) % kinds.len()], "title": "Title"})
                }
                RecordType::Meeting => json!({"date": date}),
                RecordType::Update => json!({"date": date, "channel": "email"}),
                _ => json!({}),
            };
            if let Value::Object(base) = base {
                for (k, v) in base {
                    payload.entry(k).or_insert(v);
                }
            }
        }
        if action == Action::Remove {
            payload.clear();
        }
        Op {
            id: Uuid::from_u128(0x9000 + n as u128),
            space: SPACE,
            record,
            record_type,
            action,
            author,
            device: SERVER,
            clock: crate::Hlc::new(WALL + u64::from(clock), 0),
            protocol: crate::PROTOCOL,
            payload,
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

        /// Whatever well-made operations a log holds, every view reads it without a panic,
        /// and the export is always a document `import` accepts.
        #[test]
        fn every_view_reads_any_log_of_checked_operations(
            picks in proptest::collection::vec(
                (0u8..8, 0u8..8, 0u8..2, 0u8..20, proptest::collection::vec(0u8..40, 1..5)),
                1..60,
            )
        ) {
            let mut space = Space::new(SPACE);
            for (n, pick) in picks.into_iter().enumerate() {
                let op = arbitrary_op(n, pick);
                if op.check().is_ok() {
                    space.apply(&op, n as i64 + 1);
                }
            }
            let clock = Clock::fixed("2026-11-25").unwrap();
            for who in [ALEX, DANA] {
                let m = members_of(who);
                agenda(&space, &m, &clock);
                follow_through(&space, &m, clock.today);
                needs_you(&space, &m, clock.today);
                for r in space.records() {
                    item_json(&space, &m, r.record.id);
                }
                let doc = export(&space, &m, clock.now).to_string();
                if let Err(e) = Export::parse(&doc) {
                    proptest::prop_assert!(false, "{e}: {doc}");
                }
            }
        }
    }
}
