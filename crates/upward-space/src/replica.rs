//! A workspace as a replica of its spaces (docs/sync.md): what a shared item, a meeting and my
//! card become in a space, which operations a local change makes, and what a space's record
//! becomes in the workspace. Pure: the sync use case reads and writes, this decides.
//!
//! A shared item's record has the item's own UUID. Its references are translated both ways:
//! a local meeting becomes the space's meeting of that date (`meeting_id`), the local person
//! who confirmed something becomes their account, and a reference to an item that is not
//! shared is left out, so that no private UUID ever leaves.
//!
//! A local change is found by comparing the item with its record *read back the same way*
//! (record → item → fields), so that only what the user changed makes an operation, never
//! a difference of representation, and a sync with nothing changed makes none.

use crate::model::{
    ANYONES_FIELDS, CARD_FIELDS, ItemStatus, RecordType, card_id, item_fields, item_of_record,
    meeting_id,
};
use crate::op::{Action, OpKey, Payload};
use crate::record::Record;
use jiff::civil::Date;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use upward_domain::{Duration, Item, Kind, Owner, Person, PersonRef, Status};
use uuid::Uuid;

/// Who is who in one space, on both sides, and what may be referred to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Links {
    pub space: Uuid,
    /// My account, and the other member's.
    pub me_account: Uuid,
    pub other_account: Uuid,
    /// My person in the workspace (`is_me`), and the person who is the other member.
    pub me_person: Uuid,
    pub other_person: Uuid,
    /// The other member's name as the workspace knows them.
    pub other_name: String,
    /// My meetings with the other member: local meeting UUID → its date.
    pub meetings: BTreeMap<Uuid, Date>,
    /// An index of `meetings` by the space's meeting id (`meeting_id` of its date) → local
    /// meeting UUID, made by [`Links::index_meetings`]: a lookup that misses it scans
    /// `meetings`, so a meeting added to `meetings` alone is still found.
    pub meeting_ids: BTreeMap<Uuid, Uuid>,
    /// The items shared with the other member (the same UUID in the space).
    pub shared: BTreeSet<Uuid>,
}

impl Links {
    /// Fills `meeting_ids` from `meetings` (a space's reference to a meeting is then found
    /// without hashing every meeting's date).
    pub fn index_meetings(&mut self) {
        self.meeting_ids = self
            .meetings
            .iter()
            .map(|(m, d)| (meeting_id(self.space, *d), *m))
            .collect();
    }

    /// A local reference as the space holds it, or `None` when it must not leave.
    pub fn to_space(&self, field: &str, id: Uuid) -> Option<Uuid> {
        match field {
            "meeting" => self.meetings.get(&id).map(|d| meeting_id(self.space, *d)),
            "confirmed_by" if id == self.me_person => Some(self.me_account),
            "confirmed_by" if id == self.other_person => Some(self.other_account),
            "for_item" | "answers" => self.shared.contains(&id).then_some(id),
            _ => None,
        }
    }

    /// A space's reference as the workspace holds it, or `None` when it has no counterpart
    /// here (yet).
    pub fn from_space(&self, field: &str, id: Uuid) -> Option<Uuid> {
        match field {
            "meeting" => self.meeting_ids.get(&id).copied().or_else(|| {
                self.meetings
                    .iter()
                    .find(|(_, d)| meeting_id(self.space, **d) == id)
                    .map(|(m, _)| *m)
            }),
            "confirmed_by" if id == self.me_account => Some(self.me_person),
            "confirmed_by" if id == self.other_account => Some(self.other_person),
            "for_item" | "answers" => Some(id),
            _ => None,
        }
    }

    fn person(&self) -> PersonRef {
        PersonRef {
            uuid: self.other_person,
            name: self.other_name.clone(),
        }
    }
}

/// The references an item may hold, translated between workspace and space.
const REFERENCES: [&str; 4] = ["meeting", "confirmed_by", "for_item", "answers"];

