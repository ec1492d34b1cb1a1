//! `upward prep [NAME]`: the agenda for the next 1:1, ready to paste into a shared doc.

use crate::command::person_or_manager;
use crate::context::Ctx;
use crate::output::{print, print_json};
use anyhow::Result;
use upward_domain::workflow::prep::{Agenda, prep};
use upward_store::{Scope, Tx};

pub fn run(ctx: &Ctx, name: Option<String>) -> Result<()> {
    let agenda = ctx.store()?.read(|tx| agenda(tx, name.as_deref(), ctx))?;
    if ctx.json {
        return print_json(&agenda);
    }
    print(&upward_render::agenda::markdown(&agenda))
}

/// Builds the agenda for a person (my manager by default); shared with `tour` and `meet`.
pub fn agenda(tx: &Tx, name: Option<&str>, ctx: &Ctx) -> Result<Agenda> {
    let person = person_or_manager(tx, name)?;
    // Closed items matter only since the last 1:1 with them (wins not yet discussed, a
    // milestone to ask feedback on), so a database of many years loads only recent ones.
    let last = tx.last_meeting(&person.name)?;
    let scope = Scope {
        closed_since: last
            .map(|d| d.min(upward_domain::Duration::days(30).before(ctx.clock.today))),
    };
    let snap = tx.snapshot_of(scope, upward_domain::workflow::prep::KINDS)?;
    Ok(prep(&snap, &person, &ctx.clock))
}
