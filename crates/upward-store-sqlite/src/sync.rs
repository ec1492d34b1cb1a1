//! What sync keeps beside the workspace (docs/sync.md, "The workspace's side"): this device's
//! UUID, a link per space, the log of operations and the space's records as this replica
//! folded them. Each table has its one row binding, by column name. None of it is part of the
//! export: the export is the workspace, not the replica.

use crate::{Result, Tx, parse_col};
use rusqlite::{OptionalExtension, Row, named_params};
use upward_store::{StoreError, SyncLink, SyncOp};
use uuid::Uuid;

fn uuid_col(r: &Row, table: &str, column: &str) -> Result<Uuid> {
    let what = format!("{table}.{column}");
    parse_col(r.get(column)?, &what)?.ok_or_else(|| StoreError::Corrupt(what).into())
}

fn link_from_row(r: &Row) -> Result<SyncLink> {
    let clock: i64 = r.get("clock")?;
    Ok(SyncLink {
        space: uuid_col(r, "sync_spaces", "space")?,
        server: r.get("server")?,
        person: uuid_col(r, "sync_spaces", "person")?,
        me: uuid_col(r, "sync_spaces", "me")?,
        other: uuid_col(r, "sync_spaces", "other")?,
        my_role: r.get("my_role")?,
        cursor: r.get("cursor")?,
        clock: u64::try_from(clock)
            .map_err(|_| StoreError::Corrupt(format!("sync_spaces.clock = {clock}")))?,
        status: r.get("status")?,
        made: r.get("made")?,
    })
}

fn op_from_row(r: &Row) -> Result<SyncOp> {
    Ok(SyncOp {
        id: uuid_col(r, "sync_ops", "id")?,
        space: uuid_col(r, "sync_ops", "space")?,
        seq: r.get("seq")?,
        envelope: r.get("envelope")?,
        payload: r.get("payload")?,
        position: r.get("position")?,
        pushed: r.get("pushed")?,
        applied: r.get("applied")?,
    })
}

/// A hybrid clock as SQLite stores it: an INTEGER is signed, and a clock never needs the top
/// bit (it counts from 1970 in units far below 2^63).
fn clock_param(clock: u64) -> Result<i64> {
    i64::try_from(clock).map_err(|_| {
        StoreError::Backend(format!(
            "the clock {clock} is beyond what a workspace stores"
        ))
        .into()
    })
}

