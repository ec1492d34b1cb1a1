//! The contract suite: the storage contract of this crate's doc, written once as tests over
//! `dyn Store`, and stamped into every backend's tests by [`contract_suite!`](crate::contract_suite):
//!
//! ```ignore
//! upward_store::contract_suite!(|| Some(my_backend_fixture()));
//! ```
//!
//! A backend gives a [`Fixture`]: a fresh, empty workspace, and a way to open a second handle
//! on the same workspace (another process, as far as the contract is concerned). An opener
//! that returns `None` skips the test (the PostgreSQL suite without a server on a laptop; CI
//! never lets it).

use crate::{
    History, ItemFilter, ItemsFor, Scope, Store, StoreError, StoreExt, SyncLink, SyncOp,
    Transaction,
};
use jiff::civil::{Date, date};
use upward_domain::{
    Clock, Decline, Effect, Item, ItemInput, Kind, Level, Meeting, Person, Reflection, Relation,
    Status, Tombstone, UpdateSent, Visibility,
};
use uuid::Uuid;

/// A fresh, empty workspace of one backend.
pub struct Fixture {
    pub store: Box<dyn Store>,
    /// Opens another handle on the same workspace.
    pub another: Box<dyn Fn() -> Box<dyn Store>>,
    /// Whatever must live as long as the workspace (a temporary directory).
    pub keep: Box<dyn std::any::Any>,
}

/// Opens a fresh workspace, or `None` to skip.
pub type Open<'a> = &'a dyn Fn() -> Option<Fixture>;

/// Stamps every contract test into the calling module, for one backend.
#[macro_export]
macro_rules! contract_suite {
    ($open:expr) => {
        $crate::contract_suite!(@tests $open;
            items_round_trip_every_field,
            a_dropped_transaction_leaves_nothing,
            a_read_transaction_cannot_write,
            ids_are_assigned_or_kept_and_uuids_are_unique,
            people_are_unique_by_name_in_any_case_and_ordered,
            updating_a_person_renames_every_reference,
            filters_and_their_order,
            snapshot_scope_and_kinds,
            narrowed_snapshots_hold_what_they_promise,
            meetings_updates_and_reflections_round_trip,
            search_ranks_titles_first_and_marks_matches,
            a_read_sees_one_state_while_another_handle_commits,
            a_refused_write_leaves_the_transaction_usable,
            meetings_are_updated_and_linked_after_their_items,
            writers_on_two_handles_wait_instead_of_failing,
            who_confirmed_round_trips,
            a_renegotiated_due_date_round_trips,
            the_risk_lifecycle_round_trips,
            remaining_effort_round_trips,
            links_between_items_round_trip,
            a_risks_outcome_is_searched,
            effects_are_kept_per_meeting_item_and_field,
            a_removed_meeting_leaves_its_items_and_a_tombstone,
            declines_round_trip,
            a_persons_technical_and_exec_round_trip,
            a_persons_email_and_account_round_trip,
            a_meetings_shared_and_their_notes_round_trip_and_are_searched,
            the_device_is_set_and_replaced,
            sync_ops_are_logged_once_in_order,
            sync_records_are_put_replaced_and_listed,
            sync_links_are_kept_and_a_space_is_removed_whole,
            sync_writes_roll_back_with_their_transaction,
            what_sync_reads_by_key,
            change_marks_name_what_was_written
        );
    };
    (@tests $open:expr; $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                $crate::contract::$name(&$open)
            }
        )*
    };
}

fn clock() -> Clock {
    Clock::fixed("2026-11-23").expect("a fixed clock")
}

fn item(kind: Kind, title: &str) -> Item {
    Item::new(
        kind,
        ItemInput {
            title: Some(title.into()),
            ..Default::default()
        },
        &clock(),
        1,
    )
    .expect("a valid item")
}

fn person(name: &str, relation: Relation) -> Person {
    Person::new(name, relation, clock().now).expect("a valid person")
}

fn meeting(with: &Person, on: Date, notes: &str, discussed: Vec<Uuid>) -> Meeting {
    Meeting {
        id: 0,
        uuid: Uuid::new_v4(),
        person: with.to_ref(),
        date: on,
        notes: Some(notes.into()),
        shared_notes: None,
        their_notes: None,
        discussed,
        created_at: clock().now,
    }
}

pub fn items_round_trip_every_field(open: Open) {
    let Some(mut f) = open() else { return };
    let c = clock();
    let (stored, m) = f
        .store
        .write(|tx| -> crate::Result<_> {
            let dana = tx.insert_person(&person("Dana", Relation::Manager))?;
            let m = tx.insert_meeting(&meeting(&dana, c.today, "n", vec![]))?;
            let mut i = item(Kind::Risk, "Vendor sunset — “quoted” ✓");
            i.person = Some(dana.to_ref());
            i.tags = vec!["b".into(), "a".into()];
            i.body = Some("multi\nline".into());
            i.due = Some(date(2026, 12, 1));
            i.mitigation = Some("adapter".into());
            i.severity = Some(Level::High);
            i.communicated = Some(date(2026, 11, 20));
            i.visibility = Visibility::Shared;
            i.meeting = Some(m.uuid);
            i.discussed = Some(c.today);
            i.updated_at = "2026-11-23T10:11:12.123456789Z".parse().expect("a time");
            Ok((tx.insert_item(&i)?, m))
        })
        .expect("write");
    let back = f.store.read(|tx| tx.item(stored.id)).expect("read");
    assert_eq!(back.as_ref(), Some(&stored));
    let by_uuid = f
        .store
        .read(|tx| tx.item_by_uuid(stored.uuid))
        .expect("read");
    assert_eq!(by_uuid.as_ref(), Some(&stored));
    assert_eq!(stored.meeting, Some(m.uuid));
    assert_eq!(
        f.store.read(|tx| tx.item(stored.id + 1)).expect("read"),
        None
    );
    assert_eq!(
        f.store
            .read(|tx| tx.item_by_uuid(Uuid::new_v4()))
            .expect("read"),
        None
    );

    // Every field is written back by update.
    let mut changed = stored.clone();
    changed.title = "Renamed".into();
    changed.status = Status::Done;
    changed.done = Some(c.today);
    changed.tags = vec![];
    changed.body = None;
    changed.person = None;
    changed.why = Some("because".into());
    f.store
        .write(|tx| tx.update_item(&changed))
        .expect("update");
    assert_eq!(
        f.store.read(|tx| tx.item(stored.id)).expect("read"),
        Some(changed.clone())
    );
    let missing = Item {
        uuid: Uuid::new_v4(),
        ..changed
    };
    assert!(matches!(
        f.store.write(|tx| tx.update_item(&missing)),
        Err(StoreError::NotFound(_))
    ));
}

/// Writes `item`, reads it back by id, by UUID and in a snapshot (each must equal what was
/// written), then applies `change`, updates it, and reads it back again.
fn round_trip(open: Open, item: impl FnOnce(&Person) -> Item, change: impl FnOnce(&mut Item)) {
    let Some(mut f) = open() else { return };
    let stored = f
        .store
        .write(|tx| -> crate::Result<_> {
            let dana = tx.insert_person(&person("Dana", Relation::Manager))?;
            tx.insert_item(&item(&dana))
        })
        .expect("write");
    let read_back = |f: &mut Fixture, want: &Item| {
        let by_id = f.store.read(|tx| tx.item(want.id)).expect("read");
        assert_eq!(by_id.as_ref(), Some(want), "by id");
        let by_uuid = f.store.read(|tx| tx.item_by_uuid(want.uuid)).expect("read");
        assert_eq!(by_uuid.as_ref(), Some(want), "by uuid");
        let snap = f
            .store
            .read(|tx| tx.snapshot_of(Scope::default(), Kind::ALL))
            .expect("read");
        assert_eq!(
            snap.items.iter().find(|i| i.uuid == want.uuid),
            Some(want),
            "in a snapshot"
        );
    };
    read_back(&mut f, &stored);
    let mut changed = stored.clone();
    change(&mut changed);
    assert_ne!(changed, stored, "the change changes something");
    f.store
        .write(|tx| tx.update_item(&changed))
        .expect("update");
    read_back(&mut f, &changed);
}

pub fn who_confirmed_round_trips(open: Open) {
    round_trip(
        open,
        |dana| {
            let mut i = item(Kind::Priority, "Billing");
            i.confirmed = Some(date(2026, 11, 20));
            i.confirmed_by = Some(dana.uuid);
            i
        },
        |i| i.confirmed_by = None,
    );
}

pub fn a_renegotiated_due_date_round_trips(open: Open) {
    round_trip(
        open,
        |_| {
            let mut i = item(Kind::Promise, "Design doc");
            i.due = Some(date(2026, 12, 4));
            i.original_due = Some(date(2026, 11, 27));
            i.renegotiated = 1;
            i
        },
        |i| {
            i.due = Some(date(2026, 12, 11));
            i.renegotiated = 2;
        },
    );
}

pub fn the_risk_lifecycle_round_trips(open: Open) {
    round_trip(
        open,
        |_| {
            let mut i = item(Kind::Risk, "Vendor late");
            i.communicated = Some(date(2026, 11, 20));
            i.record_communicated();
            i.severity = Some(Level::High);
            i.state = Some(upward_domain::RiskState::Occurred);
            i.outcome = Some("Slipped two weeks;\nwe used the mock".into());
            i
        },
        |i| {
            i.state = Some(upward_domain::RiskState::Closed);
            i.communicated_state = Some(upward_domain::RiskState::Occurred);
            i.communicated_severity = Some(Level::High);
            i.communicated_likelihood = Some(Level::Low);
            i.outcome = None;
        },
    );
}

pub fn remaining_effort_round_trips(open: Open) {
    round_trip(
        open,
        |_| {
            let mut i = item(Kind::Priority, "Billing");
            i.effort = Some("2w".parse().expect("a duration"));
            i.remaining = Some("3d".parse().expect("a duration"));
            i
        },
        |i| i.remaining = Some("0d".parse().expect("a duration")),
    );
}

