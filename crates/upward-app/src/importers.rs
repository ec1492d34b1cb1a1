//! The importers' use cases (docs/importers.md): what is in the workspace already, as they
//! recognise it, and adding what the user accepted. Reading the repository or the file, and
//! proposing, is the front end's and the domain's (`upward_domain::importers`).

use crate::Result;
use upward_domain::importers::{Candidate, Known};
use upward_domain::{Clock, Item, Kind};
use upward_store::{ItemFilter, Transaction};

/// What is there already among the items of `kinds` (the kinds an importer adds), in any
/// status: their UUIDs and the commits on their source lines.
pub fn known(tx: &dyn Transaction, kinds: &[Kind]) -> Result<Known> {
    let mut items = Vec::new();
    for kind in kinds {
        items.extend(tx.items(&ItemFilter {
            kind: Some(*kind),
            ..Default::default()
        })?);
    }
    Ok(Known::of(&items))
}

/// What an import added, and what it found there already (imported meanwhile).
#[derive(Debug, Clone, Default)]
pub struct Imported {
    pub added: Vec<Item>,
    pub already_imported: usize,
}

/// Adds each candidate not there already, checked again in this transaction (so two runs at
/// once add nothing twice); `kinds` are the kinds the importer adds.
pub fn add(
    tx: &dyn Transaction,
    candidates: &[Candidate],
    kinds: &[Kind],
    clock: &Clock,
) -> Result<Imported> {
    let mut known = known(tx, kinds)?;
    let mut out = Imported::default();
    for c in candidates {
        if known.has(c) {
            out.already_imported += 1;
            continue;
        }
        let item = tx.insert_item(&c.item(clock)?)?;
        known.uuids.insert(item.uuid);
        known.commits.extend(c.commits.iter().cloned());
        out.added.push(item);
    }
    Ok(out)
}
