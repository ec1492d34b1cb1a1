//! Taking back a 1:1 that should not have been recorded (docs/meet.md, "Undoing a 1:1").
//!
//! `meet` keeps, for every discussed item, each field it changed with its value before and
//! after ([`Effect`]). Undoing the meeting puts back every such field that still holds the
//! value the meeting gave it; a field changed since (a topic reopened and closed again, a
//! priority confirmed at a later 1:1) is left as it is and reported, because it is no longer
//! the meeting's doing. The actions agreed at it that are still open are dropped (nothing is
//! deleted); those already done or dropped stay. The meeting itself is removed and leaves a
//! [`Tombstone`], so an import or a sync that still holds it does not bring it back.

use crate::enums::{Kind, Status};
use crate::{Clock, DomainError, Effect, Item, Meeting, Person, PersonRef, Tombstone};
use serde::Serialize;
use uuid::Uuid;

/// The item's JSON field that records no change of the meeting's own.
const NOT_AN_EFFECT: [&str; 1] = ["updated_at"];

/// The fields `after` differs from `before` in, as effects of `meeting` on that item.
pub fn changes(meeting: Uuid, before_item: &Item, after: &Item) -> Vec<Effect> {
    let (Ok(serde_json::Value::Object(b)), Ok(serde_json::Value::Object(a))) = (
        serde_json::to_value(before_item),
        serde_json::to_value(after),
    ) else {
        return Vec::new();
    };
    a.into_iter()
        .filter(|(field, _)| !NOT_AN_EFFECT.contains(&field.as_str()))
        .filter_map(|(field, after)| {
            let before = b.get(&field).cloned().unwrap_or(serde_json::Value::Null);
            (before != after).then(|| Effect {
                meeting,
                item: before_item.uuid,
                field,
                before,
                after,
            })
        })
        .collect()
}

/// A field that changed after the meeting and is left as it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kept {
    pub id: i64,
    pub title: String,
    pub field: String,
}

/// What undoing a meeting does, for the store to apply in one transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct UndoPlan {
    pub meeting: Meeting,
    /// The meeting is removed, leaving this.
    pub tombstone: Tombstone,
    /// Discussed items with the meeting's changes put back.
    pub restored: Vec<Item>,
    /// Fields changed since the meeting, left as they are.
    pub kept: Vec<Kept>,
    /// The actions agreed at the meeting that were still open, now dropped.
    pub dropped: Vec<Item>,
    /// The actions agreed at it that were already done or dropped: left as they are, but no
    /// longer linked to a meeting that is gone.
    pub unlinked: Vec<Item>,
}

/// Plans undoing `meeting`. `effects` are the changes it made (possibly none, for a meeting
/// imported from an export that predates them), `items` the current state of every item they
/// name and of every item agreed at it (others are ignored), `people` everyone (to put back a
/// person by name).
pub fn undo(
    meeting: &Meeting,
    effects: &[Effect],
    items: &[Item],
    people: &[Person],
    clock: &Clock,
) -> Result<UndoPlan, DomainError> {
    let mut restored: Vec<Item> = Vec::new();
    let mut kept = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let touched: Vec<Uuid> = effects
        .iter()
        .map(|e| e.item)
        .filter(|u| seen.insert(*u))
        .collect();
    for uuid in touched {
        let Some(item) = items.iter().find(|i| i.uuid == uuid) else {
            // The item is not in this workspace any more (it cannot be: nothing deletes
            // items); nothing to put back.
            continue;
        };
        let serde_json::Value::Object(mut value) = serde_json::to_value(item)
            .map_err(|e| DomainError::Rule(format!("item #{}: {e}", item.id)))?
        else {
            continue;
        };
        let mut person_back: Option<Option<PersonRef>> = None;
        let mut any = false;
        for e in effects.iter().filter(|e| e.item == uuid) {
            let now = value
                .get(&e.field)
                .cloned()
                .unwrap_or(serde_json::Value::Null);
            if now != e.after {
                kept.push(Kept {
                    id: item.id,
                    title: item.title.clone(),
                    field: e.field.clone(),
                });
                continue;
            }
            if e.field == "person" {
                person_back = Some(match &e.before {
                    serde_json::Value::String(name) => {
                        people.iter().find(|p| &p.name == name).map(Person::to_ref)
                    }
                    _ => None,
                });
            }
            value.insert(e.field.clone(), e.before.clone());
            any = true;
        }
        if !any {
            continue;
        }
        let mut back: Item = serde_json::from_value(serde_json::Value::Object(value))
            .map_err(|e| DomainError::Rule(format!("item #{} cannot be put back: {e}", item.id)))?;
        back.person = person_back.unwrap_or_else(|| item.person.clone());
        back.updated_at = clock.now;
        restored.push(back);
    }

    let mut dropped = Vec::new();
    let mut unlinked = Vec::new();
    for item in items
        .iter()
        .filter(|i| i.kind == Kind::Action && i.meeting == Some(meeting.uuid))
    {
        let mut item = item.clone();
        item.meeting = None;
        if item.status == Status::Open {
            item.drop_with(
                Some(format!(
                    "agreed at the 1:1 with {} on {}, which was undone",
                    meeting.person, meeting.date
                )),
                clock,
            )?;
            dropped.push(item);
        } else {
            item.updated_at = clock.now;
            unlinked.push(item);
        }
    }

    Ok(UndoPlan {
        meeting: meeting.clone(),
        tombstone: Tombstone {
            uuid: meeting.uuid,
            kind: "meeting".into(),
            removed_at: clock.now,
        },
        restored,
        kept,
        dropped,
        unlinked,
    })
}
