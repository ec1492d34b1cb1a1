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
//! A server writes a member's change in one transaction: build the operations
//! (`model::new_topic(&mut ctx, …)`), then for each one read its record's state, `admit` it
//! (check it, check who may make it, fold it), append it to the log (`Op::envelope`,
//! `Op::payload_bytes`) and store the folded record (`Record::to_bytes`, `is_removed`; its seq
//! is the position of the first operation that made it). Reading, `Space::from_states` turns
//! the stored records back into a [`view::Space`] for the views; `Op::from_parts` turns a
//! stored or received operation back into an [`Op`].
//!
//! [`Snapshot`]: upward_domain::Snapshot

pub mod error;
pub mod hlc;
pub mod model;
pub mod op;
pub mod record;
pub mod replica;
pub mod view;
pub mod wire;

pub use error::SpaceError;
pub use hlc::Hlc;
pub use model::{Ids, ItemStatus, NewAction, OpContext, RecordType, admit, check_permission};
pub use op::{Action, Envelope, Op, OpKey, PROTOCOL, Payload};
pub use record::Record;
pub use view::{
    Member, Members, NeedsYou, Overview, Role, SideFollowThrough, Space, SpaceRecord, agenda,
    export, follow_through, item_json, items_json, needs_you, overview, snapshot,
};
pub use wire::WireOp;

/// A space between Alex (the report) and Dana (their manager), for the tests of every module.
#[cfg(test)]
pub(crate) mod fixture {
    use crate::model::{Ids, OpContext};
    use crate::op::Op;
    use crate::view::{Member, Members, Role, Space};
    use crate::{Hlc, SpaceError};
    use jiff::civil::Date;
    use uuid::Uuid;

    pub const SPACE: Uuid = Uuid::from_u128(0x5);
    pub const ALEX: Uuid = Uuid::from_u128(0xA1);
    pub const DANA: Uuid = Uuid::from_u128(0xD1);
    /// The server's device.
    pub const SERVER: Uuid = Uuid::from_u128(0x5E);
    /// 2026-11-25 (a Wednesday), 09:00 UTC.
    pub const WALL: u64 = 1_795_597_200_000;

    pub fn day(s: &str) -> Date {
        s.parse().expect("a test date")
    }

    pub fn members_of(account: Uuid) -> Members {
        let alex = Member {
            account: ALEX,
            email: "alex@example.com".into(),
            name: "Alex Kim".into(),
            role: Role::Report,
        };
        let dana = Member {
            account: DANA,
            email: "dana@example.com".into(),
            name: "Dana Whitfield".into(),
            role: Role::Manager,
        };
        if account == ALEX {
            Members {
                me: alex,
                other: dana,
            }
        } else {
            Members {
                me: dana,
                other: alex,
            }
        }
    }

    /// The space with a log: each member writes through their own context, and what they
    /// write is folded in at the next position.
    pub struct World {
        pub space: Space,
        pub log: Vec<Op>,
        pub alex: OpContext,
        pub dana: OpContext,
    }

    impl World {
        pub fn new(today: &str) -> World {
            let ctx = |author: Uuid, first_id: u128| OpContext {
                space: SPACE,
                author,
                device: SERVER,
                today: day(today),
                last: Hlc::ZERO,
                wall_ms: WALL,
                ids: Ids::Counter(first_id),
            };
            World {
                space: Space::new(SPACE),
                log: Vec::new(),
                alex: ctx(ALEX, 0x1000),
                dana: ctx(DANA, 0x2000),
            }
        }

        /// Both members' date is now `today`, their wall clock a day later per day.
        pub fn on(&mut self, today: &str) {
            let d = day(today);
            let days = (d - self.alex.today).get_days() as i64;
            for ctx in [&mut self.alex, &mut self.dana] {
                ctx.today = d;
                ctx.wall_ms = (ctx.wall_ms as i64 + days * 86_400_000) as u64;
            }
        }

        pub fn ctx(&mut self, who: Uuid) -> &mut OpContext {
            if who == ALEX {
                &mut self.alex
            } else {
                &mut self.dana
            }
        }

        /// Folds the operations in, and gives back the record the first one is on.
        pub fn apply(&mut self, ops: Result<Vec<Op>, SpaceError>) -> Uuid {
            let ops = ops.expect("valid input");
            let first = ops.first().map(|o| o.record).unwrap_or_default();
            for op in ops {
                op.check().expect("a well-made operation");
                let position = self.log.len() as i64 + 1;
                self.space.apply(&op, position);
                self.log.push(op);
            }
            first
        }

        /// `build` as `who`, with the space as it stands.
        pub fn by(
            &mut self,
            who: Uuid,
            build: impl FnOnce(&mut OpContext, &Space) -> Result<Vec<Op>, SpaceError>,
        ) -> Uuid {
            let space = self.space.clone();
            let ops = build(self.ctx(who), &space);
            self.apply(ops)
        }
    }
}
