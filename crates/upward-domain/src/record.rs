//! What happened between people: 1:1 meetings, status updates sent, and reflections on a
//! working relationship.

use crate::DomainError;
use crate::enums::Channel;
use crate::person::PersonRef;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// A 1:1 that took place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meeting {
    pub id: i64,
    pub uuid: Uuid,
    #[serde(flatten)]
    pub person: PersonRef,
    pub date: Date,
    /// My private notes: they never leave the machine.
    #[serde(default)]
    pub notes: Option<String>,
    /// My notes shared with the other member of the space (`meet --shared-notes`,
    /// docs/sync.md). Unset in an export written before they existed.
    #[serde(default)]
    pub shared_notes: Option<String>,
    /// The other member's notes of the same 1:1, written only by sync.
    #[serde(default)]
    pub their_notes: Option<String>,
    /// The items discussed, by UUID.
    #[serde(default)]
    pub discussed: Vec<Uuid>,
    pub created_at: Timestamp,
}

/// A status update that went out (`update --sent`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpdateSent {
    pub id: i64,
    pub uuid: Uuid,
    #[serde(flatten)]
    pub person: PersonRef,
    pub date: Date,
    pub channel: Channel,
    #[serde(default)]
    pub text: Option<String>,
    pub created_at: Timestamp,
}

/// The five areas of a relationship review, with the question each asks.
pub const AREAS: [(&str, &str); 5] = [
    (
        "priorities",
        "Do I know their priorities and the pressures they are under?",
    ),
    (
        "expectations",
        "Do I know what they expect of me, is it realistic, and are we aligned?",
    ),
    (
        "delivery",
        "Am I meeting those expectations, and do they know what I need from them?",
    ),
    ("visibility", "Do they know what I have been working on?"),
    (
        "rapport",
        "Do we get along: trust, communication, working well together?",
    ),
];

/// A reflection on the relationship with one person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reflection {
    pub id: i64,
    pub uuid: Uuid,
    #[serde(flatten)]
    pub person: PersonRef,
    pub date: Date,
    /// Area → score from 1 to 5.
    #[serde(default)]
    pub scores: BTreeMap<String, u8>,
    /// Area → the answer in words.
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
    pub created_at: Timestamp,
}

/// Checks an area name (`priorities`, `expectations`, `delivery`, `visibility`, `rapport`).
pub fn parse_area(area: &str) -> Result<&'static str, DomainError> {
    let a = area.trim().to_lowercase();
    AREAS
        .iter()
        .map(|(name, _)| *name)
        .find(|name| *name == a)
        .ok_or_else(|| {
            DomainError::invalid(
                "area",
                area,
                AREAS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", "),
            )
        })
}

/// A score from 1 to 5.
pub fn parse_score(value: &str) -> Result<u8, DomainError> {
    match value.trim().parse::<u8>() {
        Ok(n @ 1..=5) => Ok(n),
        _ => Err(DomainError::invalid(
            "score",
            value,
            "a whole number from 1 to 5",
        )),
    }
}

/// One change a 1:1 made to an item (a field's value before and after, as in the item's
/// JSON), kept so that `meeting undo` can take it back (docs/meet.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Effect {
    /// The meeting that made it.
    pub meeting: Uuid,
    /// The item it changed.
    pub item: Uuid,
    /// The field, by its JSON name.
    pub field: String,
    pub before: serde_json::Value,
    pub after: serde_json::Value,
}

/// A record removed for good (`meeting undo`), kept as its UUID so that an import or a sync
/// that still holds the record removes it too instead of bringing it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tombstone {
    pub uuid: Uuid,
    /// What it was: `meeting`.
    pub kind: String,
    pub removed_at: Timestamp,
}

/// A request I said no to (`decline --sent`): what, to whom, why, and what I offered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decline {
    pub id: i64,
    pub uuid: Uuid,
    #[serde(flatten)]
    pub person: PersonRef,
    pub date: Date,
    /// The request's title.
    pub title: String,
    pub reason: String,
    #[serde(default)]
    pub alternatives: Vec<String>,
    /// The date the plan offered ("I can pick it up after …"), if any.
    #[serde(default)]
    pub after: Option<Date>,
    /// The message as drafted.
    #[serde(default)]
    pub text: Option<String>,
    pub created_at: Timestamp,
}
