//! The login throttle: in memory, per account (the email's key) and per client address. After
//! [`FREE_FAILURES`] failures in a row, each further attempt must wait: 1 s, then twice as long
//! after each failure, at most 60 s. An attempt before its time is answered 429 with
//! `Retry-After`, and costs no password check. Never a lockout: the owner of an account under
//! attack waits at most a minute. A success resets the account's count (not the address's:
//! one good password must not buy an address more guesses at other accounts).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures allowed before the first delay.
pub const FREE_FAILURES: u32 = 3;
const FIRST_DELAY: Duration = Duration::from_secs(1);
const MAX_DELAY: Duration = Duration::from_secs(60);
/// Entries idle this long are forgotten when the table is large.
const FORGET_AFTER: Duration = Duration::from_secs(15 * 60);
/// The table's size at which idle entries are swept.
const SWEEP_AT: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Entry {
    failures: u32,
    next_allowed: Instant,
    last_failure: Instant,
}

#[derive(Debug, Default)]
pub struct Throttle {
    entries: Mutex<HashMap<String, Entry>>,
}

/// The throttle's key of an account.
pub fn account_key(email: &str) -> String {
    format!("account:{}", upward_server_store::email_key(email))
}

/// The throttle's key of a client address: an IPv6 address by its /64 (what one host is
/// usually given), an IPv4 address whole.
pub fn address_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => format!("addr:{v4}"),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => format!("addr:{v4}"),
            None => {
                let s = v6.segments();
                format!("addr:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

impl Throttle {
    /// `Err(seconds)` to wait when any key's next attempt is not due yet.
    pub fn check(&self, keys: &[&str]) -> Result<(), u64> {
        let now = Instant::now();
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let wait = keys
            .iter()
            .filter_map(|k| entries.get(*k))
            .filter(|e| e.next_allowed > now)
            .map(|e| e.next_allowed - now)
            .max();
        match wait {
            Some(w) => Err(w.as_secs() + u64::from(w.subsec_nanos() > 0)),
            None => Ok(()),
        }
    }

    /// One more failure for each key.
    pub fn failed(&self, keys: &[&str]) {
        let now = Instant::now();
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= SWEEP_AT {
            entries.retain(|_, e| now.duration_since(e.last_failure) < FORGET_AFTER);
        }
        for key in keys {
            let e = entries.entry((*key).to_string()).or_insert(Entry {
                failures: 0,
                next_allowed: now,
                last_failure: now,
            });
            e.failures = e.failures.saturating_add(1);
            e.last_failure = now;
            e.next_allowed = now + delay_after(e.failures);
        }
    }

    /// A success: the key starts over.
    pub fn reset(&self, key: &str) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.remove(key);
    }
}

/// The wait after `failures` failures in a row.
pub fn delay_after(failures: u32) -> Duration {
    if failures < FREE_FAILURES {
        return Duration::ZERO;
    }
    let doublings = (failures - FREE_FAILURES).min(16);
    (FIRST_DELAY * 2u32.pow(doublings)).min(MAX_DELAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_doubles_from_one_second_to_a_minute() {
        let d: Vec<u64> = (1..=12).map(|n| delay_after(n).as_secs()).collect();
        assert_eq!(d, [0, 0, 1, 2, 4, 8, 16, 32, 60, 60, 60, 60]);
        assert_eq!(delay_after(u32::MAX).as_secs(), 60);
    }

    #[test]
    fn a_key_waits_after_its_free_failures_and_a_reset_frees_it() {
        let t = Throttle::default();
        let k = ["account:a@x"];
        for _ in 0..FREE_FAILURES - 1 {
            t.failed(&k);
            assert_eq!(t.check(&k), Ok(()));
        }
        t.failed(&k);
        assert_eq!(t.check(&k), Err(1));
        assert_eq!(t.check(&["account:b@x"]), Ok(()));
        t.reset(k[0]);
        assert_eq!(t.check(&k), Ok(()));
    }

    #[test]
    fn addresses_are_keyed_by_host_or_v6_prefix() {
        assert_eq!(address_key("10.1.2.3".parse().unwrap()), "addr:10.1.2.3");
        assert_eq!(
            address_key("2001:db8:1:2:aaaa::1".parse().unwrap()),
            address_key("2001:db8:1:2:bbbb::9".parse().unwrap())
        );
        assert_eq!(
            address_key("::ffff:10.1.2.3".parse().unwrap()),
            "addr:10.1.2.3"
        );
    }
}