/// The fields of a shared item's record: the space's fields of the item, its owner as an
/// account, its references translated (left out when they must not leave).
pub fn item_payload(item: &Item, links: &Links) -> Payload {
    let owner = item.owner.map(|o| match o {
        Owner::Me => links.me_account,
        Owner::Them => links.other_account,
    });
    let mut fields = item_fields(item, owner);
    // A topic discussed reads back discussed on its status's date at the latest
    // (`item_of_record`): sent so, a topic closed here compares equal to its record read back.
    if item.kind == Kind::Topic
        && item.status == Status::Done
        && let Some(on) = item.discussed.max(item.done)
    {
        fields.insert("discussed".into(), on.to_string().into());
    }
    for name in REFERENCES {
        let translated = fields
            .get(name)
            .and_then(Value::as_str)
            .and_then(|u| Uuid::try_parse(u).ok())
            .and_then(|u| links.to_space(name, u));
        match translated {
            Some(u) => fields.insert(name.to_string(), u.to_string().into()),
            None => fields.remove(name),
        };
    }
    fields
}

/// The item a record of the space becomes in the workspace: that person's, shared, with
/// the local id of `existing` (0 for a new one) and its `created_at`. `None` when the record
/// is not a readable item yet (a set before its create).
pub fn item_of(record: &Record, links: &Links, existing: Option<&Item>) -> Option<Item> {
    let mut item = item_of_record(
        record,
        existing.map_or(0, |i| i.id),
        links.me_account,
        Some(links.person()),
    )?;
    item.meeting = item.meeting.and_then(|u| links.from_space("meeting", u));
    item.confirmed_by = item
        .confirmed_by
        .and_then(|u| links.from_space("confirmed_by", u));
    // A dropped item keeps the date it had (a dropped win its date, which `reopen` gives
    // back): the status's `on`, as `item_payload` sent it.
    if item.status == Status::Dropped {
        item.done = record
            .get("status")
            .and_then(crate::model::ItemStatus::parse_value)
            .and_then(|(_, on)| on);
    }
    if let Some(e) = existing {
        item.created_at = e.created_at;
    }
    Some(item)
}

/// The operation a shared item needs, if any: a create when the space has not seen it, else a
/// set of the fields that differ from its record read back (only those the author may set
/// when the record is the other member's: its status, and what a 1:1 recorded of it).
/// `None`: nothing to send (or the record was removed: a removed record never comes back).
pub fn item_change(
    record: Option<&Record>,
    item: &Item,
    links: &Links,
) -> Option<(Action, Payload)> {
    let mut desired = item_payload(item, links);
    // A topic ticked here is discussed on its date, and reads back from its record with that
    // `discussed` date (`item_of_record`): compare like with like, or every sync would send
    // `discussed` again.
    if let Some((ItemStatus::Discussed, Some(on))) =
        desired.get("status").and_then(ItemStatus::parse_value)
    {
        let at = desired
            .get("discussed")
            .and_then(Value::as_str)
            .and_then(|d| d.parse::<Date>().ok());
        if at.is_none_or(|d| d < on) {
            desired.insert("discussed".into(), on.to_string().into());
        }
    }
    let Some(rec) = record else {
        return Some((Action::Create, desired));
    };
    if rec.is_removed() {
        return None;
    }
    if rec.created.is_none() {
        return Some((Action::Create, desired));
    }
    let mine = rec.author == Some(links.me_account);
    let mut changed = Payload::new();
    // The record as it reads back once the change is folded in: a field read back depends on
    // others (a discussed topic reads as discussed on its status's date), so a change of one
    // may show a difference in another, which goes in the same operation (else each sync would
    // find one more to send).
    let mut after = rec.clone();
    for _ in 0..4 {
        let base = item_of(&after, links, Some(item))
            .map_or_else(Payload::new, |i| item_payload(&i, links));
        let names: BTreeSet<&String> = desired.keys().chain(base.keys()).collect();
        let mut more = false;
        for name in names {
            if !mine && !ANYONES_FIELDS.contains(&name.as_str()) {
                continue;
            }
            let want = desired.get(name).unwrap_or(&Value::Null);
            if base.get(name).unwrap_or(&Value::Null) != want {
                changed.insert(name.clone(), want.clone());
                more = true;
            }
        }
        if !more {
            break;
        }
        let last = OpKey {
            clock: crate::hlc::Hlc(u64::MAX),
            device: Uuid::max(),
            id: Uuid::max(),
        };
        for (name, value) in &changed {
            after.fields.insert(name.clone(), (value.clone(), last));
        }
    }
    (!changed.is_empty()).then_some((Action::Set, changed))
}

