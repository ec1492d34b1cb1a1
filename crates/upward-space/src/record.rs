//! A record as its operations left it (docs/space.md#records): the fold of every operation on
//! it, in any order.
//!
//! - Each field holds the value of the set (or create) with the greatest [`OpKey`]: the last
//!   writer wins, field by field, so two members who change different fields both keep theirs.
//! - A create sets its fields as a set does, and names the author: of several creates (two
//!   members recording the same meeting) the one with the least key is the record's creation.
//! - A removal beats every set, earlier or later: a removed record stays removed. Sets still
//!   fold into its fields underneath (so that every replica holds the same bytes, whatever
//!   the order), but it is never shown again.
//! - A record with no create yet (a set arrived first) is held but not shown; it shows once
//!   its create arrives, with every field already folded.
//! - Applying an operation twice changes nothing.
//!
//! So the record depends on the set of operations applied, never on their order or
//! repetition: replicas that saw the same operations agree.

use crate::error::{Result, SpaceError};
use crate::model::RecordType;
use crate::op::{Action, Op, OpKey};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub id: Uuid,
    pub record_type: RecordType,
    /// The account whose create is the record's creation; `None` before any create.
    pub author: Option<Uuid>,
    /// The key of that create.
    pub created: Option<OpKey>,
    /// Each field's value, with the key of the operation that wrote it.
    pub fields: BTreeMap<String, (Value, OpKey)>,
    /// The key of the first removal, once removed.
    pub removed: Option<OpKey>,
}

impl Record {
    /// An empty record, before any operation.
    pub fn new(id: Uuid, record_type: RecordType) -> Record {
        Record {
            id,
            record_type,
            author: None,
            created: None,
            fields: BTreeMap::new(),
            removed: None,
        }
    }

    /// Folds `op` in; whether anything changed. An operation on another record, or of
    /// another type, changes nothing (a record keeps its type: a server refuses such an
    /// operation before it is logged).
    pub fn apply(&mut self, op: &Op) -> bool {
        if op.record != self.id || op.record_type != self.record_type {
            return false;
        }
        let key = op.key();
        match op.action {
            Action::Remove => {
                let first = self.removed.is_none_or(|r| key < r);
                if first {
                    self.removed = Some(key);
                }
                first
            }
            Action::Create => {
                let first = self.created.is_none_or(|c| key < c);
                if first {
                    self.created = Some(key);
                    self.author = Some(op.author);
                }
                self.set(&op.payload, key) || first
            }
            Action::Set => self.set(&op.payload, key),
        }
    }

    /// Writes each field whose current value is older than `key`.
    fn set(&mut self, fields: &BTreeMap<String, Value>, key: OpKey) -> bool {
        let mut changed = false;
        for (name, value) in fields {
            let newer = self.fields.get(name).is_none_or(|(_, k)| key > *k);
            if newer {
                self.fields.insert(name.clone(), (value.clone(), key));
                changed = true;
            }
        }
        changed
    }

    /// Shown: created and not removed.
    pub fn is_visible(&self) -> bool {
        self.created.is_some() && self.removed.is_none()
    }

    pub fn is_removed(&self) -> bool {
        self.removed.is_some()
    }

    /// A field's value (`None` when never set or set to `null`).
    pub fn get(&self, field: &str) -> Option<&Value> {
        self.fields
            .get(field)
            .map(|(v, _)| v)
            .filter(|v| !v.is_null())
    }

    /// A field's value as text.
    pub fn text(&self, field: &str) -> Option<&str> {
        self.get(field).and_then(Value::as_str)
    }

    /// The fields with their values, without the keys.
    pub fn values(&self) -> BTreeMap<String, Value> {
        self.fields
            .iter()
            .map(|(k, (v, _))| (k.clone(), v.clone()))
            .collect()
    }

    /// The key of the last operation that changed it (its creation, a field, or its removal).
    pub fn last_change(&self) -> Option<OpKey> {
        self.fields
            .values()
            .map(|(_, k)| *k)
            .chain(self.created)
            .chain(self.removed)
            .max()
    }

    /// The state as stored (`RecordRow.state` on the server): JSON.
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a record always serializes")
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Record> {
        serde_json::from_slice(bytes)
            .map_err(|e| SpaceError::Decode(format!("a stored record does not read as one ({e})")))
    }
}
