//! People: finding the person a user means, and adding one.

use crate::{AppError, Result};
use upward_domain::person;
use upward_domain::{
    Decline, DomainError, Item, Meeting, Person, Reflection, Relation, UpdateSent,
};
use upward_store::{ItemFilter, Transaction};

/// The person a name typed by the user means: exact (any case), `me`, or a unique prefix
/// (docs/people.md).
pub fn resolve(tx: &dyn Transaction, name: &str) -> Result<Person> {
    let people = tx.people(true)?;
    Ok(person::resolve(&people, name)?.clone())
}

/// Me, if `init` recorded who I am.
pub fn me(tx: &dyn Transaction) -> Result<Option<Person>> {
    Ok(tx.people(true)?.into_iter().find(|p| p.is_me))
}

/// My manager: the first person not archived whose relation is `manager`.
pub fn manager(tx: &dyn Transaction) -> Result<Option<Person>> {
    // From everyone, as the workflows' snapshots load them (on SQLite, one statement
    // prepared fewer in prep, update and reflect).
    Ok(person::manager(&tx.people(true)?).cloned())
}

/// The person a workflow is for: the one named, else my manager.
pub fn person_or_manager(tx: &dyn Transaction, name: Option<&str>) -> Result<Person> {
    person_or_manager_among(&tx.people(true)?, name)
}

/// [`person_or_manager`] among everyone (`people`, archived ones too), already loaded.
pub fn person_or_manager_among(people: &[Person], name: Option<&str>) -> Result<Person> {
    match name {
        Some(n) => Ok(person::resolve(people, n)?.clone()),
        None => Ok(person::manager(people).ok_or(AppError::NoManager)?.clone()),
    }
}

/// Adds a person; a name already taken (in any case, archived or not) is an error that says
/// what to do instead.
pub fn add(tx: &dyn Transaction, p: &Person) -> Result<Person> {
    let people = tx.people(true)?;
    if let Some(e) = person::name_taken(&people, &p.name) {
        return Err(e.into());
    }
    email_free(&people, p)?;
    Ok(tx.insert_person(p)?)
}

/// Refuses an email address another person already has (compared without case): sync links
/// a person to a member of a space by it, so it must name one person (docs/sync.md).
fn email_free(people: &[Person], p: &Person) -> Result<()> {
    let Some(key) = p.email_key() else {
        return Ok(());
    };
    match people
        .iter()
        .find(|o| o.uuid != p.uuid && o.email_key().as_deref() == Some(key.as_str()))
    {
        Some(other) => Err(DomainError::Rule(format!(
            "{} is already {}'s email — one address names one person (clear theirs first: \
             upward person set \"{}\" email \"\")",
            p.email.as_deref().unwrap_or_default(),
            other.name,
            other.name
        ))
        .into()),
        None => Ok(()),
    }
}

/// What `person add` is given, as the user typed it.
#[derive(Debug, Clone, Default)]
pub struct NewPerson<'a> {
    pub name: &'a str,
    pub relation: &'a str,
    pub role: Option<&'a str>,
    pub cadence: Option<&'a str>,
    /// `yes` or `no` (docs/people.md).
    pub technical: Option<&'a str>,
    /// `yes` or `no`.
    pub exec: Option<&'a str>,
    /// One address, `name@host` (docs/people.md).
    pub email: Option<&'a str>,
}

/// Adds a person from what the user typed (`person add`, the web app's form and API): the
/// relation `self` is given by `init` only.
pub fn add_new(tx: &dyn Transaction, input: &NewPerson, now: jiff::Timestamp) -> Result<Person> {
    let relation: Relation = input.relation.parse()?;
    if relation == Relation::Myself {
        return Err(DomainError::Rule(format!(
            "relation `self` is set by `upward init --me NAME` — accepted: {}",
            Relation::accepted_for_people()
        ))
        .into());
    }
    let mut p = Person::new(input.name, relation, now)?;
    if let Some(r) = input.role {
        p.set("role", r, now)?;
    }
    if let Some(c) = input.cadence {
        p.set("cadence", c, now)?;
    }
    if let Some(t) = input.technical {
        p.set("technical", t, now)?;
    }
    if let Some(e) = input.exec {
        p.set("exec", e, now)?;
    }
    if let Some(e) = input.email {
        p.set("email", e, now)?;
    }
    add(tx, &p)
}

/// Who I am and, optionally, my manager, as `init` records them. Running it again renames me
/// and makes the named person my manager (bringing them back if they were removed).
pub fn init(
    tx: &dyn Transaction,
    me_name: &str,
    role: Option<&str>,
    manager_name: Option<&str>,
    now: jiff::Timestamp,
) -> Result<(Person, Option<Person>)> {
    let me = match me(tx)? {
        Some(mut existing) => {
            existing.set("name", me_name, now)?;
            if let Some(r) = role {
                existing.set("role", r, now)?;
            }
            tx.update_person(&existing)?;
            existing
        }
        None => {
            let mut p = Person::new(me_name, upward_domain::Relation::Myself, now)?;
            if let Some(r) = role {
                p.set("role", r, now)?;
            }
            add(tx, &p)?
        }
    };
    let Some(name) = manager_name else {
        return Ok((me, None));
    };
    if upward_domain::same_name(name, &me.name) {
        return Err(DomainError::Rule(
            "my manager cannot be me — give another name to --manager".into(),
        )
        .into());
    }
    let existing = tx
        .people(true)?
        .into_iter()
        .find(|p| upward_domain::same_name(&p.name, name));
    let manager = match existing {
        Some(mut p) => {
            if p.relation != upward_domain::Relation::Manager || p.archived {
                // (Setting the relation gives a manager's cadence when there is none.)
                p.set("relation", "manager", now)?;
                p.archived = false;
                tx.update_person(&p)?;
            }
            p
        }
        None => add(
            tx,
            &Person::new(name, upward_domain::Relation::Manager, now)?,
        )?,
    };
    Ok((me, Some(manager)))
}

