//! Many writers at once, as on a team server: writers of one workspace queue on its lock and
//! lose nothing (ids stay unique and dense, no serialization or lock error ever reaches them);
//! a writer of another workspace does not queue behind them.

use crate::common::{item, open, url};
use std::sync::{Barrier, mpsc};
use std::time::{Duration, Instant};
use upward_domain::Kind;
use upward_store::{ItemFilter, Store, StoreExt};
use uuid::Uuid;

const WRITERS: usize = 8;
const EACH: usize = 25;

#[test]
fn eight_writers_on_one_workspace_lose_nothing() {
    let Some(url) = url() else { return };
    let ws = Uuid::new_v4();
    let mut check = open(&url, ws);
    let barrier = Barrier::new(WRITERS);
    let started = Instant::now();
    std::thread::scope(|s| {
        for w in 0..WRITERS {
            let (url, barrier) = (&url, &barrier);
            s.spawn(move || {
                let mut store = open(url, ws);
                barrier.wait();
                for i in 0..EACH {
                    store
                        .write(|tx| {
                            tx.insert_item(&item(Kind::Note, &format!("writer {w} item {i}")))
                        })
                        .unwrap_or_else(|e| panic!("writer {w}, item {i}: {e}"));
                }
            });
        }
    });
    eprintln!(
        "{WRITERS} writers × {EACH} transactions on one workspace: {:?}",
        started.elapsed()
    );
    let items = check
        .read(|tx| tx.items(&ItemFilter::default()))
        .expect("read");
    assert_eq!(items.len(), WRITERS * EACH);
    let mut ids: Vec<i64> = items.iter().map(|i| i.id).collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        (1..=(WRITERS * EACH) as i64).collect::<Vec<_>>(),
        "ids unique and dense"
    );
    let mut titles: Vec<&str> = items.iter().map(|i| i.title.as_str()).collect();
    titles.sort_unstable();
    titles.dedup();
    assert_eq!(titles.len(), WRITERS * EACH, "every write is there once");
}

#[test]
fn a_long_write_holds_its_workspace_only() {
    let Some(url) = url() else { return };
    let (busy, other) = (Uuid::new_v4(), Uuid::new_v4());
    let mut holder = open(&url, busy);
    let mut same = open(&url, busy);
    let mut elsewhere = open(&url, other);
    let tx = holder.begin_write().expect("begin");
    tx.insert_item(&item(Kind::Note, "long write"))
        .expect("insert");

    std::thread::scope(|s| {
        let (same_done, same_wait) = mpsc::channel();
        s.spawn(move || {
            let r = same.write(|w| w.insert_item(&item(Kind::Note, "queued")));
            same_done.send(r.map(|i| i.id)).ok();
        });
        let (other_done, other_wait) = mpsc::channel();
        s.spawn(move || {
            let started = Instant::now();
            let r = elsewhere.write(|w| w.insert_item(&item(Kind::Note, "elsewhere")));
            other_done.send((r.map(|i| i.id), started.elapsed())).ok();
        });

        // The other workspace's writer finishes while the long write is still open…
        let (r, took) = other_wait
            .recv_timeout(Duration::from_secs(10))
            .expect("a writer of another workspace must not wait for this one");
        assert_eq!(r.expect("it succeeds"), 1);
        eprintln!("a writer of another workspace took {took:?} during a long write");
        // …while the writer of the same workspace waits for it.
        assert!(
            same_wait.recv_timeout(Duration::from_millis(500)).is_err(),
            "a writer of the same workspace must wait"
        );
        tx.commit().expect("commit");
        let queued = same_wait
            .recv_timeout(Duration::from_secs(10))
            .expect("the queued writer goes on after the commit");
        assert_eq!(queued.expect("it succeeds"), 2);
    });
}
