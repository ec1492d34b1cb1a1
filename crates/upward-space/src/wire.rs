//! An operation as it travels between a device and the team server (docs/sync.md, "The
//! protocol"): the envelope's fields as JSON, the payload's bytes in standard base64 (the
//! server routes on the envelope and never reads the payload), and the operation's position in
//! the space's log once the server has given it one.

use crate::error::{Result, SpaceError};
use crate::hlc::Hlc;
use crate::model::RecordType;
use crate::op::{Action, Envelope, Op, PROTOCOL};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One operation on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireOp {
    /// Its place in the space's log (answers of a pull; absent in a push).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<i64>,
    pub id: Uuid,
    pub space: Uuid,
    pub record: Uuid,
    pub record_type: String,
    pub action: String,
    pub author: Uuid,
    pub device: Uuid,
    /// The hybrid logical clock as one number (`Hlc`: milliseconds << 16 | counter).
    pub clock: u64,
    pub protocol: u16,
    /// The payload's bytes, standard base64.
    pub payload: String,
}

impl WireOp {
    /// An operation as sent.
    pub fn of(op: &Op) -> WireOp {
        WireOp::from_parts(&op.envelope(), &op.payload_bytes(), None)
    }

    /// An envelope and its payload bytes as sent, with a position when known.
    pub fn from_parts(e: &Envelope, payload: &[u8], position: Option<i64>) -> WireOp {
        WireOp {
            position,
            id: e.id,
            space: e.space,
            record: e.record,
            record_type: e.record_type.as_str().to_string(),
            action: e.action.as_str().to_string(),
            author: e.author,
            device: e.device,
            clock: e.clock.0,
            protocol: e.protocol,
            payload: STANDARD.encode(payload),
        }
    }

    /// Whether this replica reads the operation's protocol (a newer one is kept, unapplied).
    pub fn is_readable(&self) -> bool {
        (1..=PROTOCOL).contains(&self.protocol)
    }

    /// The payload's bytes.
    pub fn payload_bytes(&self) -> Result<Vec<u8>> {
        STANDARD.decode(self.payload.as_bytes()).map_err(|e| {
            SpaceError::Decode(format!(
                "the payload of operation {} is not standard base64 ({e})",
                self.id
            ))
        })
    }

    /// The envelope, read (its record type and action known to this protocol).
    pub fn envelope(&self) -> Result<Envelope> {
        Ok(Envelope {
            id: self.id,
            space: self.space,
            record: self.record,
            record_type: self
                .record_type
                .parse::<RecordType>()
                .map_err(|e| SpaceError::Decode(format!("operation {}: {e}", self.id)))?,
            action: self.action.parse::<Action>()?,
            author: self.author,
            device: self.device,
            clock: Hlc(self.clock),
            protocol: self.protocol,
        })
    }

    /// The operation, read and checked (`Op::check`).
    pub fn to_op(&self) -> Result<Op> {
        Op::from_parts(self.envelope()?, &self.payload_bytes()?)
    }

    /// The same operation as stored without its position: what a replay is compared on.
    pub fn same_content(&self, other: &WireOp) -> bool {
        let strip = |w: &WireOp| WireOp {
            position: None,
            ..w.clone()
        };
        strip(self) == strip(other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::*;
    use crate::model::new_topic;

    #[test]
    fn an_operation_round_trips_through_the_wire_and_its_payload_is_base64() {
        let mut w = World::new("2026-11-25");
        let ops = new_topic(&mut w.alex, "Offsite plans", Some("Dates?")).unwrap();
        let wire = WireOp::of(&ops[0]);
        let json = serde_json::to_value(&wire).unwrap();
        assert!(json.get("position").is_none());
        assert_eq!(json["record_type"], "item");
        assert_eq!(json["action"], "create");
        assert!(!json["payload"].as_str().unwrap().contains("Offsite"));
        let back: WireOp = serde_json::from_value(json).unwrap();
        assert_eq!(back.to_op().unwrap(), ops[0]);
        assert!(back.same_content(&WireOp {
            position: Some(4),
            ..wire.clone()
        }));
    }

    #[test]
    fn what_does_not_read_is_refused_with_the_reason() {
        let mut w = World::new("2026-11-25");
        let ops = new_topic(&mut w.alex, "Offsite plans", None).unwrap();
        let mut wire = WireOp::of(&ops[0]);
        wire.payload = "not base64!".into();
        assert!(
            wire.to_op()
                .unwrap_err()
                .to_string()
                .contains("not standard base64")
        );
        let mut wire = WireOp::of(&ops[0]);
        wire.record_type = "note".into();
        assert!(
            wire.to_op()
                .unwrap_err()
                .to_string()
                .contains("record type `note`")
        );
        let mut wire = WireOp::of(&ops[0]);
        wire.protocol = PROTOCOL + 1;
        assert!(!wire.is_readable());
        assert!(wire.to_op().is_err());
    }
}
