//! What the everyday commands read of a database of many years (issue #4): the scoped
//! snapshot and its indexes (migration 2), snapshots of some kinds only, the last 1:1 by
//! person, and search that ranks every match but cuts passages only for the hits shown.

use jiff::Timestamp;
use jiff::civil::{Date, date};
use rusqlite::Connection;
use upward_domain::{Clock, Item, ItemInput, Kind, Meeting, Person, Relation, Status};
use upward_store::{MATCH_START, Scope, StoreExt};
use upward_store_sqlite::{MIGRATIONS, SqliteStore};

fn clock() -> Clock {
    Clock::fixed("2026-11-23").unwrap()
}

fn at(d: Date) -> Timestamp {
    d.at(9, 0, 0, 0)
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .unwrap()
        .timestamp()
}

/// An item created on `created`, last changed on `changed`, done then if `done`.
fn item(kind: Kind, title: &str, created: Date, changed: Date, done: bool) -> Item {
    let mut i = Item::new(
        kind,
        ItemInput {
            title: Some(title.into()),
            ..Default::default()
        },
        &Clock::new(at(created), created),
        1,
    )
    .unwrap();
    if done && kind != Kind::Win {
        i.status = Status::Done;
        i.done = Some(changed);
    }
    i.updated_at = at(changed);
    i
}

fn ids(items: &[Item]) -> Vec<&str> {
    let mut v: Vec<&str> = items.iter().map(|i| i.title.as_str()).collect();
    v.sort();
    v
}

#[test]
fn a_version_1_database_gains_the_scope_indexes_and_keeps_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.execute_batch(
            "INSERT INTO items (uuid, kind, title, status, created, visibility, created_at,
                                updated_at)
             VALUES ('5f0e6f7e-8a52-4a57-9c55-0d1c3b4e0a01', 'note', 'kept', 'open',
                     '2020-01-02', 'private', '2020-01-02T09:00:00Z', '2020-01-02T09:00:00Z');
             PRAGMA application_id = 1431328580;
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let mut store = SqliteStore::open(&path).unwrap();
    let snap = store
        .read(|tx| {
            tx.snapshot_of(
                Scope {
                    closed_since: Some(clock().today),
                    ..Default::default()
                },
                Kind::ALL,
            )
        })
        .unwrap();
    assert_eq!(ids(&snap.items), ["kept"]);
    drop(store);
    let conn = Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version as usize, MIGRATIONS.len());
    let indexes: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'items'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    for wanted in [
        "items_date",
        "items_updated",
        "items_done",
        "items_status_kind",
    ] {
        assert!(
            indexes.iter().any(|i| i == wanted),
            "{wanted} in {indexes:?}"
        );
    }
}

