//! People: adding, resolving names (case-insensitive, unique prefixes), listing, updating.

use crate::{Result, StoreError, Tx, parse_col};
use rusqlite::{Row, params};
use upward_domain::{Person, Relation};

const COLUMNS: &str = "id, uuid, name, relation, role, is_me, goals, priorities, pressures, \
    motivations, \"values\", strengths, blind_spots, pet_peeves, happiest, channel, length, \
    decides_by, feedback, cadence, trust, archived, created_at, updated_at";

fn from_row(r: &Row) -> Result<Person> {
    let text = |i: usize| -> Result<Option<String>> { Ok(r.get::<_, Option<String>>(i)?) };
    Ok(Person {
        id: r.get(0)?,
        uuid: parse_col(text(1)?, "people.uuid")?.unwrap_or_default(),
        name: r.get(2)?,
        relation: parse_col(text(3)?, "people.relation")?.unwrap_or(Relation::Peer),
        role: text(4)?,
        is_me: r.get(5)?,
        goals: text(6)?,
        priorities: text(7)?,
        pressures: text(8)?,
        motivations: text(9)?,
        values: text(10)?,
        strengths: text(11)?,
        blind_spots: text(12)?,
        pet_peeves: text(13)?,
        happiest: text(14)?,
        channel: parse_col(text(15)?, "people.channel")?,
        length: parse_col(text(16)?, "people.length")?,
        decides_by: parse_col(text(17)?, "people.decides_by")?,
        feedback: parse_col(text(18)?, "people.feedback")?,
        cadence: parse_col(text(19)?, "people.cadence")?,
        trust: r.get(20)?,
        archived: r.get(21)?,
        created_at: parse_col(text(22)?, "people.created_at")?.unwrap_or_default(),
        updated_at: parse_col(text(23)?, "people.updated_at")?.unwrap_or_default(),
    })
}

pub(crate) fn name_key(name: &str) -> String {
    name.to_lowercase()
}

