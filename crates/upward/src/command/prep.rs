//! `upward prep [NAME]`: the agenda for the next 1:1, ready to paste into a shared doc.

use crate::context::Ctx;
use crate::output::{print, print_json};
use anyhow::Result;
use upward_domain::workflow::prep::Agenda;
use upward_store::{StoreExt, Transaction};

pub fn run(ctx: &Ctx, name: Option<String>) -> Result<()> {
    let agenda = ctx.store()?.read(|tx| agenda(tx, name.as_deref(), ctx))?;
    if ctx.json {
        return print_json(&upward_render::agenda::json(&agenda));
    }
    print(&upward_render::agenda::markdown(&agenda))
}

/// Builds the agenda for a person (my manager by default); shared with `tour` and `meet`.
pub fn agenda(tx: &dyn Transaction, name: Option<&str>, ctx: &Ctx) -> Result<Agenda> {
    Ok(upward_app::workflows::prep(tx, name, &ctx.clock)?)
}
