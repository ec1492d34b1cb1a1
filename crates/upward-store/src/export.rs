//! Export and import of the whole database as the versioned JSON document of
//! `upward_domain::export`. Import into an empty database keeps every id, so export → import
//! → export is identical; `merge` matches records on their UUIDs and keeps the newer item.

use crate::{Result, StoreError, Tx};
use jiff::Timestamp;
use serde::Serialize;
use std::collections::HashMap;
use upward_domain::export::{Export, FORMAT, VERSION};
use upward_domain::{Meeting, same_name};

/// What an import did, for the user.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ImportReport {
    pub people_added: usize,
    pub items_added: usize,
    pub items_updated: usize,
    pub items_unchanged: usize,
    pub meetings_added: usize,
    pub updates_added: usize,
    pub reflections_added: usize,
}

impl Tx<'_> {
    pub fn export(&self, now: Timestamp) -> Result<Export> {
        let snap = self.snapshot(Default::default())?;
        Ok(Export {
            format: FORMAT.to_string(),
            version: VERSION,
            exported: now,
            people: snap.people,
            items: snap.items,
            meetings: snap.meetings,
            updates: snap.updates,
            reflections: snap.reflections,
        })
    }

    /// Imports a validated export. Without `merge` the database must be empty.
    pub fn import(&self, doc: &Export, merge: bool) -> Result<ImportReport> {
        doc.validate()?;
        let empty = self.is_empty()?;
        if !empty && !merge {
            return Err(StoreError::Conflict(
                "the database is not empty — import into a new --db, or add --merge to merge by uuid".into(),
            ));
        }
        let mut report = ImportReport::default();

        // People: by uuid, else by name (names are unique), else added.
        let existing = self.people(true)?;
        let mut names: HashMap<String, String> = HashMap::new();
        for p in &doc.people {
            let local = existing
                .iter()
                .find(|e| e.uuid == p.uuid)
                .or_else(|| existing.iter().find(|e| same_name(&e.name, &p.name)));
            match local {
                Some(l) => {
                    names.insert(p.name.to_lowercase(), l.name.clone());
                }
                None => {
                    let mut p = p.clone();
                    if p.is_me && self.me()?.is_some() {
                        p.is_me = false;
                    }
                    self.add_person(&p)?;
                    names.insert(p.name.to_lowercase(), p.name.clone());
                    report.people_added += 1;
                }
            }
        }
        let name = |n: &String| {
            names
                .get(&n.to_lowercase())
                .cloned()
                .unwrap_or_else(|| n.clone())
        };

        // Meetings first (items refer to them), their discussed items once items exist.
        let mut meeting_ids: HashMap<i64, i64> = HashMap::new();
        let mut new_meetings: Vec<&Meeting> = Vec::new();
        for m in &doc.meetings {
            let local: Option<i64> = self
                .conn
                .query_row(
                    "SELECT id FROM meetings WHERE uuid = ?1",
                    [m.uuid.to_string()],
                    |r| r.get(0),
                )
                .ok();
            let id = match local {
                Some(id) => id,
                None => {
                    let stored = self.insert_meeting(&Meeting {
                        id: if empty { m.id } else { 0 },
                        person: name(&m.person),
                        discussed: Vec::new(),
                        ..m.clone()
                    })?;
                    new_meetings.push(m);
                    report.meetings_added += 1;
                    stored.id
                }
            };
            meeting_ids.insert(m.id, id);
        }

        let mut item_ids: HashMap<i64, i64> = HashMap::new();
        for item in &doc.items {
            let mut item = item.clone();
            item.person = item.person.as_ref().map(&name);
            item.meeting = item.meeting.and_then(|m| meeting_ids.get(&m).copied());
            let local: Option<(i64, String)> = self
                .conn
                .query_row(
                    "SELECT id, updated_at FROM items WHERE uuid = ?1",
                    [item.uuid.to_string()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .ok();
            match local {
                Some((id, updated)) => {
                    item_ids.insert(item.id, id);
                    let local_updated: Option<Timestamp> = updated.parse().ok();
                    if local_updated.is_none_or(|l| item.updated_at > l) {
                        item.id = id;
                        self.update_item(&item)?;
                        report.items_updated += 1;
                    } else {
                        report.items_unchanged += 1;
                    }
                }
                None => {
                    let old = item.id;
                    if !empty {
                        item.id = 0;
                    }
                    let stored = self.insert_item(&item)?;
                    item_ids.insert(old, stored.id);
                    report.items_added += 1;
                }
            }
        }
        for m in new_meetings {
            let discussed: Vec<i64> = m
                .discussed
                .iter()
                .filter_map(|i| item_ids.get(i).copied())
                .collect();
            self.link_discussed(meeting_ids[&m.id], &discussed)?;
        }

        for u in &doc.updates {
            let known: bool = self.conn.query_row(
                "SELECT count(*) FROM updates WHERE uuid = ?1",
                [u.uuid.to_string()],
                |r| r.get::<_, i64>(0),
            )? > 0;
            if !known {
                let mut u = u.clone();
                u.person = name(&u.person);
                if !empty {
                    u.id = 0;
                }
                self.insert_update(&u)?;
                report.updates_added += 1;
            }
        }
        for r in &doc.reflections {
            let known: bool = self.conn.query_row(
                "SELECT count(*) FROM reflections WHERE uuid = ?1",
                [r.uuid.to_string()],
                |row| row.get::<_, i64>(0),
            )? > 0;
            if !known {
                let mut r = r.clone();
                r.person = name(&r.person);
                if !empty {
                    r.id = 0;
                }
                self.insert_reflection(&r)?;
                report.reflections_added += 1;
            }
        }
        Ok(report)
    }
}
