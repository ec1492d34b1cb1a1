//! The managing-up workflows (one page each in docs/, listed in docs/README.md): pure
//! functions of (a snapshot, a person, the clock) that return typed results. Rendering them to
//! text, markdown, HTML or JSON is `upward-render`'s job; reading and writing the database is
//! the binary's and the store's.

pub mod calendar;
pub mod decline;
#[cfg(test)]
pub(crate) mod fixture;
pub mod hints;
pub mod intake;
pub mod meet;
pub mod meeting;
pub mod nudges;
pub mod prep;
pub mod reflect;
pub mod review;
pub mod rules;
pub mod tour;
pub mod update;
