//! The 1:1s recorded: listed, shown, and undone (docs/meet.md).

use crate::{Result, people};
use serde::Serialize;
use upward_domain::workflow::meeting::{self, UndoPlan};
use upward_domain::{Clock, DomainError, Effect, Item, Meeting};
use upward_store::{ItemFilter, Transaction};

/// A meeting with what came of it.
#[derive(Debug, Clone, Serialize)]
pub struct MeetingView {
    pub meeting: Meeting,
    /// The items discussed at it, as they are now.
    pub discussed: Vec<Item>,
    /// The actions agreed at it, as they are now.
    pub actions: Vec<Item>,
    /// What it changed in the items discussed.
    pub effects: Vec<Effect>,
}

/// Every meeting, newest first; with a name, those with that person only.
pub fn list(tx: &dyn Transaction, name: Option<&str>) -> Result<Vec<Meeting>> {
    let person = name.map(|n| people::resolve(tx, n)).transpose()?;
    let mut all = tx.meetings(None)?;
    if let Some(p) = person {
        all.retain(|m| m.person.uuid == p.uuid);
    }
    all.reverse();
    Ok(all)
}

fn find(tx: &dyn Transaction, id: i64) -> Result<Meeting> {
    tx.meetings(None)?
        .into_iter()
        .find(|m| m.id == id)
        .ok_or_else(|| {
            DomainError::Rule(format!(
                "no 1:1 has id {id} — `upward meetings` lists them with their ids"
            ))
            .into()
        })
}

/// One meeting, with the items discussed and the actions agreed at it.
pub fn show(tx: &dyn Transaction, id: i64) -> Result<MeetingView> {
    let meeting = find(tx, id)?;
    let mut discussed = Vec::new();
    for uuid in &meeting.discussed {
        if let Some(item) = tx.item_by_uuid(*uuid)? {
            discussed.push(item);
        }
    }
    let actions = agreed_at(tx, &meeting)?;
    let effects = tx.effects(Some(meeting.uuid))?;
    Ok(MeetingView {
        meeting,
        discussed,
        actions,
        effects,
    })
}

/// The actions agreed at a meeting, by id.
fn agreed_at(tx: &dyn Transaction, meeting: &Meeting) -> Result<Vec<Item>> {
    // An action agreed at a 1:1 is with the person it was with.
    let filter = ItemFilter {
        kind: Some(upward_domain::Kind::Action),
        person: Some(meeting.person.uuid),
        ..ItemFilter::default()
    };
    Ok(tx
        .items(&filter)?
        .into_iter()
        .filter(|i| i.meeting == Some(meeting.uuid))
        .collect())
}

/// Undoes a meeting: puts back what it changed (unless changed since), drops the actions
/// agreed at it that are still open, and removes it, leaving a tombstone.
pub fn undo(tx: &dyn Transaction, id: i64, clock: &Clock) -> Result<UndoPlan> {
    let meeting = find(tx, id)?;
    let effects = tx.effects(Some(meeting.uuid))?;
    let mut items = agreed_at(tx, &meeting)?;
    for e in &effects {
        if !items.iter().any(|i| i.uuid == e.item)
            && let Some(item) = tx.item_by_uuid(e.item)?
        {
            items.push(item);
        }
    }
    let everyone = tx.people(true)?;
    let plan = meeting::undo(&meeting, &effects, &items, &everyone, clock)?;
    for item in plan
        .restored
        .iter()
        .chain(&plan.dropped)
        .chain(&plan.unlinked)
    {
        tx.update_item(item)?;
    }
    tx.remove_meeting(&plan.tombstone)?;
    Ok(plan)
}

impl MeetingView {
    /// As `meeting show --json` prints it (and the web API answers).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "meeting": self.meeting,
            "discussed": self.discussed.iter().map(Item::to_json).collect::<Vec<_>>(),
            "actions": self.actions.iter().map(Item::to_json).collect::<Vec<_>>(),
            "effects": self.effects,
        })
    }
}

/// What undoing a meeting did, as `meeting undo --json` prints it (and the web API answers).
pub fn undo_json(plan: &UndoPlan) -> serde_json::Value {
    serde_json::json!({
        "meeting": plan.meeting,
        "restored": plan.restored.iter().map(Item::to_json).collect::<Vec<_>>(),
        "kept": plan.kept,
        "dropped": plan.dropped.iter().map(Item::to_json).collect::<Vec<_>>(),
        "unlinked": plan.unlinked.iter().map(Item::to_json).collect::<Vec<_>>(),
    })
}