pub fn links_between_items_round_trip(open: Open) {
    // A link is a UUID; the store keeps it as it is, even to an item written later.
    let later = Uuid::new_v4();
    round_trip(
        open,
        |_| {
            let mut i = item(Kind::Win, "Uptime 99.95%");
            i.for_item = Some(later);
            i
        },
        |i| i.for_item = None,
    );
    round_trip(
        open,
        |_| {
            let mut i = item(Kind::Feedback, "Thanks for the review");
            i.direction = Some(upward_domain::Direction::Received);
            i.answers = Some(later);
            i
        },
        |i| i.answers = Some(Uuid::new_v4()),
    );
}

pub fn a_risks_outcome_is_searched(open: Open) {
    let Some(mut f) = open() else { return };
    let mut risk = item(Kind::Risk, "Vendor late");
    risk.outcome = Some("Slipped; we shipped on the sandbox".into());
    let stored = f.store.write(|tx| tx.insert_item(&risk)).expect("write");
    let hits = f.store.read(|tx| tx.search("sandbox", 10)).expect("search");
    assert_eq!(
        hits.iter().map(|h| h.id).collect::<Vec<_>>(),
        [Some(stored.id)]
    );
    let mut changed = stored.clone();
    changed.outcome = Some("It never happened".into());
    f.store
        .write(|tx| tx.update_item(&changed))
        .expect("update");
    assert!(
        f.store
            .read(|tx| tx.search("sandbox", 10))
            .expect("search")
            .is_empty()
    );
    assert_eq!(
        f.store
            .read(|tx| tx.search("never", 10))
            .expect("search")
            .len(),
        1
    );
}

pub fn a_dropped_transaction_leaves_nothing(open: Open) {
    let Some(mut f) = open() else { return };
    assert!(f.store.read(|tx| tx.is_empty()).expect("read"));
    let r: Result<(), StoreError> = f.store.write(|tx| {
        tx.insert_person(&person("Dana", Relation::Manager))?;
        tx.insert_item(&item(Kind::Note, "half"))?;
        Err(StoreError::Conflict("stop".into()))
    });
    assert!(r.is_err());
    assert!(f.store.read(|tx| tx.is_empty()).expect("read"));
    {
        let tx = f.store.begin_write().expect("begin");
        tx.insert_item(&item(Kind::Note, "dropped"))
            .expect("insert");
        drop(tx);
    }
    assert!(f.store.read(|tx| tx.is_empty()).expect("read"));
    f.store
        .write(|tx| tx.insert_item(&item(Kind::Note, "kept")))
        .expect("write");
    assert!(!f.store.read(|tx| tx.is_empty()).expect("read"));
    assert_eq!(
        f.store.read(|tx| tx.integrity_check()).expect("check"),
        "ok"
    );
}

pub fn a_read_transaction_cannot_write(open: Open) {
    let Some(mut f) = open() else { return };
    let c = clock();
    let (dana, note, m) = f
        .store
        .write(|tx| -> crate::Result<_> {
            let dana = tx.insert_person(&person("Dana", Relation::Manager))?;
            let note = tx.insert_item(&item(Kind::Note, "kept"))?;
            let m = tx.insert_meeting(&meeting(&dana, c.today, "n", vec![]))?;
            Ok((dana, note, m))
        })
        .expect("write");
    let tx = f.store.begin_read().expect("begin read");
    let refused: [(&str, crate::Result<()>); 8] = [
        (
            "insert_item",
            tx.insert_item(&item(Kind::Note, "sneaky")).map(drop),
        ),
        ("update_item", tx.update_item(&note)),
        (
            "insert_person",
            tx.insert_person(&person("Sneaky", Relation::Peer))
                .map(drop),
        ),
        ("update_person", tx.update_person(&dana)),
        (
            "insert_meeting",
            tx.insert_meeting(&meeting(&dana, c.today, "x", vec![]))
                .map(drop),
        ),
        ("update_meeting", tx.update_meeting(&m)),
        (
            "insert_update",
            tx.insert_update(&UpdateSent {
                id: 0,
                uuid: Uuid::new_v4(),
                person: dana.to_ref(),
                date: c.today,
                channel: upward_domain::Channel::Chat,
                text: None,
                created_at: c.now,
            })
            .map(drop),
        ),
        (
            "insert_reflection",
            tx.insert_reflection(&Reflection {
                id: 0,
                uuid: Uuid::new_v4(),
                person: dana.to_ref(),
                date: c.today,
                scores: Default::default(),
                answers: Default::default(),
                created_at: c.now,
            })
            .map(drop),
        ),
    ];
    for (what, r) in refused {
        assert!(matches!(r, Err(StoreError::ReadOnly)), "{what}: {r:?}");
    }
    drop(tx);
    let snap = f
        .store
        .read(|tx| tx.snapshot_of(Scope::default(), Kind::ALL))
        .expect("read");
    assert_eq!(
        (snap.people.len(), snap.items.len(), snap.meetings.len()),
        (1, 1, 1)
    );
    assert!(snap.updates.is_empty() && snap.reflections.is_empty());
}

pub fn a_refused_write_leaves_the_transaction_usable(open: Open) {
    let Some(mut f) = open() else { return };
    let kept = f
        .store
        .write(|tx| -> crate::Result<_> {
            let first = tx.insert_item(&item(Kind::Note, "first"))?;
            // A uuid already taken, a name already taken, a missing person: each refused…
            assert!(
                tx.insert_item(&Item {
                    id: 0,
                    ..first.clone()
                })
                .is_err()
            );
            tx.insert_person(&person("Dana", Relation::Manager))?;
            assert!(tx.insert_person(&person("dana", Relation::Peer)).is_err());
            let mut orphan = item(Kind::Note, "orphan");
            orphan.person = Some(person("Nobody", Relation::Peer).to_ref());
            assert!(tx.insert_item(&orphan).is_err());
            // …and the transaction goes on and commits what it wrote.
            tx.insert_item(&item(Kind::Note, "second"))
        })
        .expect("the transaction commits");
    let titles: Vec<String> = f
        .store
        .read(|tx| tx.items(&ItemFilter::default()))
        .expect("read")
        .into_iter()
        .map(|i| i.title)
        .collect();
    assert_eq!(titles, ["first", "second"]);
    assert_eq!(kept.id, 2);
}

/// Items refer to the meeting they were agreed at, and a meeting to the items discussed at
/// it: import adds the meetings first, then the items, then links each meeting's items.
pub fn meetings_are_updated_and_linked_after_their_items(open: Open) {
    let Some(mut f) = open() else { return };
    let c = clock();
    let m = f
        .store
        .write(|tx| -> crate::Result<_> {
            let dana = tx.insert_person(&person("Dana", Relation::Manager))?;
            let m = tx.insert_meeting(&meeting(&dana, date(2026, 11, 16), "before", vec![]))?;
            let mut action = item(Kind::Action, "agreed");
            action.meeting = Some(m.uuid);
            let action = tx.insert_item(&action)?;
            let topic = tx.insert_item(&item(Kind::Topic, "talked"))?;
            let linked = Meeting {
                notes: Some("after".into()),
                shared_notes: None,
                their_notes: None,
                date: date(2026, 11, 17),
                discussed: vec![topic.uuid, action.uuid],
                ..m
            };
            tx.update_meeting(&linked)?;
            Ok(linked)
        })
        .expect("write");
    let back = f.store.read(|tx| tx.meetings(None)).expect("read");
    assert_eq!(back.len(), 1);
    assert_eq!(
        (back[0].notes.as_deref(), back[0].date),
        (Some("after"), m.date)
    );
    let mut got = back[0].discussed.clone();
    got.sort();
    let mut want = m.discussed.clone();
    want.sort();
    assert_eq!(got, want);
    let missing = Meeting {
        uuid: Uuid::new_v4(),
        ..m.clone()
    };
    assert!(matches!(
        f.store.write(|tx| tx.update_meeting(&missing)),
        Err(StoreError::NotFound(_))
    ));
    let _ = c;
}

pub fn ids_are_assigned_or_kept_and_uuids_are_unique(open: Open) {
    let Some(mut f) = open() else { return };
    let ids = f
        .store
        .write(|tx| -> crate::Result<_> {
            let a = tx.insert_item(&item(Kind::Note, "a"))?.id;
            let b = tx.insert_item(&item(Kind::Note, "b"))?.id;
            let kept = tx
                .insert_item(&Item {
                    id: 40,
                    ..item(Kind::Note, "imported")
                })?
                .id;
            let after = tx.insert_item(&item(Kind::Note, "c"))?.id;
            Ok([a, b, kept, after])
        })
        .expect("write");
    assert_eq!(ids, [1, 2, 40, 41]);
    let dup = f
        .store
        .read(|tx| tx.item(1))
        .expect("read")
        .expect("item 1");
    let r = f.store.write(|tx| {
        tx.insert_item(&Item {
            id: 0,
            ..dup.clone()
        })
    });
    assert!(
        matches!(r, Err(StoreError::Conflict(_))),
        "same uuid: {r:?}"
    );
    let r = f.store.write(|tx| {
        tx.insert_item(&Item {
            id: 2,
            ..item(Kind::Note, "same id")
        })
    });
    assert!(matches!(r, Err(StoreError::Conflict(_))), "same id: {r:?}");
}

pub fn people_are_unique_by_name_in_any_case_and_ordered(open: Open) {
    let Some(mut f) = open() else { return };
    f.store
        .write(|tx| -> crate::Result<_> {
            tx.insert_person(&person("sam", Relation::Peer))?;
            tx.insert_person(&person("Dana Whitfield", Relation::Manager))?;
            tx.insert_person(&person("Alex", Relation::Myself))?;
            let mut gone = person("Bea", Relation::Peer);
            gone.archived = true;
            tx.insert_person(&gone)?;
            Ok(())
        })
        .expect("write");
    let names = |archived| {
        move |tx: &dyn Transaction| -> crate::Result<Vec<String>> {
            Ok(tx.people(archived)?.into_iter().map(|p| p.name).collect())
        }
    };
    assert_eq!(
        f.store.read(names(false)).expect("read"),
        ["Alex", "Dana Whitfield", "sam"]
    );
    assert_eq!(
        f.store.read(names(true)).expect("read"),
        ["Alex", "Dana Whitfield", "Bea", "sam"]
    );
    let r = f
        .store
        .write(|tx| tx.insert_person(&person("SAM", Relation::Peer)));
    assert!(matches!(r, Err(StoreError::Conflict(_))), "{r:?}");
    let r = f
        .store
        .write(|tx| tx.insert_person(&person("Other me", Relation::Myself)));
    assert!(
        matches!(r, Err(StoreError::Conflict(_))),
        "a second me: {r:?}"
    );
    let mut sam = f
        .store
        .read(|tx| tx.people(true))
        .expect("read")
        .into_iter()
        .find(|p| p.name == "sam")
        .expect("sam");
    sam.name = "dana whitfield".into();
    let r = f.store.write(|tx| tx.update_person(&sam));
    assert!(matches!(r, Err(StoreError::Conflict(_))), "{r:?}");
    sam.name = "Sam".into();
    sam.goals = Some("SDK 2.0".into());
    f.store.write(|tx| tx.update_person(&sam)).expect("update");
    let back = f.store.read(|tx| tx.people(true)).expect("read");
    assert_eq!(back.iter().find(|p| p.uuid == sam.uuid), Some(&sam));
}

