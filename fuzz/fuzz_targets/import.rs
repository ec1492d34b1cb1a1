//! The import reader: any file gives an export document or an error naming the problem,
//! never a panic. A document that reads is imported into an empty store (in a transaction
//! that is rolled back), must export back as it came in (export → import is lossless), and
//! every workflow and renderer must cope with what it holds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::{Mutex, OnceLock};
use upward_domain::export::Export;
use upward_fuzz::{Bytes, clock_on, exercise};
use upward_store::{StoreError, StoreExt};
use upward_store_sqlite::SqliteStore;

struct Db {
    _dir: tempfile::TempDir,
    store: SqliteStore,
}

fn db() -> &'static Mutex<Db> {
    static DB: OnceLock<Mutex<Db>> = OnceLock::new();
    DB.get_or_init(|| {
        let base = std::path::Path::new("/dev/shm");
        let dir = if base.is_dir() {
            tempfile::tempdir_in(base)
        } else {
            tempfile::tempdir()
        }
        .unwrap();
        let store = SqliteStore::open(&dir.path().join("fuzz.db")).unwrap();
        Mutex::new(Db { _dir: dir, store })
    })
}

/// Ends the transaction without committing.
struct RolledBack;

impl From<StoreError> for RolledBack {
    fn from(_: StoreError) -> Self {
        RolledBack
    }
}

impl From<upward_app::AppError> for RolledBack {
    fn from(_: upward_app::AppError) -> Self {
        RolledBack
    }
}

/// Sorted by id, with what the store assigns or orders itself made comparable, and every
/// reference to a person spelled as that person's name is (names match case-insensitively).
fn normal(mut doc: Export) -> Export {
    for p in &mut doc.people {
        p.id = 0;
    }
    doc.people.sort_by_key(|p| p.uuid);
    let names: Vec<String> = doc.people.iter().map(|p| p.name.clone()).collect();
    let canonical = |n: &mut String| {
        if let Some(c) = names.iter().find(|c| c.to_lowercase() == n.to_lowercase()) {
            *n = c.clone();
        }
    };
    for i in &mut doc.items {
        if let Some(p) = i.person.as_mut() {
            canonical(&mut p.name);
        }
    }
    doc.meetings
        .iter_mut()
        .for_each(|m| canonical(&mut m.person.name));
    doc.updates
        .iter_mut()
        .for_each(|u| canonical(&mut u.person.name));
    doc.reflections
        .iter_mut()
        .for_each(|r| canonical(&mut r.person.name));
    doc.items.sort_by_key(|i| i.id);
    doc.meetings.sort_by_key(|m| m.id);
    for m in &mut doc.meetings {
        m.discussed.sort();
        m.discussed.dedup();
    }
    doc.updates.sort_by_key(|u| u.id);
    doc.reflections.sort_by_key(|r| r.id);
    doc
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(doc) = Export::parse(text) else {
        return;
    };
    let mut db = db().lock().unwrap_or_else(|e| e.into_inner());
    let _ = db.store.write(|tx| -> Result<(), RolledBack> {
        // A clean error (say, two meetings sharing a uuid) is fine; what was imported must
        // read back.
        upward_app::transfer::import(tx, &doc, false, &clock_on(jiff::civil::date(2026, 11, 23)))?;
        let back =
            upward_app::transfer::export(tx, doc.exported).expect("an imported database exports");
        assert_eq!(
            normal(back.clone()),
            normal(doc.clone()),
            "import → export lost data"
        );
        let snap = tx
            .snapshot_of(Default::default(), upward_domain::Kind::ALL)
            .expect("an imported database loads");
        let today = doc
            .exported
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .date();
        if (1000..=9999).contains(&today.year()) {
            let mut b = Bytes::new(data);
            exercise(&snap, &clock_on(today), &mut b);
        }
        Err(RolledBack)
    });
});
