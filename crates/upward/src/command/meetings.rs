//! `upward meetings [NAME]`, `upward meeting show ID` and `upward meeting undo ID`: the 1:1s
//! recorded, one with what came of it, and taking one back (docs/meet.md).

use crate::command::parse_id;
use crate::context::Ctx;
use crate::output::{Paint, Table, print, print_json, truncate};
use anyhow::Result;
use upward_domain::words::{one_line, plural};
use upward_store::StoreExt;

pub fn list(ctx: &Ctx, name: Option<String>) -> Result<()> {
    let meetings = ctx
        .store_read_only()?
        .read(|tx| upward_app::meetings::list(tx, name.as_deref()))?;
    if ctx.json {
        return print_json(&meetings);
    }
    if meetings.is_empty() {
        return print("No 1:1 recorded yet. Record one with `upward meet NAME --notes TEXT`.");
    }
    let mut t = Table::new(vec!["ID", "DATE", "WITH", "DISCUSSED", "NOTES"]);
    for m in &meetings {
        t.row(
            vec![
                m.id.to_string(),
                m.date.to_string(),
                m.person.name.clone(),
                plural(m.discussed.len(), "item"),
                truncate(&one_line(m.notes.as_deref().unwrap_or("")), 60),
            ],
            vec![Some(Paint::dim)],
        );
    }
    print(t.render(Paint { on: ctx.color }).trim_end())
}

pub fn show(ctx: &Ctx, id: &str) -> Result<()> {
    let id = parse_meeting_id(id)?;
    let view = ctx
        .store_read_only()?
        .read(|tx| upward_app::meetings::show(tx, id))?;
    if ctx.json {
        return print_json(&view.to_json());
    }
    let m = &view.meeting;
    let mut out = format!("1:1 #{} with {} on {}\n", m.id, m.person, m.date);
    if let Some(notes) = &m.notes {
        out.push_str(&format!("\nNotes:\n{notes}\n"));
    }
    if let Some(notes) = &m.shared_notes {
        out.push_str(&format!("\nShared notes:\n{notes}\n"));
    }
    if let Some(notes) = &m.their_notes {
        out.push_str(&format!("\nTheir notes:\n{notes}\n"));
    }
    if !view.discussed.is_empty() {
        out.push_str("\nDiscussed:\n");
        for item in &view.discussed {
            let changed: Vec<&str> = view
                .effects
                .iter()
                .filter(|e| e.item == item.uuid && e.field != "discussed")
                .map(|e| e.field.as_str())
                .collect();
            out.push_str(&format!("  #{} {} {}", item.id, item.kind, item.title));
            if !changed.is_empty() {
                out.push_str(&format!(" (it set {})", changed.join(", ")));
            }
            out.push('\n');
        }
    }
    if !view.actions.is_empty() {
        out.push_str("\nActions agreed:\n");
        for a in &view.actions {
            out.push_str(&format!(
                "  #{} {} ({}{}, {})\n",
                a.id,
                a.title,
                a.owner.map(|o| o.as_str()).unwrap_or("me"),
                a.due.map(|d| format!(", due {d}")).unwrap_or_default(),
                a.status
            ));
        }
    }
    print(out.trim_end())
}

pub fn undo(ctx: &Ctx, id: &str) -> Result<()> {
    let id = parse_meeting_id(id)?;
    let clock = ctx.clock;
    let plan = ctx
        .store()?
        .write(|tx| upward_app::meetings::undo(tx, id, &clock))?;
    if ctx.json {
        return print_json(&upward_app::meetings::undo_json(&plan));
    }
    let m = &plan.meeting;
    let mut out = format!(
        "Undid the 1:1 #{} with {} on {}: it is removed.",
        m.id, m.person, m.date
    );
    for item in &plan.restored {
        out.push_str(&format!(
            "\n  put back #{} {} {} as it was before",
            item.id, item.kind, item.title
        ));
    }
    for k in &plan.kept {
        out.push_str(&format!(
            "\n  kept #{} {}: its {} changed after the 1:1",
            k.id, k.title, k.field
        ));
    }
    for a in &plan.dropped {
        out.push_str(&format!("\n  dropped action #{} {}", a.id, a.title));
    }
    for a in &plan.unlinked {
        out.push_str(&format!(
            "\n  kept action #{} {} ({}), no longer linked to a 1:1",
            a.id, a.title, a.status
        ));
    }
    print(&out)
}

/// A meeting id as users type it (`12` or `#12`).
fn parse_meeting_id(s: &str) -> Result<i64> {
    parse_id(s).map_err(|_| {
        anyhow::anyhow!(
            "1:1 id `{}` is not valid — accepted: a number such as 12 (`upward meetings` shows them)",
            s.escape_debug()
        )
    })
}
