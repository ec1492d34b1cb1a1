//! What every handler shares: the workspace (how to open it, the clock), the secrets, and the
//! read connections kept open between requests.

use crate::error::WebError;
use crate::security::Secrets;
use std::sync::{Arc, Mutex, RwLock};
use upward_domain::Clock;
use upward_store::{Store, StoreExt, Transaction};

/// The workspace a server shows: the front end that starts the server (the command line)
/// says how to open it and what time it is.
pub trait Workspace: Send + Sync + 'static {
    /// A store for reading: it writes nothing (kept open and reused between requests).
    fn open_read(&self) -> anyhow::Result<Box<dyn Store>>;
    /// A store for one write (opened for each, so that the day's automatic backup is made
    /// before the first write of each day).
    fn open_write(&self) -> anyhow::Result<Box<dyn Store>>;
    /// The time now (fixed by `UPWARD_NOW`, like every command).
    fn clock(&self) -> Clock;
}

/// The state of a running server.
pub struct AppState {
    pub workspace: Arc<dyn Workspace>,
    pub secrets: Secrets,
    readers: Mutex<Vec<Box<dyn Store>>>,
    /// Held shared by each read and exclusively by each write. A read store maps the WAL
    /// index read-only (SQLite's `readonly_shm`), and SQLite shares one mapping among the
    /// connections of a process: a writer opened while a reader of this process has it
    /// open finds it read-only and fails. So a write waits for the reads under way, closes
    /// the kept readers, and reads wait for it.
    gate: RwLock<()>,
}

/// Read stores kept open at most: more concurrent readers open and close their own.
const KEEP_READERS: usize = 4;

impl AppState {
    pub fn new(workspace: Arc<dyn Workspace>, secrets: Secrets) -> AppState {
        AppState {
            workspace,
            secrets,
            readers: Mutex::new(Vec::new()),
            gate: RwLock::new(()),
        }
    }

    /// Runs `f` in one read transaction, off the async threads.
    pub async fn read<T, F>(self: &Arc<Self>, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Transaction, &Clock) -> Result<T, WebError> + Send + 'static,
    {
        let state = self.clone();
        blocking(move || {
            // A poisoned gate only means another request panicked: the lock is still sound.
            let _shared = state.gate.read().unwrap_or_else(|e| e.into_inner());
            let clock = state.workspace.clock();
            let mut store = match state.readers.lock().ok().and_then(|mut r| r.pop()) {
                Some(s) => s,
                None => state.workspace.open_read().map_err(WebError::from_anyhow)?,
            };
            let result = store.read(|tx| f(tx, &clock));
            if let Ok(mut r) = state.readers.lock()
                && r.len() < KEEP_READERS
            {
                r.push(store);
            }
            result
        })
        .await
    }

    /// Runs `f` in one write transaction (all or nothing), off the async threads.
    pub async fn write<T, F>(self: &Arc<Self>, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Transaction, &Clock) -> Result<T, WebError> + Send + 'static,
    {
        let state = self.clone();
        blocking(move || {
            let clock = state.workspace.clock();
            // No reader of this process open while the writer opens (see `gate`).
            let _exclusive = state.gate.write().unwrap_or_else(|e| e.into_inner());
            if let Ok(mut r) = state.readers.lock() {
                r.clear();
            }
            let mut store = state
                .workspace
                .open_write()
                .map_err(WebError::from_anyhow)?;
            store.write(|tx| f(tx, &clock))
        })
        .await
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, WebError> + Send + 'static,
) -> Result<T, WebError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| WebError::internal(format!("the request stopped: {e}")))?
}
