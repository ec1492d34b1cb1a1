//! Renders the typed results of the workflows (`upward_domain::workflow`) as markdown, plain
//! text, standalone HTML and JSON. Deciding what to say is the domain's job; this crate only
//! decides how it looks.
//!
//! These are the command line's texts: where a result suggests a next step, they show the
//! command that takes it ([`next`]). The command line's JSON (`agenda::json`, `nudges::json`,
//! `reflect::json`) keeps the shape scripts rely on: the texts as printed, with the command.
//! The steps as data are in the results themselves, for front ends that make buttons of them.

pub mod agenda;
pub mod calendar;
pub mod draft;
pub mod export;
pub mod importers;
pub mod intake;
pub mod next;
pub mod nudges;
pub mod people;
pub mod reflect;
pub mod review;
pub mod tone;
pub mod update;
