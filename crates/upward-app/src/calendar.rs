//! The calendar feed's use case (docs/calendar.md): the next 1:1s by cadence, the open
//! promises and actions with a due date, the review reminder.

use crate::Result;
use upward_domain::Clock;
use upward_domain::workflow::calendar::{self, Event};
use upward_store::{History, Scope, Transaction};

/// Every event of the feed, by date.
pub fn events(tx: &dyn Transaction, clock: &Clock) -> Result<Vec<Event>> {
    // Open promises and actions only; of meetings and updates the last day with each person
    // on a cadence (what the next 1:1s read).
    let snap = tx.snapshot_of(
        Scope {
            done_kinds: Some(&[]),
            history: History::LastDayOnACadence,
            ..Default::default()
        },
        calendar::KINDS,
    )?;
    Ok(calendar::calendar(&snap, clock))
}
