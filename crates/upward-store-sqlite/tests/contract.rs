//! The storage contract, written once. `contract_suite!` stamps every test into a module for
//! one backend; the PostgreSQL backend will add its own line at the bottom.

use jiff::civil::date;
use upward_domain::{Clock, Item, ItemInput, Kind, Meeting, Person, Relation, Status};
use upward_store::{ItemFilter, Scope, Store};

pub fn clock() -> Clock {
    Clock::fixed("2026-11-23").unwrap()
}

pub fn item(kind: Kind, title: &str) -> Item {
    Item::new(
        kind,
        ItemInput {
            title: Some(title.into()),
            ..Default::default()
        },
        &clock(),
        1,
    )
    .unwrap()
}

macro_rules! contract_suite {
    ($backend:ident, $open:expr) => {
        mod $backend {
            use super::*;

            fn open() -> (tempfile::TempDir, Store) {
                let dir = tempfile::tempdir().unwrap();
                let store = $open(dir.path());
                (dir, store)
            }

            #[test]
            fn items_round_trip_every_field() {
                let (_d, mut s) = open();
                let c = clock();
                let stored = s
                    .write(|tx| -> upward_store::Result<_> {
                        tx.add_person(&Person::new("Dana", Relation::Manager, c.now)?)?;
                        let mut i = item(Kind::Risk, "Vendor sunset");
                        i.person = Some("Dana".into());
                        i.tags = vec!["b".into(), "a".into()];
                        i.body = Some("multi\nline".into());
                        i.due = Some(date(2026, 12, 1));
                        i.mitigation = Some("adapter".into());
                        tx.insert_item(&i)
                    })
                    .unwrap();
                let back = s.read(|tx| tx.item(stored.id)).unwrap();
                assert_eq!(back, stored);
            }

            #[test]
            fn a_failed_write_leaves_nothing() {
                let (_d, mut s) = open();
                let r: Result<(), upward_store::StoreError> = s.write(|tx| {
                    tx.insert_item(&item(Kind::Note, "half"))?;
                    Err(upward_store::StoreError::Conflict("stop".into()))
                });
                assert!(r.is_err());
                assert!(s.read(|tx| tx.is_empty()).unwrap());
            }

            #[test]
            fn names_resolve_case_insensitively_and_by_unique_prefix() {
                let (_d, mut s) = open();
                let now = clock().now;
                s.write(|tx| -> upward_store::Result<_> {
                    tx.add_person(&Person::new("Dana Whitfield", Relation::Manager, now)?)?;
                    tx.add_person(&Person::new("Sam", Relation::Peer, now)?)?;
                    tx.add_person(&Person::new("Samir", Relation::Peer, now)?)?;
                    Ok(())
                })
                .unwrap();
                s.read(|tx| -> upward_store::Result<_> {
                    assert_eq!(tx.resolve_person("dana")?.name, "Dana Whitfield");
                    assert_eq!(tx.resolve_person("SAM")?.name, "Sam");
                    assert_eq!(tx.resolve_person("sami")?.name, "Samir");
                    assert!(tx.resolve_person("x").is_err());
                    assert!(
                        tx.add_person(&Person::new("sam", Relation::Peer, now)?)
                            .is_err()
                    );
                    Ok(())
                })
                .unwrap();
            }

            #[test]
            fn filters_and_snapshot_scope() {
                let (_d, mut s) = open();
                let c = clock();
                s.write(|tx| -> upward_store::Result<_> {
                    let mut old = item(Kind::Action, "old done");
                    old.status = Status::Done;
                    old.done = Some(date(2025, 1, 1));
                    old.updated_at = "2025-01-01T00:00:00Z".parse().unwrap();
                    tx.insert_item(&old)?;
                    let mut tagged = item(Kind::Action, "open tagged");
                    tagged.tags = vec!["q4".into()];
                    tx.insert_item(&tagged)?;
                    Ok(())
                })
                .unwrap();
                s.read(|tx| -> upward_store::Result<_> {
                    let open = tx.items(&ItemFilter {
                        status: Some(Status::Open),
                        ..Default::default()
                    })?;
                    assert_eq!(open.len(), 1);
                    let q4 = tx.items(&ItemFilter {
                        tag: Some("q4".into()),
                        ..Default::default()
                    })?;
                    assert_eq!(q4[0].title, "open tagged");
                    let recent = tx.snapshot(Scope {
                        closed_since: Some(c.today),
                    })?;
                    assert_eq!(recent.items.len(), 1);
                    let all = tx.snapshot(Scope::default())?;
                    assert_eq!(all.items.len(), 2);
                    Ok(())
                })
                .unwrap();
            }

            #[test]
            fn priorities_are_placed_and_compacted() {
                let (_d, mut s) = open();
                let c = clock();
                let ranks = s
                    .write(|tx| -> upward_store::Result<_> {
                        let mut ids = Vec::new();
                        for t in ["a", "b", "c"] {
                            let mut p = item(Kind::Priority, t);
                            p.rank = Some(tx.next_rank()?);
                            ids.push(tx.insert_item(&p)?.id);
                        }
                        tx.place_priority(ids[2], 1, &c)?;
                        let mut b = tx.item(ids[1])?;
                        b.status = Status::Done;
                        tx.update_item(&b)?;
                        tx.compact_ranks(&c)?;
                        let list = tx.items(&ItemFilter {
                            kind: Some(Kind::Priority),
                            status: Some(Status::Open),
                            ..Default::default()
                        })?;
                        Ok(list
                            .into_iter()
                            .map(|i| (i.title, i.rank.unwrap()))
                            .collect::<Vec<_>>())
                    })
                    .unwrap();
                assert_eq!(ranks, [("c".to_string(), 1), ("a".to_string(), 2)]);
            }

            #[test]
            fn meetings_keep_their_discussed_items_and_search_sees_notes() {
                let (_d, mut s) = open();
                let c = clock();
                s.write(|tx| -> upward_store::Result<_> {
                    tx.add_person(&Person::new("Dana", Relation::Manager, c.now)?)?;
                    let t = tx.insert_item(&item(Kind::Topic, "Budget"))?;
                    tx.insert_meeting(&Meeting {
                        id: 0,
                        uuid: uuid::Uuid::new_v4(),
                        person: "Dana".into(),
                        date: c.today,
                        notes: Some("talked about the roadmap".into()),
                        discussed: vec![t.id],
                        created_at: c.now,
                    })?;
                    Ok(())
                })
                .unwrap();
                s.read(|tx| -> upward_store::Result<_> {
                    let m = tx.meetings()?;
                    assert_eq!(m[0].discussed, vec![1]);
                    assert_eq!(tx.search("roadmap", 10)?[0].source, "meeting");
                    assert_eq!(tx.search("budg", 10)?[0].id, Some(1));
                    Ok(())
                })
                .unwrap();
            }

            #[test]
            fn export_then_import_reproduces_the_data() {
                let (_d, mut s) = open();
                let c = clock();
                s.write(|tx| -> upward_store::Result<_> {
                    tx.add_person(&Person::new("Dana", Relation::Manager, c.now)?)?;
                    let mut w = item(Kind::Win, "Shipped");
                    w.person = Some("Dana".into());
                    tx.insert_item(&w)?;
                    Ok(())
                })
                .unwrap();
                let doc = s.read(|tx| tx.export(c.now)).unwrap();
                let (_d2, mut t) = open();
                t.write(|tx| tx.import(&doc, false)).unwrap();
                let again = t.read(|tx| tx.export(c.now)).unwrap();
                assert_eq!(doc, again);
            }
        }
    };
}

contract_suite!(sqlite, |dir: &std::path::Path| Store::open(
    &dir.join("t.db")
)
.unwrap());
