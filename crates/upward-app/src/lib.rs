//! upward's application layer: the use cases every front end calls (the command line today,
//! the web app and the team server next). A use case opens nothing and prints nothing: it
//! takes a transaction of the storage contract, loads what the domain's rules need, asks them
//! to decide, and writes what they decided through the same transaction.
//!
//! Data flows one way: front end → app → domain (decide) → app → store (apply) → front end
//! (present). A front end never calls the store's methods for a rule; the store never decides.

pub mod calendar;
mod error;
pub mod importers;
pub mod items;
pub mod meetings;
pub mod people;
pub mod sync;
pub mod transfer;
pub mod workflows;

pub use error::{AppError, Result};
pub use upward_store::StoreError;
