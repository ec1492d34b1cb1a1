//! The operator's commands (`upward server add-user | reset-password | disable-user`) and the
//! account rules they share with the pages: a checked email and name, a one-time link to set a
//! password, ending every session and token of an account.

use crate::passwords::{Passwords, check_new_password};
use crate::secrets::{random_token, sha256};
use anyhow::{Result, anyhow, bail};
use jiff::{SignedDuration, Timestamp};
use upward_server_store::{
    Account, LinkRow, ServerStore, ServerStoreExt, ServerTx, StoreError, email_key,
};
use uuid::Uuid;

/// How long a one-time link is valid.
pub const LINK_LIFETIME: SignedDuration = SignedDuration::from_hours(24);
/// The purpose of a link that sets a password.
pub const SET_PASSWORD: &str = "set-password";

/// Checks an email address: one `@`, something on each side, a dot-free or dotted domain, no
/// spaces or control characters, at most 254 characters. Gives it back trimmed.
pub fn check_email(email: &str) -> Result<String, String> {
    let e = email.trim();
    let bad = || {
        format!(
            "`{}` is not an email address — accepted: NAME@DOMAIN such as ana@example.com",
            e.escape_debug()
        )
    };
    let (local, domain) = e.split_once('@').ok_or_else(bad)?;
    let ok = !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && e.len() <= 254
        && !e.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok { Ok(e.to_string()) } else { Err(bad()) }
}

/// Checks a display name: not empty, one line, at most 200 characters.
pub fn check_name(name: &str) -> Result<String, String> {
    let n = name.trim();
    if n.is_empty() || n.chars().count() > 200 || n.chars().any(char::is_control) {
        return Err(format!(
            "the name `{}` is not valid — accepted: one line of 1 to 200 characters, such as \"Ana Ruiz\"",
            n.escape_debug()
        ));
    }
    Ok(n.to_string())
}

/// The address of a one-time link.
pub fn link_url(base: &str, secret: &str) -> String {
    format!("{}/set-password?token={secret}", base.trim_end_matches('/'))
}

/// Makes a one-time link to set `account`'s password (valid [`LINK_LIFETIME`]); the secret is
/// given back once, only its SHA-256 is stored. Earlier links of the account end.
pub fn new_link(tx: &mut dyn ServerTx, account: Uuid) -> Result<String, StoreError> {
    let secret = random_token();
    let now = Timestamp::now();
    tx.delete_links_of(account)?;
    tx.insert_link(&LinkRow {
        hash: sha256(secret.as_bytes()),
        account,
        purpose: SET_PASSWORD.to_string(),
        created_at: now,
        expires_at: now
            .checked_add(LINK_LIFETIME)
            .map_err(|e| StoreError::Backend(e.to_string()))?,
    })?;
    Ok(secret)
}

/// Ends every session (but `keep`) and every API token of an account: how many.
pub fn end_sessions_and_tokens(
    tx: &mut dyn ServerTx,
    account: Uuid,
    keep: Option<&[u8; 32]>,
) -> Result<u64, StoreError> {
    Ok(tx.delete_sessions_of(account, keep)? + tx.delete_tokens_of(account)?)
}

/// What `add-user` did: the link to set a password, unless one was given.
pub struct Added {
    pub account: Account,
    pub link: Option<String>,
}

/// `upward server add-user`: a new account with `password` (checked), or without one and a
/// one-time link to set it. Refused whole (nothing written) on a taken email.
pub fn add_user(
    store: &dyn ServerStore,
    passwords: &Passwords,
    email: &str,
    name: &str,
    password: Option<&str>,
) -> Result<Added> {
    let email = check_email(email).map_err(anyhow::Error::msg)?;
    let name = check_name(name).map_err(anyhow::Error::msg)?;
    let hash = match password {
        Some(p) => {
            check_new_password(p).map_err(anyhow::Error::msg)?;
            Some(passwords.hash(p))
        }
        None => None,
    };
    let now = Timestamp::now();
    let account = Account {
        id: Uuid::new_v4(),
        email: email.clone(),
        name,
        password_changed_at: hash.as_ref().map(|_| now),
        password_hash: hash,
        time_zone: "UTC".to_string(),
        disabled: false,
        created_at: now,
    };
    let with_link = password.is_none();
    let a = account.clone();
    let link = store
        .write(|tx| {
            if tx.account_by_email(&email)?.is_some() {
                return Err(StoreError::Conflict(format!("the email {email}")));
            }
            tx.insert_account(&a)?;
            if with_link {
                Ok(Some(new_link(tx, a.id)?))
            } else {
                Ok(None)
            }
        })
        .map_err(|e| match e {
            StoreError::Conflict(_) => anyhow!(
                "an account with the email {} already exists — give another email, or `upward server reset-password {}` for a new link",
                email_key(&email),
                email_key(&email)
            ),
            e => anyhow!(e),
        })?;
    Ok(Added { account, link })
}

/// `upward server reset-password`: a new one-time link for the account (earlier links end;
/// its password, sessions and tokens stay until the link is used).
pub fn reset_password(store: &dyn ServerStore, email: &str) -> Result<String> {
    let email = check_email(email).map_err(anyhow::Error::msg)?;
    let found = store.write(|tx| {
        let Some(a) = tx.account_by_email(&email)? else {
            return Ok(None);
        };
        if a.disabled {
            return Ok(Some(Err(a)));
        }
        Ok(Some(Ok(new_link(tx, a.id)?)))
    })?;
    match found {
        None => bail!("{}", unknown(&email)),
        Some(Err(_)) => bail!(
            "the account {} is disabled — it cannot sign in, so it gets no link",
            email_key(&email)
        ),
        Some(Ok(secret)) => Ok(secret),
    }
}

/// `upward server disable-user`: the account can no longer sign in; its sessions, tokens and
/// links end now. Its spaces stay (the other member keeps reading them).
pub fn disable_user(store: &dyn ServerStore, email: &str) -> Result<Account> {
    let email = check_email(email).map_err(anyhow::Error::msg)?;
    let done = store.write(|tx| {
        let Some(mut a) = tx.account_by_email(&email)? else {
            return Ok(None);
        };
        a.disabled = true;
        tx.update_account(&a)?;
        end_sessions_and_tokens(tx, a.id, None)?;
        tx.delete_links_of(a.id)?;
        Ok(Some(a))
    })?;
    done.ok_or_else(|| anyhow!("{}", unknown(&email)))
}

fn unknown(email: &str) -> String {
    format!(
        "no account has the email {} — `upward server add-user EMAIL --name NAME` makes one",
        email_key(email)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_and_names_are_checked() {
        assert_eq!(
            check_email("  ana@example.com ").unwrap(),
            "ana@example.com"
        );
        for bad in [
            "", "ana", "@x", "ana@", "a b@x", "a@b@c", "ana@.x", "ana@x.", "a\n@x",
        ] {
            assert!(check_email(bad).is_err(), "{bad:?}");
        }
        assert_eq!(check_name(" Ana Ruiz ").unwrap(), "Ana Ruiz");
        assert!(check_name("  ").is_err());
        assert!(check_name("a\u{1b}[2J").is_err());
        assert!(check_name(&"x".repeat(201)).is_err());
    }

    #[test]
    fn links_point_at_the_set_password_page() {
        assert_eq!(
            link_url("https://t.example/", "abc"),
            "https://t.example/set-password?token=abc"
        );
    }
}
