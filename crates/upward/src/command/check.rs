//! `upward check TEXT` (or `-` for standard input): the tone check on any text
//! (docs/tone.md). It is advice: each flag with its suggestion, or "No tone flags.", and
//! exit 0 either way. It opens no database.

use crate::context::Ctx;
use crate::output::{print, print_json};
use anyhow::{Context as _, Result};
use std::io::Read as _;
use upward_domain::tone;

pub fn run(ctx: &Ctx, text: String, feedback: bool) -> Result<()> {
    let lexicon = ctx.lexicon()?;
    let text = if text == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .take(upward_domain::item::MAX_TEXT as u64 + 1)
            .read_to_end(&mut bytes)
            .context("cannot read the text from standard input")?;
        String::from_utf8(bytes).map_err(|_| {
            anyhow::anyhow!(
                "the text on standard input is not UTF-8 — accepted: text in UTF-8, such as a \
                 draft saved from an editor"
            )
        })?
    } else {
        text
    };
    upward_domain::item::validate_text("text", &text)?;
    let warnings = if feedback {
        tone::check_feedback(&text, &lexicon)
    } else {
        tone::check(&text, &lexicon)
    };
    if ctx.json {
        return print_json(&upward_render::tone::check_json(&warnings));
    }
    print(&upward_render::tone::check_text(&warnings))
}
