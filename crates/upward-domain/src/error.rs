//! Errors of validation and parsing. Each message names what was wrong and the accepted forms,
//! because it is printed to the user as it is.

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
    #[error("{0}")]
    Rule(String),
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
}
