//! The one clock of the server's civil dates: `UPWARD_NOW` fixes it (tests), else the system's,
//! read at each use. "Today" is taken in the account's time zone.
//!
//! What guards access (session expiry, link and token lifetimes, the login throttle) reads the
//! real time instead, so a fixed clock never keeps a session alive or a link valid.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use upward_domain::Clock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerClock {
    fixed: Option<Timestamp>,
}

impl ServerClock {
    pub fn system() -> ServerClock {
        ServerClock { fixed: None }
    }

    /// Always `now` (tests).
    pub fn fixed(now: Timestamp) -> ServerClock {
        ServerClock { fixed: Some(now) }
    }

    /// `UPWARD_NOW` when set (a date is noon UTC, as for every command), else the system's.
    pub fn from_env() -> Result<ServerClock, String> {
        match std::env::var("UPWARD_NOW") {
            Ok(v) if !v.trim().is_empty() => Clock::fixed(&v)
                .map(|c| ServerClock::fixed(c.now))
                .map_err(|e| e.to_string()),
            _ => Ok(ServerClock::system()),
        }
    }

    pub fn now(&self) -> Timestamp {
        self.fixed.unwrap_or_else(Timestamp::now)
    }

    /// The clock of an account: now, and today in its time zone (UTC if the name is unknown).
    pub fn clock_in(&self, time_zone: &str) -> Clock {
        let now = self.now();
        let tz = TimeZone::get(time_zone).unwrap_or(TimeZone::UTC);
        Clock::new(now, now.to_zoned_datetime(tz).date())
    }
}

/// Checks an IANA time zone name (`Europe/Madrid`, `UTC`), in one line that says the form.
pub fn check_time_zone(name: &str) -> Result<String, String> {
    let name = name.trim();
    if !name.is_empty() && TimeZone::get(name).is_ok() {
        Ok(name.to_string())
    } else {
        Err(format!(
            "`{}` is not a time zone — accepted: an IANA name such as Europe/Madrid, America/New_York or UTC",
            name.escape_debug()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_the_account_s_date() {
        let c = ServerClock::fixed("2026-11-23T23:30:00Z".parse().unwrap());
        assert_eq!(c.clock_in("UTC").today.to_string(), "2026-11-23");
        assert_eq!(c.clock_in("Europe/Madrid").today.to_string(), "2026-11-24");
        assert_eq!(
            c.clock_in("America/New_York").today.to_string(),
            "2026-11-23"
        );
        assert!(check_time_zone("Europe/Madrid").is_ok());
        assert!(check_time_zone("Mars/Olympus").is_err());
        assert!(check_time_zone("").is_err());
    }
}
