//! A small world for the workflow tests: me, my manager Dana (cadence 7d) and a fixed clock,
//! with builders for items, meetings, updates and reflections from plain values.

use crate::{
    Clock, Item, ItemInput, Kind, Meeting, Person, Reflection, Relation, Snapshot, UpdateSent,
    parse_date,
};
use jiff::civil::Date;
use uuid::Uuid;

pub(crate) struct World {
    pub snap: Snapshot,
    pub clock: Clock,
}

impl World {
    /// A world on `today` (a `YYYY-MM-DD` date) with me and my manager Dana.
    pub fn at(today: &str) -> World {
        let clock = Clock::fixed(today).unwrap();
        let mut w = World {
            snap: Snapshot::default(),
            clock,
        };
        w.person("Me", Relation::Myself);
        w.person("Dana", Relation::Manager);
        w
    }

    /// A date relative to today in any `parse_date` form (`-3d`, `+1w`, `2026-11-02`).
    pub fn day(&self, when: &str) -> Date {
        parse_date(when, self.clock.today).unwrap()
    }

    pub fn person(&mut self, name: &str, relation: Relation) -> &mut Person {
        let mut p = Person::new(name, relation, self.clock.now).unwrap();
        p.id = self.snap.people.len() as i64 + 1;
        self.snap.people.push(p);
        self.snap.people.last_mut().unwrap()
    }

    pub fn get(&self, name: &str) -> Person {
        self.snap.person(name).unwrap().clone()
    }

    pub fn dana(&self) -> Person {
        self.get("Dana")
    }

    /// Adds an item with the kind's defaults, created today and for no person (which
    /// counts for Dana); set more fields on the returned item.
    pub fn add(&mut self, kind: Kind, title: &str) -> &mut Item {
        let input = ItemInput {
            title: Some(title.into()),
            ..Default::default()
        };
        let rank = self.snap.open(Kind::Priority).count() as i64 + 1;
        let mut item = Item::new(kind, input, &self.clock, rank).unwrap();
        item.id = self.snap.items.len() as i64 + 1;
        self.snap.items.push(item);
        self.snap.items.last_mut().unwrap()
    }

    pub fn meeting(&mut self, person: &str, when: &str) {
        let date = self.day(when);
        self.snap.meetings.push(Meeting {
            id: self.snap.meetings.len() as i64 + 1,
            uuid: Uuid::new_v4(),
            person: person.into(),
            date,
            notes: None,
            shared_notes: None,
            their_notes: None,
            discussed: vec![],
            created_at: self.clock.now,
        });
    }

    pub fn update(&mut self, person: &str, when: &str) {
        let date = self.day(when);
        self.snap.updates.push(UpdateSent {
            id: self.snap.updates.len() as i64 + 1,
            uuid: Uuid::new_v4(),
            person: person.into(),
            date,
            channel: crate::Channel::Chat,
            text: None,
            created_at: self.clock.now,
        });
    }

    pub fn reflection(&mut self, person: &str, when: &str, scores: &[(&str, u8)]) {
        let date = self.day(when);
        self.snap.reflections.push(Reflection {
            id: self.snap.reflections.len() as i64 + 1,
            uuid: Uuid::new_v4(),
            person: person.into(),
            date,
            scores: scores.iter().map(|(a, s)| (a.to_string(), *s)).collect(),
            answers: Default::default(),
            created_at: self.clock.now,
        });
    }
}