pub fn updating_a_person_renames_every_reference(open: Open) {
    let Some(mut f) = open() else { return };
    let c = clock();
    let mut dana = f
        .store
        .write(|tx| -> crate::Result<_> {
            let dana = tx.insert_person(&person("Dana", Relation::Manager))?;
            let mut i = item(Kind::Topic, "Budget");
            i.person = Some(dana.to_ref());
            let i = tx.insert_item(&i)?;
            tx.insert_meeting(&meeting(&dana, c.today, "n", vec![i.uuid]))?;
            Ok(dana)
        })
        .expect("write");
    dana.name = "Dana Whitfield".into();
    f.store.write(|tx| tx.update_person(&dana)).expect("rename");
    let snap = f
        .store
        .read(|tx| tx.snapshot_of(Scope::default(), Kind::ALL))
        .expect("read");
    assert_eq!(snap.items[0].person, Some(dana.to_ref()));
    assert_eq!(snap.meetings[0].person, dana.to_ref());
}

/// A person's `technical` and `exec` (issue #13): yes, no and unset each come back as they
/// were written, on insert and on update.
pub fn a_persons_technical_and_exec_round_trip(open: Open) {
    let Some(mut f) = open() else { return };
    let mut ana = person("Ana", Relation::Skip);
    ana.technical = Some(false);
    ana.exec = Some(true);
    let sam = person("Sam", Relation::Peer);
    let (mut ana, sam) = f
        .store
        .write(|tx| -> crate::Result<_> { Ok((tx.insert_person(&ana)?, tx.insert_person(&sam)?)) })
        .expect("write");
    let back = f.store.read(|tx| tx.people(true)).expect("read");
    let get = |name: &str| back.iter().find(|p| p.name == name).cloned();
    assert_eq!(get("Ana"), Some(ana.clone()));
    assert_eq!(
        (get("Sam").unwrap().technical, get("Sam").unwrap().exec),
        (None, None)
    );
    assert_eq!(get("Sam"), Some(sam));
    ana.technical = Some(true);
    ana.exec = None;
    f.store.write(|tx| tx.update_person(&ana)).expect("update");
    let back = f.store.read(|tx| tx.people(true)).expect("read");
    assert_eq!(back.iter().find(|p| p.uuid == ana.uuid), Some(&ana));
}

pub fn filters_and_their_order(open: Open) {
    let Some(mut f) = open() else { return };
    f.store
        .write(|tx| -> crate::Result<_> {
            let dana = tx.insert_person(&person("Dana", Relation::Manager))?;
            let mut old = item(Kind::Action, "old done");
            old.status = Status::Done;
            old.done = Some(date(2025, 1, 1));
            old.created = date(2025, 1, 1);
            tx.insert_item(&old)?;
            let mut later = item(Kind::Action, "due later");
            later.due = Some(date(2026, 12, 20));
            later.tags = vec!["q4".into()];
            tx.insert_item(&later)?;
            let mut sooner = item(Kind::Action, "due sooner");
            sooner.due = Some(date(2026, 12, 1));
            sooner.person = Some(dana.to_ref());
            tx.insert_item(&sooner)?;
            tx.insert_item(&item(Kind::Note, "no due"))?;
            Ok(())
        })
        .expect("write");
    let titles = |filter: ItemFilter| {
        move |tx: &dyn Transaction| -> crate::Result<Vec<String>> {
            Ok(tx.items(&filter)?.into_iter().map(|i| i.title).collect())
        }
    };
    assert_eq!(
        f.store.read(titles(ItemFilter::default())).expect("read"),
        ["due sooner", "due later", "no due", "old done"]
    );
    assert_eq!(
        f.store
            .read(titles(ItemFilter {
                status: Some(Status::Open),
                kind: Some(Kind::Action),
                ..Default::default()
            }))
            .expect("read"),
        ["due sooner", "due later"]
    );
    assert_eq!(
        f.store
            .read(titles(ItemFilter {
                tag: Some("q4".into()),
                ..Default::default()
            }))
            .expect("read"),
        ["due later"]
    );
    let dana = f.store.read(|tx| tx.people(true)).expect("read")[0].uuid;
    assert_eq!(
        f.store
            .read(titles(ItemFilter {
                person: Some(dana),
                ..Default::default()
            }))
            .expect("read"),
        ["due sooner"]
    );
    assert_eq!(
        f.store
            .read(titles(ItemFilter {
                since: Some(date(2026, 1, 1)),
                limit: Some(2),
                ..Default::default()
            }))
            .expect("read"),
        ["due sooner", "due later"]
    );
}

pub fn snapshot_scope_and_kinds(open: Open) {
    let Some(mut f) = open() else { return };
    let c = clock();
    f.store
        .write(|tx| -> crate::Result<_> {
            let dana = tx.insert_person(&person("Dana", Relation::Manager))?;
            let mut old = item(Kind::Action, "old done");
            old.status = Status::Done;
            old.done = Some(date(2025, 1, 1));
            old.updated_at = "2025-01-01T00:00:00Z".parse().expect("time");
            let old = tx.insert_item(&old)?;
            let mut recent = item(Kind::Win, "recent win");
            recent.date = Some(date(2026, 11, 20));
            recent.done = recent.date;
            recent.updated_at = "2025-01-01T00:00:00Z".parse().expect("time");
            tx.insert_item(&recent)?;
            let mut touched = item(Kind::Topic, "closed but touched");
            touched.status = Status::Dropped;
            tx.insert_item(&touched)?;
            tx.insert_item(&item(Kind::Note, "open note"))?;
            tx.insert_meeting(&meeting(&dana, date(2025, 1, 1), "old", vec![old.uuid]))?;
            Ok(())
        })
        .expect("write");
    let scoped = f
        .store
        .read(|tx| {
            tx.snapshot_of(
                Scope {
                    closed_since: Some(date(2026, 11, 1)),
                    ..Default::default()
                },
                Kind::ALL,
            )
        })
        .expect("read");
    let titles: Vec<&str> = scoped.items.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(titles, ["recent win", "closed but touched", "open note"]);
    assert_eq!(scoped.meetings.len(), 1);
    assert!(
        scoped.meetings[0].discussed.is_empty(),
        "a meeting before the scope comes without its items"
    );
    assert_eq!(scoped.people.len(), 1);
    let all = f
        .store
        .read(|tx| tx.snapshot_of(Scope::default(), Kind::ALL))
        .expect("read");
    assert_eq!(all.items.len(), 4);
    assert_eq!(all.meetings[0].discussed.len(), 1);
    let notes = f
        .store
        .read(|tx| tx.snapshot_of(Scope::default(), &[Kind::Note, Kind::Win]))
        .expect("read");
    let titles: Vec<&str> = notes.items.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(titles, ["recent win", "open note"]);
    // A scope that reads no closed items (no kinds at all, or none done): people and history
    // only, or the open items alone.
    let none = f
        .store
        .read(|tx| {
            tx.snapshot_of(
                Scope {
                    closed_since: Some(date(2026, 11, 1)),
                    ..Default::default()
                },
                &[],
            )
        })
        .expect("a scope with a date and no kinds reads");
    assert!(none.items.is_empty());
    assert_eq!(none.people.len(), 1);
    let open_only = f
        .store
        .read(|tx| {
            tx.snapshot_of(
                Scope {
                    closed_since: Some(date(2026, 11, 1)),
                    done_kinds: Some(&[]),
                    ..Default::default()
                },
                &[Kind::Note, Kind::Topic],
            )
        })
        .expect("a scope with a date and no done kinds reads");
    // `done_kinds` narrows what a backend may leave out (it may return the closed ones too).
    let titles: Vec<&str> = open_only.items.iter().map(|i| i.title.as_str()).collect();
    assert!(titles.contains(&"open note"), "{titles:?}");
    assert!(
        titles
            .iter()
            .all(|t| ["open note", "closed but touched"].contains(t)),
        "{titles:?}"
    );
    let _ = c;
}

