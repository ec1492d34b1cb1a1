//! The same content, written for the tools upward is compared with: a jrnl journal (every
//! item and 1:1 as an entry, tags as `@tag`), a Taskwarrior import file (the open items, as
//! `upward list` shows them), and markdown files for ripgrep (the markdown export, split one
//! file per month and one file per item).

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde_json::json;
use std::collections::BTreeMap;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::Path;
use upward_domain::export::Export;
use upward_domain::{Item, Kind, Meeting, Status};

/// What was written, for the summary.
#[derive(Debug, Default, serde::Serialize)]
pub struct Written {
    pub jrnl_entries: usize,
    pub task_tasks: usize,
    pub md_month_files: usize,
    pub md_item_files: usize,
}

pub fn write_all(doc: &Export, dir: &Path) -> std::io::Result<Written> {
    let mut w = Written::default();
    fs::create_dir_all(dir.join("jrnl"))?;
    fs::create_dir_all(dir.join("task"))?;
    w.jrnl_entries = jrnl(doc, &dir.join("jrnl/journal.txt"))?;
    w.task_tasks = taskwarrior(doc, &dir.join("task/import.json"))?;
    (w.md_month_files, w.md_item_files) = markdown(doc, &dir.join("md"))?;
    Ok(w)
}

/// jrnl's default time format, `%F %r`.
fn jrnl_time(t: Timestamp) -> String {
    t.to_zoned_datetime(TimeZone::UTC)
        .strftime("%F %r")
        .to_string()
}

fn jrnl(doc: &Export, path: &Path) -> std::io::Result<usize> {
    let mut entries: Vec<(Timestamp, String)> = Vec::new();
    for i in &doc.items {
        let mut text = i.title.trim_end_matches('.').to_string();
        text.push_str(".\n");
        if let Some(b) = &i.body {
            text.push_str(b);
            text.push('\n');
        }
        let mut tags = vec![format!("@{}", i.kind)];
        tags.extend(i.tags.iter().map(|t| format!("@{t}")));
        if let Some(p) = &i.person {
            tags.push(format!("with {p}"));
        }
        text.push_str(&tags.join(" "));
        text.push('\n');
        entries.push((i.created_at, text));
    }
    for m in &doc.meetings {
        let mut text = format!("1:1 with {}.\n", m.person);
        if let Some(n) = &m.notes {
            text.push_str(n);
            text.push('\n');
        }
        text.push_str("@meeting\n");
        entries.push((m.created_at, text));
    }
    entries.sort_by_key(|(t, _)| *t);
    let mut out = BufWriter::new(fs::File::create(path)?);
    for (t, text) in &entries {
        writeln!(out, "[{}] {text}", jrnl_time(*t))?;
    }
    out.flush()?;
    Ok(entries.len())
}

/// Taskwarrior's date format.
fn task_time(t: Timestamp) -> String {
    t.to_zoned_datetime(TimeZone::UTC)
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string()
}

fn taskwarrior(doc: &Export, path: &Path) -> std::io::Result<usize> {
    let open: Vec<&Item> = doc
        .items
        .iter()
        .filter(|i| i.status == Status::Open)
        .collect();
    let tasks: Vec<serde_json::Value> = open
        .iter()
        .map(|i| {
            let mut t = json!({
                "uuid": i.uuid.to_string(),
                "status": "pending",
                "description": i.title,
                "entry": task_time(i.created_at),
                "modified": task_time(i.updated_at),
                "project": i.kind.as_str(),
            });
            if !i.tags.is_empty() {
                t["tags"] = json!(i.tags);
            }
            if let Some(d) = i.due {
                t["due"] = json!(format!("{}T120000Z", d.strftime("%Y%m%d")));
            }
            if let Some(r) = i.rank.filter(|_| i.kind == Kind::Priority) {
                t["priority"] = json!(match r {
                    1..=5 => "H",
                    6..=10 => "M",
                    _ => "L",
                });
            }
            if let Some(b) = &i.body {
                t["annotations"] = json!([{
                    "entry": task_time(i.created_at),
                    "description": b.replace('\n', " "),
                }]);
            }
            t
        })
        .collect();
    fs::write(path, serde_json::to_string(&tasks)?)?;
    Ok(tasks.len())
}

fn part(doc: &Export, items: Vec<Item>, meetings: Vec<Meeting>) -> String {
    upward_render::export::markdown(&Export {
        people: Vec::new(),
        items,
        meetings,
        updates: Vec::new(),
        reflections: Vec::new(),
        effects: Vec::new(),
        declines: Vec::new(),
        removed: Vec::new(),
        format: doc.format.clone(),
        version: doc.version,
        exported: doc.exported,
    })
}

/// The markdown export split by month (`by-month/2026/2026-11.md`) and by item
/// (`by-item/2026/123.md`, meetings as `m45.md`).
fn markdown(doc: &Export, dir: &Path) -> std::io::Result<(usize, usize)> {
    let mut months: BTreeMap<String, (Vec<Item>, Vec<Meeting>)> = BTreeMap::new();
    for i in &doc.items {
        months
            .entry(i.created.strftime("%Y-%m").to_string())
            .or_default()
            .0
            .push(i.clone());
    }
    for m in &doc.meetings {
        months
            .entry(m.date.strftime("%Y-%m").to_string())
            .or_default()
            .1
            .push(m.clone());
    }
    let month_files = months.len();
    for (month, (items, meetings)) in months {
        let year_dir = dir.join("by-month").join(&month[..4]);
        fs::create_dir_all(&year_dir)?;
        fs::write(
            year_dir.join(format!("{month}.md")),
            part(doc, items, meetings),
        )?;
    }
    let mut item_files = 0;
    for i in &doc.items {
        let year_dir = dir.join("by-item").join(i.created.year().to_string());
        fs::create_dir_all(&year_dir)?;
        fs::write(
            year_dir.join(format!("{}.md", i.id)),
            part(doc, vec![i.clone()], Vec::new()),
        )?;
        item_files += 1;
    }
    for m in &doc.meetings {
        let year_dir = dir.join("by-item").join(m.date.year().to_string());
        fs::create_dir_all(&year_dir)?;
        fs::write(
            year_dir.join(format!("m{}.md", m.id)),
            part(doc, Vec::new(), vec![m.clone()]),
        )?;
        item_files += 1;
    }
    Ok((month_files, item_files))
}
