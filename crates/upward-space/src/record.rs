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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hlc::Hlc;
    use crate::op::{PROTOCOL, Payload};
    use proptest::prelude::*;
    use serde_json::json;

    const RECORD: Uuid = Uuid::from_u128(0xAA);

    fn op(n: u128, action: Action, clock: u64, device: u128, fields: &[(&str, Value)]) -> Op {
        Op {
            id: Uuid::from_u128(n),
            space: Uuid::from_u128(1),
            record: RECORD,
            record_type: RecordType::Item,
            action,
            author: Uuid::from_u128(100 + device),
            device: Uuid::from_u128(device),
            clock: Hlc(clock),
            protocol: PROTOCOL,
            payload: fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect::<Payload>(),
        }
    }

    fn fold(ops: &[&Op]) -> Record {
        let mut r = Record::new(RECORD, RecordType::Item);
        for o in ops {
            r.apply(o);
        }
        r
    }

    #[test]
    fn the_last_writer_wins_field_by_field() {
        let create = op(
            1,
            Action::Create,
            10,
            1,
            &[("title", json!("A")), ("body", json!("x"))],
        );
        let title = op(2, Action::Set, 20, 2, &[("title", json!("B"))]);
        let body = op(3, Action::Set, 15, 1, &[("body", json!("y"))]);
        let stale = op(4, Action::Set, 5, 2, &[("title", json!("old"))]);
        for order in [
            vec![&create, &title, &body, &stale],
            vec![&stale, &body, &title, &create],
        ] {
            let r = fold(&order);
            assert_eq!(r.text("title"), Some("B"));
            assert_eq!(r.text("body"), Some("y"));
            assert_eq!(r.author, Some(Uuid::from_u128(101)));
            assert!(r.is_visible());
        }
    }

    #[test]
    fn the_same_clock_is_decided_by_device_then_operation_id() {
        let a = op(9, Action::Set, 10, 1, &[("title", json!("device 1"))]);
        let b = op(2, Action::Set, 10, 2, &[("title", json!("device 2"))]);
        assert_eq!(fold(&[&a, &b]).text("title"), Some("device 2"));
        assert_eq!(fold(&[&b, &a]).text("title"), Some("device 2"));
        let c = op(3, Action::Set, 10, 2, &[("title", json!("id 3"))]);
        assert_eq!(fold(&[&c, &b]).text("title"), Some("id 3"));
    }

    #[test]
    fn a_removal_beats_every_set_even_a_later_one() {
        let create = op(1, Action::Create, 10, 1, &[("title", json!("A"))]);
        let remove = op(2, Action::Remove, 20, 1, &[]);
        let later = op(3, Action::Set, 30, 2, &[("title", json!("B"))]);
        let r = fold(&[&create, &remove, &later]);
        assert!(r.is_removed() && !r.is_visible());
        assert_eq!(
            fold(&[&later, &remove, &create]),
            r,
            "any order, the same state"
        );
        assert_eq!(r.text("title"), Some("B"), "folded underneath, never shown");
    }

    #[test]
    fn a_set_before_its_create_is_held_until_the_create_arrives() {
        let create = op(
            1,
            Action::Create,
            10,
            1,
            &[("title", json!("A")), ("kind", json!("topic"))],
        );
        let set = op(2, Action::Set, 20, 2, &[("title", json!("B"))]);
        let mut r = Record::new(RECORD, RecordType::Item);
        assert!(r.apply(&set));
        assert!(!r.is_visible(), "no create yet");
        assert!(r.apply(&create));
        assert!(r.is_visible());
        assert_eq!(
            (r.text("title"), r.text("kind")),
            (Some("B"), Some("topic"))
        );
    }

    #[test]
    fn of_two_creates_the_first_is_the_creation() {
        let mine = op(1, Action::Create, 10, 1, &[("date", json!("2026-11-20"))]);
        let theirs = op(2, Action::Create, 12, 2, &[("date", json!("2026-11-20"))]);
        for order in [[&mine, &theirs], [&theirs, &mine]] {
            let r = fold(&order);
            assert_eq!((r.author, r.created), (Some(mine.author), Some(mine.key())));
        }
    }

    #[test]
    fn applying_twice_changes_nothing_and_others_are_ignored() {
        let create = op(1, Action::Create, 10, 1, &[("title", json!("A"))]);
        let remove = op(2, Action::Remove, 20, 1, &[]);
        let mut r = Record::new(RECORD, RecordType::Item);
        assert!(r.apply(&create) && r.apply(&remove));
        let before = r.clone();
        assert!(!r.apply(&create) && !r.apply(&remove));
        assert_eq!(r, before);
        let elsewhere = Op {
            record: Uuid::from_u128(7),
            ..op(3, Action::Set, 30, 1, &[("title", json!("X"))])
        };
        let typed = Op {
            record_type: RecordType::Meeting,
            ..op(4, Action::Set, 30, 1, &[("title", json!("X"))])
        };
        assert!(!r.apply(&elsewhere) && !r.apply(&typed));
        assert_eq!(r, before);
    }

    #[test]
    fn the_state_round_trips_through_bytes() {
        let r = fold(&[
            &op(
                1,
                Action::Create,
                10,
                1,
                &[("title", json!("A")), ("tags", json!(["x"]))],
            ),
            &op(2, Action::Set, 20, 2, &[("body", Value::Null)]),
        ]);
        assert_eq!(Record::from_bytes(&r.to_bytes()).unwrap(), r);
        let e = Record::from_bytes(b"{").unwrap_err().to_string();
        assert!(e.starts_with("a stored record does not read as one"), "{e}");
    }

    // ---- convergence ----

    /// One generated operation: (action 0 create / 1 set / 2 remove, record 0..3, clock,
    /// device 0..3, fields as (field 0..3, value 0..4)).
    type Spec = (u8, u8, u64, u8, Vec<(u8, u8)>);

    fn ops_of(spec: &[Spec]) -> Vec<Op> {
        const FIELDS: [&str; 3] = ["title", "body", "status"];
        spec.iter()
            .enumerate()
            .map(|(n, (action, record, clock, device, fields))| {
                let action = match action % 5 {
                    0 => Action::Create,
                    4 => Action::Remove,
                    _ => Action::Set,
                };
                let mut payload = Payload::new();
                if action != Action::Remove {
                    for (f, v) in fields {
                        payload.insert(FIELDS[usize::from(*f % 3)].into(), json!(v % 4));
                    }
                    payload.entry("title".into()).or_insert(json!(9));
                }
                Op {
                    id: Uuid::from_u128(1000 + n as u128),
                    space: Uuid::from_u128(1),
                    record: Uuid::from_u128(u128::from(*record % 3)),
                    record_type: RecordType::Item,
                    action,
                    author: Uuid::from_u128(100 + u128::from(*device % 3)),
                    device: Uuid::from_u128(u128::from(*device % 3)),
                    // Few clocks, so that concurrent writes of a field tie on the clock.
                    clock: Hlc(*clock % 6),
                    protocol: PROTOCOL,
                    payload,
                }
            })
            .collect()
    }

    fn replica(ops: &[Op], order: &[usize]) -> BTreeMap<Uuid, Record> {
        let mut records = BTreeMap::new();
        for &i in order {
            let o = &ops[i];
            records
                .entry(o.record)
                .or_insert_with(|| Record::new(o.record, o.record_type))
                .apply(o);
        }
        records
    }

    /// What each record must show, computed from the set of operations alone: per field the
    /// value of the greatest key; removed when any removal; created by the least create.
    /// Per record: shown, its author, its fields' values.
    type Expected = BTreeMap<Uuid, (bool, Option<Uuid>, BTreeMap<String, Value>)>;

    fn expected(ops: &[Op]) -> Expected {
        let mut out = BTreeMap::new();
        for id in ops
            .iter()
            .map(|o| o.record)
            .collect::<std::collections::BTreeSet<_>>()
        {
            let mine: Vec<&Op> = ops.iter().filter(|o| o.record == id).collect();
            let removed = mine.iter().any(|o| o.action == Action::Remove);
            let author = mine
                .iter()
                .filter(|o| o.action == Action::Create)
                .min_by_key(|o| o.key())
                .map(|o| o.author);
            let mut fields: BTreeMap<String, (Value, OpKey)> = BTreeMap::new();
            for o in &mine {
                for (k, v) in &o.payload {
                    if fields.get(k).is_none_or(|(_, key)| o.key() > *key) {
                        fields.insert(k.clone(), (v.clone(), o.key()));
                    }
                }
            }
            let visible = author.is_some() && !removed;
            let values = fields.into_iter().map(|(k, (v, _))| (k, v)).collect();
            out.insert(id, (visible, author, values));
        }
        out
    }

    fn gen_op() -> impl Strategy<Value = Spec> {
        (
            0u8..5,
            0u8..3,
            0u64..6,
            0u8..3,
            prop::collection::vec((0u8..3, 0u8..4), 0..3),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Three replicas apply the same operations in different orders, with repeats: they
        /// end with the same records, the ones the rules say, and nothing re-applied changes
        /// anything.
        #[test]
        fn replicas_converge_whatever_the_order(
            (spec, orders) in prop::collection::vec(gen_op(), 1..24).prop_flat_map(|spec| {
                let n = spec.len();
                let order = || {
                    (
                        Just((0..n).collect::<Vec<usize>>()).prop_shuffle(),
                        prop::collection::vec(0..n, 0..6),
                    )
                        .prop_map(|(mut all, repeats)| {
                            // Repeats anywhere: each one inserted at a place of its own.
                            for (k, r) in repeats.into_iter().enumerate() {
                                let at = (k * 7 + r) % (all.len() + 1);
                                all.insert(at, r);
                            }
                            all
                        })
                };
                (Just(spec), [order(), order(), order()])
            })
        ) {
            let ops = ops_of(&spec);
            let replicas: Vec<BTreeMap<Uuid, Record>> =
                orders.iter().map(|o| replica(&ops, o)).collect();
            prop_assert_eq!(&replicas[0], &replicas[1]);
            prop_assert_eq!(&replicas[0], &replicas[2]);
            let want = expected(&ops);
            for (id, r) in &replicas[0] {
                let (visible, author, values) = &want[id];
                prop_assert_eq!(r.is_visible(), *visible);
                prop_assert_eq!(r.author, *author);
                prop_assert_eq!(&r.values(), values);
            }
            let mut again = replicas[0].clone();
            for o in &ops {
                let r = again.get_mut(&o.record).expect("every record was made");
                prop_assert!(!r.apply(o), "re-applying {} changed its record", o.id);
            }
            prop_assert_eq!(&again, &replicas[0]);
        }
    }
}
