//! Pins the rendered texts of prep, nudges and reflect on one realistic workspace at a fixed
//! clock, so a change in wording or order is a reviewed snapshot diff.

use std::collections::BTreeMap;
use upward_domain::workflow::meet::{MeetInput, meet};
use upward_domain::workflow::{nudges, prep, reflect};
use upward_domain::{
    Clock, Direction, Item, ItemInput, Kind, Length, Level, Owner, Person, Relation, Snapshot,
    Status, Tone, UpdateSent, parse_date,
};

/// Wednesday 2026-11-25, 09:00 UTC.
fn clock() -> Clock {
    Clock::fixed("2026-11-25T09:00:00Z").unwrap()
}

fn day(when: &str) -> jiff::civil::Date {
    parse_date(when, clock().today).unwrap()
}

struct Workspace {
    snap: Snapshot,
}

impl Workspace {
    fn person(&mut self, name: &str, relation: Relation) -> &mut Person {
        let mut p = Person::new(name, relation, clock().now).unwrap();
        p.id = self.snap.people.len() as i64 + 1;
        self.snap.people.push(p);
        self.snap.people.last_mut().unwrap()
    }

    fn add(&mut self, kind: Kind, title: &str, input: ItemInput) -> &mut Item {
        let input = ItemInput {
            title: Some(title.into()),
            ..input
        };
        let rank = self.snap.open(Kind::Priority).count() as i64 + 1;
        let mut item = Item::new(kind, input, &clock(), rank).unwrap();
        item.id = self.snap.items.len() as i64 + 1;
        self.snap.items.push(item);
        self.snap.items.last_mut().unwrap()
    }

    fn dana(&self) -> Person {
        self.snap.person("Dana").unwrap().clone()
    }
}

/// Me, my manager Dana (brief, weekly), a peer, and a fortnight of managing up.
fn workspace() -> Workspace {
    let mut w = Workspace {
        snap: Snapshot::default(),
    };
    w.person("Alex", Relation::Myself);
    let dana = w.person("Dana", Relation::Manager);
    dana.length = Some(Length::Brief);
    dana.goals = Some("Ship the billing rewrite by Q1".into());
    w.person("Sam", Relation::Peer).cadence = Some("2w".parse().unwrap());

    let m = meet(
        &w.snap,
        &w.dana(),
        MeetInput {
            date: day("-9d"),
            discussed: vec![],
            notes: Some("Talked about the roadmap".into()),
            shared_notes: None,
            actions: vec![],
            consent_asked: vec![],
        },
        &clock(),
    )
    .unwrap();
    w.snap.meetings.push(m.meeting);
    let sam = w.snap.person("Sam").unwrap().uuid;
    let update: UpdateSent = serde_json::from_value(serde_json::json!({
        "id": 1, "uuid": "00000000-0000-4000-8000-000000000001", "person": "Sam", "person_uuid": sam,
        "date": "2026-11-20", "channel": "chat", "created_at": "2026-11-20T10:00:00Z"
    }))
    .unwrap();
    w.snap.updates.push(update);

    let none = ItemInput::default;
    let a = w.add(
        Kind::Action,
        "Send the migration plan",
        ItemInput {
            owner: Some(Owner::Me),
            due: Some(day("-2d")),
            ..none()
        },
    );
    a.body = Some("Draft is in the team folder.".into());
    w.add(
        Kind::Action,
        "Intro me to the infra lead",
        ItemInput {
            owner: Some(Owner::Them),
            ..none()
        },
    );
    w.add(Kind::Topic, "Team offsite in January", none());
    let win = w.add(
        Kind::Win,
        "Cut checkout p99 latency",
        ItemInput {
            metric: Some("p99 -38%".into()),
            impact: Some("fewer abandoned carts".into()),
            date: Some(day("-3d")),
            ..none()
        },
    );
    win.body = Some("Found an N+1 query in the cart service.\nFixed and load-tested.".into());
    w.add(
        Kind::Win,
        "Onboarded two new hires",
        ItemInput {
            date: Some(day("-12d")),
            ..none()
        },
    );
    w.add(
        Kind::Blocker,
        "No staging database for the exporter",
        ItemInput {
            ask: Some("approve a second staging instance".into()),
            data: Some("3 of the last 5 deploys failed on shared staging".into()),
            ..none()
        },
    )
    .created = day("-8d");
    w.add(
        Kind::Risk,
        "Payment vendor may miss the API deadline",
        ItemInput {
            severity: Some(Level::High),
            likelihood: Some(Level::Medium),
            ..none()
        },
    );
    w.add(
        Kind::Risk,
        "On-call load during the holidays",
        ItemInput {
            severity: Some(Level::Low),
            mitigation: Some("swap rota with the platform team".into()),
            ..none()
        },
    );
    let p = w.add(
        Kind::Priority,
        "Billing exporter",
        ItemInput {
            due: Some(day("2026-12-11")),
            effort: Some("2w".parse().unwrap()),
            ..none()
        },
    );
    p.confirmed = Some(day("-9d"));
    p.ranked = Some(day("-20d"));
    let p = w.add(
        Kind::Priority,
        "Search relevance",
        ItemInput {
            due: Some(day("-1d")),
            ..none()
        },
    );
    p.ranked = Some(day("-20d"));
    let p = w.add(Kind::Priority, "Migrate the cron jobs", none());
    p.status = Status::Done;
    p.done = Some(day("-4d"));
    w.add(
        Kind::Expectation,
        "Own the billing on-call",
        ItemInput {
            confirmed: Some(day("-30d")),
            ..none()
        },
    );
    w.add(
        Kind::Feedback,
        "Her framing of the reorg was clear",
        ItemInput {
            direction: Some(Direction::Given),
            tone: Some(Tone::Positive),
            ..none()
        },
    );
    w.add(
        Kind::Goal,
        "Lead a cross-team project",
        ItemInput {
            last_discussed: Some(day("-120d")),
            ..none()
        },
    );
    let sam = w.snap.person("Sam").map(|p| p.to_ref());
    w.add(
        Kind::Promise,
        "Review Sam's design doc",
        ItemInput {
            person: sam,
            due: Some(day("-4d")),
            ..none()
        },
    );
    w
}

