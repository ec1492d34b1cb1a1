//! `upward list`: items as an aligned table (or a JSON array).

use crate::context::Ctx;
use crate::output::{Paint, Style, Table, item_when, print, print_json, truncate};
use anyhow::Result;
use upward_domain::{Kind, parse_date};
use upward_store::{ItemFilter, StoreExt};

pub fn run(
    ctx: &Ctx,
    kind: Option<String>,
    with: Option<String>,
    status: Option<String>,
    since: Option<String>,
    tag: Option<String>,
) -> Result<()> {
    // 1:1s and declines are records, not items: say where they are listed.
    match kind.as_deref().map(str::to_ascii_lowercase).as_deref() {
        Some("meeting" | "meetings" | "1:1" | "1:1s") => anyhow::bail!(
            "1:1s are not items: `upward meetings` lists them (`upward meetings NAME`: with one person)"
        ),
        Some("decline" | "declines") => anyhow::bail!(
            "declines are not items: `upward declines` lists them (`upward declines NAME`: to one person)"
        ),
        _ => {}
    }
    let kind: Option<Kind> = kind.as_deref().map(str::parse).transpose()?;
    // Wins are done when recorded, so "open wins" would always be empty (the app decides).
    let status = upward_app::items::list_status(status.as_deref(), kind)?;
    let since = since
        .as_deref()
        .map(|s| parse_date(s, ctx.clock.today))
        .transpose()?;
    let mut store = ctx.store_read_only()?;
    let items = store.read(|tx| -> Result<_> {
        let filter = ItemFilter {
            kind,
            status,
            since,
            tag,
            ..Default::default()
        };
        let items = upward_app::items::listed(tx, filter, with.as_deref())?;
        Ok(items)
    })?;
    if ctx.json {
        return print_json(&items.iter().map(|i| i.to_json()).collect::<Vec<_>>());
    }
    if items.is_empty() {
        return print(
            "Nothing here. Add something with `upward add KIND TITLE` (kinds: win, priority, risk, blocker, promise, action, …).",
        );
    }
    let today = ctx.clock.today;
    let priorities = kind == Some(Kind::Priority);
    let mut header = vec!["ID"];
    if priorities {
        header.push("RANK");
    }
    header.extend(["KIND", "TITLE", "WITH", "WHEN", "TAGS"]);
    let mut t = Table::new(header);
    let overdue = |p: Paint, s: &str| {
        if s.starts_with("overdue") {
            p.red(s)
        } else {
            p.yellow(s)
        }
    };
    for i in &items {
        let mut cells = vec![i.id.to_string()];
        let mut styles: Vec<Style> = vec![Some(Paint::dim)];
        if priorities {
            cells.push(if i.is_open() {
                i.rank.map(|r| r.to_string()).unwrap_or_default()
            } else {
                String::new()
            });
            styles.push(None);
        }
        let mut title = i.title.clone();
        if let Some(m) = &i.metric {
            title.push_str(&format!(" ({m})"));
        }
        cells.extend([
            i.kind.to_string(),
            truncate(&title, 70),
            i.person
                .as_ref()
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            item_when(i, today),
            i.tags.join(","),
        ]);
        styles.extend([
            None,
            None,
            None,
            Some(overdue as fn(Paint, &str) -> String),
            Some(Paint::dim),
        ]);
        t.row(cells, styles);
    }
    let mut out = t.render(Paint { on: ctx.color });
    out.push_str(&format!(
        "{} item{}",
        items.len(),
        if items.len() == 1 { "" } else { "s" }
    ));
    print(&out)
}
