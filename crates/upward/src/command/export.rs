//! `upward export`: everything as JSON (lossless; `upward import` reads it back) or markdown.

use crate::cli::ExportFormat;
use crate::context::Ctx;
use crate::output::{hint, print};
use anyhow::{Context as _, Result};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use upward_store::StoreExt;

pub fn run(ctx: &Ctx, format: ExportFormat, output: Option<PathBuf>) -> Result<()> {
    let doc = ctx
        .store_read_only()?
        .read(|tx| upward_app::transfer::export(tx, ctx.clock.now))?;
    let text = match (format, ctx.json) {
        (ExportFormat::Md, false) => upward_render::export::markdown(&doc),
        _ => upward_render::export::json(&doc)?,
    };
    match output {
        None => print(&text),
        Some(path) => {
            write_private(&path, &text)?;
            hint(&format!(
                "wrote {} people and {} items to {}",
                doc.people.len(),
                doc.items.len(),
                path.display()
            ));
            Ok(())
        }
    }
}

/// Writes `text` to `path`, private (0600) before anything goes in, and syncs it.
pub fn write_private(path: &Path, text: &str) -> Result<()> {
    // Private from its first byte: it holds what the user wrote about their manager.
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    // The mode above is for a new file: one that was there keeps its own, so make it
    // private before anything goes in.
    f.set_permissions(std::fs::Permissions::from_mode(0o600))
        .with_context(|| format!("cannot make {} private", path.display()))?;
    f.write_all(text.as_bytes())
        .and_then(|_| f.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
