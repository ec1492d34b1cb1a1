//! `upward intake TITLE`: places a new request among the open priorities, shows what would
//! slip and drafts the trade-off question; `--accept` adds it.

use crate::context::Ctx;
use crate::output::{print, print_json};
use anyhow::Result;
use upward_domain::workflow::intake::IntakeInput;
use upward_store::StoreExt;

pub fn run(
    ctx: &Ctx,
    title: String,
    from: &str,
    due: &str,
    effort: &str,
    accept: bool,
    rank: Option<String>,
) -> Result<()> {
    let clock = ctx.clock;
    let input = IntakeInput::parse(&title, from, due, effort, rank.as_deref(), clock.today)?;
    let run = |tx: &dyn upward_store::Transaction| {
        upward_app::workflows::intake(tx, from, input.clone(), accept, &clock)
    };
    let mut store = if accept {
        ctx.store()?
    } else {
        ctx.store_read_only()?
    };
    let (analysis, added) = if accept {
        store.write(run)?
    } else {
        store.read(run)?
    };
    if analysis.requester_note.is_some() {
        let then = if accept {
            "it is on your list now, but not agreed until they say so"
        } else {
            "once agreed, run intake again with --accept"
        };
        crate::output::hint(&format!(
            "the draft is to {}, who decides what moves in your priorities: send it, and the \
             reply to {} meanwhile; {then}",
            analysis.message_to, analysis.from
        ));
    }
    if ctx.json {
        return print_json(&upward_render::intake::json(&analysis, added.as_ref()));
    }
    let mut out = upward_render::intake::text(&analysis);
    if let Some(item) = added {
        out.push_str(&format!(
            "\nAdded priority #{} at rank {}.\n",
            item.id,
            item.rank.unwrap_or_default()
        ));
    }
    print(&out)
}