/// Sets one profile or style field of a person, as the user typed it (docs/people.md).
pub fn set(
    tx: &dyn Transaction,
    name: &str,
    field: &str,
    value: &str,
    now: jiff::Timestamp,
) -> Result<Person> {
    let mut p = resolve(tx, name)?;
    p.set(field, value, now)?;
    email_free(&tx.people(true)?, &p)?;
    tx.update_person(&p)?;
    Ok(p)
}

/// Sets several fields of a person at once, in the order given, as the same `person set`
/// commands one after the other would (a `name` among them renames for the fields after it).
/// All or nothing: the first field refused refuses them all.
pub fn set_many(
    tx: &dyn Transaction,
    name: &str,
    fields: &[(String, String)],
    now: jiff::Timestamp,
) -> Result<Person> {
    let mut p = resolve(tx, name)?;
    for (field, value) in fields {
        p.set(field, value, now)?;
    }
    if !fields.is_empty() {
        email_free(&tx.people(true)?, &p)?;
        tx.update_person(&p)?;
    }
    Ok(p)
}

/// Removes a person from the lists, keeping them and everything recorded about them.
pub fn remove(tx: &dyn Transaction, name: &str, now: jiff::Timestamp) -> Result<Person> {
    let mut p = resolve(tx, name)?;
    if p.is_me {
        return Err(AppError::RemoveMe);
    }
    p.archived = true;
    p.updated_at = now;
    tx.update_person(&p)?;
    Ok(p)
}

/// A person with what `person show` adds: how many open items they have, and the last
/// contact (a meeting or an update sent).
#[derive(Debug, Clone)]
pub struct Profile {
    pub person: Person,
    pub open_items: usize,
    pub last_contact: Option<jiff::civil::Date>,
}

pub fn profile(tx: &dyn Transaction, name: &str) -> Result<Profile> {
    let person = resolve(tx, name)?;
    let open_items = tx
        .items(&upward_store::ItemFilter {
            person: Some(person.uuid),
            status: Some(upward_domain::Status::Open),
            ..Default::default()
        })?
        .len();
    let snap = upward_domain::Snapshot {
        // Dates only: the meetings come without their discussed items.
        meetings: tx.meetings(Some(jiff::civil::Date::MAX))?,
        updates: tx.updates()?,
        ..Default::default()
    };
    let last_contact = snap.last_contact(person.uuid);
    Ok(Profile {
        person,
        open_items,
        last_contact,
    })
}

/// A person with everything recorded about them: the profile, their open items, and the
/// history of 1:1s, updates sent, reflections and requests declined (the web app's page of a
/// person).
#[derive(Debug, Clone)]
pub struct Record {
    pub profile: Profile,
    /// Their open items, oldest first.
    pub open: Vec<Item>,
    /// The 1:1s with them, newest first (without what was discussed).
    pub meetings: Vec<Meeting>,
    /// The updates sent to them, newest first.
    pub updates: Vec<UpdateSent>,
    /// The reflections on working with them, newest first.
    pub reflections: Vec<Reflection>,
    /// The requests from them declined, newest first.
    pub declines: Vec<Decline>,
}

pub fn record(tx: &dyn Transaction, name: &str) -> Result<Record> {
    let person = resolve(tx, name)?;
    let open = tx.items(&ItemFilter {
        person: Some(person.uuid),
        status: Some(upward_domain::Status::Open),
        ..Default::default()
    })?;
    let uuid = person.uuid;
    // Dates only: the meetings come without their discussed items.
    let mut snap = upward_domain::Snapshot {
        meetings: tx.meetings(Some(jiff::civil::Date::MAX))?,
        updates: tx.updates()?,
        reflections: tx.reflections()?,
        ..Default::default()
    };
    snap.meetings.retain(|m| m.person.uuid == uuid);
    snap.updates.retain(|u| u.person.uuid == uuid);
    snap.reflections.retain(|r| r.person.uuid == uuid);
    let last_contact = snap.last_contact(uuid);
    let mut declines = tx.declines()?;
    declines.retain(|d| d.person.uuid == uuid);
    snap.meetings.reverse();
    snap.updates.reverse();
    snap.reflections.reverse();
    declines.reverse();
    Ok(Record {
        profile: Profile {
            open_items: open.len(),
            last_contact,
            person,
        },
        open,
        meetings: snap.meetings,
        updates: snap.updates,
        reflections: snap.reflections,
        declines,
    })
}
