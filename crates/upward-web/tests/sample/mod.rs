//! The tour's sample workspace (Sam Rivera, manager Dana Whitfield, peer Priya Natarajan)
//! written into a harness's database, for the workflow pages' tests.

#![allow(dead_code)]

use upward_domain::Clock;
use upward_domain::export::{Export, FORMAT, VERSION};
use upward_domain::workflow::tour::sample;
use upward_store::StoreExt;
use upward_store_sqlite::SqliteStore;

/// Fills the empty database at `db` with the sample as of the harness's clock.
pub fn tour(db: &std::path::Path) {
    let clock = Clock::fixed("2026-11-23T09:00:00Z").unwrap();
    let snap = sample(&clock);
    let doc = Export {
        format: FORMAT.into(),
        version: VERSION,
        exported: clock.now,
        people: snap.people,
        items: snap.items,
        meetings: snap.meetings,
        updates: snap.updates,
        reflections: snap.reflections,
        effects: Vec::new(),
        declines: Vec::new(),
        removed: Vec::new(),
    };
    let mut store = SqliteStore::open(db).unwrap();
    store
        .write(|tx| upward_app::transfer::import(tx, &doc, false, &clock))
        .unwrap();
}

/// Hostile texts every form and API field gets.
pub const SCRIPT: &str = "<script>alert(1)</script>";

/// Whether a page holds the hostile texts only escaped (pages only: JSON carries text as
/// it is, served as `application/json` with `nosniff`).
#[track_caller]
pub fn escaped_only(body: &str) {
    assert!(!body.contains("<script>alert"), "raw script in the page");
    assert!(!body.contains("<img"), "raw img in the page");
}

/// The number of items of a kind, read straight from the store.
pub fn count(db: &std::path::Path, kind: upward_domain::Kind) -> usize {
    let mut store = SqliteStore::open_read_only(db).unwrap();
    store
        .read(|tx| {
            upward_app::items::list(
                tx,
                upward_store::ItemFilter {
                    kind: Some(kind),
                    ..Default::default()
                },
                None,
            )
        })
        .unwrap()
        .len()
}
