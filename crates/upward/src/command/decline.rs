//! `upward decline TITLE`: drafts a respectful no with reasoning, alternatives and a plan.

use crate::context::Ctx;
use crate::output::{print, print_json};
use anyhow::Result;
use upward_domain::item::{validate_text, validate_title};
use upward_domain::workflow::decline::DeclineInput;
use upward_store::StoreExt;

pub fn run(
    ctx: &Ctx,
    title: String,
    from: &str,
    reason: String,
    alternatives: Vec<String>,
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
    let input = DeclineInput {
        title,
        reason,
        alternatives,
    };
    let draft = ctx
        .store_read_only()?
        .read(|tx| upward_app::workflows::decline(tx, from, &input, &ctx.clock))?;
    if ctx.json {
        return print_json(&draft);
    }
    print(&upward_render::draft::text(&draft))
}
