//! The contract suite: what [`ServerTx`] and [`ServerStore`] promise, written once as tests
//! over `dyn ServerStore`, and stamped into each backend's tests by
//! [`server_contract_suite!`](crate::server_contract_suite):
//!
//! ```ignore
//! upward_server_store::server_contract_suite!(crate::fixture);
//! ```
//!
//! A backend gives a [`Fixture`]: a fresh, empty database, its URL (to open it again, from
//! another thread or process), and ways to tamper with it behind the store's back. An opener
//! that returns `None` skips the test (PostgreSQL without a server on a laptop; CI never
//! lets it).

use crate::{
    Account, LinkRow, MemberName, OpRow, RecordRow, SCHEMA_VERSION, ServerStore, ServerStoreExt,
    ServerTx, SessionRow, Space, SpaceHead, StoreError, TokenRow,
};
use jiff::{SignedDuration, Timestamp};
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::{Arc, Barrier, mpsc};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// A fresh, empty server database of one backend.
pub struct Fixture {
    pub store: Arc<dyn ServerStore>,
    /// The URL it was opened from: [`crate::open`] opens it again.
    pub url: String,
    /// Records `version` as the database's server schema version, behind the store's back
    /// (called with the store closed).
    pub set_version: Box<dyn Fn(i64)>,
    /// Everything the database holds, to compare before and after (with the store closed).
    pub fingerprint: Box<dyn Fn() -> Vec<u8>>,
    /// A URL of this backend whose database cannot be reached, with a password in it; `None`
    /// where there is no such thing (a file).
    pub unreachable: Option<String>,
    /// Whatever must live as long as the database (a temporary directory, a schema).
    pub keep: Box<dyn std::any::Any>,
}

/// Opens a fresh database, or `None` to skip.
pub type Open<'a> = &'a dyn Fn() -> Option<Fixture>;

/// Stamps every contract test into the calling module, for one backend; among them the
/// killed-writer test and the writer it kills (`writer_child`, ignored in a normal run).
#[macro_export]
macro_rules! server_contract_suite {
    ($open:expr) => {
        $crate::server_contract_suite!(@tests $open;
            accounts_round_trip_and_emails_are_unique_in_any_case,
            a_refused_write_leaves_the_transaction_usable,
            update_account_replaces_what_it_says,
            sessions_round_trip_and_are_replaced,
            delete_sessions_of_keeps_the_one_asked,
            expired_sessions_are_removed,
            tokens_are_listed_newest_first_touched_and_revoked_by_their_owner,
            links_are_single_use_and_expire,
            spaces_round_trip_and_are_listed_for_both,
            a_space_head_follows_the_log_and_the_members,
            one_live_space_per_pair,
            concurrent_invitations_of_one_pair_let_one_through,
            deleting_a_space_removes_its_log_and_records,
            ops_are_appended_densely_and_idempotently,
            ops_after_is_ordered_and_limited,
            an_op_is_found_by_id_and_head_is_the_last_position,
            ops_round_trip_every_field,
            append_ops_refuses_another_space_or_a_missing_one,
            records_round_trip_in_seq_order,
            settings_round_trip,
            a_read_transaction_refuses_every_write,
            an_error_or_a_panic_rolls_back_everything,
            text_with_nul_is_refused,
            concurrent_writers_get_positions_one_to_n,
            readers_see_whole_transactions_while_writers_append,
            a_read_sees_one_state_while_a_writer_commits,
            writers_of_one_space_wait_for_each_other,
            a_newer_database_is_refused_unchanged,
            opening_again_keeps_everything,
            an_unreachable_database_is_unavailable,
            ping_and_backend
        );

        #[test]
        fn a_killed_writer_leaves_all_or_nothing() {
            $crate::contract::a_killed_writer_leaves_all_or_nothing(
                &$open,
                &$crate::contract::test_name(module_path!(), "writer_child"),
            )
        }

        #[test]
        #[ignore = "the writer that a_killed_writer_leaves_all_or_nothing kills; run only as its child"]
        fn writer_child() {
            $crate::contract::writer_child()
        }
    };
    (@tests $open:expr; $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                $crate::contract::$name(&$open)
            }
        )*
    };
}

/// The name the test harness gives `function` stamped in the module `module_path` (the
/// crate's name dropped).
pub fn test_name(module_path: &str, function: &str) -> String {
    match module_path.split_once("::") {
        Some((_, module)) => format!("{module}::{function}"),
        None => function.to_string(),
    }
}

// What the tests write.

/// A time with nanoseconds, so a backend that rounds is caught.
fn t0() -> Timestamp {
    "2026-11-23T09:30:01.123456789Z".parse().expect("a time")
}

fn later(t: Timestamp, secs: i64) -> Timestamp {
    t.checked_add(SignedDuration::from_secs(secs))
        .expect("a time in range")
}

fn hash() -> [u8; 32] {
    let mut h = [0u8; 32];
    h[..16].copy_from_slice(Uuid::new_v4().as_bytes());
    h[16..].copy_from_slice(Uuid::new_v4().as_bytes());
    h
}

/// A fresh email, unique to this test run.
fn email(name: &str) -> String {
    format!("{name}.{}@example.com", Uuid::new_v4().simple())
}

fn account(email: &str) -> Account {
    Account {
        id: Uuid::new_v4(),
        email: email.to_string(),
        name: "Ann Example".into(),
        password_hash: Some("$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g".into()),
        time_zone: "Europe/Paris".into(),
        disabled: false,
        created_at: t0(),
        password_changed_at: None,
    }
}

fn space(inviter: Uuid, invitee_email: &str) -> Space {
    Space {
        id: Uuid::new_v4(),
        status: "invited".into(),
        inviter,
        inviter_role: "manager".into(),
        invitee_email: invitee_email.to_string(),
        invitee: None,
        created_at: t0(),
        changed_at: t0(),
    }
}

fn op(space: Uuid, n: u64) -> OpRow {
    OpRow {
        space,
        position: 0,
        id: Uuid::new_v4(),
        record: Uuid::new_v4(),
        record_type: "item".into(),
        action: "create".into(),
        author: Uuid::new_v4(),
        device: Uuid::new_v4(),
        clock: (1_790_000_000_000u64 << 16) + n,
        protocol: 1,
        payload: format!("{{\"n\":{n}}}").into_bytes(),
    }
}

fn record(space: Uuid, seq: i64) -> RecordRow {
    RecordRow {
        space,
        id: Uuid::new_v4(),
        record_type: "item".into(),
        seq,
        removed: false,
        state: format!("{{\"seq\":{seq}}}").into_bytes(),
    }
}

/// A fresh database with two accounts and a space between them: (fixture, inviter,
/// invitee, space).
fn with_space(open: Open) -> Option<(Fixture, Account, Account, Space)> {
    let fx = open()?;
    let a = account(&email("ann"));
    let b = account(&email("bob"));
    let s = space(a.id, &b.email);
    fx.store
        .write(|tx| {
            tx.insert_account(&a)?;
            tx.insert_account(&b)?;
            tx.insert_space(&s)
        })
        .expect("seed");
    Some((fx, a, b, s))
}

fn positions(store: &dyn ServerStore, space: Uuid) -> Vec<i64> {
    store
        .read(|tx| tx.ops_after(space, 0, usize::MAX))
        .expect("read the log")
        .iter()
        .map(|o| o.position)
        .collect()
}

/// Makes the store hold `n` connections at once, so that threads which then race really
/// run side by side instead of queueing for new connections.
fn warm(store: &dyn ServerStore, n: usize) {
    let barrier = Barrier::new(n);
    std::thread::scope(|scope| {
        for _ in 0..n {
            scope.spawn(|| {
                store
                    .read(|tx| {
                        barrier.wait();
                        tx.setting("warm")
                    })
                    .expect("read");
            });
        }
    });
}

