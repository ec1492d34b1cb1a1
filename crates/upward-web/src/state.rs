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
    /// Reads share it, a write takes it alone. A read store maps SQLite's WAL index read-only
    /// when it can, and SQLite shares that mapping between the connections of one process to
    /// the same file: a write store opened while one is open is refused ("permission denied").
    /// So a write waits for the reads under way, and the kept read stores are closed first.
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
            let _reading = state
                .gate
                .read()
                .map_err(|_| WebError::internal("a request failed while reading"))?;
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
            let _writing = state
                .gate
                .write()
                .map_err(|_| WebError::internal("a request failed while writing"))?;
            if let Ok(mut r) = state.readers.lock() {
                r.clear();
            }
            let clock = state.workspace.clock();
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
