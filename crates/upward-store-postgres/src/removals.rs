//! What a 1:1 changed, records removed for good (tombstones) and requests declined, each with
//! its one row binding, by column name.

use crate::convert::{date_col, date_req, get, parsed_req, pg_date, storable, text};
use crate::{Result, Tx, Values};
use postgres::Row;
use postgres::types::Json;
use upward_domain::{Decline, Effect, PersonRef, Tombstone};
use upward_store::StoreError;
use uuid::Uuid;

fn json(r: &Row, column: &str) -> Result<serde_json::Value> {
    let text: String = get(r, column)?;
    serde_json::from_str(&text)
        .map_err(|_| StoreError::Corrupt(format!("meeting_effects.{column}")))
}

fn decline_from_row(r: &Row) -> Result<Decline> {
    let Json(alternatives): Json<Vec<String>> = get(r, "alternatives")?;
    Ok(Decline {
        id: get(r, "id")?,
        uuid: get(r, "uuid")?,
        person: PersonRef {
            uuid: get(r, "person")?,
            name: get(r, "person_name")?,
        },
        date: date_req(r, "date")?,
        title: get(r, "title")?,
        reason: get(r, "reason")?,
        alternatives,
        after: date_col(r, "after")?,
        text: get(r, "text")?,
        created_at: parsed_req(r, "created_at")?,
    })
}

fn decline_params(d: &Decline) -> Values {
    vec![
        ("uuid", Box::new(d.uuid)),
        ("person", Box::new(d.person.uuid)),
        ("date", Box::new(pg_date(Some(d.date)))),
        ("title", Box::new(d.title.clone())),
        ("reason", Box::new(d.reason.clone())),
        ("alternatives", Box::new(Json(d.alternatives.clone()))),
        ("after", Box::new(pg_date(d.after))),
        ("text", Box::new(text(&d.text))),
        ("created_at", Box::new(d.created_at.to_string())),
    ]
}

impl Tx<'_> {
    pub(crate) fn insert_effects_(&self, effects: &[Effect]) -> Result<()> {
        // Checked first: PostgreSQL aborts the transaction on a failed statement.
        for e in effects {
            if !self.exists("meetings", e.meeting)? {
                return Err(StoreError::NotFound(format!(
                    "no meeting with uuid {}",
                    e.meeting
                )));
            }
            if !self.exists("items", e.item)? {
                return Err(StoreError::NotFound(format!(
                    "no item with uuid {}",
                    e.item
                )));
            }
            storable(&e.field)?;
        }
        for e in effects {
            let inserted = self.execute(
                "INSERT INTO meeting_effects (workspace, meeting, item, field, before, after)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT DO NOTHING",
                &[
                    &self.ws,
                    &e.meeting,
                    &e.item,
                    &e.field,
                    &e.before.to_string(),
                    &e.after.to_string(),
                ],
            )?;
            if inserted == 0 {
                return Err(StoreError::Conflict(format!(
                    "the change of {} by meeting {} to item {} is already recorded",
                    e.field, e.meeting, e.item
                )));
            }
        }
        Ok(())
    }

    pub(crate) fn effects_(&self, meeting: Option<Uuid>) -> Result<Vec<Effect>> {
        self.rows(
            "SELECT meeting, item, field, before, after FROM meeting_effects
              WHERE workspace = $1 AND ($2::uuid IS NULL OR meeting = $2)
              ORDER BY seq",
            &[&self.ws, &meeting],
        )?
        .iter()
        .map(|r| {
            Ok(Effect {
                meeting: get(r, "meeting")?,
                item: get(r, "item")?,
                field: get(r, "field")?,
                before: json(r, "before")?,
                after: json(r, "after")?,
            })
        })
        .collect()
    }

    pub(crate) fn remove_meeting_(&self, t: &Tombstone) -> Result<()> {
        storable(&t.kind)?;
        for sql in [
            "DELETE FROM meeting_effects WHERE workspace = $1 AND meeting = $2",
            "DELETE FROM meeting_items WHERE workspace = $1 AND meeting = $2",
            "UPDATE items SET meeting = NULL WHERE workspace = $1 AND meeting = $2",
            "DELETE FROM meetings WHERE workspace = $1 AND uuid = $2",
        ] {
            self.execute(sql, &[&self.ws, &t.uuid])?;
        }
        self.execute(
            "INSERT INTO tombstones (workspace, uuid, kind, removed_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING",
            &[&self.ws, &t.uuid, &t.kind, &t.removed_at.to_string()],
        )?;
        Ok(())
    }

    pub(crate) fn tombstones_(&self) -> Result<Vec<Tombstone>> {
        self.rows(
            "SELECT uuid, kind, removed_at FROM tombstones WHERE workspace = $1
              ORDER BY removed_at, uuid",
            &[&self.ws],
        )?
        .iter()
        .map(|r| {
            Ok(Tombstone {
                uuid: get(r, "uuid")?,
                kind: get(r, "kind")?,
                removed_at: parsed_req(r, "removed_at")?,
            })
        })
        .collect()
    }

    pub(crate) fn insert_decline_(&self, d: &Decline) -> Result<Decline> {
        for t in [&d.title, &d.reason].into_iter().chain(&d.alternatives) {
            storable(t)?;
        }
        let id = self.insert_record(
            "declines",
            "decline",
            (d.uuid, d.id, d.person.uuid),
            &decline_params(d),
        )?;
        Ok(Decline { id, ..d.clone() })
    }

    pub(crate) fn declines_(&self) -> Result<Vec<Decline>> {
        self.rows(
            "SELECT d.*, p.name AS person_name
               FROM declines d JOIN people p ON p.workspace = d.workspace AND p.uuid = d.person
              WHERE d.workspace = $1
              ORDER BY d.date, d.id",
            &[&self.ws],
        )?
        .iter()
        .map(decline_from_row)
        .collect()
    }
}