#[test]
fn a_scoped_snapshot_holds_open_items_and_those_touched_since_and_kinds_narrow_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
    let c = clock();
    let old = date(2019, 3, 4);
    let since = date(2026, 10, 24);
    let recent = date(2026, 11, 2);
    store
        .write(|tx| -> upward_store::Result<_> {
            let dana = tx.insert_person(&Person::new("Dana", Relation::Manager, c.now)?)?;
            tx.insert_item(&item(Kind::Note, "open old note", old, old, false))?;
            tx.insert_item(&item(Kind::Action, "open old action", old, old, false))?;
            tx.insert_item(&item(Kind::Action, "done long ago", old, old, true))?;
            tx.insert_item(&item(Kind::Action, "done recently", old, recent, true))?;
            tx.insert_item(&item(Kind::Win, "recent win", recent, recent, true))?;
            tx.insert_item(&item(Kind::Win, "old win", old, old, true))?;
            // Done long ago, edited recently: a change since the date, so it is in.
            let mut edited = item(Kind::Promise, "edited recently", old, recent, true);
            edited.done = Some(old);
            tx.insert_item(&edited)?;
            // Done long ago, edited on the very day the scope starts.
            let mut on_the_day = item(Kind::Note, "edited on the day", old, since, true);
            on_the_day.done = Some(old);
            tx.insert_item(&on_the_day)?;
            let talked = tx.insert_item(&item(Kind::Topic, "talked", old, old, true))?;
            for (day, discussed) in [(old, vec![talked.uuid]), (recent, vec![talked.uuid])] {
                tx.insert_meeting(&Meeting {
                    id: 0,
                    uuid: uuid::Uuid::new_v4(),
                    person: dana.to_ref(),
                    date: day,
                    notes: None,
                    shared_notes: None,
                    their_notes: None,
                    discussed,
                    created_at: at(day),
                })?;
            }
            Ok(())
        })
        .unwrap();
    store
        .read(|tx| -> upward_store::Result<_> {
            let scope = Scope {
                closed_since: Some(since),
                ..Default::default()
            };
            let snap = tx.snapshot_of(scope, Kind::ALL)?;
            assert_eq!(
                ids(&snap.items),
                [
                    "done recently",
                    "edited on the day",
                    "edited recently",
                    "open old action",
                    "open old note",
                    "recent win"
                ]
            );
            // Only the meeting in the scope brings the ids of what was discussed at it.
            let discussed: Vec<usize> = snap.meetings.iter().map(|m| m.discussed.len()).collect();
            assert_eq!(discussed, [0, 1]);
            assert_eq!(
                tx.snapshot_of(Scope::default(), Kind::ALL)?.meetings[0]
                    .discussed
                    .len(),
                1
            );

            let actions = tx.snapshot_of(scope, &[Kind::Action, Kind::Win])?;
            assert_eq!(
                ids(&actions.items),
                ["done recently", "open old action", "recent win"]
            );
            assert_eq!(actions.meetings.len(), 2);
            assert_eq!(actions.people.len(), 1);
            let every = tx.snapshot_of(Scope::default(), &[Kind::Win])?;
            assert_eq!(ids(&every.items), ["old win", "recent win"]);

            let dana = tx.people(true)?[0].uuid;
            assert_eq!(tx.last_meeting(dana)?, Some(recent));
            assert_eq!(tx.last_meeting(uuid::Uuid::new_v4())?, None);
            Ok(())
        })
        .unwrap();
}

