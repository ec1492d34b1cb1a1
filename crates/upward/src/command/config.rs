//! `upward config`: the effective settings and where each came from.

use crate::context::{Ctx, DEFAULT_CONFIG};
use crate::output::{print, print_json};
use anyhow::Result;

pub fn run(ctx: &Ctx) -> Result<()> {
    let config_file = ctx
        .config_path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "(none: no home directory)".into());
    let words = ctx.word_files();
    let word_row = |key: &'static str, n: usize| {
        let (value, source) = match words.get(n) {
            Some((path, found)) => (
                path.display().to_string(),
                if *found {
                    "found: read on top of the shipped list"
                } else {
                    "not present: the shipped list"
                },
            ),
            None => ("(none: no home directory)".to_string(), "the shipped list"),
        };
        (key, value, source.to_string())
    };
    let rows = [
        (
            "db",
            ctx.db.display().to_string(),
            ctx.db_source.to_string(),
        ),
        (
            "color",
            ctx.color_setting.0.clone(),
            ctx.color_setting.1.to_string(),
        ),
        (
            "backups_daily",
            ctx.retention.0.daily.to_string(),
            ctx.retention.1.to_string(),
        ),
        (
            "backups_weekly",
            ctx.retention.0.weekly.to_string(),
            ctx.retention.2.to_string(),
        ),
        (
            "backups",
            crate::backups::folder(&ctx.db).display().to_string(),
            if ctx.retention.0.is_off() {
                "automatic backups off".to_string()
            } else {
                "beside the database".to_string()
            },
        ),
        (
            "now",
            ctx.clock.now.to_string(),
            ctx.clock_source.to_string(),
        ),
        (
            "config_file",
            config_file,
            if ctx.config_found {
                "found"
            } else {
                "not present"
            }
            .to_string(),
        ),
        word_row("tone_words", 0),
        word_row("jargon_words", 1),
    ];
    if ctx.json {
        let map: serde_json::Map<String, serde_json::Value> = rows
            .iter()
            .map(|(k, v, s)| {
                (
                    k.to_string(),
                    serde_json::json!({ "value": v, "source": s }),
                )
            })
            .collect();
        return print_json(&map);
    }
    let mut out = String::new();
    for (k, v, s) in &rows {
        out.push_str(&format!("{k:<15} {v}  ({s})\n"));
    }
    out.push_str("\nThe config file takes these keys:\n");
    out.push_str(DEFAULT_CONFIG);
    print(&out)
}
