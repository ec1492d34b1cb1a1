//! People: the one row binding of the `people` table, by column name.

use crate::convert::{Text, get, parsed, parsed_req, text};
use crate::search::search_text;
use crate::{Result, Tx, Values};
use postgres::Row;
use upward_domain::{Person, Relation};
use upward_store::StoreError;

/// Names are unique regardless of case: `name_key` is the name lowercased (as the domain's
/// `same_name` compares them, so not by PostgreSQL's `lower`, which depends on the locale).
pub(crate) fn name_key(name: &str) -> String {
    name.to_lowercase()
}

/// The columns a person is read from.
const COLUMNS: &str = "id, uuid, name, relation, role, is_me, goals, priorities, pressures, \
    motivations, \"values\", strengths, blind_spots, pet_peeves, happiest, channel, length, \
    decides_by, feedback, cadence, trust, technical, exec, email, account, archived, created_at, \
    updated_at";

fn from_row(r: &Row) -> Result<Person> {
    let trust: Option<i16> = get(r, "trust")?;
    Ok(Person {
        id: get(r, "id")?,
        uuid: get(r, "uuid")?,
        name: get(r, "name")?,
        relation: parsed(r, "relation")?.unwrap_or(Relation::Peer),
        role: get(r, "role")?,
        is_me: get(r, "is_me")?,
        goals: get(r, "goals")?,
        priorities: get(r, "priorities")?,
        pressures: get(r, "pressures")?,
        motivations: get(r, "motivations")?,
        values: get(r, "values")?,
        strengths: get(r, "strengths")?,
        blind_spots: get(r, "blind_spots")?,
        pet_peeves: get(r, "pet_peeves")?,
        happiest: get(r, "happiest")?,
        channel: parsed(r, "channel")?,
        length: parsed(r, "length")?,
        decides_by: parsed(r, "decides_by")?,
        feedback: parsed(r, "feedback")?,
        cadence: parsed(r, "cadence")?,
        trust: trust
            .map(|t| u8::try_from(t).map_err(|_| StoreError::Corrupt(format!("trust = {t}"))))
            .transpose()?,
        technical: get(r, "technical")?,
        exec: get(r, "exec")?,
        email: get(r, "email")?,
        account: get(r, "account")?,
        archived: get(r, "archived")?,
        created_at: parsed_req(r, "created_at")?,
        updated_at: parsed_req(r, "updated_at")?,
    })
}

/// What a person's profile says, as one text: what search reads besides the name.
pub(crate) fn profile(fields: [Option<&str>; 10]) -> String {
    fields.into_iter().flatten().collect::<Vec<_>>().join(" ")
}

fn profile_of(p: &Person) -> String {
    profile([
        p.role.as_deref(),
        p.goals.as_deref(),
        p.priorities.as_deref(),
        p.pressures.as_deref(),
        p.motivations.as_deref(),
        p.values.as_deref(),
        p.strengths.as_deref(),
        p.blind_spots.as_deref(),
        p.pet_peeves.as_deref(),
        p.happiest.as_deref(),
    ])
}