/// The narrower scopes of the workflows (`done_kinds`, `items_for`, `history`), which this
/// backend honours: exactly what each leaves in and out.
#[test]
fn done_kinds_items_for_and_history_narrow_a_snapshot() {
    use upward_domain::{Channel, Reflection, UpdateSent};
    use upward_store::{History, ItemsFor};
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
    let c = clock();
    let old = date(2019, 3, 4);
    let since = date(2026, 10, 24);
    let recent = date(2026, 11, 2);
    let (dana, sam) = store
        .write(|tx| -> upward_store::Result<_> {
            let dana = tx.insert_person(&Person::new("Dana", Relation::Manager, c.now)?)?;
            let sam = tx.insert_person(&Person::new("Sam", Relation::Peer, c.now)?)?;
            let with = |mut i: Item, who: &Person| {
                i.person = Some(who.to_ref());
                i
            };
            tx.insert_item(&item(Kind::Action, "open action", old, old, false))?;
            tx.insert_item(&with(
                item(Kind::Note, "open note for Sam", old, old, false),
                &sam,
            ))?;
            tx.insert_item(&item(Kind::Action, "done action", old, recent, true))?;
            tx.insert_item(&item(Kind::Win, "recent win", recent, recent, true))?;
            let mut dropped = item(Kind::Win, "dropped win", recent, recent, true);
            dropped.status = Status::Dropped;
            tx.insert_item(&dropped)?;
            tx.insert_item(&with(
                item(Kind::Win, "Sam's win", recent, recent, true),
                &sam,
            ))?;
            for (who, day) in [(&dana, old), (&dana, recent), (&dana, recent), (&sam, old)] {
                tx.insert_meeting(&Meeting {
                    id: 0,
                    uuid: uuid::Uuid::new_v4(),
                    person: who.to_ref(),
                    date: day,
                    notes: None,
                    shared_notes: None,
                    their_notes: None,
                    discussed: vec![],
                    created_at: at(day),
                })?;
                tx.insert_update(&UpdateSent {
                    id: 0,
                    uuid: uuid::Uuid::new_v4(),
                    person: who.to_ref(),
                    date: day,
                    channel: Channel::Email,
                    text: None,
                    created_at: at(day),
                })?;
                tx.insert_reflection(&Reflection {
                    id: 0,
                    uuid: uuid::Uuid::new_v4(),
                    person: who.to_ref(),
                    date: day,
                    scores: Default::default(),
                    answers: Default::default(),
                    created_at: at(day),
                })?;
            }
            Ok((dana.uuid, sam.uuid))
        })
        .unwrap();
    store
        .read(|tx| -> upward_store::Result<_> {
            let scope = Scope {
                closed_since: Some(since),
                ..Default::default()
            };
            let all = tx.snapshot_of(scope, Kind::ALL)?;
            assert_eq!(all.items.len(), 6);
            assert_eq!(all.meetings.len(), 4);
            // A snapshot finds each item's person among the people it holds: as the join of
            // a lookup by id finds it.
            for i in &all.items {
                assert_eq!(tx.item(i.id)?.as_ref(), Some(i), "{}", i.title);
            }
            assert!(all.items.iter().any(|i| i.person.is_some()));
            let done = tx.snapshot_of(
                Scope {
                    done_kinds: Some(&[Kind::Win]),
                    ..scope
                },
                Kind::ALL,
            )?;
            assert_eq!(
                ids(&done.items),
                [
                    "Sam's win",
                    "open action",
                    "open note for Sam",
                    "recent win"
                ]
            );
            let items_for = |person, every_open| Scope {
                items_for: Some(ItemsFor { person, every_open }),
                ..scope
            };
            let for_dana = tx.snapshot_of(items_for(dana, &[]), Kind::ALL)?;
            assert_eq!(
                ids(&for_dana.items),
                ["done action", "dropped win", "open action", "recent win"]
            );
            let for_sam = tx.snapshot_of(items_for(sam, &[]), Kind::ALL)?;
            assert_eq!(ids(&for_sam.items), ["Sam's win", "open note for Sam"]);
            // And every open item of some kinds, whoever it is for.
            let with_notes = tx.snapshot_of(items_for(dana, &[Kind::Note]), Kind::ALL)?;
            assert_eq!(
                ids(&with_notes.items),
                [
                    "done action",
                    "dropped win",
                    "open action",
                    "open note for Sam",
                    "recent win"
                ]
            );
            let with_open =
                tx.snapshot_of(items_for(sam, &[Kind::Action, Kind::Win]), Kind::ALL)?;
            assert_eq!(
                ids(&with_open.items),
                ["Sam's win", "open action", "open note for Sam"]
            );
            // Without a date, `done_kinds` still leaves closed items of other kinds out.
            let ever = tx.snapshot_of(
                Scope {
                    done_kinds: Some(&[Kind::Win]),
                    ..Default::default()
                },
                &[Kind::Action, Kind::Win],
            )?;
            assert_eq!(ids(&ever.items), ["Sam's win", "open action", "recent win"]);

            let last = tx.snapshot_of(
                Scope {
                    history: History::LastDay,
                    ..scope
                },
                Kind::ALL,
            )?;
            let meetings: Vec<(uuid::Uuid, Date)> = last
                .meetings
                .iter()
                .map(|m| (m.person.uuid, m.date))
                .collect();
            assert_eq!(meetings, [(sam, old), (dana, recent), (dana, recent)]);
            assert_eq!(last.updates.len(), 3);
            assert_eq!(last.reflections.len(), 3);
            assert_eq!(last.last_contact(dana), all.last_contact(dana));
            assert_eq!(last.last_reflection(sam), Some(old));
            assert_eq!(tx.last_update(dana)?, Some(recent));
            assert_eq!(tx.last_update(uuid::Uuid::new_v4())?, None);
            let dana_only = tx.snapshot_of(
                Scope {
                    history: History::LastDayOf(dana),
                    ..scope
                },
                Kind::ALL,
            )?;
            let meetings: Vec<(uuid::Uuid, Date)> = dana_only
                .meetings
                .iter()
                .map(|m| (m.person.uuid, m.date))
                .collect();
            assert_eq!(meetings, [(dana, recent), (dana, recent)]);
            assert_eq!(dana_only.updates.len(), 2);
            assert_eq!(dana_only.reflections.len(), 2);
            assert_eq!(dana_only.items, all.items);
            // Only Dana, my manager, has a cadence (a manager's default): her last day alone.
            let on_a_cadence = tx.snapshot_of(
                Scope {
                    history: History::LastDayOnACadence,
                    ..scope
                },
                Kind::ALL,
            )?;
            assert_eq!(on_a_cadence.meetings, dana_only.meetings);
            assert_eq!(on_a_cadence.updates, dana_only.updates);
            assert_eq!(on_a_cadence.reflections, dana_only.reflections);
            let none = tx.snapshot_of(
                Scope {
                    history: History::Omitted,
                    ..scope
                },
                Kind::ALL,
            )?;
            assert!(none.meetings.is_empty() && none.updates.is_empty());
            assert!(none.reflections.is_empty());
            assert_eq!(none.items, all.items);
            Ok(())
        })
        .unwrap();
}

