//! What both backends check and convert the same way: times as nanoseconds, text a database
//! can hold, the statuses and roles a space may have, the live-space rule, and URLs without
//! their passwords.

use crate::{Account, OpRow, Result, Space, StoreError};
use jiff::Timestamp;
use uuid::Uuid;

/// The statuses of a space that keep its two people from starting another one.
pub(crate) const LIVE: [&str; 3] = ["invited", "active", "closed"];

/// Every status a space may have.
const STATUSES: [&str; 6] = [
    "invited",
    "active",
    "declined",
    "cancelled",
    "expired",
    "closed",
];

/// Every role an inviter may take.
const ROLES: [&str; 3] = ["report", "manager", "peer"];

/// A time as stored: nanoseconds since the Unix epoch, exact (a 64-bit integer holds 1677 to
/// 2262).
pub(crate) fn nanos(what: &str, t: Timestamp) -> Result<i64> {
    i64::try_from(t.as_nanosecond()).map_err(|_| {
        StoreError::Backend(format!(
            "{what} {t} cannot be stored: times are kept from 1677 to 2262"
        ))
    })
}

/// A stored time back.
pub(crate) fn timestamp(what: &str, n: i64) -> Result<Timestamp> {
    Timestamp::from_nanosecond(i128::from(n))
        .map_err(|e| StoreError::Backend(format!("{what} reads {n}, not a time ({e})")))
}

/// An optional time as stored.
pub(crate) fn nanos_opt(what: &str, t: Option<Timestamp>) -> Result<Option<i64>> {
    t.map(|t| nanos(what, t)).transpose()
}

/// An optional stored time back.
pub(crate) fn timestamp_opt(what: &str, n: Option<i64>) -> Result<Option<Timestamp>> {
    n.map(|n| timestamp(what, n)).transpose()
}

/// Refuses text that PostgreSQL cannot hold (the NUL character), on both backends, so that
/// what one accepts the other does too.
pub(crate) fn storable(what: &str, s: &str) -> Result<()> {
    if s.contains('\0') {
        Err(StoreError::Backend(format!(
            "the {what} holds the NUL character (\\0), which cannot be stored"
        )))
    } else {
        Ok(())
    }
}

/// The error of a write in a read transaction.
pub(crate) fn read_only(what: &str) -> StoreError {
    StoreError::Backend(format!(
        "{what} refused: this is a read-only transaction (writes go in ServerStore::write)"
    ))
}

/// Refuses a space whose status or role is not one of the known words, or whose text cannot
/// be stored: the live-space rule depends on the words being exact.
pub(crate) fn check_space(space: &Space) -> Result<()> {
    if !STATUSES.contains(&space.status.as_str()) {
        return Err(StoreError::Backend(format!(
            "unknown space status {:?} (one of {})",
            space.status,
            STATUSES.join(", ")
        )));
    }
    if !ROLES.contains(&space.inviter_role.as_str()) {
        return Err(StoreError::Backend(format!(
            "unknown inviter role {:?} (one of {})",
            space.inviter_role,
            ROLES.join(", ")
        )));
    }
    storable("invited email", &space.invitee_email)
}

/// The conflict of a second live space between the same two people.
pub(crate) fn space_taken() -> StoreError {
    StoreError::Conflict("a space between these two people (invited, active or closed)".into())
}