/// The narrowing fields of [`Scope`] are promises a backend may keep or ignore: whatever it
/// returns lies between what they keep and what the scope without them holds.
pub fn narrowed_snapshots_hold_what_they_promise(open: Open) {
    let Some(mut f) = open() else { return };
    let c = clock();
    let old = date(2019, 3, 4);
    let since = date(2026, 10, 24);
    let recent = date(2026, 11, 2);
    let (dana, sam) = f
        .store
        .write(|tx| -> crate::Result<_> {
            let dana = tx.insert_person(&person("Dana", Relation::Manager))?;
            let sam = tx.insert_person(&person("Sam", Relation::Peer))?;
            let add = |kind: Kind, title: &str, status: Status, on: Date, who: Option<&Person>| {
                let mut i = item(kind, title);
                i.status = status;
                i.person = who.map(Person::to_ref);
                if status != Status::Open {
                    i.done = (status == Status::Done).then_some(on);
                    i.updated_at = on
                        .at(9, 0, 0, 0)
                        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                        .expect("a time")
                        .timestamp();
                }
                tx.insert_item(&i).map(|_| ())
            };
            add(Kind::Action, "open action", Status::Open, old, None)?;
            add(
                Kind::Note,
                "open note for Sam",
                Status::Open,
                old,
                Some(&sam),
            )?;
            add(Kind::Action, "old done action", Status::Done, old, None)?;
            add(Kind::Action, "done action", Status::Done, recent, None)?;
            add(Kind::Win, "recent win", Status::Done, recent, None)?;
            add(Kind::Win, "dropped win", Status::Dropped, recent, None)?;
            add(Kind::Win, "Sam's win", Status::Done, recent, Some(&sam))?;
            for (who, day) in [(&dana, old), (&dana, recent), (&dana, recent), (&sam, old)] {
                tx.insert_meeting(&meeting(who, day, "n", vec![]))?;
                tx.insert_update(&UpdateSent {
                    id: 0,
                    uuid: Uuid::new_v4(),
                    person: who.to_ref(),
                    date: day,
                    channel: upward_domain::Channel::Email,
                    text: None,
                    created_at: c.now,
                })?;
                tx.insert_reflection(&Reflection {
                    id: 0,
                    uuid: Uuid::new_v4(),
                    person: who.to_ref(),
                    date: day,
                    scores: Default::default(),
                    answers: Default::default(),
                    created_at: c.now,
                })?;
            }
            Ok((dana, sam))
        })
        .expect("write");
    let titles = |s: &upward_domain::Snapshot| -> Vec<String> {
        let mut v: Vec<String> = s.items.iter().map(|i| i.title.clone()).collect();
        v.sort();
        v
    };
    let within = |what: &str, got: &[String], least: &[&str], most: &[String]| {
        for t in least {
            assert!(got.iter().any(|g| g == t), "{what}: {t:?} is missing");
        }
        for g in got {
            assert!(most.contains(g), "{what}: {g:?} is not in the scope at all");
        }
    };
    let kinds = [Kind::Action, Kind::Win, Kind::Note];
    let base = Scope {
        closed_since: Some(since),
        ..Default::default()
    };
    f.store
        .read(|tx| -> crate::Result<()> {
            let full = tx.snapshot_of(base, &kinds)?;
            let most = titles(&full);
            assert_eq!(
                most,
                [
                    "Sam's win",
                    "done action",
                    "dropped win",
                    "open action",
                    "open note for Sam",
                    "recent win"
                ]
            );
            let done = tx.snapshot_of(
                Scope {
                    done_kinds: Some(&[Kind::Win]),
                    ..base
                },
                &kinds,
            )?;
            within(
                "done_kinds",
                &titles(&done),
                &[
                    "Sam's win",
                    "open action",
                    "open note for Sam",
                    "recent win",
                ],
                &most,
            );
            let dana_s = ["done action", "dropped win", "open action", "recent win"];
            for (who, every_open, theirs) in [
                (&dana, &[][..], &dana_s[..]),
                (&sam, &[][..], &["Sam's win", "open note for Sam"][..]),
                // And every open item of some kinds, whoever it is for.
                (
                    &dana,
                    &[Kind::Note][..],
                    &[&dana_s[..], &["open note for Sam"]].concat()[..],
                ),
                (
                    &sam,
                    &[Kind::Action, Kind::Win][..],
                    &["Sam's win", "open note for Sam", "open action"][..],
                ),
            ] {
                let snap = tx.snapshot_of(
                    Scope {
                        items_for: Some(ItemsFor {
                            person: who.uuid,
                            every_open,
                        }),
                        ..base
                    },
                    &kinds,
                )?;
                within(
                    &format!("items_for {} and every open {every_open:?}", who.name),
                    &titles(&snap),
                    theirs,
                    &most,
                );
                assert_eq!(snap.people, full.people, "items_for narrows only items");
            }
            let last = tx.snapshot_of(
                Scope {
                    history: History::LastDay,
                    ..base
                },
                &kinds,
            )?;
            assert_eq!(titles(&last), most, "history narrows only the history");
            for who in [&dana, &sam] {
                let u = who.uuid;
                assert_eq!(last.last_meeting(u), full.last_meeting(u));
                assert_eq!(last.last_update(u), full.last_update(u));
                assert_eq!(last.last_reflection(u), full.last_reflection(u));
                let on_last_day = |s: &upward_domain::Snapshot| {
                    s.updates
                        .iter()
                        .filter(|x| x.person.uuid == u && Some(x.date) == full.last_update(u))
                        .count()
                };
                assert_eq!(on_last_day(&last), on_last_day(&full), "{}", who.name);
            }
            for (got, all) in [
                (last.meetings.len(), full.meetings.len()),
                (last.updates.len(), full.updates.len()),
                (last.reflections.len(), full.reflections.len()),
            ] {
                assert!((3..=all).contains(&got), "{got} of {all}");
            }
            let dana_only = tx.snapshot_of(
                Scope {
                    history: History::LastDayOf(dana.uuid),
                    ..base
                },
                &kinds,
            )?;
            assert_eq!(titles(&dana_only), most, "history narrows only the history");
            let u = dana.uuid;
            assert_eq!(dana_only.last_meeting(u), full.last_meeting(u));
            assert_eq!(dana_only.last_update(u), full.last_update(u));
            assert_eq!(dana_only.last_reflection(u), full.last_reflection(u));
            let on_dana_last_day = |s: &upward_domain::Snapshot| {
                s.updates
                    .iter()
                    .filter(|x| x.person.uuid == u && Some(x.date) == full.last_update(u))
                    .count()
            };
            assert_eq!(on_dana_last_day(&dana_only), 2);
            assert!(dana_only.meetings.len() <= full.meetings.len());
            // Dana, my manager, has a cadence (a manager's default), Sam none.
            assert!(dana.cadence.is_some() && sam.cadence.is_none());
            let on_a_cadence = tx.snapshot_of(
                Scope {
                    history: History::LastDayOnACadence,
                    ..base
                },
                &kinds,
            )?;
            assert_eq!(
                titles(&on_a_cadence),
                most,
                "history narrows only the history"
            );
            assert_eq!(on_a_cadence.last_meeting(u), full.last_meeting(u));
            assert_eq!(on_a_cadence.last_update(u), full.last_update(u));
            assert_eq!(on_a_cadence.last_reflection(u), full.last_reflection(u));
            assert_eq!(on_dana_last_day(&on_a_cadence), 2);
            let omitted = tx.snapshot_of(
                Scope {
                    history: History::Omitted,
                    ..base
                },
                &kinds,
            )?;
            assert_eq!(titles(&omitted), most);
            assert!(omitted.meetings.len() <= full.meetings.len());
            // Without a date, `done_kinds` may still leave the closed items of other kinds
            // out, and never an open one or a done one of its kinds.
            let ever = tx.snapshot_of(
                Scope {
                    done_kinds: Some(&[Kind::Win]),
                    ..Default::default()
                },
                &[Kind::Action, Kind::Win],
            )?;
            let all = titles(&tx.snapshot_of(Scope::default(), &[Kind::Action, Kind::Win])?);
            within(
                "done_kinds without a date",
                &titles(&ever),
                &["Sam's win", "open action", "recent win"],
                &all,
            );
            // Counted kinds: the same items, by id; of those counted, what counting reads.
            for scope in [base, Scope::default()] {
                let full = tx.snapshot_of(scope, &kinds)?;
                let counted = tx.snapshot_of(
                    Scope {
                        counted_kinds: &[Kind::Action],
                        ..scope
                    },
                    &kinds,
                )?;
                let ids = |s: &upward_domain::Snapshot| -> Vec<i64> {
                    s.items.iter().map(|i| i.id).collect()
                };
                assert_eq!(ids(&counted), ids(&full), "counted_kinds keeps every item");
                for (c, f) in counted.items.iter().zip(&full.items) {
                    let facts = |i: &upward_domain::Item| {
                        (
                            i.id,
                            i.uuid,
                            i.kind,
                            i.status,
                            i.created,
                            i.due,
                            i.done,
                            i.owner,
                            i.updated_at,
                        )
                    };
                    assert_eq!(facts(c), facts(f), "{}", f.title);
                    if f.kind != Kind::Action {
                        assert_eq!(c, f, "only the counted kinds may be left empty");
                    }
                }
                assert_eq!(counted.people, full.people);
                // Unread fields: the same items, each the same but for those fields.
                let narrow = tx.snapshot_of(
                    Scope {
                        unread: crate::Field::ALL,
                        ..scope
                    },
                    &kinds,
                )?;
                assert_eq!(ids(&narrow), ids(&full), "unread keeps every item");
                for (n, f) in narrow.items.iter().zip(&full.items) {
                    let read = |i: &upward_domain::Item| upward_domain::Item {
                        visibility: upward_domain::enums::Visibility::Private,
                        rank: None,
                        effort: None,
                        likelihood: None,
                        severity: None,
                        mitigation: None,
                        communicated: None,
                        ask: None,
                        data: None,
                        escalated: None,
                        consent: None,
                        ranked: None,
                        confirmed_by: None,
                        remaining: None,
                        state: None,
                        outcome: None,
                        communicated_severity: None,
                        communicated_likelihood: None,
                        communicated_state: None,
                        answers: None,
                        discussed: None,
                        meeting: None,
                        why: None,
                        created_at: jiff::Timestamp::UNIX_EPOCH,
                        ..i.clone()
                    };
                    assert_eq!(read(n), read(f), "only unread fields may be left empty");
                }
                assert_eq!(narrow.people, full.people);
            }
            Ok(())
        })
        .expect("read");
}

