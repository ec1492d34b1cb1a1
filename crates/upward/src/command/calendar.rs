//! `upward calendar [-o FILE]`: the iCalendar feed (docs/calendar.md).

use crate::command::export::write_private;
use crate::context::Ctx;
use crate::output::{hint, print, print_json};
use anyhow::Result;
use std::path::PathBuf;
use upward_store::StoreExt;

pub fn run(ctx: &Ctx, output: Option<PathBuf>) -> Result<()> {
    let events = ctx
        .store_read_only()?
        .read(|tx| upward_app::calendar::events(tx, &ctx.clock))?;
    let text = upward_render::calendar::ics(&events, ctx.clock.now);
    if let Some(path) = &output {
        write_private(path, &text)?;
        hint(&format!(
            "wrote {} to {}",
            upward_domain::words::count(events.len() as i64, "event"),
            path.display()
        ));
    }
    if ctx.json {
        return print_json(&upward_render::calendar::json(&events));
    }
    if output.is_none() {
        return print(&text);
    }
    Ok(())
}