fn conflict(r: crate::Result<impl std::fmt::Debug>, what: &str) {
    match r {
        Err(StoreError::Conflict(m)) => assert!(m.contains(what), "{m:?} should name {what:?}"),
        other => panic!("expected a conflict on {what}, got {other:?}"),
    }
}

// The tests.

pub fn accounts_round_trip_and_emails_are_unique_in_any_case(open: Open) {
    let Some(fx) = open() else { return };
    let mail = email("Ann.Case");
    let mut a = account(&mail);
    a.password_changed_at = Some(later(t0(), 7));
    fx.store.write(|tx| tx.insert_account(&a)).expect("insert");

    let got = fx.store.read(|tx| tx.account(a.id)).expect("read");
    assert_eq!(got.as_ref(), Some(&a), "every field, to the nanosecond");
    for form in [
        mail.clone(),
        mail.to_uppercase(),
        format!("  {}  ", mail.to_lowercase()),
    ] {
        let got = fx
            .store
            .read(|tx| tx.account_by_email(&form))
            .expect("read");
        assert_eq!(got.as_ref(), Some(&a), "found by {form:?}");
    }
    assert_eq!(
        fx.store
            .read(|tx| tx.account(Uuid::new_v4()))
            .expect("read"),
        None
    );
    assert_eq!(
        fx.store
            .read(|tx| tx.account_by_email(&email("nobody")))
            .expect("read"),
        None
    );

    // The same email in another case is taken, and so is the id.
    let shouted = account(&format!(" {} ", mail.to_uppercase()));
    conflict(
        fx.store.write(|tx| tx.insert_account(&shouted)),
        "the email",
    );
    let mut same_id = account(&email("other"));
    same_id.id = a.id;
    conflict(
        fx.store.write(|tx| tx.insert_account(&same_id)),
        "the account id",
    );
    assert_eq!(
        fx.store.read(|tx| tx.account(a.id)).expect("read"),
        Some(a),
        "the refused inserts changed nothing"
    );
}

pub fn a_refused_write_leaves_the_transaction_usable(open: Open) {
    let Some(fx) = open() else { return };
    let a = account(&email("ann"));
    let b = account(&email("bob"));
    fx.store.write(|tx| tx.insert_account(&a)).expect("insert");
    // Refused inside a transaction that goes on and commits: what came after is kept.
    fx.store
        .write(|tx| {
            conflict(tx.insert_account(&account(&a.email)), "the email");
            tx.insert_account(&b)?;
            tx.set_setting("after-a-conflict", "kept")
        })
        .expect("the transaction survives its refused write");
    let (got, setting) = fx
        .store
        .read(|tx| Ok((tx.account(b.id)?, tx.setting("after-a-conflict")?)))
        .expect("read");
    assert_eq!(got, Some(b));
    assert_eq!(setting.as_deref(), Some("kept"));
}

pub fn update_account_replaces_what_it_says(open: Open) {
    let Some(fx) = open() else { return };
    let a = account(&email("ann"));
    fx.store.write(|tx| tx.insert_account(&a)).expect("insert");
    let mut changed = a.clone();
    changed.name = "Ann Other".into();
    changed.password_hash = None;
    changed.time_zone = "America/New_York".into();
    changed.disabled = true;
    changed.password_changed_at = Some(later(t0(), 60));
    // Neither the email nor the creation time change.
    changed.email = email("elsewhere");
    changed.created_at = later(t0(), 3600);
    fx.store
        .write(|tx| tx.update_account(&changed))
        .expect("update");
    let got = fx
        .store
        .read(|tx| tx.account(a.id))
        .expect("read")
        .expect("stored");
    assert_eq!(
        got,
        Account {
            email: a.email.clone(),
            created_at: a.created_at,
            ..changed.clone()
        }
    );
    // An account not stored is an error.
    let ghost = account(&email("ghost"));
    assert!(fx.store.write(|tx| tx.update_account(&ghost)).is_err());
}

pub fn sessions_round_trip_and_are_replaced(open: Open) {
    let Some(fx) = open() else { return };
    let a = account(&email("ann"));
    let anonymous = SessionRow {
        hash: hash(),
        account: None,
        data: b"csrf=1\0\xff".to_vec(),
        created_at: t0(),
        expires_at: later(t0(), 14 * 86_400),
    };
    fx.store
        .write(|tx| {
            tx.insert_account(&a)?;
            tx.put_session(&anonymous)
        })
        .expect("write");
    assert_eq!(
        fx.store
            .read(|tx| tx.session(&anonymous.hash))
            .expect("read"),
        Some(anonymous.clone())
    );
    // Logging in replaces the row in place.
    let signed_in = SessionRow {
        account: Some(a.id),
        data: b"signed in".to_vec(),
        expires_at: later(t0(), 30 * 86_400),
        ..anonymous.clone()
    };
    fx.store
        .write(|tx| tx.put_session(&signed_in))
        .expect("replace");
    assert_eq!(
        fx.store
            .read(|tx| tx.session(&anonymous.hash))
            .expect("read"),
        Some(signed_in.clone())
    );
    // A session of an account not stored is refused.
    let orphan = SessionRow {
        hash: hash(),
        account: Some(Uuid::new_v4()),
        ..signed_in.clone()
    };
    assert!(fx.store.write(|tx| tx.put_session(&orphan)).is_err());
    fx.store
        .write(|tx| {
            tx.delete_session(&signed_in.hash)?;
            tx.delete_session(&hash())
        })
        .expect("delete, and deleting nothing");
    assert_eq!(
        fx.store
            .read(|tx| tx.session(&signed_in.hash))
            .expect("read"),
        None
    );
}

fn session_of(account: Option<Uuid>, expires_at: Timestamp) -> SessionRow {
    SessionRow {
        hash: hash(),
        account,
        data: Vec::new(),
        created_at: t0(),
        expires_at,
    }
}

pub fn delete_sessions_of_keeps_the_one_asked(open: Open) {
    let Some(fx) = open() else { return };
    let a = account(&email("ann"));
    let b = account(&email("bob"));
    let end = later(t0(), 86_400);
    let mine: Vec<SessionRow> = (0..3).map(|_| session_of(Some(a.id), end)).collect();
    let theirs = session_of(Some(b.id), end);
    let nobody = session_of(None, end);
    fx.store
        .write(|tx| {
            tx.insert_account(&a)?;
            tx.insert_account(&b)?;
            for s in mine.iter().chain([&theirs, &nobody]) {
                tx.put_session(s)?;
            }
            Ok(())
        })
        .expect("seed");
    let ended = fx
        .store
        .write(|tx| tx.delete_sessions_of(a.id, Some(&mine[1].hash)))
        .expect("delete");
    assert_eq!(ended, 2);
    let left = fx
        .store
        .read(|tx| {
            let mut left = Vec::new();
            for s in mine.iter().chain([&theirs, &nobody]) {
                left.push(tx.session(&s.hash)?.is_some());
            }
            Ok(left)
        })
        .expect("read");
    assert_eq!(left, [false, true, false, true, true]);
    let ended = fx
        .store
        .write(|tx| tx.delete_sessions_of(a.id, None))
        .expect("delete all");
    assert_eq!(ended, 1);
    assert_eq!(
        fx.store.read(|tx| tx.session(&mine[1].hash)).expect("read"),
        None
    );
    assert!(
        fx.store
            .read(|tx| tx.session(&theirs.hash))
            .expect("read")
            .is_some()
    );
}

pub fn expired_sessions_are_removed(open: Open) {
    let Some(fx) = open() else { return };
    let now = later(t0(), 1000);
    let gone = session_of(None, later(now, -1));
    let ending_now = session_of(None, now);
    let alive = session_of(None, later(now, 1));
    fx.store
        .write(|tx| {
            for s in [&gone, &ending_now, &alive] {
                tx.put_session(s)?;
            }
            Ok(())
        })
        .expect("seed");
    let removed = fx
        .store
        .write(|tx| tx.delete_expired_sessions(now))
        .expect("delete");
    // Other tests' sessions may share a PostgreSQL database only in their own schema, so
    // the count is exact.
    assert_eq!(removed, 1, "only the session that ended before now");
    let left = fx
        .store
        .read(|tx| {
            Ok([
                tx.session(&gone.hash)?.is_some(),
                tx.session(&ending_now.hash)?.is_some(),
                tx.session(&alive.hash)?.is_some(),
            ])
        })
        .expect("read");
    assert_eq!(left, [false, true, true]);
}

