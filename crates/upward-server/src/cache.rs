//! The spaces' read cache (docs/server.md, "The read cache"): per space, the decoded view of
//! its records and what pages and API derive from it (a page's body, an answer's JSON), all
//! kept for one head of the space's log. A read asks the store for the space's head in one
//! query ([`upward_server_store::ServerTx::space_head`]); every write of content appends to
//! the log and so moves the head, and an entry of another head is never served: what was
//! kept for head 41 is dropped the first time head 42 is read.
//!
//! Bounded: the entries' estimated sizes add up to at most [`BUDGET`] bytes; past it the
//! spaces used longest ago are dropped first (least recently used). A space keeps at most
//! [`DERIVED_PER_SPACE`] derived values (one per viewer, civil date and page variant), the
//! oldest dropped first.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use upward_space::view::Space as SpaceView;
use uuid::Uuid;

/// The most the cache holds, by its estimate: 64 MiB.
pub const BUDGET: usize = 64 * 1024 * 1024;
/// The most derived values kept for one space.
pub const DERIVED_PER_SPACE: usize = 16;
/// A decoded view's estimated size: this many times its stored records' bytes.
pub const VIEW_FACTOR: usize = 4;

type Derived = Arc<dyn Any + Send + Sync>;

struct Entry {
    head: i64,
    view: Arc<SpaceView>,
    view_bytes: usize,
    /// (key, value, bytes, last use)
    derived: Vec<(String, Derived, usize, u64)>,
    used: u64,
}

impl Entry {
    fn bytes(&self) -> usize {
        self.view_bytes + self.derived.iter().map(|d| d.2).sum::<usize>()
    }
}

#[derive(Default)]
struct Inner {
    entries: HashMap<Uuid, Entry>,
    bytes: usize,
    tick: u64,
    hits: u64,
    misses: u64,
}

/// The cache of a running server (in [`crate::state::AppState`]).
pub struct SpaceCache {
    inner: Mutex<Inner>,
    budget: usize,
}

impl Default for SpaceCache {
    fn default() -> Self {
        SpaceCache::with_budget(BUDGET)
    }
}

