//! A person: who they are to me, what I know of them (profile) and how they like to
//! communicate (style). `me` is a person too, so I can reflect on myself with the same fields.

use crate::enums::{Channel, DecidesBy, Length, Level, Relation};
use crate::{DomainError, Duration};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The profile fields, in the order prep asks about them.
pub const PROFILE_FIELDS: [&str; 9] = [
    "goals",
    "priorities",
    "pressures",
    "motivations",
    "values",
    "strengths",
    "blind_spots",
    "pet_peeves",
    "happiest",
];

/// The style fields.
pub const STYLE_FIELDS: [&str; 8] = [
    "channel",
    "length",
    "decides_by",
    "feedback",
    "cadence",
    "trust",
    "technical",
    "exec",
];

/// The fields `person set` accepts besides the profile and style fields.
pub const IDENTITY_FIELDS: [&str; 4] = ["name", "relation", "role", "email"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    #[serde(skip)]
    pub id: i64,
    pub name: String,
    pub relation: Relation,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub is_me: bool,
    #[serde(default)]
    pub goals: Option<String>,
    #[serde(default)]
    pub priorities: Option<String>,
    #[serde(default)]
    pub pressures: Option<String>,
    #[serde(default)]
    pub motivations: Option<String>,
    #[serde(default)]
    pub values: Option<String>,
    #[serde(default)]
    pub strengths: Option<String>,
    #[serde(default)]
    pub blind_spots: Option<String>,
    #[serde(default)]
    pub pet_peeves: Option<String>,
    #[serde(default)]
    pub happiest: Option<String>,
    #[serde(default)]
    pub channel: Option<Channel>,
    #[serde(default)]
    pub length: Option<Length>,
    #[serde(default)]
    pub decides_by: Option<DecidesBy>,
    #[serde(default)]
    pub feedback: Option<Level>,
    #[serde(default)]
    pub cadence: Option<Duration>,
    #[serde(default)]
    pub trust: Option<u8>,
    /// Whether they read technical detail (docs/update.md#a-reader-who-is-not-technical): with
    /// `no`, an update leads with outcomes and dates and flags jargon. Unset in an export
    /// written before it existed.
    #[serde(default)]
    pub technical: Option<bool>,
    /// An executive (a skip-level, a director): an update is a three-line brief
    /// (docs/update.md#the-three-line-brief).
    #[serde(default)]
    pub exec: Option<bool>,
    /// Their email address (`person set NAME email ADDRESS`): how sync links them to a member
    /// of a space on the team server (docs/sync.md#linking-a-person-to-the-other-member).
    /// Compared case-insensitively ([`email_key`]). Unset in an export written before it
    /// existed.
    #[serde(default)]
    pub email: Option<String>,
    /// The account on the team server this person is linked to: set only by sync, and unique
    /// among people when set.
    #[serde(default)]
    pub account: Option<Uuid>,
    /// Removed with `person rm`: hidden, but kept with everything recorded about them.
    #[serde(default)]
    pub archived: bool,
    pub uuid: Uuid,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A reference from a record to a person. The UUID is the reference (it is the same on every
/// device and survives renames); the name is how the reference reads, filled in from the
/// person record whenever the record is loaded.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PersonRef {
    #[serde(rename = "person_uuid", default)]
    pub uuid: Uuid,
    #[serde(rename = "person")]
    pub name: String,
}

impl PersonRef {
    pub fn is(&self, person: &Person) -> bool {
        self.uuid == person.uuid
    }
}

/// A new person's UUID: random; in this crate's unit tests, derived from the name, so that
/// a test can refer to "Sam" by name (`"Sam".into()`) as the records it builds do.
fn new_uuid(_name: &str) -> Uuid {
    #[cfg(test)]
    return test_uuid(_name);
    #[cfg(not(test))]
    Uuid::new_v4()
}

#[cfg(test)]
pub(crate) fn test_uuid(name: &str) -> Uuid {
    // FNV-1a over the lowercased name, twice for 128 bits.
    let mut h: u128 = 0x6c62272e07bb014262b821756295c58d;
    for b in name.to_lowercase().bytes() {
        h ^= u128::from(b);
        h = h.wrapping_mul(0x0000000001000000000000000000013B);
    }
    Uuid::from_u128(h)
}

#[cfg(test)]
impl From<&str> for PersonRef {
    fn from(name: &str) -> PersonRef {
        PersonRef {
            uuid: test_uuid(name),
            name: name.to_string(),
        }
    }
}

/// A reference reads as the person's name.
impl std::fmt::Display for PersonRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

impl From<&Person> for PersonRef {
    fn from(p: &Person) -> PersonRef {
        PersonRef {
            uuid: p.uuid,
            name: p.name.clone(),
        }
    }
}

impl Person {
    /// This person as a reference from a record.
    pub fn to_ref(&self) -> PersonRef {
        PersonRef::from(self)
    }

    /// A new person with the defaults of docs/people.md (a manager's cadence is 7 days).
    pub fn new(name: &str, relation: Relation, now: Timestamp) -> Result<Person, DomainError> {
        let name = validate_name(name)?;
        let uuid = new_uuid(&name);
        Ok(Person {
            id: 0,
            name,
            relation,
            role: None,
            is_me: relation == Relation::Myself,
            goals: None,
            priorities: None,
            pressures: None,
            motivations: None,
            values: None,
            strengths: None,
            blind_spots: None,
            pet_peeves: None,
            happiest: None,
            channel: None,
            length: None,
            decides_by: None,
            feedback: None,
            cadence: (relation == Relation::Manager).then(|| Duration::days(7)),
            trust: None,
            technical: None,
            exec: None,
            email: None,
            account: None,
            archived: false,
            uuid,
            created_at: now,
            updated_at: now,
        })
    }

    /// The value of a profile field by name (`None` for an unknown name or an empty field).
    pub fn profile(&self, field: &str) -> Option<&str> {
        match field {
            "goals" => self.goals.as_deref(),
            "priorities" => self.priorities.as_deref(),
            "pressures" => self.pressures.as_deref(),
            "motivations" => self.motivations.as_deref(),
            "values" => self.values.as_deref(),
            "strengths" => self.strengths.as_deref(),
            "blind_spots" => self.blind_spots.as_deref(),
            "pet_peeves" => self.pet_peeves.as_deref(),
            "happiest" => self.happiest.as_deref(),
            _ => None,
        }
    }

    /// Whether a style field is set.
    pub fn has_style(&self, field: &str) -> bool {
        match field {
            "channel" => self.channel.is_some(),
            "length" => self.length.is_some(),
            "decides_by" => self.decides_by.is_some(),
            "feedback" => self.feedback.is_some(),
            "cadence" => self.cadence.is_some(),
            "trust" => self.trust.is_some(),
            "technical" => self.technical.is_some(),
            "exec" => self.exec.is_some(),
            _ => false,
        }
    }

    /// Sets one field from user text, as `person set NAME FIELD VALUE` does. An empty value
    /// clears an optional field.
    pub fn set(&mut self, field: &str, value: &str, now: Timestamp) -> Result<(), DomainError> {
        let field_norm = field.trim().to_lowercase().replace('-', "_");
        // Free text as items have it (at most 1 MiB, no control characters but newlines and
        // tabs, which would be replayed to the terminal by `person show`), trimmed.
        let text = |what: &'static str| crate::item::validate_text(what, value.trim());
        let empty = value.trim().is_empty();
        match field_norm.as_str() {
            "name" => self.name = validate_name(value)?,
            "relation" => {
                let rel: Relation = value.parse()?;
                if rel == Relation::Myself || self.is_me {
                    return Err(DomainError::FixedRelation);
                }
                self.relation = rel;
                // A new manager gets a manager's cadence, as one added as manager does.
                if rel == Relation::Manager && self.cadence.is_none() {
                    self.cadence = Some(Duration::days(7));
                }
            }
            "role" => self.role = text("role")?,
            "email" => {
                self.email = if empty {
                    None
                } else {
                    Some(validate_email(value)?)
                }
            }
            "goals" => self.goals = text("goals")?,
            "priorities" => self.priorities = text("priorities")?,
            "pressures" => self.pressures = text("pressures")?,
            "motivations" => self.motivations = text("motivations")?,
            "values" => self.values = text("values")?,
            "strengths" => self.strengths = text("strengths")?,
            "blind_spots" => self.blind_spots = text("blind_spots")?,
            "pet_peeves" => self.pet_peeves = text("pet_peeves")?,
            "happiest" => self.happiest = text("happiest")?,
            "channel" => self.channel = if empty { None } else { Some(value.parse()?) },
            "length" => self.length = if empty { None } else { Some(value.parse()?) },
            "decides_by" => self.decides_by = if empty { None } else { Some(value.parse()?) },
            "feedback" => self.feedback = if empty { None } else { Some(value.parse()?) },
            "cadence" => self.cadence = if empty { None } else { Some(value.parse()?) },
            "trust" => {
                self.trust = if empty {
                    None
                } else {
                    Some(parse_trust(value)?)
                }
            }
            "technical" => {
                self.technical = if empty {
                    None
                } else {
                    Some(crate::enums::parse_bool("technical", value)?)
                }
            }
            "exec" => {
                self.exec = if empty {
                    None
                } else {
                    Some(crate::enums::parse_bool("exec", value)?)
                }
            }
            "archived" => {
                let archived = crate::enums::parse_bool("archived", value)?;
                if archived && self.is_me {
                    // As `person rm` refuses: every rule counts from me.
                    return Err(DomainError::Rule(
                        "you cannot archive yourself — saying who you are again (`upward init \
                         --me NAME`) renames you"
                            .into(),
                    ));
                }
                self.archived = archived;
            }
            _ => {
                let accepted = IDENTITY_FIELDS
                    .iter()
                    .chain(PROFILE_FIELDS.iter())
                    .chain(STYLE_FIELDS.iter())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(DomainError::invalid("person field", field, accepted));
            }
        }
        self.updated_at = now;
        Ok(())
    }
}

/// The key an email address is compared by: trimmed and lowercased, so `Dana@Example.com`
/// and `dana@example.com ` are the same address.
pub fn email_key(address: &str) -> String {
    address.trim().to_lowercase()
}

impl Person {
    /// The key of this person's email address ([`email_key`]), if they have one.
    pub fn email_key(&self) -> Option<String> {
        self.email.as_deref().map(email_key)
    }
}

/// One email address, `name@host`, trimmed: one `@` with text on both sides, no spaces,
/// commas, angle brackets or control characters, at most 254 characters. Kept as typed (its
/// case too); compared by [`email_key`].
pub fn validate_email(value: &str) -> Result<String, DomainError> {
    let address = value.trim();
    let accepted = "one address such as dana@example.com (name@host)";
    let shown = || {
        let shown: String = address.chars().take(60).collect();
        shown.escape_debug().to_string()
    };
    let well_formed = match address.split_once('@') {
        Some((name, host)) => {
            !name.is_empty()
                && !host.is_empty()
                && !host.contains('@')
                && !host.starts_with('.')
                && !host.ends_with('.')
                && !address.chars().any(|c| {
                    c.is_whitespace()
                        || c.is_control()
                        || matches!(c, ',' | ';' | '<' | '>' | '(' | ')' | '"' | '[' | ']')
                })
        }
        None => false,
    };
    if !well_formed || address.chars().count() > 254 {
        return Err(DomainError::invalid("email", shown(), accepted));
    }
    Ok(address.to_string())
}

/// Trust is a score from 1 to 5.
pub fn parse_trust(value: &str) -> Result<u8, DomainError> {
    match value.trim().parse::<u8>() {
        Ok(n @ 1..=5) => Ok(n),
        _ => Err(DomainError::invalid(
            "trust",
            value,
            "a whole number from 1 to 5",
        )),
    }
}

/// A name must be non-empty, single-line and of reasonable length.
pub fn validate_name(name: &str) -> Result<String, DomainError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(DomainError::invalid(
            "name",
            name,
            "a non-empty name such as Dana",
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(DomainError::invalid(
            "name",
            name.escape_debug().to_string(),
            "a name without control characters",
        ));
    }
    if name.chars().count() > 200 {
        return Err(DomainError::invalid(
            "name",
            format!("{}…", name.chars().take(20).collect::<String>()),
            "a name of at most 200 characters",
        ));
    }
    Ok(name.to_string())
}

/// Resolves a name typed by the user among `people`: an exact case-insensitive match (archived
/// people included, so their history stays reachable), else `me`, else a unique prefix among
/// the people not archived. No match, or several, is an error that lists the candidates.
pub fn resolve<'a>(people: &'a [Person], name: &str) -> Result<&'a Person, DomainError> {
    let key = name.trim().to_lowercase();
    if key.is_empty() {
        return Err(DomainError::Rule(
            "a person's name is empty — give a name or a unique prefix of one".into(),
        ));
    }
    if let Some(p) = people.iter().find(|p| p.name.to_lowercase() == key) {
        return Ok(p);
    }
    if key == "me"
        && let Some(p) = people.iter().find(|p| p.is_me)
    {
        return Ok(p);
    }
    let matches: Vec<&Person> = people
        .iter()
        .filter(|p| !p.archived && p.name.to_lowercase().starts_with(&key))
        .collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err(DomainError::UnknownPerson {
            name: name.to_string(),
            known: people
                .iter()
                .filter(|p| !p.archived)
                .map(|p| p.name.clone())
                .collect(),
        }),
        many => Err(DomainError::AmbiguousPerson {
            name: name.to_string(),
            matches: many.iter().map(|p| p.name.clone()).collect(),
        }),
    }
}

