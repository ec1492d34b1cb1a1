//! `upward edit`, `done`, `drop` and `reopen`: changing an item. Nothing is deleted: a dropped
//! item stays, marked dropped, with the reason.

use crate::cli::ItemArgs;
use crate::command::add::{describe, item_input, links};
use crate::command::parse_id;
use crate::context::Ctx;
use crate::output::{print, print_json, warnings};
use anyhow::Result;
use upward_domain::item::validate_text;
use upward_domain::{Item, Visibility, parse_date};
use upward_store::StoreExt;

pub fn edit(
    ctx: &Ctx,
    id: &str,
    title: Option<String>,
    args: ItemArgs,
    private: bool,
) -> Result<()> {
    let id = parse_id(id)?;
    let clock = ctx.clock;
    let lexicon = ctx.lexicon()?;
    let mut parsed = item_input(&args, &clock)?;
    if let Some(t) = &title {
        upward_domain::item::validate_title(t)?;
    }
    parsed.title = title;
    if private {
        parsed.visibility = Some(Visibility::Private);
    }
    let links = links(&args)?;
    let item = ctx.store()?.write(|tx| {
        let input = upward_app::items::link(tx, parsed, links)?;
        upward_app::items::edit(tx, id, input, args.with.as_deref(), &clock)
    })?;
    let tone = upward_domain::tone::item_warnings(&item, &lexicon);
    warnings(&tone);
    if ctx.json {
        return print_json(&upward_render::tone::item_json(&item, &tone));
    }
    // A moved due date is a renegotiation: say what was first committed to.
    if let (Some(_), Some(first)) = (&args.due, item.original_due) {
        return print(&format!(
            "Updated {}; first promised for {} (renegotiated {}).",
            describe(&item, &clock),
            upward_domain::words::day(first, clock.today),
            upward_domain::words::times(item.renegotiated)
        ));
    }
    report(ctx, &item, "Updated")
}

pub fn done(ctx: &Ctx, id: &str, date: Option<String>) -> Result<()> {
    let id = parse_id(id)?;
    let clock = ctx.clock;
    let date = date
        .as_deref()
        .map(|d| parse_date(d, clock.today))
        .transpose()?;
    let item = ctx
        .store()?
        .write(|tx| upward_app::items::done(tx, id, date, &clock))?;
    report(ctx, &item, "Done:")
}

pub fn drop(ctx: &Ctx, id: &str, why: Option<String>) -> Result<()> {
    let id = parse_id(id)?;
    let clock = ctx.clock;
    let why = match why {
        Some(w) => validate_text("why", &w)?,
        None => None,
    };
    let item = ctx
        .store()?
        .write(|tx| upward_app::items::drop(tx, id, why, &clock))?;
    report(ctx, &item, "Dropped (kept, marked dropped):")
}

pub fn reopen(ctx: &Ctx, id: &str) -> Result<()> {
    let id = parse_id(id)?;
    let clock = ctx.clock;
    let item = ctx
        .store()?
        .write(|tx| upward_app::items::reopen(tx, id, &clock))?;
    report(ctx, &item, "Reopened")
}

fn report(ctx: &Ctx, item: &Item, verb: &str) -> Result<()> {
    if ctx.json {
        return print_json(&item.to_json());
    }
    print(&format!("{verb} {}.", describe(item, &ctx.clock)))
}