fn token(account: Uuid, name: &str, created_at: Timestamp) -> TokenRow {
    TokenRow {
        id: Uuid::new_v4(),
        hash: hash(),
        account,
        name: name.into(),
        created_at,
        last_used: None,
        device: None,
    }
}

pub fn tokens_are_listed_newest_first_touched_and_revoked_by_their_owner(open: Open) {
    let Some(fx) = open() else { return };
    let a = account(&email("ann"));
    let b = account(&email("bob"));
    let old = token(a.id, "laptop", t0());
    // A token bound to a device keeps it; one made without a device has none.
    let new = TokenRow {
        device: Some(Uuid::new_v4()),
        ..token(a.id, "desktop", later(t0(), 60))
    };
    let other = token(b.id, "theirs", t0());
    fx.store
        .write(|tx| {
            tx.insert_account(&a)?;
            tx.insert_account(&b)?;
            tx.insert_token(&old)?;
            tx.insert_token(&new)?;
            tx.insert_token(&other)
        })
        .expect("seed");
    assert_eq!(
        fx.store.read(|tx| tx.tokens_of(a.id)).expect("read"),
        vec![new.clone(), old.clone()]
    );
    assert_eq!(
        fx.store
            .read(|tx| tx.token_by_hash(&old.hash))
            .expect("read"),
        Some(old.clone())
    );
    assert_eq!(
        fx.store.read(|tx| tx.token_by_hash(&hash())).expect("read"),
        None
    );
    // The token with its account, in one query: the same rows as read apart.
    assert_eq!(
        fx.store
            .read(|tx| tx.token_with_account(&new.hash))
            .expect("read"),
        Some((new.clone(), a.clone()))
    );
    assert_eq!(
        fx.store
            .read(|tx| tx.token_with_account(&other.hash))
            .expect("read"),
        Some((other.clone(), b.clone()))
    );
    assert_eq!(
        fx.store
            .read(|tx| tx.token_with_account(&hash()))
            .expect("read"),
        None
    );
    // Taken ids and hashes are refused; so is a token of no account.
    let mut same_hash = token(a.id, "copy", t0());
    same_hash.hash = old.hash;
    conflict(fx.store.write(|tx| tx.insert_token(&same_hash)), "hash");
    let mut same_id = token(a.id, "copy", t0());
    same_id.id = old.id;
    conflict(fx.store.write(|tx| tx.insert_token(&same_id)), "token id");
    assert!(
        fx.store
            .write(|tx| tx.insert_token(&token(Uuid::new_v4(), "x", t0())))
            .is_err()
    );

    let used = later(t0(), 120);
    fx.store
        .write(|tx| {
            tx.touch_token(old.id, used)?;
            tx.touch_token(Uuid::new_v4(), used)
        })
        .expect("touch, and touching nothing");
    assert_eq!(
        fx.store
            .read(|tx| tx.token_by_hash(&old.hash))
            .expect("read")
            .and_then(|t| t.last_used),
        Some(used)
    );

    // Only its owner revokes a token.
    assert!(
        !fx.store
            .write(|tx| tx.delete_token(b.id, old.id))
            .expect("delete")
    );
    assert!(
        fx.store
            .write(|tx| tx.delete_token(a.id, old.id))
            .expect("delete")
    );
    assert!(
        !fx.store
            .write(|tx| tx.delete_token(a.id, old.id))
            .expect("delete")
    );
    assert_eq!(
        fx.store.write(|tx| tx.delete_tokens_of(a.id)).expect("all"),
        1
    );
    assert!(
        fx.store
            .read(|tx| tx.tokens_of(a.id))
            .expect("read")
            .is_empty()
    );
    assert_eq!(
        fx.store.read(|tx| tx.tokens_of(b.id)).expect("read"),
        vec![other]
    );
}

pub fn links_are_single_use_and_expire(open: Open) {
    let Some(fx) = open() else { return };
    let a = account(&email("ann"));
    let link = |expires_at| LinkRow {
        hash: hash(),
        account: a.id,
        purpose: "set-password".into(),
        created_at: t0(),
        expires_at,
    };
    let now = later(t0(), 600);
    let fresh = link(later(now, 86_400));
    let stale = link(now);
    let spare = link(later(now, 86_400));
    fx.store
        .write(|tx| {
            tx.insert_account(&a)?;
            tx.insert_link(&fresh)?;
            tx.insert_link(&stale)?;
            tx.insert_link(&spare)
        })
        .expect("seed");
    conflict(fx.store.write(|tx| tx.insert_link(&fresh)), "hash");
    let orphan = LinkRow {
        account: Uuid::new_v4(),
        hash: hash(),
        ..fresh.clone()
    };
    assert!(fx.store.write(|tx| tx.insert_link(&orphan)).is_err());

    assert_eq!(
        fx.store
            .write(|tx| tx.take_link(&fresh.hash, now))
            .expect("take"),
        Some(fresh.clone())
    );
    assert_eq!(
        fx.store
            .write(|tx| tx.take_link(&fresh.hash, now))
            .expect("take again"),
        None,
        "single use"
    );
    assert_eq!(
        fx.store
            .write(|tx| tx.take_link(&stale.hash, now))
            .expect("take"),
        None,
        "expired at its time"
    );
    assert_eq!(
        fx.store
            .write(|tx| tx.take_link(&stale.hash, t0()))
            .expect("take"),
        None,
        "an expired link is gone, even for an earlier clock"
    );
    assert_eq!(
        fx.store
            .write(|tx| tx.delete_links_of(a.id))
            .expect("delete"),
        1
    );
    assert_eq!(
        fx.store
            .write(|tx| tx.take_link(&spare.hash, now))
            .expect("take"),
        None
    );
}