impl Tx<'_> {
    /// Every person, archived ones last-known included when `archived` is true.
    pub fn people(&self, archived: bool) -> Result<Vec<Person>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM people {} ORDER BY is_me DESC, relation = 'manager' DESC, name_key",
            if archived { "" } else { "WHERE archived = 0" }
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(from_row(r)?);
        }
        Ok(out)
    }

    /// Resolves a name typed by the user: an exact case-insensitive match, else a unique
    /// prefix among the people not archived. Ambiguity is an error listing the matches.
    pub fn resolve_person(&self, name: &str) -> Result<Person> {
        let key = name_key(name.trim());
        if key.is_empty() {
            return Err(StoreError::NotFound(
                "a person's name is empty — give a name or a unique prefix of one".into(),
            ));
        }
        let people = self.people(true)?;
        if let Some(p) = people.iter().find(|p| name_key(&p.name) == key) {
            return Ok(p.clone());
        }
        if key == "me"
            && let Some(p) = people.iter().find(|p| p.is_me)
        {
            return Ok(p.clone());
        }
        let matches: Vec<&Person> = people
            .iter()
            .filter(|p| !p.archived && name_key(&p.name).starts_with(&key))
            .collect();
        match matches.as_slice() {
            [one] => Ok((*one).clone()),
            [] => {
                let known = people
                    .iter()
                    .filter(|p| !p.archived)
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>();
                Err(StoreError::NotFound(if known.is_empty() {
                    format!(
                        "no person named {name:?} — add one with `upward person add NAME --relation manager`"
                    )
                } else {
                    format!(
                        "no person named {name:?} — known: {} (add one with `upward person add`)",
                        known.join(", ")
                    )
                }))
            }
            many => Err(StoreError::Conflict(format!(
                "{name:?} matches several people: {} — type more of the name",
                many.iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }

    pub fn me(&self) -> Result<Option<Person>> {
        Ok(self.people(true)?.into_iter().find(|p| p.is_me))
    }

    /// My manager: the first person not archived whose relation is `manager`.
    pub fn manager(&self) -> Result<Option<Person>> {
        Ok(self
            .people(false)?
            .into_iter()
            .find(|p| p.relation == Relation::Manager))
    }

    /// Adds a person; a name already taken (in any case) is an error.
    pub fn add_person(&self, p: &Person) -> Result<Person> {
        let taken: Option<(String, bool)> = self
            .conn
            .query_row(
                "SELECT name, archived FROM people WHERE name_key = ?1",
                [name_key(&p.name)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .ok();
        if let Some((existing, archived)) = taken {
            return Err(StoreError::Conflict(if archived {
                format!(
                    "{existing} was removed earlier and is kept with their history — bring them back with `upward person set {existing:?} archived no`"
                )
            } else {
                format!(
                    "a person named {existing} already exists — names are unique regardless of case; use `upward person set` to change them"
                )
            }));
        }
        self.conn.execute(
            &format!("INSERT INTO people ({COLUMNS}, name_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)"),
            params![
                (p.id != 0).then_some(p.id),
                p.uuid.to_string(),
                p.name,
                p.relation.as_str(),
                p.role,
                p.is_me,
                p.goals,
                p.priorities,
                p.pressures,
                p.motivations,
                p.values,
                p.strengths,
                p.blind_spots,
                p.pet_peeves,
                p.happiest,
                p.channel.map(|v| v.as_str()),
                p.length.map(|v| v.as_str()),
                p.decides_by.map(|v| v.as_str()),
                p.feedback.map(|v| v.as_str()),
                p.cadence.map(|v| v.to_string()),
                p.trust,
                p.archived,
                p.created_at.to_string(),
                p.updated_at.to_string(),
                name_key(&p.name),
            ],
        )?;
        let id = self.conn.last_insert_rowid();
        Ok(Person { id, ..p.clone() })
    }

    /// Writes every field of an existing person (found by id).
    pub fn update_person(&self, p: &Person) -> Result<()> {
        let clash: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM people WHERE name_key = ?1 AND id != ?2",
                params![name_key(&p.name), p.id],
                |r| r.get(0),
            )
            .ok();
        if clash.is_some() {
            return Err(StoreError::Conflict(format!(
                "a person named {} already exists — names are unique regardless of case",
                p.name
            )));
        }
        self.conn.execute(
            "UPDATE people SET name = ?2, name_key = ?3, relation = ?4, role = ?5, is_me = ?6, goals = ?7,
                priorities = ?8, pressures = ?9, motivations = ?10, \"values\" = ?11, strengths = ?12,
                blind_spots = ?13, pet_peeves = ?14, happiest = ?15, channel = ?16, length = ?17,
                decides_by = ?18, feedback = ?19, cadence = ?20, trust = ?21, archived = ?22,
                updated_at = ?23
             WHERE id = ?1",
            params![
                p.id,
                p.name,
                name_key(&p.name),
                p.relation.as_str(),
                p.role,
                p.is_me,
                p.goals,
                p.priorities,
                p.pressures,
                p.motivations,
                p.values,
                p.strengths,
                p.blind_spots,
                p.pet_peeves,
                p.happiest,
                p.channel.map(|v| v.as_str()),
                p.length.map(|v| v.as_str()),
                p.decides_by.map(|v| v.as_str()),
                p.feedback.map(|v| v.as_str()),
                p.cadence.map(|v| v.to_string()),
                p.trust,
                p.archived,
                p.updated_at.to_string(),
            ],
        )?;
        Ok(())
    }

    /// The row id of a person by exact name (case-insensitive), for foreign keys.
    pub(crate) fn person_id(&self, name: &str) -> Result<i64> {
        self.conn
            .query_row(
                "SELECT id FROM people WHERE name_key = ?1",
                [name_key(name)],
                |r| r.get(0),
            )
            .map_err(|_| StoreError::NotFound(format!("no person named {name:?}")))
    }
}
