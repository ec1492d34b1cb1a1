//! What a use case refuses: what the store or the domain refused, and the few refusals of the
//! application layer itself. Each names the step that gets the user past it
//! ([`AppError::next`]), as data, so that every front end can offer it its own way (the command
//! line spells the command, a web page shows a button); the messages never spell a command.

use thiserror::Error;
use upward_domain::{DomainError, Next};
use upward_store::StoreError;

#[derive(Debug, Error)]
pub enum AppError {
    /// What the store refused, or the domain (as [`StoreError::Domain`]).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No item has this id.
    #[error("no item #{id} — the list of all items shows the ids")]
    NoItem { id: i64 },
    /// A workflow for my manager (no one named), and no manager is recorded.
    #[error("no manager recorded — name a person, or say who you and your manager are")]
    NoManager,
    /// Removing me: I am renamed by saying who I am again.
    #[error("you cannot remove yourself — saying who you are again renames you")]
    RemoveMe,
    /// Sync refused or failed: the words say what and what to do (docs/sync.md).
    #[error("{0}")]
    Sync(String),
}

impl From<DomainError> for AppError {
    fn from(e: DomainError) -> AppError {
        AppError::Store(StoreError::Domain(e))
    }
}

impl AppError {
    /// The step that gets the user past this error, when there is one to take in upward.
    pub fn next(&self) -> Option<Next> {
        match self {
            AppError::Store(e) => e.next(),
            AppError::NoItem { .. } => Some(Next::ListItems { all: true }),
            AppError::NoManager => Some(Next::Init { manager: true }),
            AppError::RemoveMe => Some(Next::Init { manager: false }),
            AppError::Sync(_) => None,
        }
    }

    /// The domain's refusal inside, if it is one.
    pub fn domain(&self) -> Option<&DomainError> {
        match self {
            AppError::Store(StoreError::Domain(e)) => Some(e),
            _ => None,
        }
    }
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_refusal_names_its_step_and_says_it_in_words() {
        let cases = [
            (
                AppError::NoItem { id: 9 },
                "no item #9 — the list of all items shows the ids",
                Some(Next::ListItems { all: true }),
            ),
            (
                AppError::NoManager,
                "no manager recorded — name a person, or say who you and your manager are",
                Some(Next::Init { manager: true }),
            ),
            (
                AppError::RemoveMe,
                "you cannot remove yourself — saying who you are again renames you",
                Some(Next::Init { manager: false }),
            ),
            (
                DomainError::UnknownItem { id: 3 }.into(),
                "item #3 does not exist — check the ids in the list of items or the agenda",
                Some(Next::ListItems { all: false }),
            ),
            (
                StoreError::ReadOnly.into(),
                "a read transaction cannot write — this is a bug in upward",
                None,
            ),
        ];
        for (e, message, next) in cases {
            assert_eq!(e.to_string(), message);
            assert_eq!(e.next(), next, "{e:?}");
        }
    }
}
