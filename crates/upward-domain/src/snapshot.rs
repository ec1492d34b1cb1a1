//! A snapshot: the data one command's rules look at, loaded by the store and handed to the
//! pure workflow functions. The store may load only part of the database (say, one person's
//! open items) when a rule needs no more.

use crate::enums::{Relation, Status};
use crate::{Item, Kind, Meeting, Person, Reflection, UpdateSent};
use jiff::civil::Date;
use uuid::Uuid;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    pub people: Vec<Person>,
    pub items: Vec<Item>,
    pub meetings: Vec<Meeting>,
    pub updates: Vec<UpdateSent>,
    pub reflections: Vec<Reflection>,
}

/// Case-insensitive name equality (names are unique that way).
pub fn same_name(a: &str, b: &str) -> bool {
    // The rules compare names in loops over every record: spare the allocations when it can.
    if a == b {
        return true;
    }
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    // Character by character, without lowercasing both into new strings (this runs for
    // every person a name is looked up among); `str::to_lowercase` differs from
    // `char::to_lowercase` only for a final capital sigma, left to it.
    if a.contains('Σ') || b.contains('Σ') {
        return a.to_lowercase() == b.to_lowercase();
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

impl Snapshot {
    pub fn person(&self, name: &str) -> Option<&Person> {
        self.people.iter().find(|p| same_name(&p.name, name))
    }

    pub fn me(&self) -> Option<&Person> {
        self.people.iter().find(|p| p.is_me)
    }

    /// My manager: the first person with relation `manager` who is not archived.
    pub fn manager(&self) -> Option<&Person> {
        self.people
            .iter()
            .find(|p| p.relation == Relation::Manager && !p.archived)
    }

    /// A person by UUID.
    pub fn person_by_uuid(&self, uuid: Uuid) -> Option<&Person> {
        self.people.iter().find(|p| p.uuid == uuid)
    }

    /// An item by UUID.
    pub fn item_by_uuid(&self, uuid: Uuid) -> Option<&Item> {
        self.items.iter().find(|i| i.uuid == uuid)
    }

    pub fn item(&self, id: i64) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    /// Open items of a kind.
    pub fn open(&self, kind: Kind) -> impl Iterator<Item = &Item> {
        self.items
            .iter()
            .filter(move |i| i.kind == kind && i.status == Status::Open)
    }

    /// Whether an item belongs with `person` (items with no person count for my manager).
    pub fn is_for(&self, item: &Item, person: &Person) -> bool {
        match &item.person {
            Some(p) => p.uuid == person.uuid,
            None => self.manager().is_some_and(|m| m.uuid == person.uuid),
        }
    }

    /// The date of the last meeting with `person`.
    pub fn last_meeting(&self, person: Uuid) -> Option<Date> {
        self.meetings
            .iter()
            .filter(|m| m.person.uuid == person)
            .map(|m| m.date)
            .max()
    }

    /// The date of the last update sent to `person`.
    pub fn last_update(&self, person: Uuid) -> Option<Date> {
        self.updates
            .iter()
            .filter(|u| u.person.uuid == person)
            .map(|u| u.date)
            .max()
    }

    /// The last contact with `person`: a meeting or an update sent, whichever is later.
    pub fn last_contact(&self, person: Uuid) -> Option<Date> {
        self.last_meeting(person).max(self.last_update(person))
    }

    /// The date of the last reflection on `person`.
    pub fn last_reflection(&self, person: Uuid) -> Option<Date> {
        self.reflections
            .iter()
            .filter(|r| r.person.uuid == person)
            .map(|r| r.date)
            .max()
    }
}

#[cfg(test)]
mod tests {
    use super::same_name;
    use proptest::prelude::*;

    proptest! {
        /// Exactly "equal once lowercased", without lowercasing into new strings.
        #[test]
        fn same_name_is_equality_once_lowercased(
            a in "[a-zA-ZàÀéÉßẞİıΣσςΑα ]{0,8}", b in "[a-zA-ZàÀéÉßẞİıΣσςΑα ]{0,8}",
        ) {
            prop_assert_eq!(same_name(&a, &b), a.to_lowercase() == b.to_lowercase());
            let upper = a.to_uppercase();
            prop_assert_eq!(same_name(&a, &upper), a.to_lowercase() == upper.to_lowercase());
        }
    }

    #[test]
    fn names_with_accents_and_final_sigmas() {
        assert!(same_name("Tomás Herrera", "tomás herrera"));
        assert!(same_name("LUCÍA", "lucía"));
        assert!(!same_name("Lucía", "Lucia"));
        assert!(same_name("ΟΔΥΣΣΕΥΣ", "οδυσσευς"));
        assert!(!same_name("Tomás", "Tomás Herrera"));
    }
}
