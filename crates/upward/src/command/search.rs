//! `upward search QUERY`: full-text search with the matching words marked.

use crate::context::Ctx;
use crate::output::{Paint, print, print_json};
use anyhow::Result;
use upward_app::items::mark;
use upward_store::StoreExt;

pub fn run(ctx: &Ctx, query: &str, limit: usize) -> Result<()> {
    let hits = ctx
        .store_read_only()?
        .read(|tx| upward_app::items::search(tx, query, limit))?;
    if ctx.json {
        return print_json(&upward_app::items::search_json(hits));
    }
    if hits.is_empty() {
        return print(&format!("No matches for {query:?}."));
    }
    let paint = Paint { on: ctx.color };
    let (open, close) = if ctx.color {
        ("\x1b[1;33m", "\x1b[0m")
    } else {
        ("[", "]")
    };
    let mut out = String::new();
    for h in &hits {
        let label = match (h.source, h.id, &h.kind) {
            ("item", Some(id), Some(kind)) => format!("#{id} {kind}"),
            ("meeting", Some(_), _) => "1:1".to_string(),
            _ => "person".to_string(),
        };
        let mut line = format!("{}  {}", paint.dim(&label), paint.bold(&h.title));
        if let (Some(p), "item") = (&h.person, h.source) {
            line.push_str(&paint.dim(&format!("  with {p}")));
        }
        if let Some(s) = h.status.as_deref().filter(|s| *s != "open") {
            line.push_str(&paint.dim(&format!("  ({s})")));
        }
        out.push_str(&line);
        out.push('\n');
        out.push_str(&format!(
            "    {}\n",
            mark(&h.snippet, open, close).replace('\n', " ")
        ));
    }
    print(&out)
}
