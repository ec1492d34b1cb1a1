//! Meetings, updates sent and reflections (each with its one row binding, by column name), and
//! the [`Snapshot`] the workflows read.

use crate::convert::{PgDate, date_col, date_req, get, parsed_req, pg_date, storable, text};
use crate::search::search_text;
use crate::{Reference, Result, Tx, Values};
use jiff::civil::Date;
use postgres::Row;
use postgres::types::Json;
use std::collections::BTreeMap;
use upward_domain::{Kind, Meeting, PersonRef, Reflection, Snapshot, UpdateSent};
use upward_store::{Scope, StoreError};
use uuid::Uuid;

/// What a meeting, an update or a reflection refers to: its person.
const REFERENCES: [Reference; 1] = [("person", "people")];

/// The person a record points at, from its `person` and `person_name` columns.
fn person(r: &Row) -> Result<PersonRef> {
    Ok(PersonRef {
        uuid: get(r, "person")?,
        name: get(r, "person_name")?,
    })
}

fn meeting_from_row(r: &Row) -> Result<Meeting> {
    Ok(Meeting {
        id: get(r, "id")?,
        uuid: get(r, "uuid")?,
        person: person(r)?,
        date: date_req(r, "date")?,
        notes: get(r, "notes")?,
        shared_notes: get(r, "shared_notes")?,
        their_notes: get(r, "their_notes")?,
        discussed: get::<Option<Vec<Uuid>>>(r, "discussed")?.unwrap_or_default(),
        created_at: parsed_req(r, "created_at")?,
    })
}

/// A meeting's columns (besides `workspace`, `id` and the items discussed).
fn meeting_params(m: &Meeting) -> Values {
    vec![
        ("uuid", Box::new(m.uuid)),
        ("person", Box::new(m.person.uuid)),
        ("date", Box::new(pg_date(Some(m.date)))),
        ("notes", Box::new(text(&m.notes))),
        ("shared_notes", Box::new(text(&m.shared_notes))),
        ("their_notes", Box::new(text(&m.their_notes))),
        ("created_at", Box::new(m.created_at.to_string())),
        (
            "search_body",
            Box::new(search_text(&[
                m.notes.as_deref(),
                m.shared_notes.as_deref(),
                m.their_notes.as_deref(),
            ])),
        ),
    ]
}

fn update_from_row(r: &Row) -> Result<UpdateSent> {
    Ok(UpdateSent {
        id: get(r, "id")?,
        uuid: get(r, "uuid")?,
        person: person(r)?,
        date: date_req(r, "date")?,
        channel: parsed_req(r, "channel")?,
        text: get(r, "text")?,
        created_at: parsed_req(r, "created_at")?,
    })
}

fn update_params(u: &UpdateSent) -> Values {
    vec![
        ("uuid", Box::new(u.uuid)),
        ("person", Box::new(u.person.uuid)),
        ("date", Box::new(pg_date(Some(u.date)))),
        ("channel", Box::new(u.channel.as_str())),
        ("text", Box::new(text(&u.text))),
        ("created_at", Box::new(u.created_at.to_string())),
    ]
}

fn reflection_from_row(r: &Row) -> Result<Reflection> {
    let Json(scores): Json<BTreeMap<String, u8>> = get(r, "scores")?;
    let Json(answers): Json<BTreeMap<String, String>> = get(r, "answers")?;
    Ok(Reflection {
        id: get(r, "id")?,
        uuid: get(r, "uuid")?,
        person: person(r)?,
        date: date_req(r, "date")?,
        scores,
        answers,
        created_at: parsed_req(r, "created_at")?,
    })
}

fn reflection_params(r: &Reflection) -> Values {
    vec![
        ("uuid", Box::new(r.uuid)),
        ("person", Box::new(r.person.uuid)),
        ("date", Box::new(pg_date(Some(r.date)))),
        ("scores", Box::new(Json(r.scores.clone()))),
        ("answers", Box::new(Json(r.answers.clone()))),
        ("created_at", Box::new(r.created_at.to_string())),
    ]
}

