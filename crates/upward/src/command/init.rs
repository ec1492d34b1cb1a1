//! `upward init`: records who I am and, optionally, my manager.

use crate::context::Ctx;
use crate::output::{print, print_json};
use anyhow::Result;
use upward_render::next::quote;
use upward_store::StoreExt;

pub fn run(ctx: &Ctx, me: &str, role: Option<String>, manager: Option<String>) -> Result<()> {
    let mut store = ctx.store()?;
    let now = ctx.clock.now;
    let (me, manager) = store
        .write(|tx| upward_app::people::init(tx, me, role.as_deref(), manager.as_deref(), now))?;
    if ctx.json {
        return print_json(&upward_render::people::init_json(&me, manager.as_ref()));
    }
    let mut out = format!("You are {}.", me.name);
    if let Some(m) = &manager {
        out.push_str(&format!(
            " Your manager is {} (check-in cadence {}).\n\nNext: tell upward about them — `upward person set {} goals \"...\"`, `upward person set {} length brief` — then `upward prep`.",
            m.name,
            m.cadence.map(|c| c.to_string()).unwrap_or_else(|| "none".into()),
            quote(&m.name),
            quote(&m.name)
        ));
    }
    print(&out)
}
