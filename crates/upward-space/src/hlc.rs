//! The hybrid logical clock (docs/space.md#clocks): 48 bits of Unix milliseconds, then a
//! 16-bit counter, in one `u64`. It stays close to wall time, yet every operation a device
//! makes is later than every operation it made or saw before, whatever its wall clock says.
//!
//! The caller reads the system clock (never `UPWARD_NOW`: that fixes civil dates for tests,
//! not the order of writes) and keeps the last clock it gave out or saw.

use serde::{Deserialize, Serialize};

/// A hybrid logical clock value. Compared as a number, which is the same order as its
/// big-endian bytes ([`Hlc::to_be_bytes`]).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Hlc(pub u64);

impl Hlc {
    /// The largest millisecond the 48 bits hold (in the year 10889).
    pub const MAX_MS: u64 = (1 << 48) - 1;
    /// The clock before any operation.
    pub const ZERO: Hlc = Hlc(0);

    /// The clock of `ms` (cut to [`Hlc::MAX_MS`]) and `counter`.
    pub fn new(ms: u64, counter: u16) -> Hlc {
        Hlc(ms.min(Self::MAX_MS) << 16 | u64::from(counter))
    }

    /// Unix milliseconds.
    pub fn ms(self) -> u64 {
        self.0 >> 16
    }

    /// The counter that orders clocks of the same millisecond.
    pub fn counter(self) -> u16 {
        (self.0 & 0xffff) as u16
    }

    pub fn to_be_bytes(self) -> [u8; 8] {
        self.0.to_be_bytes()
    }

    pub fn from_be_bytes(bytes: [u8; 8]) -> Hlc {
        Hlc(u64::from_be_bytes(bytes))
    }

    /// The clock of a new local operation: wall time when it is ahead of `last`, else `last`
    /// plus one (a counter that overflows carries into the millisecond, so the clock runs a
    /// little ahead of a wall clock that went back, and catches up when it passes). Strictly
    /// greater than `last`, except at the very last value, which it keeps (unreachable before
    /// the year 10889).
    pub fn tick(last: Hlc, wall_ms: u64) -> Hlc {
        let wall = wall_ms.min(Self::MAX_MS);
        if wall > last.ms() {
            Hlc::new(wall, 0)
        } else {
            Hlc(last.0.saturating_add(1))
        }
    }

    /// The clock after receiving `remote` (an operation made elsewhere): later than both
    /// `last` and `remote`, and than wall time. Ticking from it keeps every later local
    /// operation after every operation seen.
    pub fn observe(last: Hlc, remote: Hlc, wall_ms: u64) -> Hlc {
        Hlc::tick(last.max(remote), wall_ms)
    }

    /// The instant of its milliseconds.
    pub fn timestamp(self) -> jiff::Timestamp {
        i64::try_from(self.ms())
            .ok()
            .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
    }
}

impl std::fmt::Display for Hlc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.ms(), self.counter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: u64 = 1_795_000_000_000; // November 2026

    #[test]
    fn fields_pack_and_unpack() {
        let c = Hlc::new(T, 7);
        assert_eq!((c.ms(), c.counter()), (T, 7));
        assert_eq!(Hlc::from_be_bytes(c.to_be_bytes()), c);
        assert_eq!(Hlc::new(u64::MAX, 1).ms(), Hlc::MAX_MS, "cut to 48 bits");
        assert_eq!(c.timestamp().as_millisecond(), T as i64);
    }

    #[test]
    fn tick_takes_wall_time_when_it_is_ahead() {
        assert_eq!(Hlc::tick(Hlc::ZERO, T), Hlc::new(T, 0));
        assert_eq!(Hlc::tick(Hlc::new(T, 5), T + 1), Hlc::new(T + 1, 0));
    }

    #[test]
    fn tick_counts_within_a_millisecond_and_when_the_wall_clock_goes_back() {
        assert_eq!(Hlc::tick(Hlc::new(T, 0), T), Hlc::new(T, 1));
        assert_eq!(Hlc::tick(Hlc::new(T, 3), T - 60_000), Hlc::new(T, 4));
    }

    #[test]
    fn counter_overflow_advances_the_millisecond() {
        let full = Hlc::new(T, u16::MAX);
        let next = Hlc::tick(full, T);
        assert!(next > full);
        assert_eq!((next.ms(), next.counter()), (T + 1, 0));
    }

    #[test]
    fn the_last_value_is_kept_rather_than_wrapping() {
        let last = Hlc(u64::MAX);
        assert_eq!(Hlc::tick(last, T), last);
    }

    #[test]
    fn observe_is_after_both_clocks_and_wall_time() {
        let local = Hlc::new(T, 2);
        let ahead = Hlc::new(T + 5_000, 9);
        assert_eq!(Hlc::observe(local, ahead, T), Hlc::new(T + 5_000, 10));
        assert_eq!(Hlc::observe(ahead, local, T), Hlc::new(T + 5_000, 10));
        assert_eq!(
            Hlc::observe(local, ahead, T + 6_000),
            Hlc::new(T + 6_000, 0)
        );
        let c = Hlc::observe(local, Hlc::new(T, 2), T);
        assert_eq!(c, Hlc::new(T, 3), "the same clock seen: still later");
    }

    #[test]
    fn numeric_order_is_the_order_of_the_big_endian_bytes() {
        let pairs = [
            (Hlc::new(T, 1), Hlc::new(T, 256)),
            (Hlc::new(T, u16::MAX), Hlc::new(T + 1, 0)),
            (Hlc::ZERO, Hlc::new(1, 0)),
        ];
        for (a, b) in pairs {
            assert!(a < b);
            assert!(a.to_be_bytes() < b.to_be_bytes());
        }
    }
}
