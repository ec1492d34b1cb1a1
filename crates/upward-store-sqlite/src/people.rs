//! People: the one row binding of the `people` table, by column name.

use crate::{Result, Tx, parse_col};
use rusqlite::{Row, named_params};
use upward_domain::{Person, Relation};
use upward_store::StoreError;

/// Names are unique regardless of case: `name_key` is the name lowercased.
pub(crate) fn name_key(name: &str) -> String {
    name.to_lowercase()
}

fn from_row(r: &Row) -> Result<Person> {
    let text = |c: &str| -> Result<Option<String>> { Ok(r.get::<_, Option<String>>(c)?) };
    let corrupt = |c: &str| StoreError::Corrupt(format!("people.{c}"));
    Ok(Person {
        id: r.get("id")?,
        uuid: parse_col(text("uuid")?, "people.uuid")?.ok_or_else(|| corrupt("uuid"))?,
        name: r.get("name")?,
        relation: parse_col(text("relation")?, "people.relation")?.unwrap_or(Relation::Peer),
        role: text("role")?,
        is_me: r.get("is_me")?,
        goals: text("goals")?,
        priorities: text("priorities")?,
        pressures: text("pressures")?,
        motivations: text("motivations")?,
        values: text("values")?,
        strengths: text("strengths")?,
        blind_spots: text("blind_spots")?,
        pet_peeves: text("pet_peeves")?,
        happiest: text("happiest")?,
        channel: parse_col(text("channel")?, "people.channel")?,
        length: parse_col(text("length")?, "people.length")?,
        decides_by: parse_col(text("decides_by")?, "people.decides_by")?,
        feedback: parse_col(text("feedback")?, "people.feedback")?,
        cadence: parse_col(text("cadence")?, "people.cadence")?,
        trust: r.get("trust")?,
        archived: r.get("archived")?,
        created_at: parse_col(text("created_at")?, "people.created_at")?
            .ok_or_else(|| corrupt("created_at"))?,
        updated_at: parse_col(text("updated_at")?, "people.updated_at")?
            .ok_or_else(|| corrupt("updated_at"))?,
    })
}

/// The columns a person is written to (besides `id` and `uuid`), as named parameters.
const WRITE_COLUMNS: [&str; 23] = [
    "name",
    "name_key",
    "relation",
    "role",
    "is_me",
    "goals",
    "priorities",
    "pressures",
    "motivations",
    "\"values\"",
    "strengths",
    "blind_spots",
    "pet_peeves",
    "happiest",
    "channel",
    "length",
    "decides_by",
    "feedback",
    "cadence",
    "trust",
    "archived",
    "created_at",
    "updated_at",
];

fn param(column: &str) -> String {
    format!(":{}", column.trim_matches('"'))
}

impl Tx<'_> {
    /// Everyone, or those not archived; in either case in the contract's order.
    pub(crate) fn people_(&self, archived: bool) -> Result<Vec<Person>> {
        let mut everyone = self.everyone()?;
        if !archived {
            everyone.retain(|p| !p.archived);
        }
        Ok(everyone)
    }

    /// Everyone, archived too, read once per transaction (see `Tx::people`).
    fn everyone(&self) -> Result<Vec<Person>> {
        if let Some(everyone) = self.people.borrow().as_ref() {
            return Ok(everyone.clone());
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT * FROM people ORDER BY is_me DESC, relation = 'manager' DESC, name_key",
        )?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(from_row(r)?);
        }
        *self.people.borrow_mut() = Some(out.clone());
        Ok(out)
    }

    /// Runs `sql` with a person's fields bound to named parameters (those it names).
    fn write_person(&self, sql: &str, p: &Person) -> Result<usize> {
        let params = named_params! {
            ":id": (p.id != 0).then_some(p.id),
            ":uuid": p.uuid.to_string(),
            ":name": p.name,
            ":name_key": name_key(&p.name),
            ":relation": p.relation.as_str(),
            ":role": p.role,
            ":is_me": p.is_me,
            ":goals": p.goals,
            ":priorities": p.priorities,
            ":pressures": p.pressures,
            ":motivations": p.motivations,
            ":values": p.values,
            ":strengths": p.strengths,
            ":blind_spots": p.blind_spots,
            ":pet_peeves": p.pet_peeves,
            ":happiest": p.happiest,
            ":channel": p.channel.map(|v| v.as_str()),
            ":length": p.length.map(|v| v.as_str()),
            ":decides_by": p.decides_by.map(|v| v.as_str()),
            ":feedback": p.feedback.map(|v| v.as_str()),
            ":cadence": p.cadence.map(|v| v.to_string()),
            ":trust": p.trust,
            ":archived": p.archived,
            ":created_at": p.created_at.to_string(),
            ":updated_at": p.updated_at.to_string(),
        };
        crate::execute_named(&self.conn, sql, params)
    }

    pub(crate) fn insert_person_(&self, p: &Person) -> Result<Person> {
        self.writing()?;
        self.people.take();
        let sql = format!(
            "INSERT INTO people (id, uuid, {}) VALUES (:id, :uuid, {})",
            WRITE_COLUMNS.join(", "),
            WRITE_COLUMNS.map(param).join(", ")
        );
        self.write_person(&sql, p)?;
        let id = self.conn.last_insert_rowid();
        Ok(Person { id, ..p.clone() })
    }

    pub(crate) fn update_person_(&self, p: &Person) -> Result<()> {
        self.writing()?;
        self.people.take();
        // `created_at` never changes.
        let sql = format!(
            "UPDATE people SET {} WHERE uuid = :uuid",
            WRITE_COLUMNS
                .iter()
                .filter(|c| **c != "created_at")
                .map(|c| format!("{c} = {}", param(c)))
                .collect::<Vec<_>>()
                .join(", ")
        );
        if self.write_person(&sql, p)? == 0 {
            return Err(StoreError::NotFound(format!("no person with uuid {}", p.uuid)).into());
        }
        Ok(())
    }
}
