//! `upward decline TITLE`: drafts a respectful no with reasoning, alternatives and a plan.

use crate::context::Ctx;
use crate::output::{hint, print, print_json, warnings};
use anyhow::Result;
use upward_domain::words::day;
use upward_domain::workflow::decline::{DeclineInput, PlanBasis};
use upward_store::StoreExt;

pub fn run(
    ctx: &Ctx,
    title: String,
    from: &str,
    reason: String,
    alternatives: Vec<String>,
    after: Option<String>,
    sent: bool,
) -> Result<()> {
    // The command line names its flag; the domain refuses an empty reason the same way.
    if reason.trim().is_empty() {
        anyhow::bail!(
            "--reason is empty — say why, such as \"the migration takes the team until March\""
        );
    }
    let input = DeclineInput {
        lexicon: ctx.lexicon()?,
        ..DeclineInput::parse(
            &title,
            &reason,
            &alternatives,
            after.as_deref(),
            ctx.clock.today,
        )?
    };
    let clock = ctx.clock;
    let (draft, recorded) = if sent {
        ctx.store()?.write(|tx| -> Result<_> {
            let draft = upward_app::workflows::decline(tx, from, &input, &clock)?;
            let text = upward_render::draft::text(&draft);
            let recorded =
                upward_app::workflows::record_decline(tx, &input, &draft, &text, &clock)?;
            Ok((draft, Some(recorded)))
        })?
    } else {
        let draft = ctx
            .store_read_only()?
            .read(|tx| upward_app::workflows::decline(tx, from, &input, &clock))?;
        (draft, None)
    };
    if ctx.json {
        print_json(&upward_render::draft::json(&draft, recorded.as_ref()))?;
    } else {
        print(&upward_render::draft::text(&draft))?;
    }
    warnings(&draft.warnings);
    match &recorded {
        Some(d) => hint(&format!(
            "recorded as decline #{} to {} on {} (`upward declines` lists them)",
            d.id, d.person, d.date
        )),
        None => hint("once you have sent it, run the same command with --sent to keep a record"),
    }
    for alternative in &draft.left_out {
        hint(&format!(
            "left out \"{alternative}\": it speaks of {} in the third person, and the draft is to \
             them — say it to them instead",
            draft.person
        ));
    }
    if let Some(plan) = draft.plan.filter(|p| p.basis == PlanBasis::CheckIn) {
        hint(&format!(
            "the plan offers a check-in on {}: no open priority has an effort to project when \
             you will be free — give --after DATE to offer the day you can pick it up",
            day(plan.date, ctx.clock.today)
        ));
    }
    if draft.permanent {
        hint(
            "the reason reads as permanent, so the draft says no without \"for now\" and \
             offers no date — give --after DATE if you can take it later",
        );
    }
    Ok(())
}

/// `upward declines [NAME]`: the requests declined and recorded, oldest first.
pub fn list(ctx: &Ctx, name: Option<String>) -> Result<()> {
    let declines = ctx
        .store_read_only()?
        .read(|tx| upward_app::workflows::declines(tx, name.as_deref()))?;
    if ctx.json {
        return print_json(&declines);
    }
    if declines.is_empty() {
        return print(
            "No decline recorded yet. After sending one, run `upward decline TITLE --from NAME --reason TEXT --sent`.",
        );
    }
    let mut out = String::new();
    for d in &declines {
        out.push_str(&format!(
            "#{} {} to {}: \"{}\" — {}",
            d.id, d.date, d.person, d.title, d.reason
        ));
        if !d.alternatives.is_empty() {
            out.push_str(&format!(" (offered: {})", d.alternatives.join("; ")));
        }
        if let Some(after) = d.after {
            out.push_str(&format!(" (could pick it up after {after})"));
        }
        out.push('\n');
    }
    print(out.trim_end())
}
