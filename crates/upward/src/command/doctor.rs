//! `upward doctor`: checks the database without changing it and says the way out of any
//! damage: restore the newest good backup (`--restore BACKUP`, which moves the damaged file
//! aside, never deleting it), or export what can still be read (`--export FILE`).
//! docs/backups.md.

use crate::backups::{self, Listed};
use crate::command::backup::size;
use crate::command::export::write_private;
use crate::context::Ctx;
use crate::output::{print, print_json};
use anyhow::{Result, anyhow, bail};
use serde::Serialize;
use std::path::{Path, PathBuf};
use upward_domain::Next;
use upward_store::{StoreError, StoreExt};
use upward_store_sqlite::{Health, SqliteStore};

/// The newest backup that passed its check, and the newer ones that did not.
#[derive(Serialize)]
struct Backups {
    folder: PathBuf,
    count: usize,
    newest_good: Option<Good>,
    /// Newer backups than the good one that fail their own check.
    failing: Vec<PathBuf>,
}

#[derive(Serialize)]
struct Good {
    path: PathBuf,
    date: jiff::civil::Date,
}

/// A way out: what it does and the command that does it.
#[derive(Serialize)]
struct Step {
    what: String,
    command: String,
}

#[derive(Serialize)]
struct Report {
    database: PathBuf,
    ok: bool,
    health: Health,
    backups: Backups,
    way_out: Vec<Step>,
}

pub fn run(ctx: &Ctx, restore: Option<PathBuf>, export: Option<PathBuf>) -> Result<()> {
    if let Some(backup) = restore {
        return run_restore(ctx, &backup);
    }
    if let Some(file) = export {
        return run_export(ctx, &file);
    }
    if !ctx.db.exists() {
        bail!(
            "there is no database at {} — nothing to check; give the path of your database with --db",
            ctx.db.display()
        );
    }
    let health = match backups::refuse_emptied(&ctx.db) {
        Err(StoreError::Damaged { detail, .. }) => emptied(&ctx.db, detail),
        _ => upward_store_sqlite::check(&ctx.db)?,
    };
    let backups = find_backups(&ctx.db);
    let way_out = way_out(ctx, &health, &backups);
    let report = Report {
        database: ctx.db.clone(),
        ok: health.ok(),
        health,
        backups,
        way_out,
    };
    if ctx.json {
        print_json(&report)?;
    } else {
        print(&render(ctx, &report))?;
    }
    if report.ok {
        return Ok(());
    }
    Err(anyhow!(
        "{}",
        if report.health.not_upward {
            format!(
                "{} is not an upward database — it was left untouched; give the path of your upward database with --db",
                ctx.db.display()
            )
        } else {
            format!(
                "{} has problems (above) — nothing was changed; the way out is listed above",
                ctx.db.display()
            )
        }
    ))
}

/// The report for an empty file that has backups: nothing to check, everything to restore.
fn emptied(db: &Path, detail: String) -> Health {
    Health {
        path: db.to_path_buf(),
        bytes: 0,
        schema_version: None,
        schema_known: upward_store_sqlite::SCHEMA_VERSION,
        checks: vec![upward_store_sqlite::Check {
            check: "file".into(),
            ok: false,
            findings: vec![detail],
            sqlite: Vec::new(),
        }],
        records_at_risk: true,
        not_upward: false,
    }
}

/// The backups of the database, checked newest first until one passes.
fn find_backups(db: &Path) -> Backups {
    let all = backups::list(db);
    let mut failing = Vec::new();
    let mut newest_good = None;
    for Listed { date, path } in all.iter().rev() {
        if upward_store_sqlite::verify(path).is_ok() {
            newest_good = Some(Good {
                path: path.clone(),
                date: *date,
            });
            break;
        }
        failing.push(path.clone());
    }
    Backups {
        folder: backups::folder(db),
        count: all.len(),
        newest_good,
        failing,
    }
}

/// A path as the user would type it in a shell (quoted when it needs to be).
fn shell(p: &Path) -> String {
    upward_render::next::path(&p.display().to_string())
}

