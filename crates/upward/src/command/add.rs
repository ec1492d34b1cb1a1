//! `upward add KIND TITLE [flags]`: records an item, with the hints that teach the practice.

use crate::cli::ItemArgs;
use crate::context::Ctx;
use crate::output::{hint, print, print_json, warnings};
use anyhow::Result;
use upward_domain::words::relative_due;
use upward_domain::{Clock, Item, ItemInput, Kind, Visibility};
use upward_store::StoreExt;

pub fn run(ctx: &Ctx, kind: &str, title: String, args: ItemArgs) -> Result<()> {
    let kind: Kind = kind.parse()?;
    let clock = ctx.clock;
    let lexicon = ctx.lexicon()?;
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
    // The body from the editor last: everything else is known to be right by then.
    let mut parsed = parsed;
    if args.edit {
        // What only the workspace can tell (the person, the linked items) before the editor
        // opens too, so a typo does not cost the text.
        ctx.store_read_only()?.read(|tx| -> Result<()> {
            if let Some(name) = args.with.as_deref() {
                upward_app::people::resolve(tx, name)?;
            }
            upward_app::items::link(tx, parsed.clone(), links)?;
            Ok(())
        })?;
        match crate::editor::edit("", "nothing was added")? {
            crate::editor::Written::Body(body) => parsed.body = Some(body),
            crate::editor::Written::Unchanged => {
                unreachable!("an empty body is refused before it compares")
            }
        }
    }
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
    let tone = upward_domain::tone::item_warnings(&item, &lexicon);
    warnings(&tone);
    if ctx.json {
        return print_json(&upward_render::tone::item_json(&item, &tone));
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
/// resolved by the use case); parsed by the application layer, as the web app's fields are.
pub fn item_input(args: &ItemArgs, clock: &Clock) -> Result<ItemInput> {
    let fields = upward_app::items::Fields {
        due: args.due.clone(),
        tags: args.tag.clone(),
        body: args.body.clone(),
        shared: args.shared,
        impact: args.impact.clone(),
        metric: args.metric.clone(),
        date: args.date.clone(),
        rank: args.rank.clone(),
        effort: args.effort.clone(),
        confirmed: args.confirmed.clone(),
        likelihood: args.likelihood.clone(),
        severity: args.severity.clone(),
        mitigation: args.mitigation.clone(),
        communicated: args.communicated.clone(),
        ask: args.ask.clone(),
        data: args.data.clone(),
        escalated: args.escalated.clone(),
        owner: args.owner.clone(),
        direction: args.direction.clone(),
        tone: args.tone.clone(),
        consent: args.consent.clone(),
        last_discussed: args.last_discussed.clone(),
        remaining: args.remaining.clone(),
        state: args.state.clone(),
        outcome: args.outcome.clone(),
    };
    Ok(fields.input(clock.today)?)
}

/// The ids of `--for` and `--answers`, checked before the database is opened.
pub fn links(args: &ItemArgs) -> Result<upward_app::items::Links> {
    let id = |v: &Option<String>| v.as_deref().map(crate::command::parse_id).transpose();
    Ok(upward_app::items::Links {
        for_id: id(&args.for_id)?,
        answers: id(&args.answers)?,
    })
}
