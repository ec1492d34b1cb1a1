//! `upward update [NAME]`: a status update in the person's style; `--sent` records it.

use crate::command::person_or_manager;
use crate::context::Ctx;
use crate::output::{hint, print, print_json};
use anyhow::Result;
use upward_domain::workflow::update::{StatusUpdate, UpdateInput, period_start, update};
use upward_domain::{Channel, Snapshot, UpdateSent, parse_date};
use upward_store::{Scope, Tx};
use uuid::Uuid;

pub fn run(
    ctx: &Ctx,
    name: Option<String>,
    since: Option<String>,
    channel: Option<String>,
    sent: bool,
) -> Result<()> {
    let clock = ctx.clock;
    let input = UpdateInput {
        since: since
            .as_deref()
            .map(|s| parse_date(s, clock.today))
            .transpose()?,
        channel: channel.as_deref().map(str::parse::<Channel>).transpose()?,
    };
    let mut store = ctx.store()?;
    let build = |tx: &Tx| -> Result<(StatusUpdate, String)> {
        let su = status_update(tx, name.as_deref(), &input, ctx)?;
        let text = upward_render::update::text(&su);
        Ok((su, text))
    };
    let (su, text) = if sent {
        store.write(|tx| -> Result<_> {
            let (su, text) = build(tx)?;
            tx.insert_update(&UpdateSent {
                id: 0,
                uuid: Uuid::new_v4(),
                person: su.person.clone(),
                date: clock.today,
                channel: su.channel,
                text: Some(text.clone()),
                created_at: clock.now,
            })?;
            Ok((su, text))
        })?
    } else {
        store.read(build)?
    };
    if ctx.json {
        return print_json(&serde_json::json!({
            "person": su.person,
            "channel": su.channel,
            "text": text,
            "since": su.since,
            "sent": sent,
        }));
    }
    print(&text)?;
    if sent {
        hint(&format!("recorded as sent to {} today", su.person));
    } else {
        hint("add --sent once it has gone out, so the next update starts from here");
    }
    Ok(())
}

/// Builds the update for a person (my manager by default); shared with `tour`.
pub fn status_update(
    tx: &Tx,
    name: Option<&str>,
    input: &UpdateInput,
    ctx: &Ctx,
) -> Result<StatusUpdate> {
    let person = person_or_manager(tx, name)?;
    // The period is decided from meetings and updates alone; then only items closed within
    // it are loaded, so a database of many years stays instant.
    let history = Snapshot {
        meetings: tx.meetings()?,
        updates: tx.updates()?,
        ..Default::default()
    };
    let (since, _) = period_start(&history, &person, input.since, ctx.clock.today);
    let snap = tx.snapshot_of(
        Scope {
            closed_since: Some(since),
        },
        upward_domain::workflow::update::KINDS,
    )?;
    Ok(update(
        &snap,
        &person,
        UpdateInput {
            since: input.since,
            channel: input.channel,
        },
        &ctx.clock,
    ))
}
