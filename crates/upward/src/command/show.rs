//! `upward show ID`: one item, every field that has a value.

use crate::command::parse_id;
use crate::context::Ctx;
use crate::output::{Paint, item_when, print, print_json};
use anyhow::Result;
use upward_domain::Item;
use upward_store::StoreExt;

pub fn run(ctx: &Ctx, id: &str) -> Result<()> {
    let id = parse_id(id)?;
    let item = ctx
        .store_read_only()?
        .read(|tx| upward_app::items::get(tx, id))?;
    if ctx.json {
        return print_json(&item.to_json());
    }
    print(&render(&item, ctx))
}

/// The human form of an item.
pub fn render(item: &Item, ctx: &Ctx) -> String {
    let paint = Paint { on: ctx.color };
    let mut out = format!(
        "{} {}\n{}",
        paint.dim(&format!("#{}", item.id)),
        paint.bold(&item.title),
        paint.dim(&format!(
            "{} · {} · {}",
            item.kind, item.status, item.visibility
        ))
    );
    let when = item_when(item, ctx.clock.today);
    if !when.is_empty() {
        out.push_str(&paint.dim(&format!(" · {when}")));
    }
    out.push('\n');
    let json = item.to_json();
    let skip = [
        "id",
        "uuid",
        "kind",
        "title",
        "body",
        "status",
        "visibility",
        "created_at",
        "updated_at",
    ];
    if let Some(map) = json.as_object() {
        for (k, v) in map {
            if skip.contains(&k.as_str()) {
                continue;
            }
            let v = match v {
                serde_json::Value::Null => continue,
                serde_json::Value::Array(a) if a.is_empty() => continue,
                serde_json::Value::Array(a) => a
                    .iter()
                    .map(|x| x.as_str().unwrap_or_default().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
                other => other.to_string(),
            };
            out.push_str(&format!("  {:<15} {}\n", k.replace('_', " "), v));
        }
    }
    if let Some(body) = &item.body {
        out.push('\n');
        out.push_str(body);
        out.push('\n');
    }
    out
}