pub fn spaces_round_trip_and_are_listed_for_both(open: Open) {
    let Some((fx, a, b, s)) = with_space(open) else {
        return;
    };
    let c = account(&email("cy"));
    let mut older = space(c.id, &a.email.to_uppercase());
    older.created_at = later(t0(), -60);
    older.changed_at = older.created_at;
    older.inviter_role = "report".into();
    fx.store
        .write(|tx| {
            tx.insert_account(&c)?;
            tx.insert_space(&older)
        })
        .expect("seed");
    assert_eq!(
        fx.store.read(|tx| tx.space(s.id)).expect("read"),
        Some(s.clone())
    );
    assert_eq!(
        fx.store.read(|tx| tx.space(Uuid::new_v4())).expect("read"),
        None
    );
    // The inviter by account, the invitee by email until they accept; newest first.
    let of = |who: &Account| {
        fx.store
            .read(|tx| tx.spaces_of(who.id, &who.email))
            .expect("read")
            .into_iter()
            .map(|s| s.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(of(&a), vec![s.id, older.id]);
    assert_eq!(of(&b), vec![s.id]);
    assert_eq!(of(&c), vec![older.id]);
    // Accepted: the invitee by account.
    let accepted = Space {
        status: "active".into(),
        invitee: Some(b.id),
        changed_at: later(t0(), 5),
        ..s.clone()
    };
    fx.store
        .write(|tx| tx.update_space(&accepted))
        .expect("accept");
    assert_eq!(
        fx.store.read(|tx| tx.space(s.id)).expect("read"),
        Some(accepted.clone())
    );
    assert_eq!(
        fx.store
            .read(|tx| tx.spaces_of(b.id, "changed@example.com"))
            .expect("read"),
        vec![accepted.clone()]
    );
    // Unknown words and unknown spaces are refused.
    for bad in [
        Space {
            status: "Active".into(),
            ..accepted.clone()
        },
        Space {
            inviter_role: "boss".into(),
            ..accepted.clone()
        },
        Space {
            id: Uuid::new_v4(),
            ..accepted.clone()
        },
        Space {
            invitee: Some(Uuid::new_v4()),
            ..accepted.clone()
        },
    ] {
        assert!(
            fx.store.write(|tx| tx.update_space(&bad)).is_err(),
            "{bad:?}"
        );
    }
    assert_eq!(
        fx.store.read(|tx| tx.space(s.id)).expect("read"),
        Some(accepted)
    );
}

/// The head of a space (what the server's cache keys on) is its log's last position, read
/// with the space and both members' names in one query; every append moves it.
pub fn a_space_head_follows_the_log_and_the_members(open: Open) {
    let Some((fx, a, b, s)) = with_space(open) else {
        return;
    };
    let name = |x: &Account| MemberName {
        id: x.id,
        email: x.email.clone(),
        name: x.name.clone(),
    };
    let head = |id: Uuid| fx.store.read(|tx| tx.space_head(id)).expect("read");
    // Invited: no log yet, the invitee not named.
    assert_eq!(
        head(s.id),
        Some(SpaceHead {
            space: s.clone(),
            head: 0,
            inviter: Some(name(&a)),
            invitee: None,
        })
    );
    assert_eq!(head(Uuid::new_v4()), None);
    let accepted = Space {
        status: "active".into(),
        invitee: Some(b.id),
        changed_at: later(t0(), 5),
        ..s.clone()
    };
    fx.store
        .write(|tx| tx.update_space(&accepted))
        .expect("accept");
    let other = {
        let c = account(&email("cy"));
        let o = space(c.id, &email("dee"));
        fx.store
            .write(|tx| {
                tx.insert_account(&c)?;
                tx.insert_space(&o)?;
                tx.append_ops(o.id, &[op(o.id, 1), op(o.id, 2), op(o.id, 3)])
            })
            .expect("another space's log");
        o
    };
    fx.store
        .write(|tx| tx.append_ops(s.id, &[op(s.id, 1), op(s.id, 2)]))
        .expect("append");
    let mut renamed = b.clone();
    renamed.name = "Bob Renamed".into();
    fx.store
        .write(|tx| tx.update_account(&renamed))
        .expect("rename");
    let now = SpaceHead {
        space: accepted.clone(),
        head: 2,
        inviter: Some(name(&a)),
        invitee: Some(name(&renamed)),
    };
    assert_eq!(head(s.id), Some(now.clone()));
    assert_eq!(head(other.id).map(|h| h.head), Some(3));
    // A refused or rolled-back append leaves the head where it was.
    let _ = fx.store.write(|tx| {
        tx.append_ops(s.id, &[op(s.id, 3)])?;
        Err::<(), _>(StoreError::Backend("rolled back".into()))
    });
    assert_eq!(head(s.id).map(|h| h.head), Some(2));
    fx.store
        .write(|tx| tx.append_ops(s.id, &[op(s.id, 4)]))
        .expect("append");
    assert_eq!(head(s.id).map(|h| h.head), Some(3));
    // The list: spaces_of's spaces, in its order, each with its head.
    for who in [&a, &b] {
        let listed = fx
            .store
            .read(|tx| tx.spaces_of(who.id, &who.email))
            .expect("read");
        let heads = fx
            .store
            .read(|tx| tx.space_heads_of(who.id, &who.email))
            .expect("read");
        assert_eq!(
            heads.iter().map(|h| h.space.clone()).collect::<Vec<_>>(),
            listed
        );
        assert_eq!(heads.first().map(|h| h.head), Some(3));
    }
    // Deleted: no head.
    fx.store.write(|tx| tx.delete_space(s.id)).expect("delete");
    assert_eq!(head(s.id), None);
    assert!(
        fx.store
            .read(|tx| tx.space_heads_of(a.id, &a.email))
            .expect("read")
            .is_empty()
    );
}

pub fn one_live_space_per_pair(open: Open) {
    let Some((fx, a, b, s)) = with_space(open) else {
        return;
    };
    let insert = |sp: &Space| fx.store.write(|tx| tx.insert_space(sp));
    let pair = "a space between these two people";
    // Again, by email in another case.
    conflict(insert(&space(a.id, &b.email.to_uppercase())), pair);
    // The other way round: the invitee has an account.
    conflict(insert(&space(b.id, &a.email)), pair);
    // Someone else invites either of them.
    let c = account(&email("cy"));
    fx.store.write(|tx| tx.insert_account(&c)).expect("cy");
    insert(&space(c.id, &a.email)).expect("another pair");
    insert(&space(b.id, &c.email)).expect("another pair");
    // Accepted, then closed: still one space for the pair.
    for status in ["active", "closed"] {
        let changed = Space {
            status: status.into(),
            invitee: Some(b.id),
            ..s.clone()
        };
        fx.store
            .write(|tx| tx.update_space(&changed))
            .expect("update");
        conflict(insert(&space(a.id, &b.email)), pair);
        conflict(insert(&space(b.id, &a.email)), pair);
    }
    // Declined, cancelled or expired: the pair may start again.
    for status in ["declined", "cancelled", "expired"] {
        let ended = Space {
            status: status.into(),
            ..s.clone()
        };
        fx.store.write(|tx| tx.update_space(&ended)).expect("end");
        let again = space(b.id, &a.email);
        insert(&again).expect("a new space once the old one ended");
        fx.store
            .write(|tx| {
                tx.update_space(&Space {
                    status: "cancelled".into(),
                    ..again.clone()
                })
            })
            .expect("cancel it");
    }
    // An invitee without an account yet, invited twice by the same inviter.
    let newcomer = email("new");
    insert(&space(a.id, &newcomer)).expect("first");
    conflict(insert(&space(a.id, &newcomer)), pair);
    // Once they have an account, they cannot invite the inviter either.
    let n = account(&newcomer.to_uppercase());
    fx.store
        .write(|tx| tx.insert_account(&n))
        .expect("signs up");
    conflict(insert(&space(n.id, &a.email)), pair);
    // The space id is a key too.
    let mut same_id = space(c.id, &email("dee"));
    same_id.id = s.id;
    conflict(insert(&same_id), "the space id");
}

pub fn concurrent_invitations_of_one_pair_let_one_through(open: Open) {
    let Some(fx) = open() else { return };
    const THREADS: usize = 8;
    warm(&*fx.store, THREADS);
    for _round in 0..5 {
        let a = account(&email("ann"));
        let b = account(&email("bob"));
        fx.store
            .write(|tx| {
                tx.insert_account(&a)?;
                tx.insert_account(&b)
            })
            .expect("seed");
        let barrier = Barrier::new(THREADS);
        let results: Vec<crate::Result<()>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..THREADS)
                .map(|i| {
                    let (store, barrier, a, b) = (&fx.store, &barrier, &a, &b);
                    scope.spawn(move || {
                        // Half invite one way, half the other.
                        let s = if i % 2 == 0 {
                            space(a.id, &b.email)
                        } else {
                            space(b.id, &a.email)
                        };
                        barrier.wait();
                        store.write(|tx| tx.insert_space(&s))
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("no panic"))
                .collect()
        });
        let won = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(won, 1, "{results:?}");
        for r in results.into_iter().filter(|r| r.is_err()) {
            conflict(r, "a space between these two people");
        }
        assert_eq!(
            fx.store
                .read(|tx| tx.spaces_of(a.id, &a.email))
                .expect("read")
                .len(),
            1
        );
    }
}

pub fn deleting_a_space_removes_its_log_and_records(open: Open) {
    let Some((fx, a, _, s)) = with_space(open) else {
        return;
    };
    let c = account(&email("cy"));
    let other = space(c.id, &a.email);
    fx.store
        .write(|tx| {
            tx.insert_account(&c)?;
            tx.insert_space(&other)?;
            for sp in [s.id, other.id] {
                tx.append_ops(sp, &[op(sp, 1), op(sp, 2)])?;
                tx.put_record(&record(sp, 1))?;
            }
            Ok(())
        })
        .expect("seed");
    fx.store.write(|tx| tx.delete_space(s.id)).expect("delete");
    let (gone, ops, records) = fx
        .store
        .read(|tx| {
            Ok((
                tx.space(s.id)?,
                tx.ops_after(s.id, 0, 100)?,
                tx.records(s.id)?,
            ))
        })
        .expect("read");
    assert!(gone.is_none() && ops.is_empty() && records.is_empty());
    let (kept, ops, records) = fx
        .store
        .read(|tx| {
            Ok((
                tx.space(other.id)?,
                tx.ops_after(other.id, 0, 100)?,
                tx.records(other.id)?,
            ))
        })
        .expect("read");
    assert!(kept.is_some());
    assert_eq!(
        (ops.len(), records.len()),
        (2, 1),
        "the other space is whole"
    );
    fx.store
        .write(|tx| tx.delete_space(Uuid::new_v4()))
        .expect("deleting nothing");
}

pub fn ops_are_appended_densely_and_idempotently(open: Open) {
    let Some((fx, _, _, s)) = with_space(open) else {
        return;
    };
    let ops: Vec<OpRow> = (1..=3).map(|n| op(s.id, n)).collect();
    assert_eq!(
        fx.store
            .write(|tx| tx.append_ops(s.id, &ops))
            .expect("append"),
        vec![1, 2, 3]
    );
    // Sent again (a retry): the stored positions, nothing appended.
    assert_eq!(
        fx.store
            .write(|tx| tx.append_ops(s.id, &[ops[1].clone(), ops[0].clone()]))
            .expect("again"),
        vec![2, 1]
    );
    // Old and new mixed, and a duplicate within one call.
    let fresh = op(s.id, 4);
    assert_eq!(
        fx.store
            .write(|tx| tx.append_ops(
                s.id,
                &[ops[2].clone(), fresh.clone(), fresh.clone(), op(s.id, 5)]
            ))
            .expect("mixed"),
        vec![3, 4, 4, 5]
    );
    assert_eq!(positions(&*fx.store, s.id), vec![1, 2, 3, 4, 5]);
    // Two appends in one transaction follow on.
    assert_eq!(
        fx.store
            .write(|tx| {
                let mut p = tx.append_ops(s.id, &[op(s.id, 6)])?;
                p.extend(tx.append_ops(s.id, &[op(s.id, 7)])?);
                Ok(p)
            })
            .expect("twice"),
        vec![6, 7]
    );
    assert_eq!(
        fx.store.write(|tx| tx.append_ops(s.id, &[])).expect("none"),
        Vec::<i64>::new()
    );
    // Another space's log starts at 1.
    let a2 = account(&email("x"));
    let other = space(a2.id, &email("y"));
    let p = fx
        .store
        .write(|tx| {
            tx.insert_account(&a2)?;
            tx.insert_space(&other)?;
            tx.append_ops(other.id, &[op(other.id, 1)])
        })
        .expect("other");
    assert_eq!(p, vec![1]);
}

pub fn ops_after_is_ordered_and_limited(open: Open) {
    let Some((fx, _, _, s)) = with_space(open) else {
        return;
    };
    let ops: Vec<OpRow> = (1..=10).map(|n| op(s.id, n)).collect();
    fx.store
        .write(|tx| tx.append_ops(s.id, &ops))
        .expect("append");
    let ids = |cursor, limit| {
        fx.store
            .read(|tx| tx.ops_after(s.id, cursor, limit))
            .expect("read")
            .into_iter()
            .map(|o| (o.position, o.id))
            .collect::<Vec<_>>()
    };
    let want = |from: usize, to: usize| {
        ops[from..to]
            .iter()
            .enumerate()
            .map(|(i, o)| ((from + i + 1) as i64, o.id))
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(0, 100), want(0, 10));
    assert_eq!(ids(0, 3), want(0, 3));
    assert_eq!(ids(3, 3), want(3, 6));
    assert_eq!(ids(9, 3), want(9, 10));
    assert_eq!(ids(10, 3), vec![]);
    assert_eq!(ids(0, 0), vec![]);
    assert_eq!(ids(-5, usize::MAX), want(0, 10));
}

pub fn an_op_is_found_by_id_and_head_is_the_last_position(open: Open) {
    let Some((fx, a, _, s)) = with_space(open) else {
        return;
    };
    let c = account(&email("cyd"));
    let other = space(a.id, &c.email);
    fx.store
        .write(|tx| {
            tx.insert_account(&c)?;
            tx.insert_space(&other)
        })
        .expect("another space");
    let (first, second) = (op(s.id, 1), op(s.id, 2));
    assert_eq!(fx.store.read(|tx| tx.head(s.id)).expect("head"), 0);
    fx.store
        .write(|tx| tx.append_ops(s.id, &[first.clone(), second.clone()]))
        .expect("append");
    let (found, missing, elsewhere, head, head_other) = fx
        .store
        .read(|tx| {
            Ok((
                tx.op(s.id, second.id)?,
                tx.op(s.id, Uuid::new_v4())?,
                tx.op(other.id, first.id)?,
                tx.head(s.id)?,
                tx.head(other.id)?,
            ))
        })
        .expect("read");
    assert_eq!(
        found,
        Some(OpRow {
            position: 2,
            ..second
        })
    );
    assert_eq!((missing, elsewhere), (None, None));
    assert_eq!((head, head_other), (2, 0));
}

pub fn ops_round_trip_every_field(open: Open) {
    let Some((fx, _, _, s)) = with_space(open) else {
        return;
    };
    let mut extreme = op(s.id, 0);
    extreme.clock = u64::MAX;
    extreme.protocol = i32::MAX;
    extreme.payload = vec![0, 255, 0, 1, b'{'];
    extreme.record_type = "meeting".into();
    extreme.action = "remove".into();
    let mut empty = op(s.id, 1);
    empty.clock = 0;
    empty.payload = Vec::new();
    empty.position = 999; // ignored: the log gives the position
    fx.store
        .write(|tx| tx.append_ops(s.id, &[extreme.clone(), empty.clone()]))
        .expect("append");
    let got = fx.store.read(|tx| tx.ops_after(s.id, 0, 10)).expect("read");
    assert_eq!(
        got,
        vec![
            OpRow {
                position: 1,
                ..extreme
            },
            OpRow {
                position: 2,
                ..empty
            }
        ]
    );
}

pub fn append_ops_refuses_another_space_or_a_missing_one(open: Open) {
    let Some((fx, _, _, s)) = with_space(open) else {
        return;
    };
    let stray = op(Uuid::new_v4(), 1);
    let r = fx
        .store
        .write(|tx| tx.append_ops(s.id, &[op(s.id, 1), stray.clone()]));
    assert!(r.is_err(), "{r:?}");
    let missing = Uuid::new_v4();
    let r = fx
        .store
        .write(|tx| tx.append_ops(missing, &[op(missing, 1)]));
    assert!(
        matches!(&r, Err(StoreError::Backend(m)) if m.contains("no space")),
        "{r:?}"
    );
    assert!(positions(&*fx.store, s.id).is_empty());
    assert!(positions(&*fx.store, missing).is_empty());
}

pub fn records_round_trip_in_seq_order(open: Open) {
    let Some((fx, _, _, s)) = with_space(open) else {
        return;
    };
    let third = record(s.id, 3);
    let first = record(s.id, 1);
    let mut removed = record(s.id, 2);
    removed.removed = true;
    removed.state = vec![0, 1, 2];
    fx.store
        .write(|tx| {
            for r in [&third, &first, &removed] {
                tx.put_record(r)?;
            }
            Ok(())
        })
        .expect("put");
    assert_eq!(
        fx.store.read(|tx| tx.records(s.id)).expect("read"),
        vec![first.clone(), removed.clone(), third.clone()]
    );
    let replaced = RecordRow {
        state: b"{\"title\":\"new\"}".to_vec(),
        removed: true,
        ..first.clone()
    };
    fx.store
        .write(|tx| tx.put_record(&replaced))
        .expect("replace");
    assert_eq!(
        fx.store.read(|tx| tx.record(s.id, first.id)).expect("read"),
        Some(replaced)
    );
    assert_eq!(
        fx.store
            .read(|tx| tx.record(s.id, Uuid::new_v4()))
            .expect("read"),
        None
    );
    let orphan = record(Uuid::new_v4(), 1);
    assert!(fx.store.write(|tx| tx.put_record(&orphan)).is_err());
    assert_eq!(fx.store.read(|tx| tx.records(s.id)).expect("read").len(), 3);
}

pub fn settings_round_trip(open: Open) {
    let Some(fx) = open() else { return };
    let key = format!("device-{}", Uuid::new_v4());
    assert_eq!(fx.store.read(|tx| tx.setting(&key)).expect("read"), None);
    fx.store
        .write(|tx| tx.set_setting(&key, "one"))
        .expect("set");
    fx.store
        .write(|tx| tx.set_setting(&key, "two"))
        .expect("set");
    assert_eq!(
        fx.store
            .read(|tx| tx.setting(&key))
            .expect("read")
            .as_deref(),
        Some("two")
    );
}

pub fn a_read_transaction_refuses_every_write(open: Open) {
    let Some((fx, a, b, s)) = with_space(open) else {
        return;
    };
    let now = t0();
    let h = hash();
    let sess = session_of(Some(a.id), later(now, 60));
    let tok = token(a.id, "t", now);
    let link = LinkRow {
        hash: h,
        account: a.id,
        purpose: "set-password".into(),
        created_at: now,
        expires_at: later(now, 60),
    };
    let before = fx
        .store
        .read(|tx| Ok((tx.account(a.id)?, tx.spaces_of(a.id, &a.email)?)))
        .expect("read");
    let refusals: Vec<(&str, bool)> = fx
        .store
        .read(|tx| {
            let attempts: Vec<(&str, crate::Result<()>)> = vec![
                ("insert_account", tx.insert_account(&account(&email("z")))),
                ("update_account", tx.update_account(&a)),
                ("put_session", tx.put_session(&sess)),
                ("delete_session", tx.delete_session(&h)),
                (
                    "delete_sessions_of",
                    tx.delete_sessions_of(a.id, None).map(drop),
                ),
                (
                    "delete_expired_sessions",
                    tx.delete_expired_sessions(now).map(drop),
                ),
                ("insert_token", tx.insert_token(&tok)),
                ("delete_token", tx.delete_token(a.id, tok.id).map(drop)),
                ("delete_tokens_of", tx.delete_tokens_of(a.id).map(drop)),
                ("touch_token", tx.touch_token(tok.id, now)),
                ("insert_link", tx.insert_link(&link)),
                ("take_link", tx.take_link(&h, now).map(drop)),
                ("delete_links_of", tx.delete_links_of(a.id).map(drop)),
                ("insert_space", tx.insert_space(&space(b.id, &email("q")))),
                ("update_space", tx.update_space(&s)),
                ("delete_space", tx.delete_space(s.id)),
                ("append_ops", tx.append_ops(s.id, &[op(s.id, 1)]).map(drop)),
                ("put_record", tx.put_record(&record(s.id, 1))),
                ("set_setting", tx.set_setting("k", "v")),
            ];
            // Still readable after every refusal.
            tx.account(a.id)?;
            Ok(attempts
                .into_iter()
                .map(|(name, r)| {
                    let refused =
                        matches!(&r, Err(StoreError::Backend(m)) if m.contains("read-only"));
                    (name, refused)
                })
                .collect())
        })
        .expect("the read transaction itself succeeds");
    for (name, refused) in refusals {
        assert!(refused, "{name} was not refused as read-only");
    }
    let after = fx
        .store
        .read(|tx| Ok((tx.account(a.id)?, tx.spaces_of(a.id, &a.email)?)))
        .expect("read");
    assert_eq!(before, after);
    assert!(positions(&*fx.store, s.id).is_empty());
}

pub fn an_error_or_a_panic_rolls_back_everything(open: Open) {
    let Some((fx, a, _, s)) = with_space(open) else {
        return;
    };
    let c = account(&email("cy"));
    let write_everything = |tx: &mut dyn ServerTx| -> crate::Result<()> {
        tx.insert_account(&c)?;
        tx.update_account(&Account {
            name: "Changed".into(),
            ..a.clone()
        })?;
        tx.put_session(&session_of(Some(a.id), later(t0(), 60)))?;
        tx.append_ops(s.id, &[op(s.id, 1), op(s.id, 2)])?;
        tx.put_record(&record(s.id, 1))?;
        tx.set_setting("rolled", "back")?;
        tx.update_space(&Space {
            status: "active".into(),
            ..s.clone()
        })
    };
    let r = fx.store.write(|tx| {
        write_everything(tx)?;
        Err::<(), _>(StoreError::Backend("the caller changed its mind".into()))
    });
    assert!(matches!(&r, Err(StoreError::Backend(m)) if m.contains("changed its mind")));
    let unchanged = |fx: &Fixture| {
        let (c_row, a_row, ops, records, setting, sp) = fx
            .store
            .read(|tx| {
                Ok((
                    tx.account(c.id)?,
                    tx.account(a.id)?,
                    tx.ops_after(s.id, 0, 10)?,
                    tx.records(s.id)?,
                    tx.setting("rolled")?,
                    tx.space(s.id)?,
                ))
            })
            .expect("read");
        assert!(c_row.is_none());
        assert_eq!(a_row.as_ref(), Some(&a));
        assert!(ops.is_empty() && records.is_empty() && setting.is_none());
        assert_eq!(sp.as_ref(), Some(&s));
    };
    unchanged(&fx);

    let store = fx.store.clone();
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = store.write(|tx| -> crate::Result<()> {
            write_everything(tx)?;
            panic!("a bug in the caller");
        });
    }));
    assert!(panicked.is_err());
    unchanged(&fx);
    // The store still works, the log starting at 1.
    assert_eq!(
        fx.store
            .write(|tx| tx.append_ops(s.id, &[op(s.id, 9)]))
            .expect("append"),
        vec![1]
    );
}

