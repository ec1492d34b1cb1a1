//! `upward nudges`: what needs attention now, most urgent first.

use crate::context::Ctx;
use crate::output::{print, print_json};
use anyhow::Result;
use upward_domain::Duration;
use upward_domain::workflow::nudges::{Nudge, nudges};
use upward_store::{Scope, Tx};

pub fn run(ctx: &Ctx) -> Result<()> {
    let list = ctx.store()?.read(|tx| list(tx, ctx))?;
    if ctx.json {
        return print_json(&list);
    }
    print(&upward_render::nudges::text(&list))
}

/// The nudges; shared with `tour`.
pub fn list(tx: &Tx, ctx: &Ctx) -> Result<Vec<Nudge>> {
    // The newest closed-item rule looks 14 days back (feedback after a milestone).
    let snap = tx.snapshot_of(
        Scope {
            closed_since: Some(Duration::days(30).before(ctx.clock.today)),
        },
        upward_domain::workflow::nudges::KINDS,
    )?;
    Ok(nudges(&snap, &ctx.clock))
}
