//! Checking an email and a password, for the sign-in page, the API's sign-in and a password
//! change: throttled first (no work for an attempt before its time), then one argon2id check
//! whatever the account's state, then one answer for every failure.

use crate::error::ServerError;
use crate::state::AppState;
use crate::throttle::{account_key, address_key};
use std::net::IpAddr;
use std::sync::Arc;
use upward_server_store::Account;

/// The one answer to a failed sign-in: unknown email, wrong password, disabled account and
/// an account whose password is not set yet all read the same.
pub const WRONG: &str = "the email or the password is wrong";

/// The account whose email and password these are, or [`WRONG`] (401), or 429 with the
/// seconds to wait.
pub async fn check(
    state: &Arc<AppState>,
    email: &str,
    password: &str,
    ip: Option<IpAddr>,
) -> Result<Account, ServerError> {
    let account_key = account_key(email);
    let address_key = ip.map(address_key);
    let mut keys: Vec<&str> = vec![&account_key];
    if let Some(a) = &address_key {
        keys.push(a);
    }
    if let Err(wait) = state.throttle.check(&keys) {
        return Err(ServerError::too_many(wait));
    }
    let email = email.trim().to_string();
    let account = if email.is_empty() || email.len() > 254 {
        None
    } else {
        state
            .read(move |tx| Ok(tx.account_by_email(&email)?))
            .await?
    };
    let password = password.to_string();
    let s = state.clone();
    let (ok, account) = AppState::blocking(move || {
        let hash = account
            .as_ref()
            .filter(|a| !a.disabled)
            .and_then(|a| a.password_hash.as_deref());
        let ok = s.passwords.verify(hash, &password);
        Ok((ok, account))
    })
    .await?;
    match account.filter(|_| ok) {
        Some(a) => {
            state.throttle.reset(&account_key);
            Ok(a)
        }
        None => {
            state.throttle.failed(&keys);
            Err(ServerError::unauthorized(WRONG))
        }
    }
}