pub fn text_with_nul_is_refused(open: Open) {
    let Some((fx, a, _, s)) = with_space(open) else {
        return;
    };
    let nul = |f: fn(&mut Account)| {
        let mut x = account(&email("nul"));
        f(&mut x);
        x
    };
    let bad_accounts = [
        nul(|a| a.email = format!("a\0{}", a.email)),
        nul(|a| a.name = "A\0nn".into()),
        nul(|a| a.time_zone = "UTC\0".into()),
    ];
    fx.store
        .write(|tx| {
            for bad in &bad_accounts {
                let r = tx.insert_account(bad);
                assert!(
                    matches!(&r, Err(StoreError::Backend(m)) if m.contains("NUL")),
                    "{r:?}"
                );
            }
            let mut bad_op = op(s.id, 1);
            bad_op.record_type = "it\0em".into();
            assert!(tx.append_ops(s.id, &[bad_op]).is_err());
            assert!(tx.set_setting("k\0", "v").is_err());
            assert!(tx.set_setting("k", "v\0").is_err());
            // Reads of such text find nothing, and the transaction goes on.
            assert_eq!(tx.account_by_email("a\0b")?, None);
            assert_eq!(tx.setting("k\0")?, None);
            tx.set_setting("after-nul", "kept")
        })
        .expect("the transaction goes on");
    assert_eq!(
        fx.store
            .read(|tx| tx.setting("after-nul"))
            .expect("read")
            .as_deref(),
        Some("kept")
    );
    assert!(positions(&*fx.store, s.id).is_empty());
    assert!(
        fx.store
            .read(|tx| tx.account(a.id))
            .expect("read")
            .is_some()
    );
}

