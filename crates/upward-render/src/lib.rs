//! Renders the typed results of the workflows (`upward_domain::workflow`) as markdown, plain
//! text, standalone HTML and JSON. Deciding what to say is the domain's job; this crate only
//! decides how it looks.

pub mod agenda;
pub mod draft;
pub mod export;
pub mod intake;
pub mod nudges;
pub mod reflect;
pub mod review;
pub mod update;
