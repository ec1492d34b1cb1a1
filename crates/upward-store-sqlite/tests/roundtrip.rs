//! Property: whatever a user records, export → import into an empty database → export gives
//! the same document, and merging it back into the source changes nothing.

use jiff::civil::{Date, date};
use proptest::prelude::*;
use upward_domain::{
    Clock, Direction, Item, ItemInput, Kind, Level, Owner, Person, Relation, Status, Tone,
    Visibility,
};
use upward_store::StoreExt;
use upward_store_sqlite::SqliteStore;

fn clock() -> Clock {
    Clock::fixed("2026-11-23").unwrap()
}

fn any_date() -> impl Strategy<Value = Date> {
    (2000i16..2040, 1i8..=12, 1i8..=28).prop_map(|(y, m, d)| date(y, m, d))
}

/// Text a user might type: any printable characters (including RTL, emoji, quotes, markup).
fn text() -> impl Strategy<Value = String> {
    "[^\\p{C}]{1,40}".prop_filter("non-blank", |s| !s.trim().is_empty())
}

fn level() -> impl Strategy<Value = Level> {
    prop_oneof![Just(Level::Low), Just(Level::Medium), Just(Level::High)]
}

#[derive(Debug, Clone)]
struct Spec {
    kind: Kind,
    title: String,
    body: Option<String>,
    person: bool,
    due: Option<Date>,
    tags: Vec<String>,
    shared: bool,
    status: u8,
    a: Option<String>,
    d: Option<Date>,
    lv: Level,
    n: u8,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop::sample::select(Kind::ALL.to_vec()),
        text(),
        prop::option::of(text()),
        any::<bool>(),
        prop::option::of(any_date()),
        prop::collection::vec("[a-z0-9_-]{1,8}", 0..3),
        any::<bool>(),
        0u8..3,
        prop::option::of(text()),
        prop::option::of(any_date()),
        level(),
        0u8..4,
    )
        .prop_map(
            |(kind, title, body, person, due, tags, shared, status, a, d, lv, n)| Spec {
                kind,
                title,
                body,
                person,
                due,
                tags,
                shared,
                status,
                a,
                d,
                lv,
                n,
            },
        )
}

fn build(s: &Spec, dana: &upward_domain::PersonRef) -> Item {
    let mut input = ItemInput {
        title: Some(s.title.clone()),
        body: s.body.clone(),
        person: s.person.then(|| dana.clone()),
        due: s.due,
        tags: Some(s.tags.clone()),
        visibility: Some(if s.shared {
            Visibility::Shared
        } else {
            Visibility::Private
        }),
        ..Default::default()
    };
    match s.kind {
        Kind::Win => {
            input.metric = s.a.clone();
            input.impact = s.a.clone();
            input.date = s.d;
        }
        Kind::Priority => {
            input.effort = Some(upward_domain::Duration::days(u32::from(s.n)));
            input.confirmed = s.d;
        }
        Kind::Expectation => {
            input.metric = s.a.clone();
            input.confirmed = s.d;
        }
        Kind::Risk => {
            input.severity = Some(s.lv);
            input.likelihood = Some(s.lv);
            input.mitigation = s.a.clone();
            input.communicated = s.d;
        }
        Kind::Blocker => {
            input.ask = s.a.clone();
            input.data = s.a.clone();
            input.escalated = s.d;
        }
        Kind::Action => {
            input.owner = Some(if s.n.is_multiple_of(2) {
                Owner::Me
            } else {
                Owner::Them
            })
        }
        Kind::Feedback => {
            input.direction = Some(
                [Direction::Given, Direction::Received, Direction::Requested][usize::from(s.n % 3)],
            );
            input.tone = Some(if s.n.is_multiple_of(2) {
                Tone::Positive
            } else {
                Tone::Constructive
            });
            input.consent = Some(s.n > 1);
        }
        Kind::Goal => input.last_discussed = s.d,
        _ => {}
    }
    let mut item = Item::new(s.kind, input, &clock(), 1).unwrap();
    if s.kind != Kind::Win {
        match s.status {
            1 => {
                item.status = Status::Done;
                item.done = s.d.or(Some(clock().today));
            }
            2 => {
                item.status = Status::Dropped;
                item.why = s.a.clone();
            }
            _ => {}
        }
    }
    item
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn export_import_export_is_identical(specs in prop::collection::vec(spec(), 0..25)) {
        let dir = tempfile::tempdir().unwrap();
        let c = clock();
        let mut a = SqliteStore::open(&dir.path().join("a.db")).unwrap();
        a.write(|tx| -> upward_store::Result<()> {
            let mut dana = Person::new("Dana", Relation::Manager, c.now)?;
            dana.goals = Some("Ship \"billing\" <b>now</b> — ✓".into());
            let dana = tx.insert_person(&dana)?.to_ref();
            for s in &specs {
                tx.insert_item(&build(s, &dana))?;
            }
            Ok(())
        }).unwrap();
        let first = a.read(|tx| upward_app::transfer::export(tx, c.now)).unwrap();
        let json = serde_json::to_string(&first).unwrap();
        let parsed = upward_domain::export::Export::parse(&json).unwrap();
        prop_assert_eq!(serde_json::to_string(&parsed).unwrap(), json.clone());

        let mut b = SqliteStore::open(&dir.path().join("b.db")).unwrap();
        b.write(|tx| upward_app::transfer::import(tx, &parsed, false, &clock())).unwrap();
        let second = b.read(|tx| upward_app::transfer::export(tx, c.now)).unwrap();
        prop_assert_eq!(serde_json::to_string(&second).unwrap(), json.clone());

        let report = a.write(|tx| upward_app::transfer::import(tx, &parsed, true, &clock())).unwrap();
        prop_assert_eq!(report.items_added, 0);
        prop_assert_eq!(serde_json::to_string(&a.read(|tx| upward_app::transfer::export(tx, c.now)).unwrap()).unwrap(), json);
    }
}
