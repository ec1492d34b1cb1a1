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
    // With --edit, the body as it is now goes into the editor (no transaction is held while
    // it is open); it is written only if nobody changed it meanwhile.
    let mut before: Option<Option<String>> = None;
    if args.edit {
        let item = ctx
            .store_read_only()?
            .read(|tx| upward_app::items::get(tx, id))?;
        // A field of another kind is refused before the text is written, not after.
        parsed.check_kind(item.kind)?;
        let current = item.body;
        let nothing = format!("nothing was changed on #{id}");
        match crate::editor::edit(current.as_deref().unwrap_or(""), &nothing)? {
            crate::editor::Written::Body(body) => parsed.body = Some(body),
            crate::editor::Written::Unchanged => {
                let other = parsed != upward_domain::ItemInput::default()
                    || args.with.is_some()
                    || links.for_id.is_some()
                    || links.answers.is_some();
                if !other {
                    if ctx.json {
                        let item = ctx
                            .store_read_only()?
                            .read(|tx| upward_app::items::get(tx, id))?;
                        return print_json(&item.to_json());
                    }
                    return print(&format!(
                        "The body of #{id} is unchanged — nothing was written."
                    ));
                }
            }
        }
        before = Some(current);
    }
    let item = ctx.store()?.write(|tx| -> Result<Item> {
        if let (Some(before), Some(body)) = (&before, &parsed.body)
            && upward_app::items::get(tx, id)?.body != *before
        {
            let kept = keep(id, body)?;
            anyhow::bail!(
                "the body of #{id} changed while the editor was open — nothing was written; \
                 your text is in {} (upward show {id} shows the body now)",
                kept.display()
            );
        }
        let input = upward_app::items::link(tx, parsed, links)?;
        Ok(upward_app::items::edit(
            tx,
            id,
            input,
            args.with.as_deref(),
            &clock,
        )?)
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

/// Keeps a body written in the editor that could not be saved, in a private file, and says
/// where.
fn keep(id: i64, body: &str) -> Result<std::path::PathBuf> {
    let path = std::env::temp_dir().join(format!("upward-body-{id}-{}.md", uuid::Uuid::new_v4()));
    crate::command::export::write_private(&path, body)?;
    Ok(path)
}

fn report(ctx: &Ctx, item: &Item, verb: &str) -> Result<()> {
    if ctx.json {
        return print_json(&item.to_json());
    }
    print(&format!("{verb} {}.", describe(item, &ctx.clock)))
}