/// [`item_change`] and, when it is `None`, [`edits_of_theirs`].
pub fn item_check(
    record: Option<&Record>,
    item: &Item,
    links: &Links,
) -> (Option<(Action, Payload)>, Vec<String>) {
    let change = item_change(record, item, links);
    let theirs = match (&change, record) {
        (None, Some(r)) => edits_of_theirs(r, item, links),
        _ => Vec::new(),
    };
    (change, theirs)
}

/// Whether the workspace's copy of the other member's item differs from their record in a
/// field only they may change (such an edit stays local and the next pull replaces it).
pub fn edits_of_theirs(record: &Record, item: &Item, links: &Links) -> Vec<String> {
    if record.author == Some(links.me_account) || !record.is_visible() {
        return Vec::new();
    }
    let desired = item_payload(item, links);
    let base =
        item_of(record, links, Some(item)).map_or_else(Payload::new, |i| item_payload(&i, links));
    let names: BTreeSet<&String> = desired.keys().chain(base.keys()).collect();
    names
        .into_iter()
        .filter(|n| !ANYONES_FIELDS.contains(&n.as_str()))
        .filter(|n| desired.get(*n) != base.get(*n))
        .cloned()
        .collect()
}

/// What of a local meeting goes into the space: its shared notes and the shared items it
/// discussed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedMeeting {
    pub date: Date,
    pub shared_notes: Option<String>,
    /// Shared items it discussed.
    pub discussed: Vec<Uuid>,
}

/// The operation a meeting needs, if any: my notes on it and the shared items discussed at
/// it, never un-discussing what either member recorded. A meeting with nothing shared sends
/// nothing at all (not even that it happened).
pub fn meeting_change(
    record: Option<&Record>,
    m: &SharedMeeting,
    links: &Links,
) -> Option<(Action, Payload)> {
    let notes_field = format!("notes:{}", links.me_account);
    let notes = m
        .shared_notes
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let mut fields = Payload::new();
    let rec = record.filter(|r| r.created.is_some());
    let current_notes = rec.and_then(|r| r.text(&notes_field));
    if notes != current_notes {
        fields.insert(notes_field, notes.map_or(Value::Null, |n| n.into()));
    }
    for id in &m.discussed {
        let f = format!("discussed:{id}");
        if rec.and_then(|r| r.get(&f)) != Some(&Value::Bool(true)) {
            fields.insert(f, Value::Bool(true));
        }
    }
    match rec {
        Some(_) if fields.is_empty() => None,
        Some(_) => Some((Action::Set, fields)),
        None => {
            fields.retain(|_, v| !v.is_null());
            if fields.is_empty() {
                return None;
            }
            fields.insert("date".into(), m.date.to_string().into());
            Some((Action::Create, fields))
        }
    }
}

/// What a meeting record of the space holds for the workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingOfSpace {
    pub date: Date,
    /// My notes (written on another of my devices, or here).
    pub my_notes: Option<String>,
    /// The other member's notes.
    pub their_notes: Option<String>,
    /// The items discussed, by either member.
    pub discussed: Vec<Uuid>,
}

/// A meeting record read for the workspace; `None` when it is not a readable meeting.
pub fn meeting_of(record: &Record, links: &Links) -> Option<MeetingOfSpace> {
    if record.record_type != RecordType::Meeting || !record.is_visible() {
        return None;
    }
    let date: Date = record.text("date")?.parse().ok()?;
    let notes = |a: Uuid| {
        record
            .text(&format!("notes:{a}"))
            .map(str::to_string)
            .filter(|n| !n.trim().is_empty())
    };
    let mut discussed: Vec<(crate::op::OpKey, Uuid)> = record
        .fields
        .iter()
        .filter(|(_, (v, _))| v == &Value::Bool(true))
        .filter_map(|(k, (_, key))| {
            Some((*key, Uuid::try_parse(k.strip_prefix("discussed:")?).ok()?))
        })
        .collect();
    discussed.sort();
    Some(MeetingOfSpace {
        date,
        my_notes: notes(links.me_account),
        their_notes: notes(links.other_account),
        discussed: discussed.into_iter().map(|(_, u)| u).collect(),
    })
}

