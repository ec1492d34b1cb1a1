//! `upward nudges`: what needs attention now, most urgent first.

use crate::context::Ctx;
use crate::output::{print, print_json};
use anyhow::Result;
use upward_domain::workflow::nudges::Nudge;
use upward_store::{StoreExt, Transaction};

pub fn run(ctx: &Ctx, all: bool) -> Result<()> {
    let list = ctx.store_read_only()?.read(|tx| list(tx, ctx))?;
    if ctx.json {
        return print_json(&upward_render::nudges::json(&list));
    }
    print(&upward_render::nudges::text(&list, all))
}

/// The nudges; shared with `tour`.
pub fn list(tx: &dyn Transaction, ctx: &Ctx) -> Result<Vec<Nudge>> {
    Ok(upward_app::workflows::nudges(tx, &ctx.clock)?)
}