pub fn meetings_updates_and_reflections_round_trip(open: Open) {
    let Some(mut f) = open() else { return };
    let c = clock();
    let (dana, m, u, r) = f
        .store
        .write(|tx| -> crate::Result<_> {
            let dana = tx.insert_person(&person("Dana", Relation::Manager))?;
            let t1 = tx.insert_item(&item(Kind::Topic, "Budget"))?;
            let t2 = tx.insert_item(&item(Kind::Topic, "Hiring"))?;
            tx.insert_meeting(&meeting(&dana, date(2026, 11, 2), "first", vec![]))?;
            let m = tx.insert_meeting(&meeting(
                &dana,
                date(2026, 11, 16),
                "second",
                vec![t2.uuid, t1.uuid],
            ))?;
            let u = tx.insert_update(&UpdateSent {
                id: 0,
                uuid: Uuid::new_v4(),
                person: dana.to_ref(),
                date: date(2026, 11, 20),
                channel: upward_domain::Channel::Email,
                text: Some("Subject: status".into()),
                created_at: c.now,
            })?;
            let r = tx.insert_reflection(&Reflection {
                id: 0,
                uuid: Uuid::new_v4(),
                person: dana.to_ref(),
                date: date(2026, 11, 21),
                scores: [("rapport".to_string(), 4)].into_iter().collect(),
                answers: [("rapport".to_string(), "good".to_string())]
                    .into_iter()
                    .collect(),
                created_at: c.now,
            })?;
            Ok((dana, m, u, r))
        })
        .expect("write");
    let meetings = f.store.read(|tx| tx.meetings(None)).expect("read");
    assert_eq!(meetings.len(), 2);
    assert_eq!(meetings[0].notes.as_deref(), Some("first"));
    let mut want = m.discussed.clone();
    want.sort();
    let mut got = meetings[1].discussed.clone();
    got.sort();
    assert_eq!(got, want);
    assert_eq!(meetings[1].id, m.id);
    assert_eq!(meetings[1].uuid, m.uuid);
    let since = f
        .store
        .read(|tx| tx.meetings(Some(date(2026, 11, 17))))
        .expect("read");
    assert!(since[1].discussed.is_empty());
    assert_eq!(
        f.store.read(|tx| tx.last_meeting(dana.uuid)).expect("read"),
        Some(date(2026, 11, 16))
    );
    assert_eq!(
        f.store
            .read(|tx| tx.last_meeting(Uuid::new_v4()))
            .expect("read"),
        None
    );
    assert_eq!(
        f.store.read(|tx| tx.last_update(dana.uuid)).expect("read"),
        Some(date(2026, 11, 20))
    );
    assert_eq!(
        f.store
            .read(|tx| tx.last_update(Uuid::new_v4()))
            .expect("read"),
        None
    );
    assert_eq!(f.store.read(|tx| tx.updates()).expect("read"), [u]);
    assert_eq!(f.store.read(|tx| tx.reflections()).expect("read"), [r]);
}

pub fn search_ranks_titles_first_and_marks_matches(open: Open) {
    let Some(mut f) = open() else { return };
    let c = clock();
    f.store
        .write(|tx| -> crate::Result<_> {
            let mut dana = person("Dana", Relation::Manager);
            dana.goals = Some("Ship the ledger migration".into());
            let dana = tx.insert_person(&dana)?;
            let mut body = item(Kind::Note, "Weekly notes");
            body.body = Some("the roadmap for the ledger".into());
            tx.insert_item(&body)?;
            tx.insert_item(&item(Kind::Topic, "Ledger budget"))?;
            tx.insert_meeting(&meeting(
                &dana,
                c.today,
                "talked about hiring plans",
                vec![],
            ))?;
            Ok(())
        })
        .expect("write");
    let hits = f.store.read(|tx| tx.search("ledger", 10)).expect("search");
    assert_eq!(hits.len(), 3, "{hits:?}");
    assert_eq!(hits[0].title, "Ledger budget", "a title match first");
    assert_eq!(hits[0].id, Some(2));
    assert!(
        hits[0]
            .snippet
            .contains(&format!("{}Ledger{}", crate::MATCH_START, crate::MATCH_END)),
        "{:?}",
        hits[0].snippet
    );
    assert!(hits.iter().any(|h| h.source == "person"));
    let prefix = f.store.read(|tx| tx.search("hir", 10)).expect("search");
    assert_eq!(prefix.len(), 1);
    assert_eq!(prefix[0].source, "meeting");
    let all_words = f
        .store
        .read(|tx| tx.search("ledger roadmap", 10))
        .expect("search");
    assert_eq!(all_words.len(), 1);
    assert_eq!(all_words[0].title, "Weekly notes");
    for hostile in ["\"", "*", "OR", "NEAR(", "-", "'; DROP TABLE items; --", ""] {
        f.store
            .read(|tx| tx.search(hostile, 10))
            .unwrap_or_else(|e| panic!("{hostile:?}: {e}"));
    }
}

pub fn a_read_sees_one_state_while_another_handle_commits(open: Open) {
    let Some(mut f) = open() else { return };
    f.store
        .write(|tx| tx.insert_item(&item(Kind::Note, "first")))
        .expect("write");
    let mut other = (f.another)();
    let tx = f.store.begin_read().expect("begin read");
    assert_eq!(tx.items(&ItemFilter::default()).expect("read").len(), 1);
    other
        .write(|w| w.insert_item(&item(Kind::Note, "second")))
        .expect("a writer is not blocked by a reader");
    assert_eq!(
        tx.items(&ItemFilter::default()).expect("read").len(),
        1,
        "a read transaction sees one state"
    );
    drop(tx);
    assert_eq!(
        f.store
            .read(|tx| tx.items(&ItemFilter::default()))
            .expect("read")
            .len(),
        2
    );
}

pub fn writers_on_two_handles_wait_instead_of_failing(open: Open) {
    let Some(f) = open() else { return };
    let mut a = (f.another)();
    let mut b = (f.another)();
    let tx = a.begin_write().expect("first writer");
    tx.insert_item(&item(Kind::Note, "a")).expect("insert");
    let (sent, got) = std::sync::mpsc::channel();
    let waiter = std::thread::scope(|s| {
        let h = s.spawn(move || {
            let r = b.write(|w| w.insert_item(&item(Kind::Note, "b")).map(|i| i.id));
            sent.send(()).ok();
            r
        });
        // The second writer waits while the first holds the workspace…
        assert!(
            got.recv_timeout(std::time::Duration::from_millis(300))
                .is_err(),
            "a second writer must wait for the first"
        );
        tx.commit().expect("commit");
        // …and goes on once it commits.
        h.join().expect("no panic")
    });
    assert_eq!(waiter.expect("the waiting writer succeeds"), 2);
}

fn effect(meeting: Uuid, item: Uuid, field: &str) -> Effect {
    Effect {
        meeting,
        item,
        field: field.into(),
        before: serde_json::json!("open"),
        after: serde_json::json!({"nested": [1, "two", null]}),
    }
}

pub fn effects_are_kept_per_meeting_item_and_field(open: Open) {
    let Some(mut f) = open() else { return };
    let (m, topic, other) = f
        .store
        .write(|tx| -> crate::Result<_> {
            let dana = tx.insert_person(&person("Dana", Relation::Manager))?;
            let topic = tx.insert_item(&item(Kind::Topic, "talked"))?;
            let m =
                tx.insert_meeting(&meeting(&dana, date(2026, 11, 16), "n", vec![topic.uuid]))?;
            let other = tx.insert_meeting(&meeting(&dana, date(2026, 11, 17), "o", vec![]))?;
            tx.insert_effects(&[
                effect(m.uuid, topic.uuid, "status"),
                effect(m.uuid, topic.uuid, "done"),
            ])?;
            tx.insert_effects(&[effect(other.uuid, topic.uuid, "status")])?;
            // Refused, each alone: the transaction stays usable.
            assert!(matches!(
                tx.insert_effects(&[effect(m.uuid, topic.uuid, "status")]),
                Err(StoreError::Conflict(_))
            ));
            assert!(matches!(
                tx.insert_effects(&[effect(Uuid::new_v4(), topic.uuid, "status")]),
                Err(StoreError::NotFound(_))
            ));
            assert!(matches!(
                tx.insert_effects(&[effect(m.uuid, Uuid::new_v4(), "status")]),
                Err(StoreError::NotFound(_))
            ));
            Ok((m, topic, other))
        })
        .expect("write");
    let all = f.store.read(|tx| tx.effects(None)).expect("read");
    assert_eq!(all.len(), 3);
    let mine = f.store.read(|tx| tx.effects(Some(m.uuid))).expect("read");
    assert_eq!(
        mine,
        [
            effect(m.uuid, topic.uuid, "status"),
            effect(m.uuid, topic.uuid, "done")
        ]
    );
    let theirs = f
        .store
        .read(|tx| tx.effects(Some(other.uuid)))
        .expect("read");
    assert_eq!(theirs.len(), 1);
    assert!(matches!(
        f.store.read(|tx| tx.insert_effects(&[])),
        Err(StoreError::ReadOnly) | Ok(())
    ));
}

pub fn a_removed_meeting_leaves_its_items_and_a_tombstone(open: Open) {
    let Some(mut f) = open() else { return };
    let c = clock();
    let (m, kept, action) = f
        .store
        .write(|tx| -> crate::Result<_> {
            let dana = tx.insert_person(&person("Dana", Relation::Manager))?;
            let topic = tx.insert_item(&item(Kind::Topic, "talked"))?;
            let m = tx.insert_meeting(&meeting(
                &dana,
                date(2026, 11, 16),
                "gone",
                vec![topic.uuid],
            ))?;
            let kept = tx.insert_meeting(&meeting(
                &dana,
                date(2026, 11, 10),
                "kept",
                vec![topic.uuid],
            ))?;
            let mut action = item(Kind::Action, "agreed");
            action.meeting = Some(m.uuid);
            let action = tx.insert_item(&action)?;
            tx.insert_effects(&[effect(m.uuid, topic.uuid, "status")])?;
            Ok((m, kept, action))
        })
        .expect("write");
    let t = Tombstone {
        uuid: m.uuid,
        kind: "meeting".into(),
        removed_at: c.now,
    };
    f.store
        .write(|tx| -> crate::Result<_> {
            tx.remove_meeting(&t)?;
            // Again, and a tombstone of a meeting never stored: recorded once each.
            tx.remove_meeting(&Tombstone {
                removed_at: jiff::Timestamp::UNIX_EPOCH,
                ..t.clone()
            })?;
            tx.remove_meeting(&Tombstone {
                uuid: Uuid::from_u128(1),
                ..t.clone()
            })?;
            Ok(())
        })
        .expect("write");
    let meetings = f.store.read(|tx| tx.meetings(None)).expect("read");
    assert_eq!(
        meetings.iter().map(|m| m.uuid).collect::<Vec<_>>(),
        [kept.uuid]
    );
    assert_eq!(
        f.store
            .read(|tx| tx.last_meeting(m.person.uuid))
            .expect("read"),
        Some(kept.date)
    );
    assert!(
        f.store
            .read(|tx| tx.effects(None))
            .expect("read")
            .is_empty()
    );
    let action = f
        .store
        .read(|tx| tx.item_by_uuid(action.uuid))
        .expect("read")
        .expect("kept");
    assert_eq!(action.meeting, None);
    let stones = f.store.read(|tx| tx.tombstones()).expect("read");
    assert_eq!(stones.len(), 2);
    assert!(
        stones.contains(&t),
        "the first removal's time is kept: {stones:?}"
    );
    assert!(matches!(
        f.store.read(|tx| tx.remove_meeting(&t)),
        Err(StoreError::ReadOnly)
    ));
}

