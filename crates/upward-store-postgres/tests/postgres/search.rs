//! Search without a server extension: case and accents do not matter, matches are whole words
//! (the last one a prefix), and what a row says now is what is found, not what it said before.

use crate::common::{clock, item, open, url};
use upward_domain::{Kind, Meeting, Person, Relation};
use upward_store::{MATCH_END, MATCH_START, StoreExt};
use uuid::Uuid;

fn marked(s: &str) -> String {
    s.replace(MATCH_START, "[").replace(MATCH_END, "]")
}

#[test]
fn search_ignores_case_and_accents_and_matches_whole_words() {
    let Some(url) = url() else { return };
    let mut store = open(&url, Uuid::new_v4());
    let c = clock();
    let (mut note, mut meeting) = store
        .write(|tx| -> upward_store::Result<_> {
            let mut zoe = Person::new("Zoë Brontë", Relation::Peer, c.now)?;
            zoe.role = Some("Café owner".into());
            let zoe = tx.insert_person(&zoe)?;
            let mut note = item(Kind::Note, "Crème brûlée for the offsite");
            note.body = Some("Ask the café about a shortcut".into());
            let note = tx.insert_item(&note)?;
            let meeting = tx.insert_meeting(&Meeting {
                id: 0,
                uuid: Uuid::new_v4(),
                person: zoe.to_ref(),
                date: c.today,
                notes: Some("Talked about the CAFE menu".into()),
                shared_notes: None,
                their_notes: None,
                discussed: vec![note.uuid],
                created_at: c.now,
            })?;
            Ok((note, meeting))
        })
        .expect("write");
    let found = |store: &mut upward_store_postgres::PgStore, q: &str| {
        store
            .read(|tx| tx.search(q, 10))
            .expect("search")
            .into_iter()
            .map(|h| (h.source, marked(&h.snippet)))
            .collect::<Vec<_>>()
    };

    assert_eq!(
        found(&mut store, "creme BRU"),
        [("item", "[Crème] [brûlée] for the offsite".to_string())]
    );
    let cafe = found(&mut store, "cafe");
    assert_eq!(cafe.len(), 3, "{cafe:?}");
    assert!(
        cafe.contains(&("person", "[Café] owner".to_string())),
        "{cafe:?}"
    );
    assert!(cafe.contains(&("meeting", "Talked about the [CAFE] menu".to_string())));
    assert!(cafe.contains(&("item", "Ask the [café] about a shortcut".to_string())));
    assert!(
        found(&mut store, "zoe bronte")
            .iter()
            .any(|h| h.0 == "person")
    );
    // Whole words: `cut` is not in `shortcut`, nor `off` in `offsite` unless it is the last word.
    assert!(found(&mut store, "cut").is_empty());
    assert!(found(&mut store, "off the").is_empty());
    assert_eq!(found(&mut store, "the off").len(), 1);

    // An edited record is found by what it says now.
    note.title = "Tarte tatin".into();
    meeting.notes = Some("Talked about dessert".into());
    meeting.discussed = vec![];
    store
        .write(|tx| -> upward_store::Result<_> {
            tx.update_item(&note)?;
            tx.update_meeting(&meeting)
        })
        .expect("update");
    assert!(found(&mut store, "brulee").is_empty());
    assert_eq!(found(&mut store, "tatin").len(), 1);
    assert!(found(&mut store, "menu").is_empty());
    assert_eq!(found(&mut store, "dessert").len(), 1);
    let meetings = store.read(|tx| tx.meetings(None)).expect("read");
    assert!(
        meetings[0].discussed.is_empty(),
        "the discussed items were replaced"
    );
}