/// My card's fields from my own style (`trust` never leaves).
pub fn card_payload(me: &Person) -> Payload {
    let v = |x: Result<Value, serde_json::Error>| x.unwrap_or(Value::Null);
    Payload::from([
        ("channel".to_string(), v(serde_json::to_value(me.channel))),
        ("length".to_string(), v(serde_json::to_value(me.length))),
        (
            "decides_by".to_string(),
            v(serde_json::to_value(me.decides_by)),
        ),
        ("feedback".to_string(), v(serde_json::to_value(me.feedback))),
        ("cadence".to_string(), v(serde_json::to_value(me.cadence))),
    ])
}

/// The operation my card needs: a create when `share card` first shares it, then a set of
/// the style fields that changed. `None` when nothing changed.
pub fn card_change(record: Option<&Record>, me: &Person) -> Option<(Action, Payload)> {
    let mut fields = card_payload(me);
    match record.filter(|r| r.created.is_some()) {
        Some(rec) => {
            fields.retain(|k, v| rec.get(k).unwrap_or(&Value::Null) != v);
            (!fields.is_empty()).then_some((Action::Set, fields))
        }
        None => {
            fields.retain(|_, v| !v.is_null());
            // A card with nothing on it still says it is shared.
            if fields.is_empty() {
                fields.insert("channel".into(), Value::Null);
            }
            Some((Action::Create, fields))
        }
    }
}

/// The id of my card in the space.
pub fn my_card(links: &Links) -> Uuid {
    card_id(links.space, links.me_account)
}

/// The other member's card, onto their person: the style fields it holds (each one the card
/// has; the others are left as the workspace had them).
pub fn apply_card(record: &Record, person: &mut Person) -> bool {
    card_onto(record, person, false)
}

/// My own card as another of my devices wrote it, onto my person: every style field the card
/// has ever set, a cleared one (`null`) too, so that my devices agree on my style and none of
/// them sends its older copy back over the newer one.
pub fn apply_my_card(record: &Record, me: &mut Person) -> bool {
    card_onto(record, me, true)
}

fn card_onto(record: &Record, person: &mut Person, cleared_too: bool) -> bool {
    if record.record_type != RecordType::Card || !record.is_visible() {
        return false;
    }
    let before = person.clone();
    for name in CARD_FIELDS {
        let value = match record.fields.get(name) {
            Some((v, _)) if cleared_too || !v.is_null() => v.clone(),
            _ => continue,
        };
        match name {
            "channel" => person.channel = serde_json::from_value(value).ok().flatten(),
            "length" => person.length = serde_json::from_value(value).ok().flatten(),
            "decides_by" => person.decides_by = serde_json::from_value(value).ok().flatten(),
            "feedback" => person.feedback = serde_json::from_value(value).ok().flatten(),
            _ => person.cadence = serde_json::from_value(value).ok().flatten(),
        }
    }
    *person != before
}