pub fn declines_round_trip(open: Open) {
    let Some(mut f) = open() else { return };
    let c = clock();
    let (sam, stored) = f
        .store
        .write(|tx| -> crate::Result<_> {
            let sam = tx.insert_person(&person("Sam", Relation::Peer))?;
            let d = Decline {
                id: 0,
                uuid: Uuid::new_v4(),
                person: sam.to_ref(),
                date: date(2026, 11, 20),
                title: "Run the offsite".into(),
                reason: "no capacity until March — «really»".into(),
                alternatives: vec!["Priya could".into(), "later".into()],
                after: Some(date(2027, 3, 1)),
                text: Some("Hi Sam,\n…".into()),
                created_at: c.now,
            };
            let first = tx.insert_decline(&d)?;
            let second = tx.insert_decline(&Decline {
                id: 9,
                uuid: Uuid::new_v4(),
                date: date(2026, 11, 18),
                alternatives: vec![],
                after: None,
                text: None,
                ..d.clone()
            })?;
            assert!(matches!(
                tx.insert_decline(&d),
                Err(StoreError::Conflict(_))
            ));
            let stranger = Decline {
                uuid: Uuid::new_v4(),
                person: person("Nobody", Relation::Peer).to_ref(),
                ..d.clone()
            };
            assert!(matches!(
                tx.insert_decline(&stranger),
                Err(StoreError::NotFound(_))
            ));
            Ok((sam, vec![second, first]))
        })
        .expect("write");
    assert_eq!(stored[1].id, 1);
    assert_eq!(stored[0].id, 9);
    let back = f.store.read(|tx| tx.declines()).expect("read");
    assert_eq!(back, stored, "by date then id, every field");
    let _ = sam;
}

/// A person's `email` (kept as typed) and `account` (sync's link, one person per account):
/// each comes back as written, on insert and on update; an account another person is linked
/// to is a conflict that leaves the transaction usable.
pub fn a_persons_email_and_account_round_trip(open: Open) {
    let Some(mut f) = open() else { return };
    let (a1, a2) = (Uuid::from_u128(0xa1), Uuid::from_u128(0xa2));
    let mut ana = person("Ana", Relation::Manager);
    ana.email = Some("Ana.Ruiz@Example.com".into());
    ana.account = Some(a1);
    let (mut ana, sam, kim) = f
        .store
        .write(|tx| -> crate::Result<_> {
            let ana = tx.insert_person(&ana)?;
            // Unlinked people are many; a linked account is one person's.
            let sam = tx.insert_person(&person("Sam", Relation::Peer))?;
            let kim = tx.insert_person(&person("Kim", Relation::Peer))?;
            let mut lee = person("Lee", Relation::Peer);
            lee.account = Some(a1);
            assert!(matches!(
                tx.insert_person(&lee),
                Err(StoreError::Conflict(_))
            ));
            let mut sam_linked = sam.clone();
            sam_linked.account = Some(a1);
            assert!(matches!(
                tx.update_person(&sam_linked),
                Err(StoreError::Conflict(_))
            ));
            Ok((ana, sam, kim))
        })
        .expect("write");
    let back = f.store.read(|tx| tx.people(true)).expect("read");
    assert_eq!(back.len(), 3, "the refused person is not there: {back:?}");
    let get = |name: &str| back.iter().find(|p| p.name == name).cloned();
    assert_eq!(get("Ana"), Some(ana.clone()));
    assert_eq!(get("Sam"), Some(sam.clone()));
    assert_eq!(get("Kim"), Some(kim));
    assert_eq!((&sam.email, sam.account), (&None, None));
    // Relinked to another account, the address cleared; then the first account is free.
    ana.email = None;
    ana.account = Some(a2);
    let mut sam = sam;
    sam.email = Some("sam@localhost".into());
    sam.account = Some(a1);
    f.store
        .write(|tx| -> crate::Result<_> {
            tx.update_person(&ana)?;
            tx.update_person(&sam)
        })
        .expect("update");
    let back = f.store.read(|tx| tx.people(true)).expect("read");
    assert_eq!(back.iter().find(|p| p.uuid == ana.uuid), Some(&ana));
    assert_eq!(back.iter().find(|p| p.uuid == sam.uuid), Some(&sam));
}

/// A meeting's shared notes and the other member's notes come back as written, are replaced
/// by `update_meeting`, and search finds a word of either.
pub fn a_meetings_shared_and_their_notes_round_trip_and_are_searched(open: Open) {
    let Some(mut f) = open() else { return };
    let c = clock();
    let mut m = f
        .store
        .write(|tx| -> crate::Result<_> {
            let dana = tx.insert_person(&person("Dana", Relation::Manager))?;
            let mut m = meeting(&dana, c.today, "private", vec![]);
            m.shared_notes = Some("agreed on the quarterly roadmap".into());
            m.their_notes = Some("Dana: hiring freeze\nuntil March".into());
            let m = tx.insert_meeting(&m)?;
            tx.insert_meeting(&meeting(&dana, date(2026, 11, 2), "older", vec![]))?;
            Ok(m)
        })
        .expect("write");
    let back = f.store.read(|tx| tx.meetings(None)).expect("read");
    let older = back.iter().find(|x| x.uuid != m.uuid).expect("the older");
    assert_eq!((&older.shared_notes, &older.their_notes), (&None, &None));
    assert_eq!(back.iter().find(|x| x.uuid == m.uuid), Some(&m));
    for word in ["quarterly", "freeze"] {
        let hits = f.store.read(|tx| tx.search(word, 10)).expect("search");
        assert_eq!(
            hits.iter().map(|h| (h.source, h.id)).collect::<Vec<_>>(),
            [("meeting", Some(m.id))],
            "{word}: {hits:?}"
        );
    }
    m.shared_notes = None;
    m.their_notes = Some("Dana: budget approved".into());
    f.store.write(|tx| tx.update_meeting(&m)).expect("update");
    let back = f.store.read(|tx| tx.meetings(None)).expect("read");
    assert_eq!(back.iter().find(|x| x.uuid == m.uuid), Some(&m));
    let hits = f
        .store
        .read(|tx| tx.search("quarterly", 10))
        .expect("search");
    assert!(hits.is_empty(), "the shared notes are gone: {hits:?}");
    let hits = f.store.read(|tx| tx.search("budget", 10)).expect("search");
    assert_eq!(hits.len(), 1, "{hits:?}");
}

/// Whether this backend keeps sync's log (docs/sync.md). One that does not must say so: every
/// write of sync answers [`StoreError::Unsupported`], every read answers nothing, and a sync
/// test checks exactly that on it and stops there.
fn keeps_sync_log(f: &mut Fixture) -> bool {
    let tx = f.store.begin_write().expect("a write transaction");
    match tx.set_device(Uuid::from_u128(1)) {
        Ok(()) => {
            // Dropped: rolled back.
            drop(tx);
            true
        }
        Err(StoreError::Unsupported(_)) => {
            let space = Uuid::from_u128(0x5);
            let unsupported = |what: &str, r: crate::Result<()>| {
                assert!(
                    matches!(r, Err(StoreError::Unsupported(_))),
                    "{what} on a backend without sync's log: {r:?}"
                );
            };
            unsupported("put_sync_link", tx.put_sync_link(&link(space, 1)));
            unsupported("delete_sync_space", tx.delete_sync_space(space));
            unsupported(
                "insert_sync_op",
                tx.insert_sync_op(&op(1, space, b"p")).map(drop),
            );
            unsupported("update_sync_op", tx.update_sync_op(&op(1, space, b"p")));
            unsupported(
                "put_sync_record",
                tx.put_sync_record(space, Uuid::from_u128(2), b"s"),
            );
            assert_eq!(tx.device().expect("device"), None);
            assert_eq!(tx.sync_links().expect("links"), []);
            assert_eq!(tx.sync_op(Uuid::from_u128(1)).expect("op"), None);
            assert_eq!(tx.unpushed_ops(space).expect("unpushed"), []);
            assert_eq!(tx.unapplied_ops().expect("unapplied"), []);
            assert_eq!(
                tx.sync_record(space, Uuid::from_u128(2)).expect("record"),
                None
            );
            assert_eq!(tx.sync_records(space).expect("records"), []);
            // The refusals leave the transaction usable.
            tx.insert_person(&person("Dana", Relation::Manager))
                .expect("the transaction goes on");
            false
        }
        Err(e) => panic!("set_device answered neither Ok nor Unsupported: {e:?}"),
    }
}

fn link(space: Uuid, cursor: i64) -> SyncLink {
    SyncLink {
        space,
        server: "https://upward.example.com".into(),
        person: Uuid::from_u128(0xd0),
        me: Uuid::from_u128(0xa1),
        other: Uuid::from_u128(0xa2),
        my_role: "report".into(),
        cursor,
        clock: 117_670_502_400_000_000,
        status: "active".into(),
        made: None,
    }
}

fn op(id: u128, space: Uuid, payload: &[u8]) -> SyncOp {
    SyncOp {
        id: Uuid::from_u128(id),
        space,
        seq: 0,
        envelope: format!("{{\"id\":{id}}}").into_bytes(),
        payload: payload.to_vec(),
        position: None,
        pushed: false,
        applied: true,
    }
}

/// The device is unset until set, then the one set last.
pub fn the_device_is_set_and_replaced(open: Open) {
    let Some(mut f) = open() else { return };
    if !keeps_sync_log(&mut f) {
        return;
    }
    assert_eq!(f.store.read(|tx| tx.device()).expect("read"), None);
    let (d1, d2) = (Uuid::from_u128(0xde1), Uuid::from_u128(0xde2));
    f.store.write(|tx| tx.set_device(d1)).expect("set");
    assert_eq!(f.store.read(|tx| tx.device()).expect("read"), Some(d1));
    f.store.write(|tx| tx.set_device(d2)).expect("replace");
    let mut other = (f.another)();
    assert_eq!(other.read(|tx| tx.device()).expect("read"), Some(d2));
    let tx = f.store.begin_read().expect("read");
    assert!(matches!(tx.set_device(d1), Err(StoreError::ReadOnly)));
}