pub fn concurrent_writers_get_positions_one_to_n(open: Open) {
    let Some((fx, _, _, s)) = with_space(open) else {
        return;
    };
    const THREADS: usize = 8;
    const TXS: usize = 10;
    warm(&*fx.store, THREADS);
    let barrier = Barrier::new(THREADS);
    // Each thread: its transactions' positions, two operations each.
    let appended: Vec<Vec<(Uuid, i64)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let (store, barrier) = (&fx.store, &barrier);
                scope.spawn(move || {
                    barrier.wait();
                    let mut mine = Vec::new();
                    for i in 0..TXS {
                        let ops = [
                            op(s.id, (t * 100 + i * 2) as u64),
                            op(s.id, (t * 100 + i * 2 + 1) as u64),
                        ];
                        let p = store
                            .write(|tx| tx.append_ops(s.id, &ops))
                            .expect("no writer fails because another writes");
                        assert_eq!(p[1], p[0] + 1, "one transaction's operations follow on");
                        mine.extend([(ops[0].id, p[0]), (ops[1].id, p[1])]);
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("no panic"))
            .collect()
    });
    let n = (THREADS * TXS * 2) as i64;
    let stored = fx
        .store
        .read(|tx| tx.ops_after(s.id, 0, usize::MAX))
        .expect("read");
    assert_eq!(
        stored.iter().map(|o| o.position).collect::<Vec<_>>(),
        (1..=n).collect::<Vec<_>>(),
        "positions 1..N, no gap, no repeat"
    );
    for (id, p) in appended.into_iter().flatten() {
        assert_eq!(
            stored[(p - 1) as usize].id,
            id,
            "position {p} holds its operation"
        );
    }
}