/// The columns a person is written to (besides `workspace` and `id`), with their values: the
/// one binding that both insert and update use.
fn params(p: &Person) -> Values {
    vec![
        ("uuid", Box::new(p.uuid)),
        ("name", Box::new(Text(Some(p.name.clone())))),
        ("name_key", Box::new(name_key(&p.name))),
        ("relation", Box::new(p.relation.as_str())),
        ("role", Box::new(text(&p.role))),
        ("is_me", Box::new(p.is_me)),
        ("goals", Box::new(text(&p.goals))),
        ("priorities", Box::new(text(&p.priorities))),
        ("pressures", Box::new(text(&p.pressures))),
        ("motivations", Box::new(text(&p.motivations))),
        ("\"values\"", Box::new(text(&p.values))),
        ("strengths", Box::new(text(&p.strengths))),
        ("blind_spots", Box::new(text(&p.blind_spots))),
        ("pet_peeves", Box::new(text(&p.pet_peeves))),
        ("happiest", Box::new(text(&p.happiest))),
        ("channel", Box::new(p.channel.map(|v| v.as_str()))),
        ("length", Box::new(p.length.map(|v| v.as_str()))),
        ("decides_by", Box::new(p.decides_by.map(|v| v.as_str()))),
        ("feedback", Box::new(p.feedback.map(|v| v.as_str()))),
        ("cadence", Box::new(p.cadence.map(|v| v.to_string()))),
        ("trust", Box::new(p.trust.map(i16::from))),
        ("technical", Box::new(p.technical)),
        ("exec", Box::new(p.exec)),
        ("email", Box::new(text(&p.email))),
        ("account", Box::new(p.account)),
        ("archived", Box::new(p.archived)),
        ("created_at", Box::new(p.created_at.to_string())),
        ("updated_at", Box::new(p.updated_at.to_string())),
        ("search_title", Box::new(search_text(&[Some(&p.name)]))),
        (
            "search_body",
            Box::new(search_text(&[Some(&profile_of(p))])),
        ),
    ]
}

impl Tx<'_> {
    pub(crate) fn people_(&self, archived: bool) -> Result<Vec<Person>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM people WHERE workspace = $1 {}
              ORDER BY is_me DESC, relation = 'manager' DESC, name_key",
            if archived { "" } else { "AND NOT archived" }
        );
        self.rows(&sql, &[&self.ws])?.iter().map(from_row).collect()
    }

    /// Refuses a name taken by someone else (in any case), a second `me` and an account
    /// another person is linked to.
    fn check_person(&self, p: &Person, insert: bool) -> Result<()> {
        let clashes = self.rows(
            "SELECT name, archived, name_key = $3 AS same_name, is_me AND $4 AS both_me
               FROM people
              WHERE workspace = $1 AND uuid <> $2
                AND (name_key = $3 OR (is_me AND $4) OR account = $5)",
            &[&self.ws, &p.uuid, &name_key(&p.name), &p.is_me, &p.account],
        )?;
        for r in &clashes {
            let existing: String = get(r, "name")?;
            if get(r, "same_name")? {
                let archived: bool = get(r, "archived")?;
                return Err(StoreError::Conflict(if archived && insert {
                    format!(
                        "{existing} was archived and is kept with their history — restore them instead of adding them again"
                    )
                } else {
                    format!(
                        "a person named {existing} already exists — names are unique regardless of case"
                    )
                }));
            }
            if get::<Option<bool>>(r, "both_me")?.unwrap_or(false) {
                return Err(StoreError::Conflict(format!(
                    "{existing} is already me — only one person can be"
                )));
            }
        }
        // What is left clashes by account only.
        if let Some(r) = clashes.first() {
            let existing: String = get(r, "name")?;
            return Err(StoreError::Conflict(format!(
                "{existing} is already linked to that account — one account is one person"
            )));
        }
        Ok(())
    }

    pub(crate) fn insert_person_(&self, p: &Person) -> Result<Person> {
        self.check_person(p, true)?;
        let id = (p.id != 0).then_some(p.id);
        match self.insert_row("people", id, &params(p), &[])? {
            Some(id) => Ok(Person { id, ..p.clone() }),
            None => Err(self.why_not("people", "person", p.uuid, Some(p.id), &[])),
        }
    }

    pub(crate) fn update_person_(&self, p: &Person) -> Result<()> {
        self.check_person(p, false)?;
        // The id and `created_at` never change.
        let values: Values = params(p)
            .into_iter()
            .filter(|(c, _)| *c != "uuid" && *c != "created_at")
            .collect();
        if self.update_row("people", p.uuid, &values, &[])? {
            Ok(())
        } else {
            Err(self.why_not("people", "person", p.uuid, None, &[]))
        }
    }
}
