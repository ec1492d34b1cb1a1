//! `upward edit`, `done`, `drop` and `reopen`: changing an item. Nothing is deleted: a dropped
//! item stays, marked dropped, with the reason.

use crate::cli::ItemArgs;
use crate::command::add::{describe, item_input, resolve_person};
use crate::command::parse_id;
use crate::context::Ctx;
use crate::output::{print, print_json};
use anyhow::{Result, bail};
use upward_domain::item::validate_text;
use upward_domain::{Item, ItemInput, Kind, Status, Visibility, parse_date};
use upward_store::Tx;

pub fn edit(
    ctx: &Ctx,
    id: &str,
    title: Option<String>,
    args: ItemArgs,
    private: bool,
) -> Result<()> {
    let id = parse_id(id)?;
    let clock = ctx.clock;
    let mut parsed = item_input(&args, &clock)?;
    if let Some(t) = &title {
        upward_domain::item::validate_title(t)?;
    }
    parsed.title = title;
    if private {
        parsed.visibility = Some(Visibility::Private);
    }
    let item = ctx.store()?.write(|tx| -> Result<_> {
        let mut item = tx.item(id)?;
        let input = resolve_person(parsed, tx)?;
        if input == ItemInput::default() {
            bail!("nothing to change — give what to set, such as --title, --due, --body, --tag or a field of a {}", item.kind);
        }
        let rank = input.rank;
        item.apply(input, &clock)?;
        tx.update_item(&item)?;
        if let (Some(rank), true) = (rank, item.is_open()) {
            tx.place_priority(item.id, rank, &clock)?;
        }
        Ok(tx.item(id)?)
    })?;
    report(ctx, &item, "Updated")
}

pub fn done(ctx: &Ctx, id: &str, date: Option<String>) -> Result<()> {
    let id = parse_id(id)?;
    let clock = ctx.clock;
    let date = date
        .as_deref()
        .map(|d| parse_date(d, clock.today))
        .transpose()?;
    let item = ctx.store()?.write(|tx| -> Result<_> {
        let mut item = tx.item(id)?;
        match item.status {
            Status::Done => bail!(
                "{} #{} is already done{} — `upward reopen {}` opens it again",
                item.kind,
                item.id,
                item.done.map(|d| format!(" (on {d})")).unwrap_or_default(),
                item.id
            ),
            Status::Dropped => bail!(
                "{} #{} was dropped — `upward reopen {}` first if it was done after all",
                item.kind,
                item.id,
                item.id
            ),
            Status::Open => {}
        }
        item.status = Status::Done;
        item.done = Some(date.unwrap_or(clock.today));
        item.updated_at = clock.now;
        finish(tx, &item, &clock)
    })?;
    report(ctx, &item, "Done:")
}

pub fn drop(ctx: &Ctx, id: &str, why: Option<String>) -> Result<()> {
    let id = parse_id(id)?;
    let clock = ctx.clock;
    let why = match why {
        Some(w) => validate_text("why", &w)?,
        None => None,
    };
    let item = ctx.store()?.write(|tx| -> Result<_> {
        let mut item = tx.item(id)?;
        if item.status == Status::Dropped {
            bail!("{} #{} is already dropped", item.kind, item.id);
        }
        item.status = Status::Dropped;
        item.why = why;
        item.updated_at = clock.now;
        finish(tx, &item, &clock)
    })?;
    report(ctx, &item, "Dropped (kept, marked dropped):")
}

pub fn reopen(ctx: &Ctx, id: &str) -> Result<()> {
    let id = parse_id(id)?;
    let clock = ctx.clock;
    let item = ctx.store()?.write(|tx| -> Result<_> {
        let mut item = tx.item(id)?;
        if item.status == Status::Open {
            bail!("{} #{} is already open", item.kind, item.id);
        }
        if item.kind == Kind::Win {
            bail!(
                "a win is done when it happens — `upward edit {} --date DATE` changes when",
                item.id
            );
        }
        item.status = Status::Open;
        item.done = None;
        item.why = None;
        item.updated_at = clock.now;
        tx.update_item(&item)?;
        if item.kind == Kind::Priority {
            let rank = tx.next_rank()?;
            tx.place_priority(item.id, rank, &clock)?;
        }
        Ok(tx.item(id)?)
    })?;
    report(ctx, &item, "Reopened")
}

/// Writes a closed item; a closed priority leaves the ranking, so the others close the gap.
fn finish(tx: &Tx, item: &Item, clock: &upward_domain::Clock) -> Result<Item> {
    tx.update_item(item)?;
    if item.kind == Kind::Priority {
        tx.compact_ranks(clock)?;
    }
    Ok(tx.item(item.id)?)
}

fn report(ctx: &Ctx, item: &Item, verb: &str) -> Result<()> {
    if ctx.json {
        return print_json(&item.to_json());
    }
    print(&format!("{verb} {}.", describe(item, &ctx.clock)))
}