impl Tx<'_> {
    pub(crate) fn device_(&self) -> Result<Option<Uuid>> {
        let device: Option<String> = self
            .conn
            .prepare_cached("SELECT device FROM sync_device WHERE one = 1")?
            .query_row([], |r| r.get("device"))
            .optional()?;
        parse_col(device, "sync_device.device")
    }

    pub(crate) fn set_device_(&self, device: Uuid) -> Result<()> {
        self.writing()?;
        self.conn
            .prepare_cached(
                "INSERT INTO sync_device (one, device) VALUES (1, :device)
                 ON CONFLICT (one) DO UPDATE SET device = excluded.device",
            )?
            .execute(named_params! { ":device": device.to_string() })?;
        Ok(())
    }

    pub(crate) fn sync_links_(&self) -> Result<Vec<SyncLink>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT * FROM sync_spaces ORDER BY space")?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(link_from_row(r)?);
        }
        Ok(out)
    }

    pub(crate) fn put_sync_link_(&self, l: &SyncLink) -> Result<()> {
        self.writing()?;
        self.conn
            .prepare_cached(
                "INSERT OR REPLACE INTO sync_spaces
                        (space, server, person, me, other, my_role, cursor, clock, status,
                         made)
                 VALUES (:space, :server, :person, :me, :other, :my_role, :cursor, :clock,
                         :status, :made)",
            )?
            .execute(named_params! {
                ":space": l.space.to_string(),
                ":server": l.server,
                ":person": l.person.to_string(),
                ":me": l.me.to_string(),
                ":other": l.other.to_string(),
                ":my_role": l.my_role,
                ":cursor": l.cursor,
                ":clock": clock_param(l.clock)?,
                ":status": l.status,
                ":made": l.made,
            })?;
        Ok(())
    }

    pub(crate) fn delete_sync_space_(&self, space: Uuid) -> Result<()> {
        self.writing()?;
        let space = space.to_string();
        for sql in [
            "DELETE FROM sync_records WHERE space = ?1",
            "DELETE FROM sync_ops WHERE space = ?1",
            "DELETE FROM sync_spaces WHERE space = ?1",
        ] {
            self.conn.prepare_cached(sql)?.execute([&space])?;
        }
        Ok(())
    }

    pub(crate) fn sync_op_(&self, id: Uuid) -> Result<Option<SyncOp>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT * FROM sync_ops WHERE id = ?1")?;
        let mut rows = stmt.query([id.to_string()])?;
        match rows.next()? {
            Some(r) => Ok(Some(op_from_row(r)?)),
            None => Ok(None),
        }
    }

    pub(crate) fn insert_sync_op_(&self, op: &SyncOp) -> Result<bool> {
        self.writing()?;
        // The log's order is `seq`, assigned here: an operation's own `seq` is not kept.
        let n = self
            .conn
            .prepare_cached(
                "INSERT INTO sync_ops (id, space, envelope, payload, position, pushed, applied)
                 VALUES (:id, :space, :envelope, :payload, :position, :pushed, :applied)
                 ON CONFLICT (id) DO NOTHING",
            )?
            .execute(named_params! {
                ":id": op.id.to_string(),
                ":space": op.space.to_string(),
                ":envelope": op.envelope,
                ":payload": op.payload,
                ":position": op.position,
                ":pushed": op.pushed,
                ":applied": op.applied,
            })?;
        Ok(n == 1)
    }

    pub(crate) fn update_sync_op_(&self, op: &SyncOp) -> Result<()> {
        self.writing()?;
        let n = self
            .conn
            .prepare_cached(
                "UPDATE sync_ops SET position = :position, pushed = :pushed, applied = :applied
                  WHERE id = :id",
            )?
            .execute(named_params! {
                ":id": op.id.to_string(),
                ":position": op.position,
                ":pushed": op.pushed,
                ":applied": op.applied,
            })?;
        if n == 0 {
            return Err(
                StoreError::NotFound(format!("no operation {} in the sync log", op.id)).into(),
            );
        }
        Ok(())
    }

    /// The operations a query selects, in log order.
    fn ops(&self, sql: &str, params: impl rusqlite::Params) -> Result<Vec<SyncOp>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query(params)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(op_from_row(r)?);
        }
        Ok(out)
    }

    pub(crate) fn unpushed_ops_(&self, space: Uuid) -> Result<Vec<SyncOp>> {
        self.ops(
            "SELECT * FROM sync_ops WHERE space = ?1 AND NOT pushed ORDER BY seq",
            [space.to_string()],
        )
    }

    pub(crate) fn sync_ops_(&self, space: Uuid) -> Result<Vec<SyncOp>> {
        self.ops(
            "SELECT * FROM sync_ops WHERE space = ?1 ORDER BY seq",
            [space.to_string()],
        )
    }

    pub(crate) fn unapplied_ops_(&self) -> Result<Vec<SyncOp>> {
        self.ops("SELECT * FROM sync_ops WHERE NOT applied ORDER BY seq", [])
    }

    pub(crate) fn sync_record_(&self, space: Uuid, record: Uuid) -> Result<Option<Vec<u8>>> {
        Ok(self
            .conn
            .prepare_cached("SELECT state FROM sync_records WHERE space = ?1 AND record = ?2")?
            .query_row([space.to_string(), record.to_string()], |r| r.get("state"))
            .optional()?)
    }

    pub(crate) fn sync_records_(&self, space: Uuid) -> Result<Vec<(Uuid, Vec<u8>)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT record, state FROM sync_records WHERE space = ?1 ORDER BY record",
        )?;
        let mut rows = stmt.query([space.to_string()])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push((uuid_col(r, "sync_records", "record")?, r.get("state")?));
        }
        Ok(out)
    }

    pub(crate) fn put_sync_record_(&self, space: Uuid, record: Uuid, state: &[u8]) -> Result<()> {
        self.writing()?;
        self.conn
            .prepare_cached(
                "INSERT INTO sync_records (space, record, state) VALUES (:space, :record, :state)
                 ON CONFLICT (space, record) DO UPDATE SET state = excluded.state",
            )?
            .execute(named_params! {
                ":space": space.to_string(),
                ":record": record.to_string(),
                ":state": state,
            })?;
        Ok(())
    }
}
