//! `upward import FILE [--merge]`: reads an export back. Nothing is written unless the whole
//! file reads and validates.

use crate::context::Ctx;
use crate::output::{print, print_json};
use anyhow::{Context as _, Result, anyhow};
use std::io::Read;
use std::path::Path;
use upward_domain::export::Export;
use upward_store::StoreExt;

pub fn run(ctx: &Ctx, file: &Path, merge: bool) -> Result<()> {
    let bytes = if file == Path::new("-") {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .context("cannot read standard input")?;
        buf
    } else {
        std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?
    };
    let text = String::from_utf8(bytes).map_err(|_| {
        anyhow!(
            "{} is not UTF-8 text — give a file written by `upward export --format json`",
            file.display()
        )
    })?;
    let doc = Export::parse(&text)
        .map_err(|e| anyhow!("{}: {}", file.display(), crate::error::domain(&e)))?;
    let report = ctx
        .store()?
        .write(|tx| upward_app::transfer::import(tx, &doc, merge, &ctx.clock))?;
    if ctx.json {
        return print_json(&report);
    }
    print(&report.summary())
}
