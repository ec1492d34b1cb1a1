//! `upward prep [NAME] [--shared] [--all]`: the agenda for the next 1:1; with `--shared`, the
//! one to paste into a doc shared with them.

use crate::context::Ctx;
use crate::output::{hint, print, print_json};
use anyhow::Result;
use upward_domain::workflow::prep::{Agenda, Audience};
use upward_render::next::command;
use upward_store::{StoreExt, Transaction};

pub fn run(ctx: &Ctx, name: Option<String>, shared: bool, all: bool) -> Result<()> {
    let audience = if shared {
        Audience::Shared
    } else {
        Audience::Private
    };
    let agenda = ctx
        .store_read_only()?
        .read(|tx| agenda_for(tx, name.as_deref(), audience, ctx))?;
    if ctx.json {
        return print_json(&upward_render::agenda::json(&agenda));
    }
    // The shared agenda names no command; how to see what it left out goes to stderr.
    if let (true, (_, Some(left_out))) = (shared, agenda.as_read(all)) {
        let items = if left_out.count == 1 { "item" } else { "items" };
        hint(&format!(
            "{} more {items} left out of this brief agenda; every one: `{}`",
            left_out.count,
            command(&left_out.next)
        ));
    }
    print(&upward_render::agenda::page(&agenda, all))
}

/// Builds the agenda for a person (my manager by default); shared with `tour` and `meet`.
pub fn agenda(tx: &dyn Transaction, name: Option<&str>, ctx: &Ctx) -> Result<Agenda> {
    agenda_for(tx, name, Audience::Private, ctx)
}

fn agenda_for(
    tx: &dyn Transaction,
    name: Option<&str>,
    audience: Audience,
    ctx: &Ctx,
) -> Result<Agenda> {
    Ok(upward_app::workflows::agenda(
        tx, name, audience, &ctx.clock,
    )?)
}