/// My manager among `people`: the first one not archived whose relation is `manager`.
pub fn manager(people: &[Person]) -> Option<&Person> {
    people
        .iter()
        .find(|p| p.relation == Relation::Manager && !p.archived)
}

/// Why a new person cannot take `name`: it is taken by someone (in any case), archived or not.
pub fn name_taken(people: &[Person], name: &str) -> Option<DomainError> {
    let key = name.to_lowercase();
    let existing = people.iter().find(|p| p.name.to_lowercase() == key)?;
    Some(DomainError::NameTaken {
        name: existing.name.clone(),
        archived: existing.archived,
    })
}

#[cfg(test)]
mod resolve_tests {
    use super::*;

    fn people() -> Vec<Person> {
        let now = jiff::Timestamp::UNIX_EPOCH;
        let mut gone = Person::new("Samuel", Relation::Peer, now).unwrap();
        gone.archived = true;
        vec![
            Person::new("Alex", Relation::Myself, now).unwrap(),
            Person::new("Dana Whitfield", Relation::Manager, now).unwrap(),
            Person::new("Sam", Relation::Peer, now).unwrap(),
            Person::new("Samir", Relation::Peer, now).unwrap(),
            gone,
        ]
    }

    #[test]
    fn exact_then_me_then_unique_prefix() {
        let p = people();
        assert_eq!(resolve(&p, "dana").unwrap().name, "Dana Whitfield");
        assert_eq!(resolve(&p, "SAM").unwrap().name, "Sam");
        assert_eq!(resolve(&p, "sami").unwrap().name, "Samir");
        assert_eq!(resolve(&p, "me").unwrap().name, "Alex");
        assert_eq!(
            resolve(&p, "samuel").unwrap().name,
            "Samuel",
            "archived, by full name"
        );
        assert_eq!(
            resolve(&p, "sa"),
            Err(DomainError::AmbiguousPerson {
                name: "sa".into(),
                matches: vec!["Sam".into(), "Samir".into()]
            })
        );
        assert_eq!(
            resolve(&p, "x"),
            Err(DomainError::UnknownPerson {
                name: "x".into(),
                known: ["Alex", "Dana Whitfield", "Sam", "Samir"]
                    .map(String::from)
                    .to_vec()
            })
        );
        assert_eq!(
            resolve(&[], "Dana"),
            Err(DomainError::UnknownPerson {
                name: "Dana".into(),
                known: vec![]
            })
        );
        assert!(resolve(&p, "  ").is_err());
        assert_eq!(manager(&p).unwrap().name, "Dana Whitfield");
        assert_eq!(
            name_taken(&p, "SAMIR"),
            Some(DomainError::NameTaken {
                name: "Samir".into(),
                archived: false
            })
        );
        assert_eq!(
            name_taken(&p, "samuel"),
            Some(DomainError::NameTaken {
                name: "Samuel".into(),
                archived: true
            })
        );
        assert!(name_taken(&p, "Priya").is_none());
    }

