//! People: the one row binding of the `people` table, by column name.

use crate::{Result, Tx, parse_col};
use rusqlite::{Row, named_params};
use upward_domain::{Person, Relation};
use upward_store::StoreError;

/// Names are unique regardless of case: `name_key` is the name lowercased.
pub(crate) fn name_key(name: &str) -> String {
    name.to_lowercase()
}

/// The index of each column a person is read from, looked up by name once per statement (a
/// lookup by name per row and column costs more than the rest of reading everyone).
struct Cols {
    id: usize,
    uuid: usize,
    name: usize,
    relation: usize,
    role: usize,
    is_me: usize,
    goals: usize,
    priorities: usize,
    pressures: usize,
    motivations: usize,
    values: usize,
    strengths: usize,
    blind_spots: usize,
    pet_peeves: usize,
    happiest: usize,
    channel: usize,
    length: usize,
    decides_by: usize,
    feedback: usize,
    cadence: usize,
    trust: usize,
    technical: usize,
    exec: usize,
    email: usize,
    account: usize,
    archived: usize,
    created_at: usize,
    updated_at: usize,
}

impl Cols {
    fn of(stmt: &rusqlite::Statement) -> Result<Cols> {
        Ok(Cols {
            id: stmt.column_index("id")?,
            uuid: stmt.column_index("uuid")?,
            name: stmt.column_index("name")?,
            relation: stmt.column_index("relation")?,
            role: stmt.column_index("role")?,
            is_me: stmt.column_index("is_me")?,
            goals: stmt.column_index("goals")?,
            priorities: stmt.column_index("priorities")?,
            pressures: stmt.column_index("pressures")?,
            motivations: stmt.column_index("motivations")?,
            values: stmt.column_index("values")?,
            strengths: stmt.column_index("strengths")?,
            blind_spots: stmt.column_index("blind_spots")?,
            pet_peeves: stmt.column_index("pet_peeves")?,
            happiest: stmt.column_index("happiest")?,
            channel: stmt.column_index("channel")?,
            length: stmt.column_index("length")?,
            decides_by: stmt.column_index("decides_by")?,
            feedback: stmt.column_index("feedback")?,
            cadence: stmt.column_index("cadence")?,
            trust: stmt.column_index("trust")?,
            technical: stmt.column_index("technical")?,
            exec: stmt.column_index("exec")?,
            email: stmt.column_index("email")?,
            account: stmt.column_index("account")?,
            archived: stmt.column_index("archived")?,
            created_at: stmt.column_index("created_at")?,
            updated_at: stmt.column_index("updated_at")?,
        })
    }
}

fn from_row(r: &Row, c: &Cols) -> Result<Person> {
    let text = |i: usize| -> Result<Option<String>> { Ok(r.get::<_, Option<String>>(i)?) };
    let corrupt = |col: &str| StoreError::Corrupt(format!("people.{col}"));
    // Written by jiff in one form, read without its general parser when in that form.
    let timestamp = |i: usize, col: &str| -> Result<jiff::Timestamp> {
        let v = r
            .get_ref(i)?
            .as_str_or_null()
            .map_err(|_| corrupt(col))?
            .ok_or_else(|| corrupt(col))?;
        match crate::items::fast_timestamp(v.as_bytes()) {
            Some(t) => Ok(t),
            None => Ok(parse_col(Some(v.to_string()), &format!("people.{col}"))?
                .ok_or_else(|| corrupt(col))?),
        }
    };
    Ok(Person {
        id: r.get(c.id)?,
        uuid: parse_col(text(c.uuid)?, "people.uuid")?.ok_or_else(|| corrupt("uuid"))?,
        name: r.get(c.name)?,
        relation: parse_col(text(c.relation)?, "people.relation")?.unwrap_or(Relation::Peer),
        role: text(c.role)?,
        is_me: r.get(c.is_me)?,
        goals: text(c.goals)?,
        priorities: text(c.priorities)?,
        pressures: text(c.pressures)?,
        motivations: text(c.motivations)?,
        values: text(c.values)?,
        strengths: text(c.strengths)?,
        blind_spots: text(c.blind_spots)?,
        pet_peeves: text(c.pet_peeves)?,
        happiest: text(c.happiest)?,
        channel: parse_col(text(c.channel)?, "people.channel")?,
        length: parse_col(text(c.length)?, "people.length")?,
        decides_by: parse_col(text(c.decides_by)?, "people.decides_by")?,
        feedback: parse_col(text(c.feedback)?, "people.feedback")?,
        cadence: parse_col(text(c.cadence)?, "people.cadence")?,
        trust: r.get(c.trust)?,
        technical: r.get(c.technical)?,
        exec: r.get(c.exec)?,
        email: text(c.email)?,
        account: parse_col(text(c.account)?, "people.account")?,
        archived: r.get(c.archived)?,
        created_at: timestamp(c.created_at, "created_at")?,
        updated_at: timestamp(c.updated_at, "updated_at")?,
    })
}

/// The columns a person is written to (besides `id` and `uuid`), as named parameters.
const WRITE_COLUMNS: [&str; 27] = [
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
    "technical",
    "exec",
    "email",
    "account",
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
        let cols = Cols::of(&stmt)?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(from_row(r, &cols)?);
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
            ":technical": p.technical,
            ":exec": p.exec,
            ":email": p.email,
            ":account": p.account.map(|a| a.to_string()),
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
