//! Export and import of a whole workspace as the versioned JSON document of
//! `upward_domain::export`. Import applies the domain's merge plan (docs/merge.md).

use crate::Result;
use jiff::Timestamp;
use serde::Serialize;
use upward_domain::export::{Export, FORMAT, VERSION};
use upward_domain::{DomainError, Kind};
use upward_store::{Scope, Transaction};

/// What an import did, for the user.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ImportReport {
    pub people_added: usize,
    pub people_updated: usize,
    pub items_added: usize,
    pub items_updated: usize,
    pub items_unchanged: usize,
    pub meetings_added: usize,
    pub updates_added: usize,
    pub reflections_added: usize,
    pub declines_added: usize,
    /// Meetings undone on the other side, removed here too.
    pub meetings_removed: usize,
    /// Open priorities given a new rank so that ranks run 1..n again.
    pub priorities_reranked: usize,
}

impl ImportReport {
    /// The report in one sentence, as `upward import` prints it.
    pub fn summary(&self) -> String {
        format!(
            "Imported {} people ({} updated), {} items ({} updated, {} unchanged), {} meetings, {} updates, {} reflections.",
            self.people_added,
            self.people_updated,
            self.items_added,
            self.items_updated,
            self.items_unchanged,
            self.meetings_added,
            self.updates_added,
            self.reflections_added
        )
    }
}

/// Everything the workspace holds, as the export document.
pub fn export(tx: &dyn Transaction, now: Timestamp) -> Result<Export> {
    let snap = tx.snapshot_of(Scope::default(), Kind::ALL)?;
    Ok(Export {
        format: FORMAT.to_string(),
        version: VERSION,
        exported: now,
        people: snap.people,
        items: snap.items,
        meetings: snap.meetings,
        updates: snap.updates,
        reflections: snap.reflections,
        effects: tx.effects(None)?,
        declines: tx.declines()?,
        removed: tx.tombstones()?,
    })
}

/// Imports a validated export. Without `merge` the workspace must be empty. A merge that
/// brings priorities in and leaves the open ones with repeated or missing ranks (each side
/// added its own) renumbers them 1..n in rank order, the lower id first on a tie
/// (docs/merge.md).
pub fn import(
    tx: &dyn Transaction,
    doc: &Export,
    merge: bool,
    clock: &upward_domain::Clock,
) -> Result<ImportReport> {
    doc.validate()?;
    if !merge && !tx.is_empty()? {
        return Err(DomainError::Rule(
            "the database is not empty — import into a new --db, or add --merge to merge by uuid"
                .into(),
        )
        .into());
    }
    let local = tx.snapshot_of(Scope::default(), Kind::ALL)?;
    let mut plan = doc.merge_plan(&local);
    doc.merge_removals(&mut plan, &local, &tx.tombstones()?, &tx.declines()?);
    for t in &plan.removed {
        tx.remove_meeting(t)?;
    }
    for p in &plan.people {
        tx.insert_person(p)?;
    }
    for p in &plan.people_updated {
        tx.update_person(p)?;
    }
    for m in &plan.meetings {
        tx.insert_meeting(m)?;
    }
    for item in &plan.items_added {
        tx.insert_item(item)?;
    }
    for item in &plan.items_updated {
        tx.update_item(item)?;
    }
    for m in &plan.links {
        tx.update_meeting(m)?;
    }
    for u in &plan.updates {
        tx.insert_update(u)?;
    }
    for r in &plan.reflections {
        tx.insert_reflection(r)?;
    }
    tx.insert_effects(&plan.effects)?;
    for d in &plan.declines {
        tx.insert_decline(d)?;
    }
    let mut reranked = 0;
    // Only when the merge brought priorities in: merging a file that changes nothing changes
    // nothing.
    let brought_priorities = plan
        .items_added
        .iter()
        .chain(&plan.items_updated)
        .any(|i| i.kind == Kind::Priority);
    if merge && brought_priorities {
        let open = tx.items(&upward_store::ItemFilter {
            kind: Some(Kind::Priority),
            status: Some(upward_domain::Status::Open),
            ..Default::default()
        })?;
        for mut p in upward_domain::ranking::compact(&open, clock.today) {
            p.updated_at = clock.now;
            tx.update_item(&p)?;
            reranked += 1;
        }
    }
    Ok(ImportReport {
        people_added: plan.people.len(),
        people_updated: plan.people_updated.len(),
        items_added: plan.items_added.len(),
        items_updated: plan.items_updated.len(),
        items_unchanged: plan.items_unchanged,
        meetings_added: plan.meetings.len(),
        updates_added: plan.updates.len(),
        reflections_added: plan.reflections.len(),
        declines_added: plan.declines.len(),
        meetings_removed: plan.removed.len(),
        priorities_reranked: reranked,
    })
}
