//! The storage contract (`upward_store::contract`), run on the SQLite backend: each test on a
//! fresh database file in a temporary directory.

use upward_store::contract::Fixture;
use upward_store_sqlite::SqliteStore;

fn fixture() -> Option<Fixture> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("contract.db");
    let store = SqliteStore::open(&path).expect("open");
    Some(Fixture {
        store: Box::new(store),
        another: Box::new(move || Box::new(SqliteStore::open(&path).expect("open again"))),
        keep: Box::new(dir),
    })
}

upward_store::contract_suite!(fixture);
