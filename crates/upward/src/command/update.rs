//! `upward update [NAME]`: a status update in the person's style; `--sent` records it.

use crate::context::Ctx;
use crate::output::{hint, print, print_json, warnings};
use anyhow::Result;
use upward_domain::workflow::update::{SectionKey, StatusUpdate, UpdateInput};
use upward_domain::{Channel, Length, Next, parse_date};
use upward_store::{StoreExt, Transaction};

pub fn run(
    ctx: &Ctx,
    name: Option<String>,
    since: Option<String>,
    channel: Option<String>,
    length: Option<String>,
    brief: bool,
    sent: bool,
) -> Result<()> {
    let clock = ctx.clock;
    let input = UpdateInput {
        brief,
        lexicon: ctx.lexicon()?,
        since: since
            .as_deref()
            .map(|s| parse_date(s, clock.today))
            .transpose()?,
        channel: channel.as_deref().map(str::parse::<Channel>).transpose()?,
        length: length.as_deref().map(str::parse::<Length>).transpose()?,
    };

    let mut store = if sent {
        ctx.store()?
    } else {
        ctx.store_read_only()?
    };
    let build = |tx: &dyn Transaction| -> Result<(StatusUpdate, String)> {
        let su = status_update(tx, name.as_deref(), &input, ctx)?;
        let text = upward_render::update::text(&su);
        Ok((su, text))
    };
    let (su, text) = if sent {
        store.write(|tx| -> Result<_> {
            let (su, text) = build(tx)?;
            upward_app::workflows::record_update_sent(tx, &su, &text, &clock)?;
            Ok((su, text))
        })?
    } else {
        store.read(build)?
    };
    if ctx.json {
        warnings(&su.warnings);
        return print_json(&upward_render::update::json(&su, &text, sent));
    }
    print(&text)?;
    warnings(&su.warnings);
    // A late commitment asks for a new date: once agreed, record it.
    let late = su
        .sections
        .iter()
        .filter(|s| s.key == SectionKey::Next)
        .flat_map(|s| &s.lines)
        .filter(|l| l.kept_always);
    for line in late {
        hint(&format!(
            "#{} is late: once you agree a new date, record it with `{}`",
            line.id,
            upward_render::next::command(&Next::edit_item(line.id, "due"))
        ));
    }
    if sent {
        hint(&format!("recorded as sent to {} today", su.person));
    } else {
        hint("add --sent once it has gone out, so the next update starts from here");
    }
    Ok(())
}

/// Builds the update for a person (my manager by default); shared with `tour`.
pub fn status_update(
    tx: &dyn Transaction,
    name: Option<&str>,
    input: &UpdateInput,
    ctx: &Ctx,
) -> Result<StatusUpdate> {
    Ok(upward_app::workflows::update(
        tx,
        name,
        input.clone(),
        &ctx.clock,
    )?)
}
