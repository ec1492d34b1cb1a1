//! Writing a team server's spaces as the server writes them, for the server benchmarks
//! (`server_org`, `sync_spaces`): every change built by upward-space's builders, admitted and
//! folded as the server does, appended to the space's log (`ServerTx::append_ops`) and its
//! folded records stored (`put_record`). So the server reads them as its own.

use anyhow::Result;
use jiff::civil::Date;
use upward_server_store::{OpRow, RecordRow, ServerTx, Space as SpaceRow};
use upward_space::{Hlc, Ids, Op, OpContext, Space, admit};
use uuid::Uuid;

/// The start of `d` in UTC.
pub fn midnight(d: Date) -> Result<jiff::Timestamp> {
    let days = d.since(Date::constant(1970, 1, 1))?.get_days();
    Ok(jiff::Timestamp::from_second(i64::from(days) * 86_400)?)
}

/// A member's side of the space being written: who, and their context for the builders.
pub struct Writer<'a> {
    pub space: &'a mut Space,
    pub log: &'a mut Vec<Op>,
    pub space_id: Uuid,
    pub device: Uuid,
    pub clock: &'a mut Hlc,
    /// The log stops growing at this many operations: the operations of a change past it
    /// are dropped (a prefix of the log is a log).
    pub limit: usize,
}

impl Writer<'_> {
    /// Builds a change as `author` on `day`, admits each operation as the server does and
    /// folds it in at the next position. Gives back the operations logged.
    pub fn by(
        &mut self,
        author: Uuid,
        day: Date,
        build: impl FnOnce(&mut OpContext, &Space) -> Result<Vec<Op>, upward_space::SpaceError>,
    ) -> Result<Vec<Op>> {
        let wall_ms = (midnight(day)?.as_millisecond() + 9 * 3_600_000) as u64;
        let mut ctx = OpContext {
            space: self.space_id,
            author,
            device: self.device,
            today: day,
            last: *self.clock,
            wall_ms,
            ids: Ids::Random,
        };
        let mut ops = build(&mut ctx, self.space).map_err(|e| anyhow::anyhow!("{e}"))?;
        *self.clock = ctx.last;
        ops.truncate(self.limit.saturating_sub(self.log.len()));
        for op in &ops {
            admit(self.space.record(op.record), op).map_err(|e| anyhow::anyhow!("{e}"))?;
            let position = self.log.len() as i64 + 1;
            self.space.apply(op, position);
            self.log.push(op.clone());
        }
        Ok(ops)
    }

    /// Whether the log is full.
    pub fn full(&self) -> bool {
        self.log.len() >= self.limit
    }
}

/// Stores a space written by a [`Writer`]: its row, its log and its folded records.
pub fn store_space(
    tx: &mut dyn ServerTx,
    row: &SpaceRow,
    ops: &[Op],
    space: &Space,
) -> upward_server_store::Result<()> {
    tx.insert_space(row)?;
    let rows: Vec<OpRow> = ops
        .iter()
        .map(|op| {
            let e = op.envelope();
            OpRow {
                space: row.id,
                position: 0,
                id: e.id,
                record: e.record,
                record_type: e.record_type.as_str().to_string(),
                action: e.action.as_str().to_string(),
                author: e.author,
                device: e.device,
                clock: e.clock.0,
                protocol: i32::from(e.protocol),
                payload: op.payload_bytes(),
            }
        })
        .collect();
    let positions = tx.append_ops(row.id, &rows)?;
    debug_assert!(positions.iter().copied().eq(1..=rows.len() as i64));
    for r in space.records() {
        tx.put_record(&RecordRow {
            space: row.id,
            id: r.record.id,
            record_type: r.record.record_type.as_str().to_string(),
            seq: r.seq,
            removed: r.record.is_removed(),
            state: r.record.to_bytes(),
        })?;
    }
    Ok(())
}
