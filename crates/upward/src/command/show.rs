//! `upward show ID`: one item, every field that has a value.

use crate::command::parse_id;
use crate::context::Ctx;
use crate::output::{Paint, item_when, print, print_json};
use anyhow::Result;
use upward_domain::Item;
use upward_store::StoreExt;

pub fn run(ctx: &Ctx, id: &str) -> Result<()> {
    let id = parse_id(id)?;
    let (item, names) = ctx.store_read_only()?.read(|tx| {
        let item = upward_app::items::get(tx, id)?;
        let names = references(tx, &item)?;
        Ok::<_, upward_app::AppError>((item, names))
    })?;
    if ctx.json {
        return print_json(&item.to_json());
    }
    print(&render(&item, &names, ctx))
}

/// What the item's references to other records read as, by the JSON key: the person who
/// confirmed it, and the expectation, goal or request it is linked to (`#7 "title"`).
fn references(
    tx: &dyn upward_store::Transaction,
    item: &Item,
) -> upward_app::Result<Vec<(&'static str, String)>> {
    let mut names = Vec::new();
    if let Some(by) = item.confirmed_by
        && let Some(p) = tx.people(true)?.into_iter().find(|p| p.uuid == by)
    {
        names.push(("confirmed_by", p.name));
    }
    for (key, link) in [("for_item", item.for_item), ("answers", item.answers)] {
        if let Some(uuid) = link
            && let Some(other) = tx.item_by_uuid(uuid)?
        {
            names.push((
                key,
                format!("#{} \u{201c}{}\u{201d}", other.id, other.title),
            ));
        }
    }
    Ok(names)
}

/// The human form of an item; `names` are what its references read as.
pub fn render(item: &Item, names: &[(&'static str, String)], ctx: &Ctx) -> String {
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
            // A due date never moved is the usual case: not worth a line.
            if skip.contains(&k.as_str()) || (k == "renegotiated" && v == 0) {
                continue;
            }
            let label = if k == "for_item" { "for" } else { k.as_str() };
            if let Some((_, name)) = names.iter().find(|(key, _)| key == k) {
                out.push_str(&format!("  {:<15} {}\n", label.replace('_', " "), name));
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
            out.push_str(&format!("  {:<15} {}\n", label.replace('_', " "), v));
        }
    }
    if let Some(body) = &item.body {
        out.push('\n');
        out.push_str(body);
        out.push('\n');
    }
    out
}
