//! `upward intake TITLE`: places a new request among the open priorities, shows what would
//! slip and drafts the trade-off question; `--accept` adds it.

use crate::context::Ctx;
use crate::output::{print, print_json};
use anyhow::Result;
use upward_domain::item::validate_title;
use upward_domain::workflow::intake::IntakeInput;
use upward_domain::{parse_date, parse_duration};
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
    let title = validate_title(&title)?;
    let due = parse_date(due, clock.today)?;
    let effort = parse_duration(effort)?;
    let rank = rank
        .map(|r| {
            r.trim()
                .parse::<i64>()
                .map_err(|_| {
                    upward_domain::DomainError::invalid(
                        "rank",
                        &r,
                        "a whole number from 1 to 100000",
                    )
                })
                .and_then(upward_domain::item::validate_rank)
        })
        .transpose()?;
    let input = IntakeInput {
        title,
        from: from.to_string(),
        due,
        effort,
        rank,
    };
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
        let mut v = serde_json::to_value(&analysis)?;
        if let Some(map) = v.as_object_mut() {
            map.insert(
                "accepted".into(),
                added
                    .as_ref()
                    .map(|i| i.to_json())
                    .unwrap_or(serde_json::Value::Null),
            );
        }
        return print_json(&v);
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