#[test]
fn search_ranks_every_match_and_marks_the_hits_shown() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
    let c = clock();
    store
        .write(|tx| -> upward_store::Result<_> {
            tx.insert_person(&Person::new("Dana", Relation::Manager, c.now)?)?;
            for n in 0..300 {
                let mut i = item(Kind::Note, &format!("note {n}"), c.today, c.today, false);
                i.body = Some(format!("the checkout latency went up again, day {n}"));
                tx.insert_item(&i)?;
            }
            tx.insert_item(&item(Kind::Risk, "Latency budget", c.today, c.today, false))?;
            Ok(())
        })
        .unwrap();
    let hits = store.read(|tx| tx.search("latency", 5)).unwrap();
    assert_eq!(hits.len(), 5);
    // The title match first, then the body matches, newest first among equals.
    assert_eq!(hits[0].title, "Latency budget");
    assert!(hits[1..].iter().all(|h| h.title.starts_with("note ")));
    assert!(hits.iter().all(|h| h.snippet.contains(MATCH_START)));
    assert!(hits.windows(2).skip(1).all(|w| w[0].id > w[1].id));
    assert_eq!(
        store.read(|tx| tx.search("LATEN", 1000)).unwrap().len(),
        301
    );
}

/// Everyone is read once per transaction: a person added or changed in it is still seen.
#[test]
fn people_read_once_per_transaction_still_see_changes_made_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
    let c = clock();
    store
        .write(|tx| -> upward_store::Result<_> {
            tx.insert_person(&Person::new("Dana", Relation::Manager, c.now)?)?;
            assert_eq!(tx.people(true)?.len(), 1);
            let mut sam = tx.insert_person(&Person::new("Sam", Relation::Peer, c.now)?)?;
            assert_eq!(tx.people(true)?.len(), 2);
            sam.archived = true;
            tx.update_person(&sam)?;
            assert_eq!(tx.people(false)?.len(), 1);
            assert!(tx.people(true)?.iter().any(|p| p.archived));
            let snap = tx.snapshot_of(Scope::default(), Kind::ALL)?;
            assert_eq!(snap.people.len(), 2);
            assert_eq!(snap.manager().unwrap().name, "Dana");
            Ok(())
        })
        .unwrap();
}
