//! The domain of upward: people, items, meetings, updates and reflections, the parsing of the
//! dates and durations users type, and the managing-up rules (prep, update, intake, nudges,
//! review, …) as pure functions over a [`Snapshot`] and a [`Clock`].
//!
//! Nothing here touches a file, a database or the system clock, so every rule is testable
//! with plain values and the same rules can later run on a team server.

pub mod backup;
pub mod enums;
pub mod error;
pub mod export;
pub mod importers;
pub mod item;
pub mod next;
pub mod person;
pub mod ranking;
pub mod record;
pub mod snapshot;
pub mod time;
pub mod tone;
pub mod words;
pub mod workflow;

pub use enums::*;
pub use error::DomainError;
pub use item::{Item, ItemInput, ItemPatch, Kind, NewItem};
pub use next::Next;
pub use person::{PROFILE_FIELDS, Person, PersonRef, STYLE_FIELDS, email_key, validate_email};
pub use record::{
    AREAS, Decline, Effect, Meeting, Reflection, Tombstone, UpdateSent, parse_area, parse_score,
};
pub use snapshot::{Snapshot, same_name};
pub use time::{
    Clock, Duration, DurationUnit, check_date, days_between, is_working_day, parse_date,
    parse_duration, working_days_between,
};