impl SpaceCache {
    pub fn with_budget(budget: usize) -> SpaceCache {
        SpaceCache {
            inner: Mutex::new(Inner::default()),
            budget,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The view of `space` at `head`, if kept.
    pub fn view(&self, space: Uuid, head: i64) -> Option<Arc<SpaceView>> {
        let mut g = self.lock();
        g.tick += 1;
        let tick = g.tick;
        let found = match g.entries.get_mut(&space) {
            Some(e) if e.head == head => {
                e.used = tick;
                Some(e.view.clone())
            }
            _ => None,
        };
        if found.is_some() {
            g.hits += 1;
        } else {
            g.misses += 1;
        }
        found
    }

    /// Keeps the view of `space` at `head` (read from `stored` bytes of records), replacing
    /// an entry of an older head with everything derived from it. A head older than the one
    /// kept (a slow reader) is not kept.
    pub fn put_view(&self, space: Uuid, head: i64, view: Arc<SpaceView>, stored: usize) {
        let mut g = self.lock();
        if g.entries.get(&space).is_some_and(|e| e.head >= head) {
            return;
        }
        let view_bytes = stored.saturating_mul(VIEW_FACTOR).saturating_add(256);
        if view_bytes > self.budget {
            // Alone over the budget: not kept (it would push every other space out).
            if let Some(old) = g.entries.remove(&space) {
                g.bytes -= old.bytes();
            }
            return;
        }
        g.tick += 1;
        let entry = Entry {
            head,
            view,
            view_bytes,
            derived: Vec::new(),
            used: g.tick,
        };
        let added = entry.bytes();
        if let Some(old) = g.entries.insert(space, entry) {
            g.bytes -= old.bytes();
        }
        g.bytes += added;
        self.shrink(&mut g, space);
    }

    /// A value derived from the view of `space` at `head` under `key`, if kept.
    pub fn derived<T: Any + Send + Sync>(
        &self,
        space: Uuid,
        head: i64,
        key: &str,
    ) -> Option<Arc<T>> {
        let mut g = self.lock();
        g.tick += 1;
        let tick = g.tick;
        let e = g.entries.get_mut(&space).filter(|e| e.head == head)?;
        let d = e.derived.iter_mut().find(|d| d.0 == key)?;
        d.3 = tick;
        e.used = tick;
        d.1.clone().downcast::<T>().ok()
    }

    /// Keeps a value derived from the view of `space` at `head` (nothing if that view is no
    /// longer the one kept).
    pub fn put_derived<T: Any + Send + Sync>(
        &self,
        space: Uuid,
        head: i64,
        key: String,
        value: Arc<T>,
        bytes: usize,
    ) {
        let mut g = self.lock();
        g.tick += 1;
        let tick = g.tick;
        let bytes = bytes.saturating_add(key.len() + 64);
        let Some(e) = g.entries.get_mut(&space).filter(|e| e.head == head) else {
            return;
        };
        let mut freed = 0;
        if let Some(i) = e.derived.iter().position(|d| d.0 == key) {
            freed += e.derived.swap_remove(i).2;
        }
        if e.derived.len() >= DERIVED_PER_SPACE
            && let Some(i) = e
                .derived
                .iter()
                .enumerate()
                .min_by_key(|(_, d)| d.3)
                .map(|(i, _)| i)
        {
            freed += e.derived.swap_remove(i).2;
        }
        e.derived.push((key, value, bytes, tick));
        e.used = tick;
        g.bytes = g.bytes - freed + bytes;
        self.shrink(&mut g, space);
    }

    /// Drops the spaces used longest ago until the cache is within its budget (never the one
    /// just written, unless it alone is over the budget).
    fn shrink(&self, g: &mut Inner, keep: Uuid) {
        while g.bytes > self.budget {
            let victim = g
                .entries
                .iter()
                .filter(|(id, _)| **id != keep)
                .min_by_key(|(_, e)| e.used)
                .map(|(id, _)| *id)
                .unwrap_or(keep);
            if let Some(e) = g.entries.remove(&victim) {
                g.bytes -= e.bytes();
            }
            if victim == keep {
                break;
            }
        }
    }

    /// (spaces kept, estimated bytes, hits, misses): for tests and the benchmark's notes.
    pub fn stats(&self) -> (usize, usize, u64, u64) {
        let g = self.lock();
        (g.entries.len(), g.bytes, g.hits, g.misses)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(id: Uuid) -> Arc<SpaceView> {
        Arc::new(SpaceView::new(id))
    }

    #[test]
    fn a_new_head_replaces_the_view_and_drops_what_was_derived() {
        let c = SpaceCache::default();
        let s = Uuid::new_v4();
        c.put_view(s, 3, view(s), 100);
        c.put_derived(s, 3, "page".into(), Arc::new("at 3".to_string()), 4);
        assert!(c.view(s, 3).is_some());
        assert_eq!(
            c.derived::<String>(s, 3, "page")
                .as_deref()
                .map(String::as_str),
            Some("at 3")
        );
        // Another head: nothing served.
        assert!(c.view(s, 4).is_none());
        assert!(c.derived::<String>(s, 4, "page").is_none());
        c.put_view(s, 4, view(s), 100);
        assert!(c.view(s, 3).is_none());
        assert!(c.derived::<String>(s, 4, "page").is_none());
        // A slow reader's older head does not replace the newer one.
        c.put_view(s, 2, view(s), 100);
        assert!(c.view(s, 4).is_some());
        // Derived at a head no longer kept: not kept.
        c.put_derived(s, 3, "page".into(), Arc::new("at 3".to_string()), 4);
        assert!(c.derived::<String>(s, 3, "page").is_none());
        // A value of another type under the key is not mistaken for it.
        c.put_derived(s, 4, "n".into(), Arc::new(7u32), 4);
        assert!(c.derived::<String>(s, 4, "n").is_none());
        assert_eq!(c.derived::<u32>(s, 4, "n").as_deref(), Some(&7));
    }

    #[test]
    fn the_budget_drops_the_least_recently_used_space() {
        // Each view is 4 × 1,000 + 256 bytes by the estimate: two fit in 10,000, not three.
        let c = SpaceCache::with_budget(10_000);
        let [a, b, d] = [Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4()];
        c.put_view(a, 1, view(a), 1_000);
        c.put_view(b, 1, view(b), 1_000);
        assert!(c.view(a, 1).is_some()); // a used after b
        c.put_view(d, 1, view(d), 1_000);
        assert!(c.view(b, 1).is_none(), "b was used longest ago");
        assert!(c.view(a, 1).is_some());
        assert!(c.view(d, 1).is_some());
        let (n, bytes, _, _) = c.stats();
        assert_eq!(n, 2);
        assert!(bytes <= 10_000, "{bytes}");
        // Derived values count, and are capped per space.
        for i in 0..(DERIVED_PER_SPACE + 5) {
            c.put_derived(a, 1, format!("k{i}"), Arc::new(i), 10);
        }
        assert!(c.derived::<usize>(a, 1, "k0").is_none());
        assert!(
            c.derived::<usize>(a, 1, &format!("k{}", DERIVED_PER_SPACE + 4))
                .is_some()
        );
        // One space larger than the whole budget is not kept, and pushes nothing out.
        let big = Uuid::new_v4();
        c.put_view(big, 1, view(big), 1_000_000);
        assert!(c.view(big, 1).is_none());
        assert!(c.view(d, 1).is_some());
        assert!(c.stats().1 <= 10_000);
    }
}