    #[test]
    fn an_email_is_one_address_kept_as_typed_and_compared_without_case() {
        let now: Timestamp = "2026-11-23T12:00:00Z".parse().unwrap();
        let mut p = Person::new("Dana", Relation::Manager, now).unwrap();
        p.set("email", "  Dana.W+1@Example.com ", now).unwrap();
        assert_eq!(p.email.as_deref(), Some("Dana.W+1@Example.com"));
        assert_eq!(p.email_key().as_deref(), Some("dana.w+1@example.com"));
        assert_eq!(email_key("DANA.w+1@example.COM"), "dana.w+1@example.com");
        p.set("email", "dana@localhost", now).unwrap();
        for bad in [
            "dana",
            "@example.com",
            "dana@",
            "dana@@example.com",
            "dana@a@b",
            "dana @example.com",
            "dana@example.com, sam@example.com",
            "Dana <dana@example.com>",
            "dana@example.com.",
            "dana\u{7}@example.com",
        ] {
            let err = p.set("email", bad, now).unwrap_err().to_string();
            assert!(err.contains("name@host"), "{bad}: {err}");
            assert_eq!(p.email.as_deref(), Some("dana@localhost"), "{bad}");
        }
        assert!(
            p.set("email", &format!("{}@x.io", "a".repeat(250)), now)
                .is_err()
        );
        p.set("email", " ", now).unwrap();
        assert_eq!(p.email, None);
    }
}