/// `url` with its password (between `user:` and `@`, or a `password=` parameter) replaced by
/// `***`, so an error can name the URL. A password may hold `/`, `?` or `@` unescaped, so
/// everything from the first `:` after the scheme to the last `@` is hidden: too much at
/// worst (a port, when a later parameter holds an `@`), never too little.
pub(crate) fn redact(url: &str) -> String {
    // After the scheme and its slashes, however many (`postgres:/x`, `sqlite:///x`).
    let scheme_end = url
        .find(':')
        .filter(|&i| {
            i > 0
                && url[..i]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
        })
        .map_or(0, |i| i + 1);
    let start =
        scheme_end + url[scheme_end..].len() - url[scheme_end..].trim_start_matches('/').len();
    let (head, rest) = url.split_at(start);
    let mut out = match (rest.find(':'), rest.rfind('@')) {
        (Some(colon), Some(at)) if colon < at => {
            format!("{head}{}:***{}", &rest[..colon], &rest[at..])
        }
        // `user:password@host` with no scheme: what looked like one was the user.
        (_, Some(at)) if scheme_end > 0 && start == scheme_end => {
            format!("{}***{}", &url[..scheme_end], &rest[at..])
        }
        _ => url.to_string(),
    };
    // key=value connection strings and URL parameters.
    while let Some(at) = find_password_param(&out) {
        let value_start = at + "password=".len();
        let value_end = out[value_start..]
            .find(['&', ' '])
            .map_or(out.len(), |i| value_start + i);
        if &out[value_start..value_end] == "***" {
            break;
        }
        out.replace_range(value_start..value_end, "***");
    }
    out
}

/// Where a `password=` parameter starts in `s`, if one does (not one already hidden).
fn find_password_param(s: &str) -> Option<usize> {
    let lower = s.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("password=") {
        let at = from + i;
        let value = &s[at + "password=".len()..];
        if !value.starts_with("***") {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Refuses an account whose text cannot be stored.
pub(crate) fn check_account(a: &Account) -> Result<()> {
    storable("name", &a.name)?;
    storable("time zone", &a.time_zone)?;
    if let Some(h) = &a.password_hash {
        storable("password hash", h)?;
    }
    Ok(())
}

/// Refuses operations that are not all of `space`, or whose text cannot be stored.
pub(crate) fn check_ops(space: Uuid, ops: &[OpRow]) -> Result<()> {
    for op in ops {
        if op.space != space {
            return Err(StoreError::Backend(format!(
                "operation {} is of space {}, not {space}; nothing was appended",
                op.id, op.space
            )));
        }
        storable("record type", &op.record_type)?;
        storable("action", &op.action)?;
    }
    Ok(())
}

pub(crate) fn no_account(id: Option<Uuid>) -> StoreError {
    match id {
        Some(id) => StoreError::Backend(format!("no account {id}")),
        None => StoreError::Backend("no such account".into()),
    }
}

pub(crate) fn no_space(id: Uuid) -> StoreError {
    StoreError::Backend(format!("no space {id}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_hidden() {
        for (url, want) in [
            (
                "postgres://ann:s3cret@db:5432/upward",
                "postgres://ann:***@db:5432/upward",
            ),
            (
                "postgresql://ann:p@ss@word@db/x?sslmode=disable",
                "postgresql://ann:***@db/x?sslmode=disable",
            ),
            ("postgres://ann@db/x", "postgres://ann@db/x"),
            (
                "postgres://db/x?user=ann&password=s3cret&x=1",
                "postgres://db/x?user=ann&password=***&x=1",
            ),
            (
                "host=db password=s3cret user=ann",
                "host=db password=*** user=ann",
            ),
            ("mysql://root:hunter2@h/db", "mysql://root:***@h/db"),
            ("postgres://ann:a/b?c@db/x", "postgres://ann:***@db/x"),
            ("postgres:/ann:s3cret@db/x", "postgres:/ann:***@db/x"),
            ("ann:s3cret@db", "ann:***@db"),
            ("sqlite:///tmp/x.db", "sqlite:///tmp/x.db"),
        ] {
            assert_eq!(redact(url), want, "{url}");
        }
    }

    #[test]
    fn times_round_trip_to_the_nanosecond() {
        let t: Timestamp = "2026-11-23T09:30:01.123456789Z".parse().unwrap();
        assert_eq!(timestamp("t", nanos("t", t).unwrap()).unwrap(), t);
        let far: Timestamp = "2300-01-01T00:00:00Z".parse().unwrap();
        let e = nanos("the session's end", far).unwrap_err().to_string();
        assert!(e.contains("the session's end") && e.contains("2262"), "{e}");
    }

    #[test]
    fn nul_is_refused() {
        assert!(storable("name", "a\0b").is_err());
        assert!(storable("name", "ab").is_ok());
    }
}
