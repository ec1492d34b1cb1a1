//! A shared 1:1 space between two people, as upward's team server and (later) sync both hold
//! it: a log of operations per space, folded into records (docs/space.md).
//!
//! - [`hlc`]: the hybrid logical clock every operation carries.
//! - [`op`]: an operation (create a record, set some of its fields, remove it), its envelope
//!   and its payload of bytes, and the order operations are compared in ([`OpKey`]).
//! - [`record`]: a record as its operations left it: last writer wins per field, a removal
//!   beats every set, and applying is idempotent and commutative, so every replica that
//!   applied the same operations holds the same record whatever the order.
//! - [`model`]: the record types and the builders that validate what a member asks for and
//!   turn it into operations.
//! - [`view`]: a space's records seen by one member as upward's domain (a [`Snapshot`] with
//!   the other member as the person), so the agenda is the one `prep --shared` computes; and
//!   follow-through, what needs the member, the item JSON and the export document.
//!
//! Nothing here reads a file, a database or a clock: wall time and "today" are passed in.
//!
//! [`Snapshot`]: upward_domain::Snapshot

pub mod error;
pub mod hlc;
pub mod model;
pub mod op;
pub mod record;
pub mod view;

pub use error::SpaceError;
pub use hlc::Hlc;
pub use model::{Ids, ItemStatus, NewAction, OpContext, RecordType};
pub use op::{Action, Envelope, Op, OpKey, PROTOCOL, Payload};
pub use record::Record;
pub use view::{
    Member, Members, NeedsYou, Role, SideFollowThrough, Space, SpaceRecord, agenda, export,
    follow_through, item_json, needs_you, snapshot,
};