/// The space's cadence, from its `space` record.
pub fn cadence_of(record: &Record) -> Option<Duration> {
    (record.record_type == RecordType::Space && record.is_visible())
        .then(|| record.text("cadence")?.parse().ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::*;
    use crate::hlc::Hlc;
    use crate::model::{Ids, OpContext};
    use crate::op::Op;
    use upward_domain::ItemInput;

    const ME_PERSON: Uuid = Uuid::from_u128(0xAAAA);
    const DANA_PERSON: Uuid = Uuid::from_u128(0xDDDD);

    fn links() -> Links {
        Links {
            space: SPACE,
            me_account: ALEX,
            other_account: DANA,
            me_person: ME_PERSON,
            other_person: DANA_PERSON,
            other_name: "Dana".into(),
            meetings: BTreeMap::new(),
            meeting_ids: BTreeMap::new(),
            shared: BTreeSet::new(),
        }
    }

    fn ctx(author: Uuid) -> OpContext {
        OpContext {
            space: SPACE,
            author,
            device: Uuid::from_u128(0xDE),
            today: day("2026-11-25"),
            last: Hlc::ZERO,
            wall_ms: WALL,
            ids: Ids::Counter(0x9000),
        }
    }

    fn topic(title: &str) -> Item {
        let input = ItemInput {
            title: Some(title.into()),
            ..ItemInput::default()
        };
        let clock = upward_domain::Clock::new(jiff::Timestamp::UNIX_EPOCH, day("2026-11-20"));
        let mut item = Item::new(Kind::Topic, input, &clock, 1).expect("a valid topic");
        item.uuid = Uuid::from_u128(0x7070);
        item.person = Some(PersonRef {
            uuid: DANA_PERSON,
            name: "Dana".into(),
        });
        item
    }

    fn fold(
        rec: Option<Record>,
        ctx: &mut OpContext,
        item: Uuid,
        change: (Action, Payload),
    ) -> Record {
        let op: Op = ctx.op(item, RecordType::Item, change.0, change.1);
        op.check().expect("a well-made operation");
        let mut r = rec.unwrap_or_else(|| Record::new(item, RecordType::Item));
        r.apply(&op);
        r
    }

    #[test]
    fn a_new_shared_item_is_one_create_and_nothing_changed_sends_nothing() {
        let l = links();
        let item = topic("Offsite plans");
        let change = item_change(None, &item, &l).expect("a create");
        assert_eq!(change.0, Action::Create);
        assert_eq!(change.1["title"], "Offsite plans");
        assert!(!change.1.contains_key("person") && !change.1.contains_key("visibility"));
        let rec = fold(None, &mut ctx(ALEX), item.uuid, change);
        assert_eq!(item_change(Some(&rec), &item, &l), None);
        // And read back, the record is the same item.
        let back = item_of(&rec, &l, Some(&item)).unwrap();
        assert_eq!(
            (back.title.as_str(), back.status, back.uuid),
            ("Offsite plans", Status::Open, item.uuid)
        );
        assert_eq!(item_change(Some(&rec), &back, &l), None);
    }

    #[test]
    fn an_edit_sends_only_the_fields_that_changed_and_theirs_only_the_status() {
        let l = links();
        let item = topic("Offsite plans");
        let rec = fold(
            None,
            &mut ctx(ALEX),
            item.uuid,
            item_change(None, &item, &l).unwrap(),
        );
        let mut edited = item.clone();
        edited.title = "Offsite in March".into();
        let (action, fields) = item_change(Some(&rec), &edited, &l).unwrap();
        assert_eq!(action, Action::Set);
        assert_eq!(
            fields,
            Payload::from([("title".to_string(), "Offsite in March".into())])
        );

        // The same record made by Dana: my title edit stays here, my tick goes.
        let theirs = fold(
            None,
            &mut ctx(DANA),
            item.uuid,
            item_change(None, &item, &l).unwrap(),
        );
        assert_eq!(item_change(Some(&theirs), &edited, &l), None);
        assert_eq!(
            edits_of_theirs(&theirs, &edited, &l),
            vec!["title".to_string()]
        );
        assert_eq!(
            item_check(Some(&theirs), &edited, &l),
            (None, vec!["title".to_string()])
        );
        assert_eq!(item_check(Some(&rec), &edited, &l).1, Vec::<String>::new());
        let mut ticked = item.clone();
        ticked.status = Status::Done;
        ticked.done = Some(day("2026-11-24"));
        ticked.discussed = Some(day("2026-11-24"));
        let (_, fields) = item_change(Some(&theirs), &ticked, &l).unwrap();
        assert!(
            fields.keys().all(|k| ANYONES_FIELDS.contains(&k.as_str())),
            "{fields:?}"
        );
        assert!(fields.contains_key("status"));
    }

    #[test]
    fn a_topic_closed_here_reads_back_the_same_and_sends_nothing_more() {
        // Found by the sync property test: the record of a discussed topic reads back with
        // `discussed` on its date, which the topic closed here did not have, so every sync
        // sent `discussed: null` again, and never converged.
        let l = links();
        let mut item = topic("Offsite plans");
        let clock = upward_domain::Clock::new(jiff::Timestamp::UNIX_EPOCH, day("2026-11-23"));
        item.finish(day("2026-11-23"), &clock).unwrap();
        assert_eq!(item.discussed, None);
        let mut c = ctx(ALEX);
        let rec = fold(
            None,
            &mut c,
            item.uuid,
            item_change(None, &item, &l).unwrap(),
        );
        assert_eq!(item_change(Some(&rec), &item, &l), None);
        let back = item_of(&rec, &l, Some(&item)).unwrap();
        assert_eq!(back.discussed, Some(day("2026-11-23")));
        assert_eq!(item_change(Some(&rec), &back, &l), None);
        // Discussed again at a later 1:1 here: that date goes.
        let mut later = item.clone();
        later.discussed = Some(day("2026-11-30"));
        let (_, fields) = item_change(Some(&rec), &later, &l).unwrap();
        assert_eq!(fields["discussed"], "2026-11-30");
    }

    #[test]
    fn a_dropped_win_reads_back_with_its_date_and_sends_nothing_more() {
        // Found by the sync property test: a dropped win keeps its date (`done`), sent as
        // its status's `on`, but read back without it, so every sync sent the status again.
        let l = links();
        let clock = upward_domain::Clock::new(jiff::Timestamp::UNIX_EPOCH, day("2026-11-23"));
        let input = ItemInput {
            title: Some("Shipped".into()),
            ..ItemInput::default()
        };
        let mut win = Item::new(Kind::Win, input, &clock, 1).unwrap();
        win.person = topic("x").person;
        let mut c = ctx(ALEX);
        let rec = fold(None, &mut c, win.uuid, item_change(None, &win, &l).unwrap());
        win.drop_with(Some("not now".into()), &clock).unwrap();
        let (action, fields) = item_change(Some(&rec), &win, &l).unwrap();
        assert_eq!(action, Action::Set);
        let rec = fold(Some(rec), &mut c, win.uuid, (action, fields));
        assert_eq!(item_change(Some(&rec), &win, &l), None);
        let back = item_of(&rec, &l, Some(&win)).unwrap();
        assert_eq!((back.status, back.done), (Status::Dropped, win.done));
        assert_eq!(item_change(Some(&rec), &back, &l), None);
    }

    #[test]
    fn a_topic_reopened_here_sends_what_it_reads_back_as_in_one_operation() {
        // Found by the sync property test: a topic discussed (by the other member's tick,
        // which sets only its status) and reopened here read back as open and no longer
        // discussed; the reopening sent only the status, and the next sync then the
        // discussed date: every sync had one more operation to send.
        let l = links();
        let mut c = ctx(DANA);
        let item = topic("Offsite plans");
        let rec = fold(
            None,
            &mut c,
            item.uuid,
            item_change(None, &item, &l).unwrap(),
        );
        let tick = Payload::from([(
            "status".to_string(),
            crate::model::ItemStatus::Discussed.value(Some(day("2026-11-23"))),
        )]);
        let rec = fold(Some(rec), &mut c, item.uuid, (Action::Set, tick));
        let mut here = item_of(&rec, &l, Some(&item)).unwrap();
        assert_eq!(here.discussed, Some(day("2026-11-23")));
        let clock = upward_domain::Clock::new(jiff::Timestamp::UNIX_EPOCH, day("2026-11-23"));
        here.reopen(&clock).unwrap();
        let change = item_change(Some(&rec), &here, &l).unwrap();
        assert!(change.1.contains_key("discussed"), "{change:?}");
        let rec = fold(Some(rec), &mut c, item.uuid, change);
        assert_eq!(item_change(Some(&rec), &here, &l), None);
    }

    #[test]
    fn private_references_never_leave_and_meetings_become_the_spaces() {
        let mut l = links();
        let local_meeting = Uuid::from_u128(0x3333);
        l.meetings.insert(local_meeting, day("2026-11-24"));
        let mut item = topic("Plan");
        item.meeting = Some(local_meeting);
        item.answers = Some(Uuid::from_u128(0x4444)); // a private item
        let fields = item_payload(&item, &l);
        assert_eq!(
            fields["meeting"],
            meeting_id(SPACE, day("2026-11-24")).to_string()
        );
        assert!(!fields.contains_key("answers"));
        let rec = fold(None, &mut ctx(ALEX), item.uuid, (Action::Create, fields));
        assert_eq!(
            item_of(&rec, &l, None).unwrap().meeting,
            Some(local_meeting)
        );
        // The same through the index of meetings, and a meeting added after it is made.
        l.index_meetings();
        assert_eq!(l.meeting_ids.len(), 1);
        let later = Uuid::from_u128(0x5555);
        l.meetings.insert(later, day("2026-11-25"));
        for (local, date) in [(local_meeting, "2026-11-24"), (later, "2026-11-25")] {
            let id = meeting_id(SPACE, day(date));
            assert_eq!(l.from_space("meeting", id), Some(local));
        }
        assert_eq!(l.from_space("meeting", Uuid::from_u128(0x6666)), None);
    }

    #[test]
    fn a_removed_record_is_never_shared_again() {
        let l = links();
        let item = topic("Plan");
        let mut c = ctx(ALEX);
        let mut rec = fold(
            None,
            &mut c,
            item.uuid,
            item_change(None, &item, &l).unwrap(),
        );
        let rm = c.op(item.uuid, RecordType::Item, Action::Remove, Payload::new());
        rec.apply(&rm);
        assert_eq!(item_change(Some(&rec), &item, &l), None);
    }

    #[test]
    fn a_meeting_sends_my_shared_notes_and_shared_items_and_nothing_when_private() {
        let l = links();
        let m = SharedMeeting {
            date: day("2026-11-24"),
            shared_notes: None,
            discussed: vec![],
        };
        assert_eq!(meeting_change(None, &m, &l), None);
        let item = Uuid::from_u128(0x7070);
        let m = SharedMeeting {
            date: day("2026-11-24"),
            shared_notes: Some("Went well".into()),
            discussed: vec![item],
        };
        let (action, fields) = meeting_change(None, &m, &l).unwrap();
        assert_eq!(action, Action::Create);
        assert_eq!(fields[&format!("notes:{ALEX}")], "Went well");
        assert_eq!(fields[&format!("discussed:{item}")], true);
        let mut c = ctx(ALEX);
        let id = meeting_id(SPACE, m.date);
        let op = c.op(id, RecordType::Meeting, action, fields);
        op.check().unwrap();
        let mut rec = Record::new(id, RecordType::Meeting);
        rec.apply(&op);
        assert_eq!(meeting_change(Some(&rec), &m, &l), None);
        // Dana's notes on it arrive as theirs.
        let mut d = ctx(DANA);
        let theirs = d.op(
            id,
            RecordType::Meeting,
            Action::Set,
            Payload::from([(format!("notes:{DANA}"), "Agreed".into())]),
        );
        rec.apply(&theirs);
        let read = meeting_of(&rec, &l).unwrap();
        assert_eq!(read.their_notes.as_deref(), Some("Agreed"));
        assert_eq!(read.my_notes.as_deref(), Some("Went well"));
        assert_eq!(read.discussed, vec![item]);
    }

    #[test]
    fn my_card_carries_my_style_never_trust_and_theirs_lands_on_their_person() {
        let mut me = Person::new(
            "Alex",
            upward_domain::Relation::Myself,
            jiff::Timestamp::UNIX_EPOCH,
        )
        .unwrap();
        me.set("channel", "chat", jiff::Timestamp::UNIX_EPOCH)
            .unwrap();
        me.set("trust", "2", jiff::Timestamp::UNIX_EPOCH).unwrap();
        let (action, fields) = card_change(None, &me).unwrap();
        assert_eq!(action, Action::Create);
        assert_eq!(fields["channel"], "chat");
        assert!(!fields.contains_key("trust"));
        let mut c = ctx(ALEX);
        let id = my_card(&links());
        let op = c.op(id, RecordType::Card, action, fields);
        op.check().unwrap();
        let mut rec = Record::new(id, RecordType::Card);
        rec.apply(&op);
        assert_eq!(card_change(Some(&rec), &me), None);
        let mut dana = Person::new(
            "Dana",
            upward_domain::Relation::Manager,
            jiff::Timestamp::UNIX_EPOCH,
        )
        .unwrap();
        assert!(apply_card(&rec, &mut dana));
        assert_eq!(dana.channel, me.channel);
        assert!(!apply_card(&rec, &mut dana));
    }
}
