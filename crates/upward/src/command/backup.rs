//! `upward backup [FILE]`: a verified copy of the database (the store's online backup: safe
//! while other commands run), by default into `backups/` beside it, named by date
//! (docs/backups.md).

use crate::backups;
use crate::context::Ctx;
use crate::output::{print, print_json};
use anyhow::{Result, bail};
use serde::Serialize;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use upward_store::StoreError;

#[derive(Serialize)]
struct Made {
    database: PathBuf,
    backup: PathBuf,
    bytes: u64,
    schema_version: i64,
    integrity_check: String,
    /// Older automatic copies removed by the retention rules.
    pruned: Vec<PathBuf>,
}

pub fn run(ctx: &Ctx, file: Option<PathBuf>) -> Result<()> {
    if !ctx.db.is_file() {
        bail!(
            "there is no database at {} — nothing to back up; give the path of your database with --db",
            ctx.db.display()
        );
    }
    let dest = match &file {
        Some(f) if f.is_dir() => Some(f.join(upward_domain::backup::file_name(
            &backups::stem(&ctx.db),
            ctx.clock.today,
        ))),
        other => other.clone(),
    };
    if let Some(dest) = &dest {
        check_destination(&ctx.db, dest)?;
    }
    let workspace = ctx.store()?;
    let (copy, pruned) = match &dest {
        Some(dest) => (workspace.store.backup_to(dest)?, Vec::new()),
        None => backups::make(&workspace.store, &ctx.db, ctx.clock.today, ctx.retention.0)?,
    };
    let made = Made {
        database: ctx.db.clone(),
        backup: copy.path,
        bytes: copy.bytes,
        schema_version: copy.schema_version,
        integrity_check: copy.integrity_check,
        pruned,
    };
    if ctx.json {
        return print_json(&made);
    }
    let mut out = format!(
        "Backed up {} to {} ({}, checked: integrity_check {}).",
        made.database.display(),
        made.backup.display(),
        size(made.bytes),
        made.integrity_check
    );
    if !made.pruned.is_empty() {
        out.push_str(&format!(
            "\nRemoved {} older automatic cop{} ({} daily and {} weekly are kept).",
            made.pruned.len(),
            if made.pruned.len() == 1 { "y" } else { "ies" },
            ctx.retention.0.daily,
            ctx.retention.0.weekly
        ));
    }
    out.push_str(&format!(
        "\nTo put it back: upward doctor --restore {}",
        made.backup.display()
    ));
    print(&out)
}

/// A backup may replace an earlier upward backup, never the database itself or another
/// program's file.
fn check_destination(db: &Path, dest: &Path) -> Result<()> {
    let Ok(meta) = std::fs::metadata(dest) else {
        return Ok(());
    };
    if let Ok(db_meta) = std::fs::metadata(db)
        && meta.dev() == db_meta.dev()
        && meta.ino() == db_meta.ino()
    {
        bail!(
            "{} is the database itself — nothing was changed; give another file for the copy",
            dest.display()
        );
    }
    match upward_store_sqlite::verify(dest) {
        Ok(_) | Err(StoreError::Damaged { .. } | StoreError::TooNew { .. }) => Ok(()),
        Err(_) => bail!(
            "{} exists and is not an upward backup — nothing was changed; give a new file name",
            dest.display()
        ),
    }
}

/// "2.3 MB", "561 KB", "812 bytes".
pub fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 10 * 1024 * 1024 => format!("{} MB", b / (1024 * 1024)),
        b if b >= 1024 * 1024 => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
        b if b >= 1024 => format!("{} KB", b / 1024),
        b => format!("{b} bytes"),
    }
}
