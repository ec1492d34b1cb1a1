//! `upward decline TITLE`: drafts a respectful no with reasoning, alternatives and a plan.

use crate::context::Ctx;
use crate::output::{hint, print, print_json};
use anyhow::Result;
use upward_domain::item::{validate_text, validate_title};
use upward_domain::parse_date;
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
) -> Result<()> {
    let title = validate_title(&title)?;
    let reason = validate_text("reason", &reason)?.ok_or_else(|| {
        anyhow::anyhow!(
            "--reason is empty — say why, such as \"the migration takes the team until March\""
        )
    })?;
    let alternatives = alternatives
        .iter()
        .map(|a| validate_text("alternative", a))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .flatten()
        .collect();
    let after = after
        .as_deref()
        .map(|a| parse_date(a, ctx.clock.today))
        .transpose()?;
    let input = DeclineInput {
        title,
        reason,
        alternatives,
        after,
    };
    let draft = ctx
        .store_read_only()?
        .read(|tx| upward_app::workflows::decline(tx, from, &input, &ctx.clock))?;
    if ctx.json {
        print_json(&draft)?;
    } else {
        print(&upward_render::draft::text(&draft))?;
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
