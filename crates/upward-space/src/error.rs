//! What can be wrong with what a member asks of a space, in one line that names what was
//! wrong and the accepted forms (a front end shows it as it is). The variants tell a server
//! which status to answer.

use upward_domain::DomainError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpaceError {
    /// The input is not valid (a 400 or 422): the message names the field and the accepted
    /// forms.
    #[error("{0}")]
    Invalid(String),
    /// A record the input refers to is not in the space (a 404, or a 400 inside a body).
    #[error("{0}")]
    NotFound(String),
    /// The member may not do this (a 403): only the author edits or removes a record.
    #[error("{0}")]
    Forbidden(String),
    /// Stored or received bytes that do not read as an operation or a record of this protocol.
    #[error("{0}")]
    Decode(String),
}

impl From<DomainError> for SpaceError {
    fn from(e: DomainError) -> Self {
        SpaceError::Invalid(e.to_string())
    }
}

pub type Result<T, E = SpaceError> = std::result::Result<T, E>;
