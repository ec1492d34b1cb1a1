//! An operation on a space (docs/space.md#operations): create a record, set some of its
//! fields, or remove it. The envelope is what a server routes and authorizes on; the payload
//! (the fields) travels as bytes the server never reads, so it can later be end-to-end
//! encrypted without a change to the envelope.

use crate::error::{Result, SpaceError};
use crate::hlc::Hlc;
use crate::model::RecordType;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use uuid::Uuid;

/// The version of the operations this build makes and the newest it reads. An operation of
/// a newer protocol is refused (its meaning is unknown here), never half-applied.
pub const PROTOCOL: u16 = 1;

/// What an operation does to its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Makes the record, with its first fields and its author.
    Create,
    /// Sets the fields it carries (only the ones that changed).
    Set,
    /// Removes the record for good: a removal beats every set.
    Remove,
}

impl Action {
    pub const ALL: [Action; 3] = [Action::Create, Action::Set, Action::Remove];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Set => "set",
            Action::Remove => "remove",
        }
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Action {
    type Err = SpaceError;
    fn from_str(s: &str) -> Result<Action> {
        Action::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| {
                SpaceError::Decode(format!(
                    "operation action `{s}` is not known — accepted: create, set, remove"
                ))
            })
    }
}

/// The fields an operation carries, by name: a create's first fields, a set's changed
/// fields, nothing for a removal. A field set to `null` is cleared.
pub type Payload = BTreeMap<String, Value>;

/// The order of operations: by clock, then device, then operation id, each compared as
/// bytes (the clock big-endian). Two operations never have the same key, so "the last
/// writer" is always one operation, the same on every replica.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct OpKey {
    pub clock: Hlc,
    pub device: Uuid,
    pub id: Uuid,
}

impl OpKey {
    /// The key as the bytes it is compared as: 8 of clock, 16 of device, 16 of id.
    pub fn to_bytes(&self) -> [u8; 40] {
        let mut out = [0; 40];
        out[..8].copy_from_slice(&self.clock.to_be_bytes());
        out[8..24].copy_from_slice(self.device.as_bytes());
        out[24..].copy_from_slice(self.id.as_bytes());
        out
    }
}

/// An operation's envelope: everything but the payload, as a server stores it in columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Envelope {
    pub id: Uuid,
    pub space: Uuid,
    pub record: Uuid,
    pub record_type: RecordType,
    pub action: Action,
    /// The account that made it.
    pub author: Uuid,
    /// The device (or the server's own device, for the web) that made it.
    pub device: Uuid,
    pub clock: Hlc,
    pub protocol: u16,
}

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Op {
    pub id: Uuid,
    pub space: Uuid,
    pub record: Uuid,
    pub record_type: RecordType,
    pub action: Action,
    pub author: Uuid,
    pub device: Uuid,
    pub clock: Hlc,
    pub protocol: u16,
    pub payload: Payload,
}

impl Op {
    /// Where it sorts among the operations on its record.
    pub fn key(&self) -> OpKey {
        OpKey {
            clock: self.clock,
            device: self.device,
            id: self.id,
        }
    }

    pub fn envelope(&self) -> Envelope {
        Envelope {
            id: self.id,
            space: self.space,
            record: self.record,
            record_type: self.record_type,
            action: self.action,
            author: self.author,
            device: self.device,
            clock: self.clock,
            protocol: self.protocol,
        }
    }