/// A step of the way out: the words, and the command that takes the step.
fn step(what: String, next: &Next) -> Step {
    Step {
        what,
        command: upward_render::next::command(next),
    }
}

/// What to do about what the check found: restore the newest good backup, or export what can
/// still be read (first when no record is at risk: then it loses nothing).
fn way_out(ctx: &Ctx, health: &Health, backups: &Backups) -> Vec<Step> {
    if health.ok() {
        return Vec::new();
    }
    if health.not_upward {
        return vec![Step {
            what: "give the path of your upward database".into(),
            command: "upward --db PATH doctor".into(),
        }];
    }
    if let Some(c) = health
        .checks
        .iter()
        .find(|c| c.check == "schema_version" && !c.ok)
        && c.findings.iter().any(|f| f.contains("newer upward"))
        && health.checks.iter().filter(|c| !c.ok).count() == 1
    {
        return vec![Step {
            what: "upgrade upward (cargo install --path crates/upward, or your package manager)"
                .into(),
            command: "upward --version".into(),
        }];
    }
    let rescue = ctx
        .db
        .with_file_name(format!("{}-rescued.json", backups::stem(&ctx.db)));
    let new_db = ctx
        .db
        .with_file_name(format!("{}-rescued.db", backups::stem(&ctx.db)));
    let import = format!(
        "then import it into a new database with `upward --db {} import {}` and use that one",
        shell(&new_db),
        shell(&rescue)
    );
    let mut export = vec![step(
        if health.records_at_risk {
            format!(
                "export what can still be read (what cannot is listed) with the command below, {import}"
            )
        } else {
            format!(
                "export every record (all can still be read) with the command below, {import}, which rebuilds what is damaged"
            )
        },
        &Next::RescueExport {
            file: rescue.display().to_string(),
        },
    )];
    let mut restore = Vec::new();
    if let Some(good) = &backups.newest_good {
        restore.push(step(
            format!(
                "restore the newest good backup, from {} (what was written after it is not in it); the damaged file is moved aside, never deleted",
                good.date
            ),
            &Next::RestoreBackup {
                backup: good.path.display().to_string(),
            },
        ));
    }
    if health.records_at_risk {
        restore.append(&mut export);
        restore
    } else {
        export.append(&mut restore);
        export
    }
}

fn render(ctx: &Ctx, r: &Report) -> String {
    let h = &r.health;
    let version = match h.schema_version {
        Some(v) => format!("schema {v} of {}", h.schema_known),
        None => "schema unreadable".into(),
    };
    let mut out = format!(
        "upward doctor: {} ({}, {version})\n\n",
        r.database.display(),
        size(h.bytes)
    );
    for c in &h.checks {
        let status = if c.ok { "ok" } else { "PROBLEM" };
        out.push_str(&format!("  {:<18} {status}\n", c.check));
        for f in &c.findings {
            out.push_str(&format!("  {:<18}   - {f}\n", ""));
        }
    }
    let b = &r.backups;
    out.push('\n');
    match &b.newest_good {
        Some(good) => out.push_str(&format!(
            "Backups: {} in {}; the newest good one is from {}.\n",
            b.count,
            b.folder.display(),
            good.date
        )),
        None if b.count == 0 => out.push_str(&format!(
            "Backups: none in {} yet (`upward backup` makes one).\n",
            b.folder.display()
        )),
        None => out.push_str(&format!(
            "Backups: {} in {}, none of them passes its check.\n",
            b.count,
            b.folder.display()
        )),
    }
    for f in &b.failing {
        out.push_str(&format!("  fails its check: {}\n", f.display()));
    }
    if r.ok {
        let retention = ctx.retention.0;
        out.push_str(&if retention.is_off() {
            "\nNo problems found. Automatic backups are off (backups_daily and backups_weekly are 0).".to_string()
        } else {
            format!(
                "\nNo problems found. Automatic backups keep {} daily and {} weekly copies.",
                retention.daily, retention.weekly
            )
        });
        return out;
    }
    out.push_str(if h.not_upward {
        "\nThis file is not an upward database: doctor checks only upward's.\n"
    } else if h.records_at_risk {
        "\nSome of what you wrote may no longer be readable from this file. Nothing was changed.\n"
    } else {
        "\nEverything you wrote can still be read; what is damaged is rebuilt from it. Nothing was changed.\n"
    });
    out.push_str("\nThe way out:\n");
    for (i, s) in r.way_out.iter().enumerate() {
        out.push_str(&format!("  {}. {}:\n       {}\n", i + 1, s.what, s.command));
    }
    out
}