pub fn readers_see_whole_transactions_while_writers_append(open: Open) {
    let Some((fx, _, _, s)) = with_space(open) else {
        return;
    };
    const WRITES: usize = 30;
    const PER_TX: usize = 3;
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        let writer = scope.spawn(|| {
            // Set however the writer ends, so that the readers end too.
            let _done = SetOnDrop(&done);
            for i in 0..WRITES {
                let ops: Vec<OpRow> = (0..PER_TX).map(|k| op(s.id, (i * 10 + k) as u64)).collect();
                fx.store
                    .write(|tx| {
                        tx.append_ops(s.id, &ops)?;
                        tx.put_record(&record(s.id, (i + 1) as i64))
                    })
                    .expect("write");
            }
        });
        let readers: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| {
                    let mut seen = BTreeSet::new();
                    loop {
                        let finished = done.load(std::sync::atomic::Ordering::SeqCst);
                        let (ops, records) = fx
                            .store
                            .read(|tx| Ok((tx.ops_after(s.id, 0, usize::MAX)?, tx.records(s.id)?)))
                            .expect("a reader never fails because of a writer");
                        let n = ops.len();
                        assert_eq!(
                            ops.iter().map(|o| o.position).collect::<Vec<_>>(),
                            (1..=n as i64).collect::<Vec<_>>(),
                            "a prefix of the log"
                        );
                        assert_eq!(n % PER_TX, 0, "whole transactions only");
                        assert_eq!(records.len(), n / PER_TX, "records with their operations");
                        seen.insert(n);
                        if finished {
                            break;
                        }
                    }
                    seen
                })
            })
            .collect();
        writer.join().expect("writer");
        for r in readers {
            let seen = r.join().expect("reader");
            assert!(seen.contains(&(WRITES * PER_TX)), "saw the end: {seen:?}");
        }
    });
}

/// Sets its flag when dropped.
struct SetOnDrop<'a>(&'a std::sync::atomic::AtomicBool);

impl Drop for SetOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

pub fn a_read_sees_one_state_while_a_writer_commits(open: Open) {
    let Some((fx, _, _, s)) = with_space(open) else {
        return;
    };
    fx.store
        .write(|tx| tx.append_ops(s.id, &[op(s.id, 1)]))
        .expect("seed");
    let (go, wait_go) = mpsc::channel::<()>();
    let (committed, wait_committed) = mpsc::channel::<crate::Result<Vec<i64>>>();
    std::thread::scope(|scope| {
        let (store, id) = (&fx.store, s.id);
        scope.spawn(move || {
            if wait_go.recv_timeout(Duration::from_secs(60)).is_err() {
                return;
            }
            let r = store.write(|tx| tx.append_ops(id, &[op(id, 2)]));
            committed.send(r).expect("send");
        });
        let (first, second) = fx
            .store
            .read(|tx| {
                let first = tx.ops_after(s.id, 0, 100)?.len();
                go.send(()).expect("send");
                // The writer is not held up by this reader.
                let r = wait_committed
                    .recv_timeout(Duration::from_secs(30))
                    .expect("the writer committed while the read was open");
                assert_eq!(r.expect("write"), vec![2]);
                let second = tx.ops_after(s.id, 0, 100)?.len();
                Ok((first, second))
            })
            .expect("read");
        assert_eq!((first, second), (1, 1), "one state for the whole read");
    });
    assert_eq!(positions(&*fx.store, s.id), vec![1, 2]);
}

pub fn writers_of_one_space_wait_for_each_other(open: Open) {
    let Some((fx, _, _, s)) = with_space(open) else {
        return;
    };
    let (holding, wait_holding) = mpsc::channel::<()>();
    let (release, wait_release) = mpsc::channel::<()>();
    let (second_done, wait_second) = mpsc::channel::<crate::Result<Vec<i64>>>();
    std::thread::scope(|scope| {
        let (store, id) = (&fx.store, s.id);
        scope.spawn(move || {
            store
                .write(|tx| {
                    let p = tx.append_ops(id, &[op(id, 1)])?;
                    holding.send(()).expect("send");
                    // Bounded, so that a failing test ends instead of hanging.
                    let _ = wait_release.recv_timeout(Duration::from_secs(60));
                    Ok(p)
                })
                .expect("first writer");
        });
        wait_holding
            .recv_timeout(Duration::from_secs(60))
            .expect("the first writer holds the space");
        scope.spawn(|| {
            let r = fx.store.write(|tx| tx.append_ops(s.id, &[op(s.id, 2)]));
            second_done.send(r).expect("send");
        });
        assert!(
            wait_second
                .recv_timeout(Duration::from_millis(500))
                .is_err(),
            "the second writer waits while the first holds the space"
        );
        release.send(()).expect("send");
        let r = wait_second
            .recv_timeout(Duration::from_secs(30))
            .expect("the second writer goes on once the first commits");
        assert_eq!(r.expect("the second writer succeeds"), vec![2]);
    });
    assert_eq!(positions(&*fx.store, s.id), vec![1, 2]);
}

pub fn a_newer_database_is_refused_unchanged(open: Open) {
    let Some((fx, a, _, s)) = with_space(open) else {
        return;
    };
    fx.store
        .write(|tx| tx.append_ops(s.id, &[op(s.id, 1)]))
        .expect("content");
    let Fixture {
        store,
        url,
        set_version,
        fingerprint,
        keep,
        ..
    } = fx;
    drop(store);
    set_version(SCHEMA_VERSION + 1);
    let before = fingerprint();
    for _ in 0..2 {
        match crate::open(&url).err() {
            Some(StoreError::TooNew { found, known }) => {
                assert_eq!((found, known), (SCHEMA_VERSION + 1, SCHEMA_VERSION));
            }
            other => panic!("a newer database must be refused, got {other:?}"),
        }
        assert!(before == fingerprint(), "the refused database is unchanged");
    }
    let e = crate::open(&url).err().expect("refused").to_string();
    assert!(
        e.contains("newer") && e.contains("nothing was changed"),
        "{e}"
    );
    // Back at this build's version, everything is there.
    set_version(SCHEMA_VERSION);
    let store = crate::open(&url).expect("open");
    assert_eq!(store.read(|tx| tx.account(a.id)).expect("read"), Some(a));
    assert_eq!(positions(&*store, s.id), vec![1]);
    drop(keep);
}

