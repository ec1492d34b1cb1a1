//! `upward add KIND TITLE [flags]`: records an item, with the hints that teach the practice.

use crate::cli::ItemArgs;
use crate::context::Ctx;
use crate::output::{hint, print, print_json};
use anyhow::Result;
use upward_domain::enums::parse_bool;
use upward_domain::words::relative_due;
use upward_domain::{Clock, Item, ItemInput, Kind, Visibility, parse_date, parse_duration};
use upward_store::StoreExt;

pub fn run(ctx: &Ctx, kind: &str, title: String, args: ItemArgs) -> Result<()> {
    let kind: Kind = kind.parse()?;
    let clock = ctx.clock;
    // Everything that can be checked without the database is checked before opening it.
    let parsed = item_input(&args, &clock)?;
    parsed.check_kind(kind)?;
    upward_domain::item::validate_title(&title)?;
    let links = links(&args)?;
    // `--for` and `--answers` become UUIDs in the transaction; their kind is checked now.
    ItemInput {
        for_item: links.for_id.map(|_| uuid::Uuid::nil()),
        answers: links.answers.map(|_| uuid::Uuid::nil()),
        ..ItemInput::default()
    }
    .check_kind(kind)?;
    let added = ctx.store()?.write(|tx| {
        let input = upward_app::items::link(tx, parsed, links)?;
        upward_app::items::add(
            tx,
            kind,
            ItemInput {
                title: Some(title),
                ..input
            },
            args.with.as_deref(),
            &clock,
        )
    })?;
    let (item, hints) = (added.item, added.hints);
    for h in &hints {
        hint(&upward_render::next::with_command(&h.text, h.next.as_ref()));
    }
    if ctx.json {
        return print_json(&item.to_json());
    }
    print(&format!("Added {}.", describe(&item, &clock)))
}

/// `win #12 "Cut p99 latency" with Dana, due in 3 days`.
pub fn describe(item: &Item, clock: &Clock) -> String {
    let mut s = format!("{} #{} \u{201c}{}\u{201d}", item.kind, item.id, item.title);
    if let Some(p) = &item.person {
        s.push_str(&format!(" with {p}"));
    }
    if let Some(r) = item.rank.filter(|_| item.is_open()) {
        s.push_str(&format!(", rank {r}"));
    }
    if let (Some(d), true) = (item.due, item.is_open()) {
        s.push_str(&format!(", {}", relative_due(d, clock.today)));
    }
    if item.visibility == Visibility::Shared {
        s.push_str(" (shared)");
    }
    s
}

/// Turns the flags of `add` and `edit` into an [`ItemInput`] (the person, `--with`, is
/// resolved by the use case).
pub fn item_input(args: &ItemArgs, clock: &Clock) -> Result<ItemInput> {
    let date = |v: &Option<String>| -> Result<_> {
        Ok(match v {
            Some(s) => Some(parse_date(s, clock.today)?),
            None => None,
        })
    };
    Ok(ItemInput {
        title: None,
        body: args.body.clone(),
        person: None,
        due: date(&args.due)?,
        tags: (!args.tag.is_empty()).then(|| args.tag.clone()),
        visibility: args.shared.then_some(Visibility::Shared),
        impact: args.impact.clone(),
        metric: args.metric.clone(),
        date: date(&args.date)?,
        rank: match &args.rank {
            Some(r) => Some(r.trim().parse::<i64>().map_err(|_| {
                upward_domain::DomainError::invalid("rank", r, "a whole number from 1 to 100000")
            })?),
            None => None,
        }
        .map(upward_domain::item::validate_rank)
        .transpose()?,
        effort: args.effort.as_deref().map(parse_duration).transpose()?,
        confirmed: date(&args.confirmed)?,
        likelihood: parse_opt(&args.likelihood)?,
        severity: parse_opt(&args.severity)?,
        mitigation: args.mitigation.clone(),
        communicated: date(&args.communicated)?,
        ask: args.ask.clone(),
        data: args.data.clone(),
        escalated: date(&args.escalated)?,
        owner: parse_opt(&args.owner)?,
        direction: parse_opt(&args.direction)?,
        tone: parse_opt(&args.tone)?,
        consent: args
            .consent
            .as_deref()
            .map(|c| parse_bool("consent", c))
            .transpose()?,
        last_discussed: date(&args.last_discussed)?,
        remaining: args.remaining.as_deref().map(parse_duration).transpose()?,
        state: parse_opt(&args.state)?,
        outcome: args.outcome.clone(),
        for_item: None,
        answers: None,
    })
}

/// The ids of `--for` and `--answers`, checked before the database is opened.
pub fn links(args: &ItemArgs) -> Result<upward_app::items::Links> {
    let id = |v: &Option<String>| v.as_deref().map(crate::command::parse_id).transpose();
    Ok(upward_app::items::Links {
        for_id: id(&args.for_id)?,
        answers: id(&args.answers)?,
    })
}

/// Parses an optional vocabulary flag (`--severity high`).
fn parse_opt<T: std::str::FromStr<Err = upward_domain::DomainError>>(
    v: &Option<String>,
) -> Result<Option<T>, upward_domain::DomainError> {
    v.as_deref().map(str::parse).transpose()
}
