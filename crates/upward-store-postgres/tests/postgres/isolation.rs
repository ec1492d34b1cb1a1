//! Many workspaces share one database and never see each other: the same ids, UUIDs and names
//! in two of them (one export imported into two spaces) are two separate records, and nothing
//! of one is read, found, counted or referred to from the other.

use crate::common::{clock, item, open, url};
use upward_domain::{Channel, Kind, Meeting, Person, Reflection, Relation, UpdateSent};
use upward_store::{ItemFilter, Scope, StoreError, StoreExt, Transaction};
use uuid::Uuid;

/// The same records (same UUIDs and ids) in a workspace, with `word` in every text.
fn fill(
    tx: &dyn Transaction,
    dana: &Person,
    ids: [Uuid; 4],
    word: &str,
) -> upward_store::Result<()> {
    let c = clock();
    let mut dana = dana.clone();
    dana.goals = Some(format!("{word} goals"));
    let dana = tx.insert_person(&dana)?;
    let mut i = item(Kind::Topic, &format!("{word} topic"));
    i.uuid = ids[0];
    i.id = 1;
    i.person = Some(dana.to_ref());
    i.tags = vec![word.into()];
    let i = tx.insert_item(&i)?;
    tx.insert_meeting(&Meeting {
        id: 1,
        uuid: ids[1],
        person: dana.to_ref(),
        date: c.today,
        notes: Some(format!("{word} notes")),
        shared_notes: None,
        their_notes: None,
        discussed: vec![i.uuid],
        created_at: c.now,
    })?;
    tx.insert_update(&UpdateSent {
        id: 1,
        uuid: ids[2],
        person: dana.to_ref(),
        date: c.today,
        channel: Channel::Email,
        text: Some(word.into()),
        created_at: c.now,
    })?;
    tx.insert_reflection(&Reflection {
        id: 1,
        uuid: ids[3],
        person: dana.to_ref(),
        date: c.today,
        scores: [("rapport".to_string(), 4)].into_iter().collect(),
        answers: [("rapport".to_string(), word.to_string())]
            .into_iter()
            .collect(),
        created_at: c.now,
    })?;
    Ok(())
}

#[test]
fn two_workspaces_are_isolated() {
    let Some(url) = url() else { return };
    let (one, two) = (Uuid::new_v4(), Uuid::new_v4());
    let dana = Person::new("Dana", Relation::Manager, clock().now).expect("person");
    let ids = [
        Uuid::new_v4(),
        Uuid::new_v4(),
        Uuid::new_v4(),
        Uuid::new_v4(),
    ];
    let mut a = open(&url, one);
    let mut b = open(&url, two);
    a.write(|tx| fill(tx, &dana, ids, "alpha"))
        .expect("fill one");
    b.write(|tx| fill(tx, &dana, ids, "bravo"))
        .expect("the same ids and names in another workspace");

    for (store, mine, theirs) in [(&mut a, "alpha", "bravo"), (&mut b, "bravo", "alpha")] {
        store
            .read(|tx| -> upward_store::Result<()> {
                let snap = tx.snapshot_of(Scope::default(), Kind::ALL)?;
                assert_eq!(snap.people.len(), 1);
                assert_eq!(
                    snap.people[0].goals.as_deref(),
                    Some(format!("{mine} goals").as_str())
                );
                assert_eq!(snap.items.len(), 1);
                assert_eq!(snap.items[0].title, format!("{mine} topic"));
                assert_eq!(snap.meetings.len(), 1);
                assert_eq!(
                    snap.meetings[0].notes.as_deref(),
                    Some(format!("{mine} notes").as_str())
                );
                assert_eq!(snap.meetings[0].discussed, [ids[0]]);
                assert_eq!(snap.updates.len(), 1);
                assert_eq!(snap.updates[0].text.as_deref(), Some(mine));
                assert_eq!(snap.reflections.len(), 1);
                assert_eq!(snap.reflections[0].answers["rapport"], mine);
                assert_eq!(tx.item(1)?.map(|i| i.title), Some(format!("{mine} topic")));
                assert_eq!(
                    tx.item_by_uuid(ids[0])?.map(|i| i.title),
                    Some(format!("{mine} topic"))
                );
                assert_eq!(tx.people(true)?.len(), 1);
                assert_eq!(tx.meetings(None)?.len(), 1);
                assert_eq!(tx.last_meeting(dana.uuid)?, Some(clock().today));
                let tagged = tx.items(&ItemFilter {
                    tag: Some(theirs.into()),
                    ..Default::default()
                })?;
                assert!(tagged.is_empty(), "{tagged:?}");
                let with_dana = tx.items(&ItemFilter {
                    person: Some(dana.uuid),
                    ..Default::default()
                })?;
                assert_eq!(with_dana.len(), 1);
                assert!(
                    tx.search(theirs, 10)?.is_empty(),
                    "search found the other workspace"
                );
                assert_eq!(
                    tx.search(mine, 10)?.len(),
                    3,
                    "an item, a meeting, a person"
                );
                assert_eq!(tx.integrity_check()?, "ok");
                Ok(())
            })
            .expect("read");
    }

    // A record of one workspace cannot refer to a record of another.
    let mut three = open(&url, Uuid::new_v4());
    assert!(
        three.read(|tx| tx.is_empty()).expect("read"),
        "a new workspace is empty"
    );
    let mut stray = item(Kind::Note, "stray");
    stray.person = Some(dana.to_ref());
    let r = three.write(|tx| tx.insert_item(&stray));
    assert!(matches!(r, Err(StoreError::NotFound(_))), "{r:?}");
    stray.person = None;
    stray.meeting = Some(ids[1]);
    let r = three.write(|tx| tx.insert_item(&stray));
    assert!(matches!(r, Err(StoreError::NotFound(_))), "{r:?}");
    let r = three.write(|tx| {
        tx.insert_meeting(&Meeting {
            id: 0,
            uuid: Uuid::new_v4(),
            person: dana.to_ref(),
            date: clock().today,
            notes: None,
            shared_notes: None,
            their_notes: None,
            discussed: vec![],
            created_at: clock().now,
        })
    });
    assert!(matches!(r, Err(StoreError::NotFound(_))), "{r:?}");

    // Ids are counted per workspace.
    let next = three
        .write(|tx| tx.insert_item(&item(Kind::Note, "first here")))
        .expect("write");
    assert_eq!(next.id, 1);
}