/// `doctor --restore BACKUP`.
fn run_restore(ctx: &Ctx, backup: &Path) -> Result<()> {
    if !backup.is_file() {
        bail!(
            "there is no backup at {} — nothing was changed; `upward doctor` lists the backups",
            backup.display()
        );
    }
    let aside = aside_name(&ctx.db, ctx.clock.today);
    let restored = upward_store_sqlite::restore(&ctx.db, backup, &aside)?;
    if ctx.json {
        return print_json(&restored);
    }
    let mut out = format!(
        "Restored {} (schema {}) as {}.",
        restored.from.display(),
        restored.schema_version,
        restored.database.display()
    );
    if let Some(aside) = &restored.moved_aside {
        out.push_str(&format!(
            "\nThe file it replaced is now {} (upward never deletes it).",
            aside.display()
        ));
    }
    out.push_str("\nCheck it: upward doctor");
    print(&out)
}

/// `upward.db.before-restore-2026-11-23`, or with `-2`, `-3`… when taken.
fn aside_name(db: &Path, today: jiff::civil::Date) -> PathBuf {
    let name = db
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "upward.db".into());
    let base = format!("{name}.before-restore-{today}");
    (1..)
        .map(|n| {
            db.with_file_name(if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            })
        })
        .find(|p| !p.exists() && !PathBuf::from(format!("{}-wal", p.display())).exists())
        .expect("a free name")
}

/// `doctor --export FILE`: what can still be read, as an export for `upward import`.
fn run_export(ctx: &Ctx, file: &Path) -> Result<()> {
    if !ctx.db.exists() {
        bail!(
            "there is no database at {} — nothing to export",
            ctx.db.display()
        );
    }
    let tmp = tempfile::tempdir()?;
    let rescued = tmp.path().join("rescued.db");
    let salvage = upward_store_sqlite::salvage(&ctx.db, &rescued)?;
    let doc =
        SqliteStore::open(&rescued)?.read(|tx| upward_app::transfer::export(tx, ctx.clock.now))?;
    doc.validate()?;
    write_private(file, &(serde_json::to_string_pretty(&doc)? + "\n"))?;
    if ctx.json {
        return print_json(&serde_json::json!({
            "database": ctx.db,
            "export": file,
            "people": doc.people.len(),
            "items": doc.items.len(),
            "meetings": doc.meetings.len(),
            "updates": doc.updates.len(),
            "reflections": doc.reflections.len(),
            "salvage": salvage,
        }));
    }
    let mut out = format!(
        "Exported what could be read of {} to {}: {} people, {} items, {} 1:1s, {} updates, {} reflections.",
        ctx.db.display(),
        file.display(),
        doc.people.len(),
        doc.items.len(),
        doc.meetings.len(),
        doc.updates.len(),
        doc.reflections.len()
    );
    if !salvage.repaired_header.is_empty() {
        out.push_str(&format!(
            "\nRead through a copy with its header repaired ({}); the file itself was not changed.",
            salvage.repaired_header.join(", ")
        ));
    }
    if salvage.lost.is_empty() {
        out.push_str("\nNothing that could be found was unreadable.");
    } else {
        out.push_str("\nCould not be read:");
        for l in &salvage.lost {
            out.push_str(&format!("\n  - {l}"));
        }
    }
    out.push_str(&format!(
        "\nNext: upward --db NEW.db import {}   (then point --db, UPWARD_DB or the config at NEW.db)",
        shell(file)
    ));
    print(&out)
}
