//! What every handler shares: the store, the clock, the configuration, the server's own device
//! UUID, and the in-memory parts of security (the password cost, the login throttle).

use crate::clock::ServerClock;
use crate::config::ServerConfig;
use crate::error::ServerError;
use crate::passwords::{Cost, Passwords};
use crate::throttle::Throttle;
use std::sync::Arc;
use upward_server_store::{ServerStore, ServerStoreExt, ServerTx, StoreError};
use uuid::Uuid;

/// The setting that holds the server's device UUID: the device of the operations its pages
/// and API write (so the web is one more replica when sync comes).
pub const DEVICE_SETTING: &str = "server_device";

/// The state of a running server.
pub struct AppState {
    pub store: Arc<dyn ServerStore>,
    pub clock: ServerClock,
    /// As started; `listen` is the address actually bound (a port 0 resolved).
    pub config: ServerConfig,
    /// The server's own device UUID (setting [`DEVICE_SETTING`], made on first start).
    pub device: Uuid,
    pub(crate) passwords: Passwords,
    pub(crate) throttle: Throttle,
    pub(crate) origins: crate::security::Origins,
    /// The spaces' read cache (crate::cache).
    pub cache: crate::cache::SpaceCache,
    /// What a cached page body holds where the session's CSRF token goes: random per process,
    /// so that no content can spell it.
    pub(crate) csrf_slot: String,
}

impl AppState {
    /// Reads (or makes) the server's device UUID and hashes the dummy password: a blocking
    /// store call, off the async threads.
    pub async fn new(
        store: Arc<dyn ServerStore>,
        config: ServerConfig,
        clock: ServerClock,
        cost: Cost,
    ) -> Result<AppState, ServerError> {
        let s = store.clone();
        let (device, passwords) = tokio::task::spawn_blocking(move || {
            let device = device_of(&*s)?;
            Ok::<_, StoreError>((device, Passwords::new(cost)))
        })
        .await
        .map_err(|e| ServerError::internal(format!("starting stopped: {e}")))??;
        let origins = crate::security::Origins::of(&config);
        Ok(AppState {
            store,
            clock,
            config,
            device,
            passwords,
            throttle: Throttle::default(),
            origins,
            cache: crate::cache::SpaceCache::default(),
            csrf_slot: format!("csrf-slot-{}", crate::secrets::random_token()),
        })
    }

    /// The clock of an account: now, and today in its time zone (`UPWARD_NOW` fixes it).
    pub fn clock_for(&self, account: &upward_server_store::Account) -> upward_domain::Clock {
        self.clock.clock_in(&account.time_zone)
    }

    /// Runs `f` in one read transaction, off the async threads.
    pub async fn read<T, F>(self: &Arc<Self>, f: F) -> Result<T, ServerError>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn ServerTx) -> Result<T, ServerError> + Send + 'static,
    {
        let state = self.clone();
        blocking(move || tunnel(&*state.store, false, f)).await
    }

    /// Runs `f` in one write transaction, off the async threads: committed when it returns
    /// `Ok`, rolled back (nothing written) when it returns an error.
    pub async fn write<T, F>(self: &Arc<Self>, f: F) -> Result<T, ServerError>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn ServerTx) -> Result<T, ServerError> + Send + 'static,
    {
        let state = self.clone();
        blocking(move || tunnel(&*state.store, true, f)).await
    }

    /// Runs a blocking closure (argon2, a store call) off the async threads.
    pub async fn blocking<T: Send + 'static>(
        f: impl FnOnce() -> Result<T, ServerError> + Send + 'static,
    ) -> Result<T, ServerError> {
        blocking(f).await
    }
}

/// The server's device UUID: read, or made and kept on the first start.
pub fn device_of(store: &dyn ServerStore) -> Result<Uuid, StoreError> {
    store.write(|tx| {
        if let Some(v) = tx.setting(DEVICE_SETTING)?
            && let Ok(id) = v.parse::<Uuid>()
        {
            return Ok(id);
        }
        let id = Uuid::new_v4();
        tx.set_setting(DEVICE_SETTING, &id.to_string())?;
        Ok(id)
    })
}

/// Runs a transaction whose closure may refuse with a [`ServerError`]: the refusal rolls the
/// transaction back (as a store error) and comes out as itself.
fn tunnel<T>(
    store: &dyn ServerStore,
    write: bool,
    f: impl FnOnce(&mut dyn ServerTx) -> Result<T, ServerError>,
) -> Result<T, ServerError> {
    let mut refused: Option<ServerError> = None;
    let run = |tx: &mut dyn ServerTx| {
        f(tx).map_err(|e| {
            let message = e.message.clone();
            refused = Some(e);
            StoreError::Backend(format!("refused: {message}"))
        })
    };
    let result = if write {
        store.write(run)
    } else {
        store.read(run)
    };
    match (result, refused) {
        (_, Some(e)) => Err(e),
        (Ok(v), None) => Ok(v),
        (Err(e), None) => Err(e.into()),
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ServerError> + Send + 'static,
) -> Result<T, ServerError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ServerError::internal(format!("the request stopped: {e}")))?
}