pub fn opening_again_keeps_everything(open: Open) {
    let Some((fx, a, _, s)) = with_space(open) else {
        return;
    };
    fx.store
        .write(|tx| tx.append_ops(s.id, &[op(s.id, 1)]))
        .expect("content");
    // Two more handles at once, as two servers starting together.
    let (one, two) = std::thread::scope(|scope| {
        let one = scope.spawn(|| crate::open(&fx.url).map_err(|e| e.to_string()));
        let two = scope.spawn(|| crate::open(&fx.url).map_err(|e| e.to_string()));
        (
            one.join().expect("no panic").expect("open"),
            two.join().expect("no panic").expect("open"),
        )
    });
    assert_eq!(one.read(|tx| tx.account(a.id)).expect("read"), Some(a));
    two.write(|tx| tx.append_ops(s.id, &[op(s.id, 2)]))
        .expect("write through another handle");
    assert_eq!(positions(&*fx.store, s.id), vec![1, 2]);
    assert_eq!(one.backend(), fx.store.backend());
}

pub fn an_unreachable_database_is_unavailable(open: Open) {
    let Some(fx) = open() else { return };
    let Some(url) = &fx.unreachable else { return };
    let started = Instant::now();
    let e = crate::open(url).err().expect("refused");
    assert!(matches!(e, StoreError::Unavailable(_)), "{e:?}");
    let text = e.to_string();
    assert!(text.contains("unavailable"), "{text}");
    assert!(
        !text.contains("s3cret"),
        "the password is never shown: {text}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "it gives up in time"
    );
}

pub fn ping_and_backend(open: Open) {
    let Some(fx) = open() else { return };
    fx.store.ping().expect("ping");
    assert!(["sqlite", "postgres"].contains(&fx.store.backend()));
    assert!(
        fx.url.starts_with(&format!("{}:", fx.store.backend()))
            || fx.url.starts_with("postgresql:"),
        "{}",
        fx.url
    );
}

// The killed writer.

/// The child's parameters, in its environment.
const CRASH_URL: &str = "UPWARD_SERVER_STORE_CRASH_URL";
const CRASH_SPACE: &str = "UPWARD_SERVER_STORE_CRASH_SPACE";
const CRASH_PAUSE_AT: &str = "UPWARD_SERVER_STORE_CRASH_PAUSE_AT";
/// Operations (each with its record) the child writes in its one transaction.
const CRASH_OPS: usize = 60;
/// Children killed per run.
const CRASH_ROUNDS: usize = 8;

/// The writer that [`a_killed_writer_leaves_all_or_nothing`] kills: in one write
/// transaction, appends `CRASH_OPS` operations and puts a record for each, saying each step
/// on stdout, and stops to wait at the operation `CRASH_PAUSE_AT` if it is set. Does nothing
/// outside that test.
pub fn writer_child() {
    let (Ok(url), Ok(space)) = (std::env::var(CRASH_URL), std::env::var(CRASH_SPACE)) else {
        return;
    };
    let space: Uuid = space.parse().expect("a space id");
    let pause_at: Option<usize> = std::env::var(CRASH_PAUSE_AT)
        .ok()
        .and_then(|v| v.parse().ok());
    let store = crate::open(&url).expect("open");
    let say = |line: &str| {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{line}").expect("stdout");
        out.flush().expect("stdout");
    };
    // The harness has printed `test …writer_child ... ` without a newline.
    say("");
    store
        .write(|tx| {
            say("BEGUN");
            for i in 1..=CRASH_OPS {
                tx.append_ops(space, &[op(space, i as u64)])?;
                tx.put_record(&record(space, i as i64))?;
                say(&format!("APPENDED {i}"));
                if pause_at == Some(i) {
                    say("PAUSED");
                    loop {
                        std::thread::sleep(Duration::from_secs(3600));
                    }
                }
            }
            say("COMMITTING");
            Ok(())
        })
        .expect("commit");
    say("COMMITTED");
}

/// A writer process killed with SIGKILL inside its write transaction leaves nothing of it;
/// killed as it commits, all of it or nothing (all, if its commit returned); and the space is
/// not left locked. Three rounds in four stop the child at a random operation, so the kill
/// certainly lands inside; the others kill it as soon as it says it is committing.
pub fn a_killed_writer_leaves_all_or_nothing(open: Open, child_test: &str) {
    let Some(fx) = open() else { return };
    let exe = std::env::current_exe().expect("the test binary");
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64);
    let (mut inside, mut kept, mut lost) = (0, 0, 0);
    for round in 0..CRASH_ROUNDS {
        let a = account(&email("crash"));
        let s = space(a.id, &email("other"));
        fx.store
            .write(|tx| {
                tx.insert_account(&a)?;
                tx.insert_space(&s)
            })
            .expect("seed");
        let paused = round % 4 != 3;
        let k = (seed.wrapping_mul(round as u64 + 1) >> 7) as usize % CRASH_OPS + 1;
        let mut cmd = Command::new(&exe);
        cmd.args([
            "--exact",
            child_test,
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CRASH_URL, &fx.url)
        .env(CRASH_SPACE, s.id.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
        if paused {
            cmd.env(CRASH_PAUSE_AT, k.to_string());
        }
        let mut child = cmd.spawn().expect("spawn the writer");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout"));
        let wanted = if paused { "PAUSED" } else { "COMMITTING" };
        let mut seen = Vec::new();
        loop {
            let mut line = String::new();
            let n = lines.read_line(&mut line).expect("read the writer");
            if n == 0 {
                let _ = child.kill();
                panic!("round {round}: the writer ended before {wanted:?}: {seen:?}");
            }
            let line = line.trim_end().to_string();
            let done = line == wanted;
            seen.push(line);
            if done {
                break;
            }
        }
        child.kill().expect("SIGKILL");
        child.wait().expect("reap");
        let mut rest = String::new();
        lines.read_to_string(&mut rest).expect("the rest");
        seen.extend(rest.lines().map(str::to_string));
        let committing = seen.iter().any(|l| l == "COMMITTING");
        let committed = seen.iter().any(|l| l == "COMMITTED");

        // The killed writer's locks went with it: another writer gets the space at once.
        let waited = Instant::now();
        fx.store
            .write(|tx| tx.append_ops(s.id, &[]))
            .expect("the space is free again");
        assert!(
            waited.elapsed() < Duration::from_secs(10),
            "round {round}: waited {:?} for a killed writer's locks",
            waited.elapsed()
        );
        let (ops, records) = fx
            .store
            .read(|tx| Ok((tx.ops_after(s.id, 0, usize::MAX)?, tx.records(s.id)?)))
            .expect("read");
        let n = ops.len();
        assert_eq!(
            records.len(),
            n,
            "round {round}: records go with their operations"
        );
        if !committing {
            assert_eq!(
                n, 0,
                "round {round} (op {k}): killed inside, yet {n} stayed"
            );
            inside += 1;
        } else {
            assert!(
                n == 0 || n == CRASH_OPS,
                "round {round}: {n} of {CRASH_OPS}"
            );
            if committed {
                assert_eq!(
                    n, CRASH_OPS,
                    "round {round}: a commit that returned was lost"
                );
            }
            if n == CRASH_OPS {
                assert_eq!(
                    ops.iter().map(|o| o.position).collect::<Vec<_>>(),
                    (1..=CRASH_OPS as i64).collect::<Vec<_>>()
                );
                kept += 1;
            } else {
                lost += 1;
            }
        }
        // And the log goes on from there.
        let next = fx
            .store
            .write(|tx| tx.append_ops(s.id, &[op(s.id, 0)]))
            .expect("append after the crash");
        assert_eq!(next, vec![n as i64 + 1]);
    }
    let _ = writeln!(
        std::io::stderr(),
        "{CRASH_ROUNDS} writers killed: {inside} inside their transaction, {} at their commit \
         ({kept} kept all, {lost} nothing)",
        kept + lost
    );
    assert_eq!(inside, CRASH_ROUNDS - CRASH_ROUNDS / 4);
}
