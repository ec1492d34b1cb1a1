//! PostgreSQL aborts a whole transaction on its first failed statement. The store refuses what
//! the contract refuses before the server sees it, so a refused write leaves the transaction
//! usable, as in SQLite; and if the server fails a statement anyway, committing says so instead
//! of quietly rolling back.

use crate::common::{Schema, clock, item, open, raw, url};
use jiff::civil::date;
use upward_domain::{Kind, Meeting, Person, Reflection, Relation};
use upward_store::{ItemFilter, Store, StoreError, StoreExt};
use uuid::Uuid;

#[test]
fn a_refused_write_leaves_the_transaction_usable() {
    let Some(url) = url() else { return };
    let mut store = open(&url, Uuid::new_v4());
    let tx = store.begin_write().expect("begin");
    let first = tx.insert_item(&item(Kind::Note, "first")).expect("insert");
    let dana = tx
        .insert_person(&Person::new("Dana", Relation::Manager, clock().now).expect("person"))
        .expect("insert");

    let same_uuid = tx.insert_item(&upward_domain::Item {
        id: 0,
        ..first.clone()
    });
    assert!(
        matches!(same_uuid, Err(StoreError::Conflict(_))),
        "{same_uuid:?}"
    );
    let same_name = tx.insert_person(&Person::new("DANA", Relation::Peer, clock().now).expect("p"));
    assert!(
        matches!(same_name, Err(StoreError::Conflict(_))),
        "{same_name:?}"
    );
    let mut stray = item(Kind::Note, "stray");
    stray.person = Some(upward_domain::PersonRef {
        uuid: Uuid::new_v4(),
        name: "Nobody".into(),
    });
    let r = tx.insert_item(&stray);
    assert!(matches!(r, Err(StoreError::NotFound(_))), "{r:?}");
    let r = tx.update_item(&item(Kind::Note, "never stored"));
    assert!(matches!(r, Err(StoreError::NotFound(_))), "{r:?}");
    let r = tx.insert_meeting(&Meeting {
        id: 0,
        uuid: Uuid::new_v4(),
        person: dana.to_ref(),
        date: clock().today,
        notes: Some("discussed a ghost".into()),
        shared_notes: None,
        their_notes: None,
        discussed: vec![Uuid::new_v4()],
        created_at: clock().now,
    });
    assert!(matches!(r, Err(StoreError::NotFound(_))), "{r:?}");
    let mut nul = item(Kind::Note, "nul");
    nul.body = Some("a\0b".into());
    assert!(
        tx.insert_item(&nul).is_err(),
        "PostgreSQL cannot store a NUL"
    );
    let mut ancient = item(Kind::Note, "ancient");
    ancient.due = Some(date(-9999, 1, 1));
    assert!(
        tx.insert_item(&ancient).is_err(),
        "nor a date before 4713 BC"
    );
    let r = tx.insert_reflection(&Reflection {
        id: 0,
        uuid: Uuid::new_v4(),
        person: dana.to_ref(),
        date: clock().today,
        scores: Default::default(),
        answers: [("rapport".to_string(), "a\0".to_string())]
            .into_iter()
            .collect(),
        created_at: clock().now,
    });
    assert!(r.is_err(), "nor a NUL inside JSON");

    tx.insert_item(&item(Kind::Note, "after the refusals"))
        .expect("still usable");
    tx.commit().expect("commit");
    let titles: Vec<String> = store
        .read(|tx| tx.items(&ItemFilter::default()))
        .expect("read")
        .into_iter()
        .map(|i| i.title)
        .collect();
    assert_eq!(titles, ["first", "after the refusals"]);
    assert_eq!(store.read(|tx| tx.people(true)).expect("read").len(), 1);
    assert!(store.read(|tx| tx.meetings(None)).expect("read").is_empty());
}

#[test]
fn a_statement_the_server_fails_makes_commit_fail_not_pretend() {
    let Some(url) = url() else { return };
    let schema = Schema::new(&url);
    let mut store = open(&schema.url(), Uuid::new_v4());
    // A rule the store does not know of, so the server is the one to refuse.
    raw(&schema.url())
        .batch_execute("ALTER TABLE items ADD CONSTRAINT no_forbidden CHECK (title <> 'forbidden')")
        .expect("add a check");
    let tx = store.begin_write().expect("begin");
    tx.insert_item(&item(Kind::Note, "kept?")).expect("insert");
    let r = tx.insert_item(&item(Kind::Note, "forbidden"));
    assert!(matches!(r, Err(StoreError::Backend(_))), "{r:?}");
    let r = tx.commit();
    assert!(
        r.is_err(),
        "commit must not report success for an aborted transaction"
    );
    assert!(store.read(|tx| tx.is_empty()).expect("read"));
}
