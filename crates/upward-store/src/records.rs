//! Meetings, updates sent and reflections, and the [`Snapshot`] the workflows read.

use crate::{Result, StoreError, Tx, parse_col};
use jiff::civil::Date;
use rusqlite::params;
use std::collections::BTreeMap;
use upward_domain::{Kind, Meeting, Reflection, Snapshot, UpdateSent};

/// How much of the database a snapshot holds. Open items are always there; closed ones only
/// from `closed_since` on (all of them when `None`), so everyday commands stay instant on a
/// database of many years.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scope {
    pub closed_since: Option<Date>,
}

impl Tx<'_> {
    /// Records a meeting and the items discussed at it. An id of 0 takes the next free id.
    pub fn insert_meeting(&self, m: &Meeting) -> Result<Meeting> {
        let person_id = self.person_id(&m.person)?;
        self.conn.execute(
            "INSERT INTO meetings (id, uuid, person_id, date, notes, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                (m.id != 0).then_some(m.id),
                m.uuid.to_string(),
                person_id,
                m.date.to_string(),
                m.notes,
                m.created_at.to_string()
            ],
        )?;
        let id = self.conn.last_insert_rowid();
        self.link_discussed(id, &m.discussed)?;
        Ok(Meeting { id, ..m.clone() })
    }

    /// Records that items were discussed at a meeting.
    pub(crate) fn link_discussed(&self, meeting: i64, items: &[i64]) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(
            "INSERT OR IGNORE INTO meeting_items (meeting_id, item_id) VALUES (?1, ?2)",
        )?;
        for item in items {
            stmt.execute(params![meeting, item]).map_err(|_| {
                StoreError::NotFound(format!("no item #{item} to mark as discussed"))
            })?;
        }
        Ok(())
    }

    pub fn meetings(&self) -> Result<Vec<Meeting>> {
        self.meetings_discussed_since(None)
    }

    /// The date of the last 1:1 with a person (by exact name, case-insensitive).
    pub fn last_meeting(&self, person: &str) -> Result<Option<Date>> {
        let date: Option<String> = self.conn.query_row(
            "SELECT max(date) FROM meetings
              WHERE person_id = (SELECT id FROM people WHERE name_key = ?1)",
            [crate::people::name_key(person)],
            |r| r.get(0),
        )?;
        parse_col(date, "meetings.date")
    }

    /// Every meeting; the items discussed only at those on or after `since` (all when `None`).
    fn meetings_discussed_since(&self, since: Option<Date>) -> Result<Vec<Meeting>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT m.id, m.uuid, p.name, m.date, m.notes, m.created_at,
                CASE WHEN ?1 IS NULL OR m.date >= ?1 THEN
                    (SELECT group_concat(item_id) FROM meeting_items WHERE meeting_id = m.id)
                END
             FROM meetings m JOIN people p ON p.id = m.person_id ORDER BY m.date, m.id",
        )?;
        let mut rows = stmt.query([since.map(|d| d.to_string())])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let discussed: Option<String> = r.get(6)?;
            let mut discussed: Vec<i64> = discussed
                .unwrap_or_default()
                .split(',')
                .filter(|s| !s.is_empty())
                .map(|s| {
                    s.parse()
                        .map_err(|_| StoreError::Corrupt("meeting_items".into()))
                })
                .collect::<Result<_>>()?;
            discussed.sort_unstable();
            out.push(Meeting {
                id: r.get(0)?,
                uuid: parse_col(r.get(1)?, "meetings.uuid")?.unwrap_or_default(),
                person: r.get(2)?,
                date: parse_col(r.get(3)?, "meetings.date")?.unwrap_or_default(),
                notes: r.get(4)?,
                discussed,
                created_at: parse_col(r.get(5)?, "meetings.created_at")?.unwrap_or_default(),
            });
        }
        Ok(out)
    }

    pub fn insert_update(&self, u: &UpdateSent) -> Result<UpdateSent> {
        let person_id = self.person_id(&u.person)?;
        self.conn.execute(
            "INSERT INTO updates (id, uuid, person_id, date, channel, text, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                (u.id != 0).then_some(u.id),
                u.uuid.to_string(),
                person_id,
                u.date.to_string(),
                u.channel.as_str(),
                u.text,
                u.created_at.to_string()
            ],
        )?;
        Ok(UpdateSent {
            id: self.conn.last_insert_rowid(),
            ..u.clone()
        })
    }

    pub fn updates(&self) -> Result<Vec<UpdateSent>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT u.id, u.uuid, p.name, u.date, u.channel, u.text, u.created_at
             FROM updates u JOIN people p ON p.id = u.person_id ORDER BY u.date, u.id",
        )?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(UpdateSent {
                id: r.get(0)?,
                uuid: parse_col(r.get(1)?, "updates.uuid")?.unwrap_or_default(),
                person: r.get(2)?,
                date: parse_col(r.get(3)?, "updates.date")?.unwrap_or_default(),
                channel: parse_col(r.get(4)?, "updates.channel")?
                    .ok_or_else(|| StoreError::Corrupt("updates.channel".into()))?,
                text: r.get(5)?,
                created_at: parse_col(r.get(6)?, "updates.created_at")?.unwrap_or_default(),
            });
        }
        Ok(out)
    }

    pub fn insert_reflection(&self, r: &Reflection) -> Result<Reflection> {
        let person_id = self.person_id(&r.person)?;
        self.conn.execute(
            "INSERT INTO reflections (id, uuid, person_id, date, scores, answers, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                (r.id != 0).then_some(r.id),
                r.uuid.to_string(),
                person_id,
                r.date.to_string(),
                serde_json::to_string(&r.scores).unwrap_or_default(),
                serde_json::to_string(&r.answers).unwrap_or_default(),
                r.created_at.to_string()
            ],
        )?;
        Ok(Reflection {
            id: self.conn.last_insert_rowid(),
            ..r.clone()
        })
    }

    pub fn reflections(&self) -> Result<Vec<Reflection>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.id, r.uuid, p.name, r.date, r.scores, r.answers, r.created_at
             FROM reflections r JOIN people p ON p.id = r.person_id ORDER BY r.date, r.id",
        )?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let scores: String = r.get(4)?;
            let answers: String = r.get(5)?;
            out.push(Reflection {
                id: r.get(0)?,
                uuid: parse_col(r.get(1)?, "reflections.uuid")?.unwrap_or_default(),
                person: r.get(2)?,
                date: parse_col(r.get(3)?, "reflections.date")?.unwrap_or_default(),
                scores: serde_json::from_str::<BTreeMap<String, u8>>(&scores)
                    .map_err(|_| StoreError::Corrupt("reflections.scores".into()))?,
                answers: serde_json::from_str::<BTreeMap<String, String>>(&answers)
                    .map_err(|_| StoreError::Corrupt("reflections.answers".into()))?,
                created_at: parse_col(r.get(6)?, "reflections.created_at")?.unwrap_or_default(),
            });
        }
        Ok(out)
    }

    /// What the workflows look at: all people, meetings, updates and reflections; open items;
    /// closed items as `scope` says. Meetings before `closed_since` come without the ids of
    /// the items discussed at them: those items are closed and left out too.
    pub fn snapshot(&self, scope: Scope) -> Result<Snapshot> {
        self.snapshot_of(scope, Kind::ALL)
    }

    /// A [`snapshot`](Self::snapshot) holding only items of `kinds`: the kinds the rule it is
    /// for reads (`upward_domain::workflow::prep::KINDS`, …).
    pub fn snapshot_of(&self, scope: Scope, kinds: &[Kind]) -> Result<Snapshot> {
        // The kinds are a closed vocabulary, so they are written into the SQL as literals.
        let of_kinds = if Kind::ALL.iter().all(|k| kinds.contains(k)) {
            None
        } else {
            let list: Vec<String> = kinds.iter().map(|k| format!("'{}'", k.as_str())).collect();
            Some(format!("kind IN ({})", list.join(", ")))
        };
        let items = match (scope.closed_since, &of_kinds) {
            (None, None) => self.query_items("ORDER BY items.id", &[])?,
            (None, Some(of_kinds)) => {
                self.query_items(&format!("WHERE {of_kinds} ORDER BY items.id"), &[])?
            }
            (Some(since), _) => {
                // One indexed lookup per condition: written as one OR, SQLite scans the whole
                // table. `updated_at` is RFC 3339, so comparing it with a date compares its
                // date. The kind is in every index used, so other kinds cost no row reads.
                let and_kinds = of_kinds
                    .as_ref()
                    .map(|k| format!(" AND {k}"))
                    .unwrap_or_default();
                let since = since.to_string();
                self.query_items(
                    &format!(
                        "WHERE items.id IN (
                            SELECT id FROM items WHERE status = 'open'{and_kinds}
                            UNION SELECT id FROM items WHERE done >= ?1{and_kinds}
                            UNION SELECT id FROM items WHERE date >= ?1{and_kinds}
                            UNION SELECT id FROM items WHERE updated_at >= ?1{and_kinds})
                         ORDER BY items.id"
                    ),
                    &[&since],
                )?
            }
        };
        Ok(Snapshot {
            people: self.people(true)?,
            items,
            meetings: self.meetings_discussed_since(scope.closed_since)?,
            updates: self.updates()?,
            reflections: self.reflections()?,
        })
    }
}
