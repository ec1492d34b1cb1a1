//! `upward review`: the packet for a performance or career conversation, as markdown, a
//! standalone printable HTML page, or JSON.

use crate::cli::ReviewFormat;
use crate::context::Ctx;
use crate::output::{print, print_json};
use anyhow::Result;
use upward_store::StoreExt;

pub fn run(
    ctx: &Ctx,
    from: Option<String>,
    to: Option<String>,
    format: Option<ReviewFormat>,
) -> Result<()> {
    let (from, to) =
        upward_domain::workflow::review::period(from.as_deref(), to.as_deref(), ctx.clock.today)?;
    let packet = ctx
        .store_read_only()?
        .read(|tx| upward_app::workflows::review(tx, from, to, &ctx.clock))?;
    match (format, ctx.json) {
        // `--json` is JSON whatever `--format` says, as for `export`: a script that asks for
        // JSON never gets markdown.
        (Some(ReviewFormat::Json), _) | (_, true) => print_json(&packet),
        (Some(ReviewFormat::Html), _) => print(&upward_render::review::html(&packet)),
        _ => print(&upward_render::review::markdown(&packet)),
    }
}
