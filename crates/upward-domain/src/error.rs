//! Errors of validation and parsing, and the rules the domain refuses to break. Each message
//! names what was wrong and the accepted forms, in words, because a front end may show it as
//! it is.
//!
//! Where the way out is a step the user can take in upward (add the person, reopen the item),
//! the error carries what that step needs as data and [`DomainError::next`] names the step,
//! so that each front end can offer it its own way: the command line spells the command, a
//! web page shows a button. The messages here never spell a command.

use crate::{Kind, Next, Relation};
use jiff::civil::Date;
use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum DomainError {
    #[error("{what} `{value}` is not valid — accepted: {accepted}")]
    Invalid {
        what: &'static str,
        value: String,
        accepted: String,
    },
    #[error(
        "date `{0}` does not parse — accepted: 2026-11-22, today, tomorrow, yesterday, a weekday (fri), +3d, -2w, 2w, in 3 days, 3 days ago, next monday"
    )]
    Date(String),
    #[error(
        "duration `{0}` does not parse — accepted: a whole number with d, w or m, such as 3d, 2w, 1m"
    )]
    Duration(String),
    /// No person matches a name typed by the user; `known` are the people not removed.
    #[error("no person named {name:?} — {}", unknown_person_advice(known))]
    UnknownPerson { name: String, known: Vec<String> },
    /// A name typed by the user starts the names of several people.
    #[error("{name:?} matches several people: {} — type more of the name", matches.join(", "))]
    AmbiguousPerson { name: String, matches: Vec<String> },
    /// A new person's name is taken, in any case, by `name` (removed earlier when `archived`).
    #[error("{}", name_taken_message(name, *archived))]
    NameTaken { name: String, archived: bool },
    /// Who is me is chosen by saying who I am, not by a person's relation.
    #[error("the relation of me is fixed — saying who you are (init) chooses who is me")]
    FixedRelation,
    /// An item that is done already (on `on`).
    #[error(
        "{kind} #{id} is already done{} — reopen it to open it again",
        on.map(|d| format!(" (on {d})")).unwrap_or_default()
    )]
    AlreadyDone {
        kind: Kind,
        id: i64,
        on: Option<Date>,
    },
    /// An item that was dropped, marked done.
    #[error("{kind} #{id} was dropped — reopen it first if it was done after all")]
    DoneAfterDrop { kind: Kind, id: i64 },
    /// A win reopened: a win is done when it happens.
    #[error("a win is done when it happens — changing its date changes when")]
    WinReopened { id: i64 },
    /// An item id that is not in the workspace.
    #[error("item #{id} does not exist — check the ids in the list of items or the agenda")]
    UnknownItem { id: i64 },
    /// A file that is not an export written by upward (`problem` says why).
    #[error("{problem} — give a file written by upward's JSON export")]
    NotAnExport { problem: String },
    #[error("{0}")]
    Rule(String),
}

fn unknown_person_advice(known: &[String]) -> String {
    if known.is_empty() {
        "add one, such as your manager".to_string()
    } else {
        format!("known: {} (or add one)", known.join(", "))
    }
}

fn name_taken_message(name: &str, archived: bool) -> String {
    if archived {
        format!(
            "{name} was removed earlier and is kept with their history — bring them back instead"
        )
    } else {
        format!(
            "a person named {name} already exists — names are unique regardless of case; change \
             that person instead"
        )
    }
}

impl DomainError {
    pub fn invalid(
        what: &'static str,
        value: impl Into<String>,
        accepted: impl Into<String>,
    ) -> Self {
        DomainError::Invalid {
            what,
            value: value.into(),
            accepted: accepted.into(),
        }
    }

    /// The step that gets the user past this error, when there is one to take in upward.
    pub fn next(&self) -> Option<Next> {
        Some(match self {
            DomainError::UnknownPerson { known, .. } => Next::AddPerson {
                // With nobody recorded yet, the first person to add is my manager.
                relation: known.is_empty().then_some(Relation::Manager),
            },
            DomainError::NameTaken {
                name,
                archived: true,
            } => Next::RestorePerson {
                person: name.clone(),
            },
            DomainError::NameTaken {
                name,
                archived: false,
            } => Next::EditPerson {
                person: name.clone(),
            },
            DomainError::FixedRelation => Next::Init { manager: false },
            DomainError::AlreadyDone { id, .. } | DomainError::DoneAfterDrop { id, .. } => {
                Next::ReopenItem { id: *id }
            }
            DomainError::WinReopened { id } => Next::edit_item(*id, "date"),
            DomainError::UnknownItem { .. } => Next::ListItems { all: false },
            DomainError::NotAnExport { .. } => Next::Export,
            DomainError::Invalid { .. }
            | DomainError::Date(_)
            | DomainError::Duration(_)
            | DomainError::AmbiguousPerson { .. }
            | DomainError::Rule(_) => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_what_to_do_in_words_and_name_the_step() {
        let cases = [
            (
                DomainError::UnknownPerson {
                    name: "Zed".into(),
                    known: vec![],
                },
                "no person named \"Zed\" — add one, such as your manager",
                Some(Next::AddPerson {
                    relation: Some(Relation::Manager),
                }),
            ),
            (
                DomainError::UnknownPerson {
                    name: "Zed".into(),
                    known: vec!["Alex".into(), "Dana".into()],
                },
                "no person named \"Zed\" — known: Alex, Dana (or add one)",
                Some(Next::AddPerson { relation: None }),
            ),
            (
                DomainError::AmbiguousPerson {
                    name: "sa".into(),
                    matches: vec!["Sam".into(), "Samir".into()],
                },
                "\"sa\" matches several people: Sam, Samir — type more of the name",
                None,
            ),
            (
                DomainError::NameTaken {
                    name: "Old".into(),
                    archived: true,
                },
                "Old was removed earlier and is kept with their history — bring them back instead",
                Some(Next::RestorePerson {
                    person: "Old".into(),
                }),
            ),
            (
                DomainError::AlreadyDone {
                    kind: Kind::Risk,
                    id: 3,
                    on: Some(jiff::civil::date(2026, 11, 23)),
                },
                "risk #3 is already done (on 2026-11-23) — reopen it to open it again",
                Some(Next::ReopenItem { id: 3 }),
            ),
            (
                DomainError::WinReopened { id: 12 },
                "a win is done when it happens — changing its date changes when",
                Some(Next::edit_item(12, "date")),
            ),
            (
                DomainError::NotAnExport {
                    problem: "the file is not valid JSON".into(),
                },
                "the file is not valid JSON — give a file written by upward's JSON export",
                Some(Next::Export),
            ),
        ];
        for (e, message, next) in cases {
            assert_eq!(e.to_string(), message);
            assert!(!message.contains('`'), "{message}");
            assert_eq!(e.next(), next, "{e:?}");
        }
    }
}