impl Tx<'_> {
    /// Inserts a meeting, an update or a reflection (`what` in messages), unless its UUID or
    /// id is taken or its person is not stored.
    pub(crate) fn insert_record(
        &self,
        table: &str,
        what: &str,
        (uuid, id, person): (Uuid, i64, Uuid),
        values: &Values,
    ) -> Result<i64> {
        match self.insert_row(table, (id != 0).then_some(id), values, &REFERENCES)? {
            Some(id) => Ok(id),
            None => Err(self.why_not(
                table,
                what,
                uuid,
                Some(id),
                &[(Some(person), "people", "person")],
            )),
        }
    }

    pub(crate) fn insert_meeting_(&self, m: &Meeting) -> Result<Meeting> {
        // Checked first: once the meeting is written, nothing may refuse the rest.
        self.all_stored(&m.discussed)?;
        let id = self.insert_record(
            "meetings",
            "meeting",
            (m.uuid, m.id, m.person.uuid),
            &meeting_params(m),
        )?;
        self.link_discussed(m.uuid, &m.discussed)?;
        Ok(Meeting { id, ..m.clone() })
    }

    pub(crate) fn update_meeting_(&self, m: &Meeting) -> Result<()> {
        self.all_stored(&m.discussed)?;
        // The date, the notes and the items discussed; not who it was with, nor when it was
        // recorded.
        let values: Values = meeting_params(m)
            .into_iter()
            .filter(|(c, _)| {
                matches!(
                    *c,
                    "date" | "notes" | "shared_notes" | "their_notes" | "search_body"
                )
            })
            .collect();
        if !self.update_row("meetings", m.uuid, &values, &[])? {
            return Err(self.why_not("meetings", "meeting", m.uuid, None, &[]));
        }
        self.execute(
            "DELETE FROM meeting_items WHERE workspace = $1 AND meeting = $2",
            &[&self.ws, &m.uuid],
        )?;
        self.link_discussed(m.uuid, &m.discussed)
    }

    /// Refuses items that are not stored.
    fn all_stored(&self, items: &[Uuid]) -> Result<()> {
        if items.is_empty() {
            return Ok(());
        }
        let missing = self.row(
            "SELECT array(SELECT unnest($2::uuid[])
                          EXCEPT SELECT uuid FROM items WHERE workspace = $1) AS missing",
            &[&self.ws, &items],
        )?;
        match get::<Vec<Uuid>>(&missing, "missing")?.first() {
            Some(item) => Err(StoreError::NotFound(format!(
                "no item with uuid {item} to mark as discussed"
            ))),
            None => Ok(()),
        }
    }

    /// Records that items were discussed at a meeting (checked to be stored before).
    fn link_discussed(&self, meeting: Uuid, items: &[Uuid]) -> Result<()> {
        if !items.is_empty() {
            self.execute(
                "INSERT INTO meeting_items (workspace, meeting, item)
                 SELECT DISTINCT $1::uuid, $2::uuid, unnest($3::uuid[])
                 ON CONFLICT DO NOTHING",
                &[&self.ws, &meeting, &items],
            )?;
        }
        Ok(())
    }

    pub(crate) fn last_meeting_(&self, person: Uuid) -> Result<Option<Date>> {
        let r = self.row(
            "SELECT max(date) AS last FROM meetings WHERE workspace = $1 AND person = $2",
            &[&self.ws, &person],
        )?;
        date_col(&r, "last")
    }

    /// Every meeting; the items discussed only at those on or after `since` (all when `None`),
    /// in the order of their UUIDs (as the SQLite backend gives them).
    pub(crate) fn meetings_(&self, since: Option<Date>) -> Result<Vec<Meeting>> {
        self.rows(
            "SELECT m.id, m.uuid, m.person, p.name AS person_name, m.date, m.notes, m.shared_notes,
                    m.their_notes, m.created_at,
                    CASE WHEN $2::date IS NULL OR m.date >= $2 THEN
                        array(SELECT mi.item FROM meeting_items mi
                               WHERE mi.workspace = m.workspace AND mi.meeting = m.uuid
                               ORDER BY mi.item)
                    END AS discussed
               FROM meetings m JOIN people p ON p.workspace = m.workspace AND p.uuid = m.person
              WHERE m.workspace = $1
              ORDER BY m.date, m.id",
            &[&self.ws, &pg_date(since)],
        )?
        .iter()
        .map(meeting_from_row)
        .collect()
    }

    pub(crate) fn insert_update_(&self, u: &UpdateSent) -> Result<UpdateSent> {
        let id = self.insert_record(
            "updates",
            "update",
            (u.uuid, u.id, u.person.uuid),
            &update_params(u),
        )?;
        Ok(UpdateSent { id, ..u.clone() })
    }

    pub(crate) fn last_update_(&self, person: Uuid) -> Result<Option<Date>> {
        let r = self.row(
            "SELECT max(date) AS last FROM updates WHERE workspace = $1 AND person = $2",
            &[&self.ws, &person],
        )?;
        date_col(&r, "last")
    }

    pub(crate) fn updates_(&self) -> Result<Vec<UpdateSent>> {
        self.rows(
            "SELECT u.id, u.uuid, u.person, p.name AS person_name, u.date, u.channel, u.text,
                    u.created_at
               FROM updates u JOIN people p ON p.workspace = u.workspace AND p.uuid = u.person
              WHERE u.workspace = $1
              ORDER BY u.date, u.id",
            &[&self.ws],
        )?
        .iter()
        .map(update_from_row)
        .collect()
    }

    pub(crate) fn insert_reflection_(&self, r: &Reflection) -> Result<Reflection> {
        // JSON is encoded by serde, where a NUL is not refused: the server would fail on it.
        for text in r
            .scores
            .keys()
            .chain(r.answers.keys())
            .chain(r.answers.values())
        {
            storable(text)?;
        }
        let id = self.insert_record(
            "reflections",
            "reflection",
            (r.uuid, r.id, r.person.uuid),
            &reflection_params(r),
        )?;
        Ok(Reflection { id, ..r.clone() })
    }

    pub(crate) fn reflections_(&self) -> Result<Vec<Reflection>> {
        self.rows(
            "SELECT r.id, r.uuid, r.person, p.name AS person_name, r.date, r.scores, r.answers,
                    r.created_at
               FROM reflections r JOIN people p ON p.workspace = r.workspace AND p.uuid = r.person
              WHERE r.workspace = $1
              ORDER BY r.date, r.id",
            &[&self.ws],
        )?
        .iter()
        .map(reflection_from_row)
        .collect()
    }

    /// What the workflows look at (see `Transaction::snapshot_of`): the SQLite backend's
    /// selection, with the same order. The scope's narrowing fields (`done_kinds`,
    /// `items_for`, `history`) are ignored, as the contract allows: the snapshot holds more
    /// than they promise the caller reads, and the rules give the same results on it.
    pub(crate) fn snapshot_of_(&self, scope: Scope, kinds: &[Kind]) -> Result<Snapshot> {
        let kinds: Option<Vec<&str>> = if Kind::ALL.iter().all(|k| kinds.contains(k)) {
            None
        } else {
            Some(kinds.iter().map(|k| k.as_str()).collect())
        };
        let items = match (scope.closed_since, &kinds) {
            (None, None) => self.query_items("ORDER BY i.id", &[])?,
            (None, Some(kinds)) => {
                self.query_items("AND i.kind = ANY ($2) ORDER BY i.id", &[kinds])?
            }
            (Some(since), kinds) => {
                // `updated_at` is RFC 3339 text, compared byte by byte with the date: that
                // compares its (UTC) date, as in the SQLite backend.
                let of_kinds = if kinds.is_some() {
                    "AND i.kind = ANY ($4)"
                } else {
                    "AND $4::text[] IS NULL"
                };
                self.query_items(
                    &format!(
                        "{of_kinds} AND (i.status = 'open' OR i.done >= $2 OR i.date >= $2
                                         OR i.updated_at >= $3)
                         ORDER BY i.id"
                    ),
                    &[&PgDate(since), &since.to_string(), kinds],
                )?
            }
        };
        Ok(Snapshot {
            people: self.people_(true)?,
            items,
            meetings: self.meetings_(scope.closed_since)?,
            updates: self.updates_()?,
            reflections: self.reflections_()?,
        })
    }
}
