//! The closed vocabularies (relation, status, style values, …; docs/items.md, docs/people.md).
//! Each is spelled on the command line, in JSON and in the database exactly as those pages
//! list it.

use crate::DomainError;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// Declares a string enum whose spelling is the same in input, JSON and storage.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $what:literal, { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The accepted spellings, for error messages.
            pub fn accepted() -> String {
                [$($text),+].join(", ")
            }
        }

        impl FromStr for $name {
            type Err = DomainError;
            fn from_str(s: &str) -> Result<Self, DomainError> {
                // Stored values are spelled exactly: they need no copy to compare.
                match s {
                    $($text => return Ok($name::$variant),)+
                    _ => {}
                }
                let lower = s.trim().to_lowercase();
                match lower.as_str() {
                    $($text => Ok($name::$variant),)+
                    _ => Err(DomainError::invalid($what, s, Self::accepted())),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

vocabulary!(
    /// How a person relates to me. `self` is the one person who is me.
    Relation, "relation", {
    Manager => "manager",
    Skip => "skip",
    Peer => "peer",
    Report => "report",
    Stakeholder => "stakeholder",
    Myself => "self",
});

vocabulary!(Status, "status", { Open => "open", Done => "done", Dropped => "dropped" });
vocabulary!(Visibility, "visibility", { Private => "private", Shared => "shared" });
vocabulary!(
    /// Likelihood and severity of a risk; receptiveness to feedback.
    Level, "level", { Low => "low", Medium => "medium", High => "high" });
vocabulary!(
    /// What became of a risk (docs/items.md#risks-lifecycle): it may still happen, its
    /// mitigation is in place, it happened, or it can no longer happen.
    RiskState, "state", { Open => "open", Mitigated => "mitigated", Occurred => "occurred", Closed => "closed" });
vocabulary!(Owner, "owner", { Me => "me", Them => "them" });
vocabulary!(Direction, "direction", { Given => "given", Received => "received", Requested => "requested" });
vocabulary!(Tone, "tone", { Positive => "positive", Constructive => "constructive" });
vocabulary!(Channel, "channel", { InPerson => "in-person", Chat => "chat", Email => "email", Video => "video" });
vocabulary!(Length, "length", { Brief => "brief", Detailed => "detailed" });
vocabulary!(DecidesBy, "decides_by", { Data => "data", Intuition => "intuition", Mixed => "mixed" });

impl Relation {
    /// Relations a user may give to `person add` (`self` is set by `init`).
    pub fn accepted_for_people() -> &'static str {
        "manager, skip, peer, report, stakeholder"
    }
}

impl Level {
    /// Higher is more urgent; used to sort risks by severity.
    pub fn weight(self) -> u8 {
        match self {
            Level::Low => 1,
            Level::Medium => 2,
            Level::High => 3,
        }
    }
}

/// Parses a yes/no flag value (`--consent yes`).
pub fn parse_bool(what: &'static str, s: &str) -> Result<bool, DomainError> {
    match s.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" => Ok(true),
        "no" | "n" | "false" | "0" => Ok(false),
        _ => Err(DomainError::invalid(what, s, "yes, no")),
    }
}

vocabulary!(
    /// The twelve kinds of item (docs/items.md).
    Kind, "kind", {
    Win => "win",
    Priority => "priority",
    Expectation => "expectation",
    Risk => "risk",
    Blocker => "blocker",
    Promise => "promise",
    Action => "action",
    Feedback => "feedback",
    Goal => "goal",
    Topic => "topic",
    Note => "note",
    Idea => "idea",
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_round_trip_and_errors_name_the_accepted_forms() {
        for c in Channel::ALL {
            assert_eq!(c.as_str().parse::<Channel>().unwrap(), *c);
        }
        assert_eq!("In-Person".parse::<Channel>().unwrap(), Channel::InPerson);
        let err = "extreme".parse::<Level>().unwrap_err().to_string();
        assert_eq!(
            err,
            "level `extreme` is not valid — accepted: low, medium, high"
        );
    }
}