#[test]
fn brief_agenda() {
    let w = workspace();
    let agenda = prep::prep(&w.snap, &w.dana(), &clock());
    insta::assert_snapshot!(upward_render::agenda::markdown(&agenda));
}

#[test]
fn detailed_agenda() {
    let mut w = workspace();
    w.snap.people[1].length = Some(Length::Detailed);
    let agenda = prep::prep(&w.snap, &w.dana(), &clock());
    insta::assert_snapshot!(upward_render::agenda::markdown(&agenda));
}

/// The agenda to paste into the doc shared with Dana: every item (`--all`), facts only.
#[test]
fn shared_agenda() {
    let w = workspace();
    let agenda = prep::agenda(&w.snap, &w.dana(), &clock(), prep::Audience::Shared);
    let md = upward_render::agenda::page(&agenda, true);
    for private in [
        "upward ",
        "(#",
        "ask first",
        "Getting to know",
        "How we work together",
    ] {
        assert!(!md.contains(private), "{private:?} in\n{md}");
    }
    insta::assert_snapshot!(md);
}

#[test]
fn agenda_json() {
    let w = workspace();
    let agenda = prep::prep(&w.snap, &w.dana(), &clock());
    insta::assert_snapshot!(
        serde_json::to_string_pretty(&upward_render::agenda::json(&agenda)).unwrap()
    );
}

#[test]
fn nudges_text_and_json() {
    let w = workspace();
    let list = nudges::nudges(&w.snap, &clock());
    insta::assert_snapshot!("nudges_text", upward_render::nudges::text(&list, false));
    insta::assert_snapshot!(
        "nudges_json",
        serde_json::to_string_pretty(&upward_render::nudges::json(&list)).unwrap()
    );
}

#[test]
fn reflect_text() {
    let mut w = workspace();
    let dana = w.dana();
    let scores = |pairs: &[(&str, u8)]| -> BTreeMap<String, u8> {
        pairs.iter().map(|(a, s)| (a.to_string(), *s)).collect()
    };
    for (date, s) in [
        (
            "2026-09-20",
            scores(&[("priorities", 3), ("visibility", 2), ("rapport", 4)]),
        ),
        (
            "2026-10-20",
            scores(&[("priorities", 3), ("visibility", 3), ("rapport", 4)]),
        ),
    ] {
        let then = Clock::fixed(date).unwrap();
        let r = reflect::reflection(&dana, s, BTreeMap::new(), &then).unwrap();
        w.snap.reflections.push(r);
    }
    let answers = [(
        "delivery".to_string(),
        "Unsure what she needs from me.".to_string(),
    )];
    let new = reflect::reflection(
        &dana,
        scores(&[
            ("priorities", 4),
            ("expectations", 3),
            ("delivery", 2),
            ("visibility", 3),
            ("rapport", 4),
        ]),
        answers.into_iter().collect(),
        &clock(),
    )
    .unwrap();
    insta::assert_snapshot!(upward_render::reflect::text(&reflect::trend(&w.snap, &new)));
}

/// What the texts above show as commands, the results carry as data (for a page's buttons).
#[test]
fn the_steps_behind_the_commands() {
    use upward_domain::Next;
    let w = workspace();
    let agenda = prep::prep(&w.snap, &w.dana(), &clock());
    let steps: Vec<&Next> = agenda
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .filter_map(|i| i.next.as_ref())
        .collect();
    assert_eq!(
        steps,
        [
            &Next::reflect("Dana"),
            &Next::set_person_field("Dana", "priorities"),
            &Next::set_person_field("Dana", "pressures"),
        ]
    );
    let list = nudges::nudges(&w.snap, &clock());
    let steps: Vec<&Next> = list.iter().filter_map(|n| n.next.as_ref()).collect();
    assert_eq!(
        steps,
        [
            &Next::prep("Dana"),
            &Next::reflect("Dana"),
            &Next::reflect("Sam")
        ]
    );
    assert!(list.iter().all(|n| !n.text.contains('`')));
}
