//! What a 1:1 changed, records removed for good (tombstones) and requests declined, each with
//! its one row binding, by column name.

use crate::{Result, Tx, parse_col};
use rusqlite::{OptionalExtension, Row, named_params};
use upward_domain::{Decline, Effect, PersonRef, Tombstone};
use upward_store::StoreError;
use uuid::Uuid;

fn required<T: std::str::FromStr>(r: &Row, table: &str, column: &str) -> Result<T> {
    let what = format!("{table}.{column}");
    Ok(parse_col(r.get(column)?, &what)?.ok_or(StoreError::Corrupt(what))?)
}

fn json(r: &Row, table: &str, column: &str) -> Result<serde_json::Value> {
    let text: String = r.get(column)?;
    Ok(
        serde_json::from_str(&text)
            .map_err(|_| StoreError::Corrupt(format!("{table}.{column}")))?,
    )
}

impl Tx<'_> {
    fn row_of(&self, table: &str, uuid: Uuid) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached(&format!("SELECT id FROM {table} WHERE uuid = ?1"))?
            .query_row([uuid.to_string()], |r| r.get(0))
            .optional()?)
    }

    pub(crate) fn insert_effects_(&self, effects: &[Effect]) -> Result<()> {
        self.writing()?;
        for e in effects {
            let meeting = self.row_of("meetings", e.meeting)?.ok_or_else(|| {
                StoreError::NotFound(format!("no meeting with uuid {}", e.meeting))
            })?;
            let item = self
                .row_of("items", e.item)?
                .ok_or_else(|| StoreError::NotFound(format!("no item with uuid {}", e.item)))?;
            self.conn
                .prepare_cached(
                    "INSERT INTO meeting_effects (meeting_id, item_id, field, before, after)
                     VALUES (:meeting_id, :item_id, :field, :before, :after)",
                )?
                .execute(named_params! {
                    ":meeting_id": meeting,
                    ":item_id": item,
                    ":field": e.field,
                    ":before": e.before.to_string(),
                    ":after": e.after.to_string(),
                })?;
        }
        Ok(())
    }

    pub(crate) fn effects_(&self, meeting: Option<Uuid>) -> Result<Vec<Effect>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT m.uuid AS meeting_uuid, i.uuid AS item_uuid, e.field, e.before, e.after
               FROM meeting_effects e
               JOIN meetings m ON m.id = e.meeting_id
               JOIN items i ON i.id = e.item_id
              WHERE ?1 IS NULL OR m.uuid = ?1
              ORDER BY e.rowid",
        )?;
        let mut rows = stmt.query([meeting.map(|m| m.to_string())])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(Effect {
                meeting: required(r, "meeting_effects", "meeting_uuid")?,
                item: required(r, "meeting_effects", "item_uuid")?,
                field: r.get("field")?,
                before: json(r, "meeting_effects", "before")?,
                after: json(r, "meeting_effects", "after")?,
            });
        }
        Ok(out)
    }

    pub(crate) fn remove_meeting_(&self, t: &Tombstone) -> Result<()> {
        self.writing()?;
        if let Some(id) = self.row_of("meetings", t.uuid)? {
            for sql in [
                "DELETE FROM meeting_effects WHERE meeting_id = ?1",
                "DELETE FROM meeting_items WHERE meeting_id = ?1",
                "UPDATE items SET meeting_id = NULL WHERE meeting_id = ?1",
                "DELETE FROM meetings WHERE id = ?1",
            ] {
                self.conn.prepare_cached(sql)?.execute([id])?;
            }
        }
        self.conn
            .prepare_cached(
                "INSERT OR IGNORE INTO tombstones (uuid, kind, removed_at)
                 VALUES (:uuid, :kind, :removed_at)",
            )?
            .execute(named_params! {
                ":uuid": t.uuid.to_string(),
                ":kind": t.kind,
                ":removed_at": t.removed_at.to_string(),
            })?;
        Ok(())
    }

    pub(crate) fn tombstones_(&self) -> Result<Vec<Tombstone>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT * FROM tombstones ORDER BY removed_at, uuid")?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(Tombstone {
                uuid: required(r, "tombstones", "uuid")?,
                kind: r.get("kind")?,
                removed_at: required(r, "tombstones", "removed_at")?,
            });
        }
        Ok(out)
    }

    pub(crate) fn insert_decline_(&self, d: &Decline) -> Result<Decline> {
        self.writing()?;
        let person_id = self.person_row(d.person.uuid)?;
        let alternatives = serde_json::to_string(&d.alternatives)
            .map_err(|e| StoreError::Backend(e.to_string()))?;
        self.conn
            .prepare_cached(
                "INSERT INTO declines (id, uuid, person_id, date, title, reason, alternatives,
                                       after, text, created_at)
                 VALUES (:id, :uuid, :person_id, :date, :title, :reason, :alternatives,
                         :after, :text, :created_at)",
            )?
            .execute(named_params! {
                ":id": (d.id != 0).then_some(d.id),
                ":uuid": d.uuid.to_string(),
                ":person_id": person_id,
                ":date": d.date.to_string(),
                ":title": d.title,
                ":reason": d.reason,
                ":alternatives": alternatives,
                ":after": d.after.map(|a| a.to_string()),
                ":text": d.text,
                ":created_at": d.created_at.to_string(),
            })?;
        Ok(Decline {
            id: self.conn.last_insert_rowid(),
            ..d.clone()
        })
    }

    pub(crate) fn declines_(&self) -> Result<Vec<Decline>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.*, who.uuid AS person_uuid, who.name AS person_name
               FROM declines d JOIN people who ON who.id = d.person_id
              ORDER BY d.date, d.id",
        )?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let alternatives: String = r.get("alternatives")?;
            out.push(Decline {
                id: r.get("id")?,
                uuid: required(r, "declines", "uuid")?,
                person: PersonRef {
                    uuid: required(r, "declines", "person_uuid")?,
                    name: r.get("person_name")?,
                },
                date: required(r, "declines", "date")?,
                title: r.get("title")?,
                reason: r.get("reason")?,
                alternatives: serde_json::from_str(&alternatives)
                    .map_err(|_| StoreError::Corrupt("declines.alternatives".into()))?,
                after: parse_col(r.get("after")?, "declines.after")?,
                text: r.get("text")?,
                created_at: required(r, "declines", "created_at")?,
            });
        }
        Ok(out)
    }
}