/// The log takes an operation once (a second with its UUID is refused with `false` and
/// changes nothing), orders it by `seq` as appended, and lists a space's unpushed and every
/// unapplied operation in that order; `update_sync_op` stores what changes of an operation.
pub fn sync_ops_are_logged_once_in_order(open: Open) {
    let Some(mut f) = open() else { return };
    if !keeps_sync_log(&mut f) {
        return;
    }
    let (a, b) = (Uuid::from_u128(0xa), Uuid::from_u128(0xb));
    // Appended out of UUID order, so that order is the log's and not the UUIDs'.
    let (first, second, third) = (op(30, a, b"one"), op(10, b, b"two"), op(20, a, b"three"));
    let mut third_unapplied = third.clone();
    third_unapplied.applied = false;
    f.store
        .write(|tx| -> crate::Result<_> {
            assert!(tx.insert_sync_op(&first)?);
            assert!(tx.insert_sync_op(&second)?);
            assert!(tx.insert_sync_op(&third_unapplied)?);
            // The same UUID again, with other content: refused, nothing written.
            let mut again = op(30, b, b"other");
            again.pushed = true;
            assert!(!tx.insert_sync_op(&again)?);
            Ok(())
        })
        .expect("write");
    let (s1, s2, s3) = f
        .store
        .read(|tx| -> crate::Result<_> {
            let get = |o: &SyncOp| tx.sync_op(o.id).map(|x| x.expect("logged"));
            Ok((get(&first)?, get(&second)?, get(&third)?))
        })
        .expect("read");
    assert!(
        0 < s1.seq && s1.seq < s2.seq && s2.seq < s3.seq,
        "{s1:?} {s2:?} {s3:?}"
    );
    assert_eq!(
        s1,
        SyncOp {
            seq: s1.seq,
            ..first.clone()
        },
        "the first kept whole"
    );
    assert_eq!(
        s2,
        SyncOp {
            seq: s2.seq,
            ..second.clone()
        }
    );
    assert_eq!(
        s3,
        SyncOp {
            seq: s3.seq,
            ..third_unapplied.clone()
        }
    );
    let ids = |ops: Vec<SyncOp>| ops.into_iter().map(|o| o.id).collect::<Vec<_>>();
    let unpushed = f.store.read(|tx| tx.unpushed_ops(a)).expect("read");
    assert_eq!(unpushed, [s1.clone(), s3.clone()]);
    assert_eq!(
        ids(f.store.read(|tx| tx.sync_ops(a)).expect("read")),
        [s1.id, s3.id],
        "every operation of a space, in log order"
    );
    assert_eq!(
        ids(f.store.read(|tx| tx.unpushed_ops(b)).expect("read")),
        [second.id]
    );
    assert_eq!(
        f.store
            .read(|tx| tx.unpushed_ops(Uuid::from_u128(0xc)))
            .expect("read"),
        []
    );
    assert_eq!(
        ids(f.store.read(|tx| tx.unapplied_ops()).expect("read")),
        [third.id]
    );
    // Pushed, placed and applied.
    let pushed = SyncOp {
        position: Some(7),
        pushed: true,
        ..s1.clone()
    };
    let applied = SyncOp {
        applied: true,
        position: Some(8),
        pushed: true,
        ..s3.clone()
    };
    f.store
        .write(|tx| -> crate::Result<_> {
            tx.update_sync_op(&pushed)?;
            tx.update_sync_op(&applied)?;
            assert!(matches!(
                tx.update_sync_op(&op(99, a, b"")),
                Err(StoreError::NotFound(_))
            ));
            // The log's order stays as appended.
            assert!(tx.insert_sync_op(&op(5, a, b"four"))?);
            Ok(())
        })
        .expect("update");
    assert_eq!(
        f.store.read(|tx| tx.sync_op(first.id)).expect("read"),
        Some(pushed)
    );
    assert_eq!(
        f.store.read(|tx| tx.sync_op(third.id)).expect("read"),
        Some(applied)
    );
    assert_eq!(
        ids(f.store.read(|tx| tx.unpushed_ops(a)).expect("read")),
        [Uuid::from_u128(5)]
    );
    assert_eq!(f.store.read(|tx| tx.unapplied_ops()).expect("read"), []);
    let fourth = f
        .store
        .read(|tx| tx.sync_op(Uuid::from_u128(5)))
        .expect("read")
        .expect("logged");
    assert!(fourth.seq > s3.seq);
}

/// A record's folded state is stored, replaced and listed by space, by record UUID.
pub fn sync_records_are_put_replaced_and_listed(open: Open) {
    let Some(mut f) = open() else { return };
    if !keeps_sync_log(&mut f) {
        return;
    }
    let (a, b) = (Uuid::from_u128(0xa), Uuid::from_u128(0xb));
    let (r1, r2) = (Uuid::from_u128(1), Uuid::from_u128(2));
    f.store
        .write(|tx| -> crate::Result<_> {
            tx.put_sync_record(a, r2, b"two")?;
            tx.put_sync_record(a, r1, b"one")?;
            tx.put_sync_record(b, r1, b"b's one")?;
            tx.put_sync_record(a, r2, &[0, 255, 1])
        })
        .expect("write");
    let (listed, one, none, of_b) = f
        .store
        .read(|tx| -> crate::Result<_> {
            Ok((
                tx.sync_records(a)?,
                tx.sync_record(b, r1)?,
                tx.sync_record(b, r2)?,
                tx.sync_records(b)?,
            ))
        })
        .expect("read");
    assert_eq!(listed, [(r1, b"one".to_vec()), (r2, vec![0, 255, 1])]);
    assert_eq!(one, Some(b"b's one".to_vec()));
    assert_eq!(none, None);
    assert_eq!(of_b, [(r1, b"b's one".to_vec())]);
}

/// A link per space, replaced whole by a second put, listed by space; removing a space
/// removes its link, its operations and its records, and nothing of another space.
pub fn sync_links_are_kept_and_a_space_is_removed_whole(open: Open) {
    let Some(mut f) = open() else { return };
    if !keeps_sync_log(&mut f) {
        return;
    }
    let (a, b) = (Uuid::from_u128(0xb0), Uuid::from_u128(0xa0));
    let moved = SyncLink {
        cursor: 42,
        clock: u64::MAX >> 2,
        made: Some(7),
        status: "closed".into(),
        my_role: "manager".into(),
        server: "http://127.0.0.1:8080".into(),
        ..link(a, 0)
    };
    f.store
        .write(|tx| -> crate::Result<_> {
            tx.put_sync_link(&link(a, 0))?;
            tx.put_sync_link(&link(b, 3))?;
            tx.put_sync_link(&moved)?;
            for (space, n) in [(a, 1), (b, 2)] {
                tx.insert_sync_op(&op(n, space, b"p"))?;
                tx.put_sync_record(space, Uuid::from_u128(n), b"s")?;
            }
            Ok(())
        })
        .expect("write");
    assert_eq!(
        f.store.read(|tx| tx.sync_links()).expect("read"),
        [link(b, 3), moved.clone()],
        "by space UUID"
    );
    f.store.write(|tx| tx.delete_sync_space(a)).expect("delete");
    let left = f
        .store
        .read(|tx| -> crate::Result<_> {
            Ok((
                tx.sync_links()?,
                tx.sync_op(Uuid::from_u128(1))?,
                tx.unpushed_ops(a)?,
                tx.sync_records(a)?,
                tx.sync_op(Uuid::from_u128(2))?.is_some(),
                tx.unpushed_ops(b)?.len(),
                tx.sync_records(b)?.len(),
            ))
        })
        .expect("read");
    assert_eq!(left, (vec![link(b, 3)], None, vec![], vec![], true, 1, 1));
    // Removing a space never synced is nothing to do.
    f.store
        .write(|tx| tx.delete_sync_space(Uuid::from_u128(0xff)))
        .expect("delete nothing");
}

/// What a transaction wrote of sync is gone when it is dropped, as everything else it wrote.
pub fn sync_writes_roll_back_with_their_transaction(open: Open) {
    let Some(mut f) = open() else { return };
    if !keeps_sync_log(&mut f) {
        return;
    }
    let a = Uuid::from_u128(0xa);
    let kept = op(1, a, b"kept");
    f.store
        .write(|tx| -> crate::Result<_> {
            tx.put_sync_link(&link(a, 1))?;
            tx.insert_sync_op(&kept)?;
            tx.put_sync_record(a, Uuid::from_u128(1), b"kept")
        })
        .expect("write");
    {
        let tx = f.store.begin_write().expect("write");
        tx.set_device(Uuid::from_u128(0xde)).expect("device");
        tx.put_sync_link(&link(a, 99)).expect("link");
        tx.put_sync_link(&link(Uuid::from_u128(0xb), 1))
            .expect("link");
        assert!(tx.insert_sync_op(&op(2, a, b"gone")).expect("op"));
        tx.update_sync_op(&SyncOp {
            pushed: true,
            position: Some(1),
            ..kept.clone()
        })
        .expect("update");
        tx.put_sync_record(a, Uuid::from_u128(1), b"gone")
            .expect("record");
        tx.put_sync_record(a, Uuid::from_u128(2), b"gone")
            .expect("record");
        tx.delete_sync_space(Uuid::from_u128(0xb)).expect("delete");
        // Dropped without commit.
    }
    let state = f
        .store
        .read(|tx| -> crate::Result<_> {
            Ok((
                tx.device()?,
                tx.sync_links()?,
                tx.unpushed_ops(a)?
                    .into_iter()
                    .map(|o| o.payload)
                    .collect::<Vec<_>>(),
                tx.sync_records(a)?,
            ))
        })
        .expect("read");
    assert_eq!(
        state,
        (
            None,
            vec![link(a, 1)],
            vec![b"kept".to_vec()],
            vec![(Uuid::from_u128(1), b"kept".to_vec())]
        )
    );
    {
        let tx = f.store.begin_write().expect("write");
        tx.delete_sync_space(a).expect("delete");
    }
    assert_eq!(
        f.store.read(|tx| tx.sync_links()).expect("read"),
        [link(a, 1)]
    );
}