    /// The payload as stored and sent: a JSON object of the fields.
    pub fn payload_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(&self.payload).expect("a map of JSON values always serializes")
    }

    /// An operation from its envelope and payload bytes (as stored or received), checked:
    /// a protocol this build reads, a payload that is a JSON object, empty for a removal and
    /// not for a create or a set, and fields the record type has ([`RecordType::accepts`]).
    pub fn from_parts(envelope: Envelope, payload: &[u8]) -> Result<Op> {
        let payload: Payload = serde_json::from_slice(payload).map_err(|e| {
            SpaceError::Decode(format!(
                "the payload of operation {} is not a JSON object of fields ({e})",
                envelope.id
            ))
        })?;
        let op = Op {
            id: envelope.id,
            space: envelope.space,
            record: envelope.record,
            record_type: envelope.record_type,
            action: envelope.action,
            author: envelope.author,
            device: envelope.device,
            clock: envelope.clock,
            protocol: envelope.protocol,
            payload,
        };
        op.check()?;
        Ok(op)
    }

    /// Checks what a well-made operation always satisfies (a server runs it on every
    /// operation it receives, so a record never holds what the model cannot read).
    pub fn check(&self) -> Result<()> {
        let bad = |why: String| Err(SpaceError::Decode(format!("operation {}: {why}", self.id)));
        if self.protocol == 0 || self.protocol > PROTOCOL {
            return bad(format!(
                "protocol {} is not one this upward reads (1 to {PROTOCOL}) — upgrade upward",
                self.protocol
            ));
        }
        match (self.action, self.payload.is_empty()) {
            (Action::Remove, false) => return bad("a removal carries no fields".into()),
            (Action::Create | Action::Set, true) => {
                return bad(format!("a {} carries at least one field", self.action));
            }
            _ => {}
        }
        if self.record_type == RecordType::Space && self.record != self.space {
            return bad("the space's own record has the space's id".into());
        }
        if let Some(field) = self.payload.keys().find(|f| !self.record_type.accepts(f)) {
            return bad(format!(
                "{} has no field `{field}` — accepted: {}",
                self.record_type.with_article(),
                self.record_type.accepted_fields()
            ));
        }
        if let Some((field, _)) = self
            .payload
            .iter()
            .find(|(f, v)| !crate::model::field_value_ok(self.record_type, f, v))
        {
            return bad(format!(
                "the value of `{field}` is not one {} takes",
                self.record_type.with_article()
            ));
        }
        if self.action == Action::Create
            && let Some(field) = crate::model::required_fields(self.record_type)
                .iter()
                .find(|f| !self.payload.contains_key(**f))
        {
            return bad(format!(
                "a create of {} carries its `{field}`",
                self.record_type.with_article()
            ));
        }
        self.check_derived_id()
    }

    /// A meeting's id is its space and date's, a card's its space and member's: a record
    /// made under another id would be a second meeting on a date, or a card in someone's
    /// name.
    fn check_derived_id(&self) -> Result<()> {
        let expected = match self.record_type {
            RecordType::Meeting => self
                .payload
                .get("date")
                .and_then(Value::as_str)
                .and_then(|d| d.parse().ok())
                .map(|d| crate::model::meeting_id(self.space, d)),
            RecordType::Card => Some(crate::model::card_id(self.space, self.author)),
            _ => None,
        };
        match expected {
            Some(id) if id != self.record => Err(SpaceError::Decode(format!(
                "operation {}: {} has the id its {} gives ({id})",
                self.id,
                self.record_type.with_article(),
                if self.record_type == RecordType::Card {
                    "space and member"
                } else {
                    "space and date"
                }
            ))),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn op(action: Action, payload: Payload) -> Op {
        Op {
            id: Uuid::from_u128(1),
            space: Uuid::from_u128(2),
            record: Uuid::from_u128(3),
            record_type: RecordType::Item,
            action,
            author: Uuid::from_u128(4),
            device: Uuid::from_u128(5),
            clock: Hlc::new(1_795_000_000_000, 0),
            protocol: PROTOCOL,
            payload,
        }
    }

    fn fields(pairs: &[(&str, Value)]) -> Payload {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn an_operation_round_trips_through_its_envelope_and_bytes() {
        let o = op(
            Action::Create,
            fields(&[("title", json!("Offsite")), ("kind", json!("topic"))]),
        );
        let bytes = o.payload_bytes();
        assert_eq!(bytes, br#"{"kind":"topic","title":"Offsite"}"#);
        assert_eq!(Op::from_parts(o.envelope(), &bytes).unwrap(), o);
    }

    #[test]
    fn bad_parts_are_refused_with_the_reason() {
        let env = op(Action::Set, Payload::new()).envelope();
        let e = Op::from_parts(env, b"[1]").unwrap_err().to_string();
        assert!(e.contains("not a JSON object of fields"), "{e}");
        let e = Op::from_parts(env, b"{}").unwrap_err().to_string();
        assert!(e.contains("a set carries at least one field"), "{e}");
        let remove = op(Action::Remove, Payload::new()).envelope();
        let e = Op::from_parts(remove, br#"{"title":"x"}"#).unwrap_err();
        assert!(e.to_string().contains("a removal carries no fields"));
        let e = Op::from_parts(env, br#"{"color":"red"}"#).unwrap_err();
        assert!(
            e.to_string().contains("an item has no field `color`"),
            "{e}"
        );
        let newer = Envelope {
            protocol: PROTOCOL + 1,
            ..env
        };
        let e = Op::from_parts(newer, br#"{"title":"x"}"#).unwrap_err();
        assert!(e.to_string().contains("upgrade upward"), "{e}");
        let space = Envelope {
            record_type: RecordType::Space,
            ..env
        };
        let e = Op::from_parts(space, br#"{"cadence":"1w"}"#).unwrap_err();
        assert!(e.to_string().contains("the space's id"), "{e}");
    }

    #[test]
    fn keys_compare_as_their_bytes() {
        let k = |clock: u64, device: u128, id: u128| OpKey {
            clock: Hlc(clock),
            device: Uuid::from_u128(device),
            id: Uuid::from_u128(id),
        };
        let keys = [
            k(1, 9, 9),
            k(2, 0, 0),
            k(2, 1, 0),
            k(2, 1, 1),
            k(2, 1 << 120, 0),
            k(256, 0, 0),
            k(u64::MAX, 0, 0),
        ];
        for pair in keys.windows(2) {
            assert!(pair[0] < pair[1], "{pair:?}");
            assert!(pair[0].to_bytes() < pair[1].to_bytes(), "{pair:?}");
        }
    }

    #[test]
    fn actions_are_spelled_as_stored() {
        for a in Action::ALL {
            assert_eq!(a.as_str().parse::<Action>().unwrap(), a);
        }
        let e = "delete".parse::<Action>().unwrap_err().to_string();
        assert_eq!(
            e,
            "operation action `delete` is not known — accepted: create, set, remove"
        );
    }
}
