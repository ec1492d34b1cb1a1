//! `upward tour`: a realistic sample workspace, and what upward makes of it: the 1:1 agenda,
//! the status update and the nudges. It runs in a throwaway database unless `--db` is given.

use crate::command::{nudges, prep, update};
use crate::context::{Ctx, Source, Workspace};
use crate::output::{Paint, print};
use anyhow::{Result, bail};
use upward_domain::export::{Export, FORMAT, VERSION};
use upward_domain::workflow::tour::sample;
use upward_domain::workflow::update::UpdateInput;
use upward_store::StoreExt;
use upward_store_sqlite::SqliteStore;

pub fn run(ctx: &Ctx) -> Result<()> {
    // Only an explicit --db keeps the sample; UPWARD_DB or the config point at real data.
    let keep = matches!(ctx.db_source, Source::Flag(_));
    let tmp = tempfile::tempdir()?;
    let path = if keep {
        ctx.db.clone()
    } else {
        tmp.path().join("tour.db")
    };
    let snap = sample(&ctx.clock);
    let doc = Export {
        format: FORMAT.into(),
        version: VERSION,
        exported: ctx.clock.now,
        people: snap.people,
        items: snap.items,
        meetings: snap.meetings,
        updates: snap.updates,
        reflections: snap.reflections,
        effects: Vec::new(),
        declines: Vec::new(),
        removed: Vec::new(),
    };
    let mut store = if keep {
        ctx.store()?
    } else {
        Workspace::plain(SqliteStore::open(&path)?)
    };
    store.write(|tx| -> Result<_> {
        if !tx.is_empty()? {
            bail!(
                "{} already holds data — the tour needs an empty database; give a new --db path",
                path.display()
            );
        }
        Ok(upward_app::transfer::import(tx, &doc, false, &ctx.clock)?)
    })?;
    let (agenda, su, nudges) = store.read(|tx| -> Result<_> {
        Ok((
            prep::agenda(tx, None, ctx)?,
            update::status_update(tx, None, &UpdateInput::default(), ctx)?,
            nudges::list(tx, ctx)?,
        ))
    })?;
    if ctx.json {
        return crate::output::print_json(&serde_json::json!({
            "agenda": upward_render::agenda::json(&agenda),
            "update": {
                "person": su.person,
                "channel": su.channel,
                "text": upward_render::update::text(&su),
                "omitted": su.omitted,
            },
            "nudges": upward_render::nudges::json(&nudges),
            "db": if keep { Some(path.display().to_string()) } else { None },
        }));
    }
    let paint = Paint { on: ctx.color };
    let rule = |title: &str| paint.bold(&format!("\n━━ {title} ━━\n"));
    let me = doc
        .people
        .iter()
        .find(|p| p.is_me)
        .map(|p| p.name.clone())
        .unwrap_or_default();
    let mut out = format!(
        "Welcome to upward. This tour is a sample workspace: you are {me}, and your manager is {} ({}).\nIt has three months of wins, ranked priorities, risks, a blocker, promises, actions on both sides, a past 1:1 and a career goal.\n",
        agenda.person,
        doc.people
            .iter()
            .find(|p| p.name == agenda.person)
            .and_then(|p| p.role.clone())
            .unwrap_or_else(|| "manager".into())
    );
    out.push_str(&rule(&format!(
        "Your next 1:1 agenda with {} (upward prep)",
        agenda.person
    )));
    out.push_str(&upward_render::agenda::markdown(&agenda));
    out.push_str(&rule(&format!(
        "A status update for {} (upward update)",
        su.person
    )));
    out.push_str(&upward_render::update::text(&su));
    out.push_str(&rule("What needs attention now (upward nudges)"));
    out.push_str(&upward_render::nudges::text(&nudges, true));
    out.push_str(&rule("Where to go next"));
    if keep {
        out.push_str(&format!(
            "The sample is in {path}. Explore it: `upward --db {path} list`, `upward --db {path} intake \"New dashboard\" --from Dana --due 2w --effort 5d`.\n",
            path = path.display()
        ));
    } else {
        out.push_str(
            "That sample was thrown away. Keep one to explore with `upward tour --db sample.db`.\n",
        );
    }
    out.push_str("Start your own: `upward init --me YOUR_NAME --manager THEIR_NAME`, then `upward add win \"...\" --metric \"...\"` and `upward prep` before your next 1:1. `upward --help` lists everything.\n");
    print(&out)
}