/// Dana's and Bob's items and meetings, as the two tests below read them: `a` shared, `b`
/// counting for it, `c` answering it, `d` shared and agreed at `m3`, Bob's `e` counting for
/// `a`; `m1` (discussing `a`) and `m2` with Dana on the first day, `m3` (discussing `d`)
/// on the second, Bob's `m4` on the first.
struct Refs {
    dana: Person,
    bob: Person,
    items: [Item; 5],
    meetings: [Meeting; 4],
}

fn refs(tx: &dyn Transaction) -> crate::Result<Refs> {
    let (d1, d2) = (date(2026, 11, 16), date(2026, 11, 23));
    let dana = tx.insert_person(&person("Dana", Relation::Manager))?;
    let bob = tx.insert_person(&person("Bob", Relation::Peer))?;
    let of = |who: &Person, title: &str, shared: bool| -> crate::Result<Item> {
        let mut i = item(Kind::Topic, title);
        i.person = Some(who.to_ref());
        if shared {
            i.visibility = Visibility::Shared;
        }
        tx.insert_item(&i)
    };
    let a = of(&dana, "a", true)?;
    let mut b = of(&dana, "b", false)?;
    let mut c = of(&dana, "c", false)?;
    let d = of(&dana, "d", true)?;
    let mut e = of(&bob, "e", false)?;
    let m1 = tx.insert_meeting(&meeting(&dana, d1, "one", vec![a.uuid]))?;
    let m2 = tx.insert_meeting(&meeting(&dana, d1, "two", vec![]))?;
    let m3 = tx.insert_meeting(&meeting(&dana, d2, "three", vec![d.uuid]))?;
    let m4 = tx.insert_meeting(&meeting(&bob, d1, "four", vec![a.uuid]))?;
    b.for_item = Some(a.uuid);
    c.answers = Some(a.uuid);
    e.for_item = Some(a.uuid);
    let mut d = d;
    d.meeting = Some(m3.uuid);
    for i in [&b, &c, &d, &e] {
        tx.update_item(i)?;
    }
    Ok(Refs {
        dana,
        bob,
        items: [a, b, c, d, e],
        meetings: [m1, m2, m3, m4],
    })
}

fn uuids<'a>(of: impl IntoIterator<Item = &'a Item>) -> Vec<Uuid> {
    of.into_iter().map(|i| i.uuid).collect()
}

/// What sync reads of a person by key (docs/sync.md, "What a sync reads") is what reading
/// everything and keeping theirs gives: their meetings (all, or those asked for) by date then
/// id, and which of some items are theirs and shared; their items referring to a UUID (meeting, `for_item`, `answers`), by id; their
/// meetings on whole days, asked for by date or by an item discussed.
pub fn what_sync_reads_by_key(open: Open) {
    let Some(mut f) = open() else { return };
    let r = f.store.write(refs).expect("write");
    let [a, b, c, d, _] = &r.items;
    let [m1, m2, m3, _] = &r.meetings;
    let (d1, d2) = (m1.date, m3.date);
    let e = &r.items[4];
    let got = f
        .store
        .read(|tx| -> crate::Result<_> {
            Ok((
                (
                    tx.meeting_days(r.dana.uuid, None)?,
                    tx.shared_among(r.dana.uuid, &[a.uuid, b.uuid, d.uuid, e.uuid])?,
                ),
                tx.items_referring(r.dana.uuid, &[a.uuid])?,
                tx.items_referring(r.dana.uuid, &[m3.uuid, Uuid::from_u128(9)])?,
                tx.items_referring(r.dana.uuid, &[])?,
                tx.meetings_on_days(r.dana.uuid, &[d2], &[])?,
                tx.meetings_on_days(r.dana.uuid, &[], &[a.uuid])?,
                tx.meetings_on_days(r.dana.uuid, &[date(2020, 1, 1)], &[b.uuid])?,
                (
                    tx.meeting_days(r.bob.uuid, None)?,
                    tx.shared_among(r.bob.uuid, &[a.uuid, e.uuid])?,
                    tx.meeting_days(r.dana.uuid, Some(&[m3.uuid, r.meetings[3].uuid]))?,
                    tx.shared_among(r.dana.uuid, &[])?,
                ),
            ))
        })
        .expect("read");
    let mut shared = vec![a.uuid, d.uuid];
    shared.sort_unstable();
    assert_eq!(
        got.0.0,
        [(m1.uuid, d1), (m2.uuid, d1), (m3.uuid, d2)],
        "Dana's meetings by date then id"
    );
    assert_eq!(got.0.1, shared, "Dana's shared items among those, sorted");
    assert_eq!(
        uuids(&got.1),
        [b.uuid, c.uuid],
        "for_item and answers; not Bob's e"
    );
    assert_eq!(uuids(&got.2), [d.uuid], "the item agreed at m3");
    assert_eq!(got.3, []);
    let meeting_ids = |ms: &[Meeting]| ms.iter().map(|m| m.uuid).collect::<Vec<_>>();
    assert_eq!(meeting_ids(&got.4), [m3.uuid]);
    assert_eq!(got.4[0].discussed, [d.uuid], "with what it discussed");
    assert_eq!(
        meeting_ids(&got.5),
        [m1.uuid, m2.uuid],
        "the whole day of the meeting that discussed a, not Bob's"
    );
    assert_eq!(got.6, [], "no meeting that day, none discussed b");
    assert_eq!(got.7.0.len(), 1, "Bob's one meeting");
    assert_eq!(got.7.1, Vec::<Uuid>::new(), "a is Dana's, e is not shared");
    assert_eq!(got.7.2, [(m3.uuid, d2)], "m3 only: m4 is Bob's");
    assert_eq!(got.7.3, Vec::<Uuid>::new());
}

/// A backend that keeps change marks gives every write of an item, a meeting or what it
/// discussed a mark above the last once a space is linked (none before), and names what was written after a mark: the person's
/// items whole, every item's and meeting's UUID (anyone's, removed ones too) and the days of
/// the meetings, before and after a move. A transaction dropped gives out none. A backend
/// without change marks says `None`.
pub fn change_marks_name_what_was_written(open: Open) {
    let Some(mut f) = open() else { return };
    let Some(start) = f.store.read(|tx| tx.change_mark()).expect("mark") else {
        return;
    };
    // While no space is linked, nothing is marked: a workspace that never syncs pays nothing.
    f.store
        .write(|tx| {
            tx.insert_item(&item(Kind::Note, "Before any space"))
                .map(drop)
        })
        .expect("write");
    assert_eq!(
        f.store.read(|tx| tx.change_mark()).expect("mark"),
        Some(start)
    );
    f.store
        .write(|tx| tx.put_sync_link(&link(Uuid::from_u128(0x5), 0)))
        .expect("link");
    let r = f.store.write(refs).expect("write");
    let [a, b, _, _, e] = &r.items;
    let [m1, _, m3, _] = &r.meetings;
    let mark = |f: &mut Fixture| f.store.read(|tx| tx.change_mark()).expect("mark").unwrap();
    let after_refs = mark(&mut f);
    assert!(after_refs > start, "{after_refs} after {start}");
    let everything = f
        .store
        .read(|tx| tx.changed_since(r.dana.uuid, start))
        .expect("changed");
    assert_eq!(everything.items.len(), 4, "Dana's four items");
    assert_eq!(everything.item_keys.len(), 5);
    assert_eq!(everything.meeting_keys.len(), 4);
    assert_eq!(everything.days.len(), 2);

    // An item written: Dana's whole, Bob's by key only.
    f.store
        .write(|tx| {
            let mut b = b.clone();
            b.title = "b, edited".into();
            tx.update_item(&b)?;
            let mut e = e.clone();
            e.title = "e, edited".into();
            tx.update_item(&e)
        })
        .expect("write");
    let after_items = mark(&mut f);
    assert!(after_items > after_refs);
    let got = f
        .store
        .read(|tx| tx.changed_since(r.dana.uuid, after_refs))
        .expect("changed");
    assert_eq!(uuids(&got.items), [b.uuid]);
    assert_eq!(got.items[0].title, "b, edited");
    let mut keys = vec![b.uuid, e.uuid];
    keys.sort_unstable();
    assert_eq!(got.item_keys, keys);
    assert_eq!((got.meeting_keys.len(), got.days.len()), (0, 0));

    // A meeting moved to another day: the meeting and both days.
    let d3 = date(2026, 11, 30);
    f.store
        .write(|tx| {
            let mut m = m3.clone();
            m.date = d3;
            tx.update_meeting(&m)
        })
        .expect("write");
    let after_move = mark(&mut f);
    let got = f
        .store
        .read(|tx| tx.changed_since(r.dana.uuid, after_items))
        .expect("changed");
    assert_eq!(got.meeting_keys, [m3.uuid]);
    assert_eq!(got.days, [m3.date, d3]);
    assert_eq!(got.item_keys, Vec::<Uuid>::new());

    // A meeting removed for good: it, its day, and the item agreed at it (now without one).
    f.store
        .write(|tx| {
            tx.remove_meeting(&Tombstone {
                uuid: m1.uuid,
                kind: "meeting".into(),
                removed_at: clock().now,
            })
        })
        .expect("remove");
    let got = f
        .store
        .read(|tx| tx.changed_since(r.dana.uuid, after_move))
        .expect("changed");
    assert_eq!(got.meeting_keys, [m1.uuid]);
    assert_eq!(got.days, [m1.date]);
    assert!(got.items.is_empty(), "no item was agreed at m1: {got:?}");

    // Nothing written, nothing named; a dropped transaction gives out no mark.
    let now = mark(&mut f);
    assert_eq!(
        f.store
            .read(|tx| tx.changed_since(r.dana.uuid, now))
            .expect("changed"),
        crate::Changed::default()
    );
    {
        let tx = f.store.begin_write().expect("write");
        let mut a = a.clone();
        a.title = "never".into();
        tx.update_item(&a).expect("update");
    }
    assert_eq!(mark(&mut f), now);
}
