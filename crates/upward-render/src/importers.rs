//! What an importer proposes and adds (docs/importers.md), as text and as the command line's
//! JSON.

use upward_domain::Item;
use upward_domain::importers::{Candidate, Proposal, SOURCE_PREFIX};
use upward_domain::{Kind, Status};

/// Lines of a candidate's body shown in the text (the rest is in `--json`).
const BODY_LINES: usize = 8;

/// One candidate as a numbered block: its kind, title and dates, then its body (without the
/// source line, which is named on its own line), indented.
pub fn candidate(n: usize, c: &Candidate) -> String {
    let mut head = format!("{n}. {} \u{201c}{}\u{201d}", c.kind, c.title);
    match (c.kind, c.status) {
        (Kind::Win, _) => {
            if let Some(d) = c.date {
                head.push_str(&format!(" on {d}"));
            }
        }
        (_, Status::Done) => head.push_str(&format!(
            ", done {}",
            c.done.map_or("".into(), |d| d.to_string())
        )),
        _ => {
            head.push_str(", open");
            if let Some(d) = c.due {
                head.push_str(&format!(", due {d}"));
            }
        }
    }
    if let Some(m) = &c.metric {
        head.push_str(&format!(" \u{2014} metric: {m}"));
    }
    if !c.tags.is_empty() {
        head.push_str(&format!(" \u{2014} tags: {}", c.tags.join(", ")));
    }
    let mut out = format!("{head}\n");
    let lines: Vec<&str> = c
        .body
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with(SOURCE_PREFIX))
        .collect();
    for line in lines.iter().take(BODY_LINES) {
        out.push_str(&format!("   {}\n", clip(line, 100)));
    }
    if lines.len() > BODY_LINES {
        out.push_str(&format!(
            "   \u{2026} {} more lines\n",
            lines.len() - BODY_LINES
        ));
    }
    out.push_str(&format!("   {SOURCE_PREFIX}{}\n", c.source));
    out
}

/// A line cut to `max` characters with `…`.
fn clip(line: &str, max: usize) -> String {
    if line.chars().count() <= max {
        line.to_string()
    } else {
        format!("{}\u{2026}", line.chars().take(max - 1).collect::<String>())
    }
}

/// The proposal as a dry run prints it: the header the front end wrote, each candidate, what
/// was skipped and why, and what to do next.
pub fn proposal(header: &str, p: &Proposal) -> String {
    let mut out = format!("{header}\n");
    if p.candidates.is_empty() {
        out.push_str("Nothing new to add.\n");
    } else {
        out.push('\n');
        for (i, c) in p.candidates.iter().enumerate() {
            out.push_str(&candidate(i + 1, c));
        }
    }
    if !p.skipped.is_empty() {
        out.push_str("\nLeft out:\n");
        for s in &p.skipped {
            out.push_str(&format!(
                "- \u{201c}{}\u{201d} ({SOURCE_PREFIX}{}): {}\n",
                s.title, s.source, s.why
            ));
        }
    }
    out
}

/// What the dry run ends with.
pub fn dry_run_footer(p: &Proposal) -> String {
    if p.candidates.is_empty() {
        return "Dry run: nothing was added.\n".to_string();
    }
    "Dry run: nothing was added. Add them all with --yes, or run this on a terminal to choose \
     one by one.\n"
        .to_string()
}

/// What was added, one line each, with the count of those found there already.
pub fn added(items: &[Item], already: usize) -> String {
    let mut out = String::new();
    if items.is_empty() {
        out.push_str("Nothing was added.\n");
    } else {
        out.push_str(&format!(
            "Added {}:\n",
            upward_domain::words::count(items.len() as i64, "item")
        ));
        for i in items {
            out.push_str(&format!(
                "- {} #{} \u{201c}{}\u{201d}\n",
                i.kind, i.id, i.title
            ));
        }
    }
    if already > 0 {
        out.push_str(&format!(
            "{} already there (imported meanwhile).\n",
            upward_domain::words::count(already as i64, "item")
        ));
    }
    out
}

/// The command line's JSON of an import: `importer`, `dry_run`, `candidates` (what it
/// proposed), `skipped` (`title`, `source`, `why`), `already_imported` (entries, for git
/// commits, imported before) and `added` (the items added, as `show --json` prints them;
/// empty in a dry run).
pub fn json(importer: &str, p: &Proposal, added: Option<&[Item]>) -> serde_json::Value {
    serde_json::json!({
        "importer": importer,
        "dry_run": added.is_none(),
        "candidates": p.candidates,
        "skipped": p.skipped,
        "already_imported": p.already_imported,
        "added": added.unwrap_or_default().iter().map(Item::to_json).collect::<Vec<_>>(),
    })
}

/// `2 wins, 1 note`: the candidates by kind, in the order of kinds.
fn by_kind(p: &Proposal) -> String {
    let mut parts = Vec::new();
    for kind in Kind::ALL {
        let n = p.candidates.iter().filter(|c| c.kind == *kind).count();
        if n > 0 {
            parts.push(upward_domain::words::count(n as i64, kind.as_str()));
        }
    }
    if parts.is_empty() {
        "nothing new".to_string()
    } else {
        parts.join(", ")
    }
}

/// `(2 imported before, 1 left out)`, or nothing.
fn aside(p: &Proposal, unit: &str) -> String {
    let mut parts = Vec::new();
    if p.already_imported > 0 {
        parts.push(format!(
            "{} imported before",
            upward_domain::words::count(p.already_imported as i64, unit)
        ));
    }
    if !p.skipped.is_empty() {
        parts.push(format!("{} left out", p.skipped.len()));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

/// The first line of `import-git`: whose commits, since when, where, and what they make.
pub fn git_header(
    author: &str,
    since: jiff::civil::Date,
    repos: &[String],
    commits: usize,
    p: &Proposal,
) -> String {
    let count = upward_domain::words::count;
    format!(
        "Merged work by {author} since {since} in {}: {} \u{2192} {}{}.",
        repos.join(", "),
        count(commits as i64, "commit"),
        by_kind(p).replace("win", "win candidate"),
        aside(p, "commit")
    )
}

/// The first line of `import-jrnl` and `import-task`: the file, and what its entries make.
pub fn file_header(tool: &str, file: &std::path::Path, p: &Proposal) -> String {
    let unit = if tool == "jrnl" { "entry" } else { "task" };
    let total = p.candidates.len() + p.skipped.len() + p.already_imported;
    let entries = if tool == "jrnl" && total != 1 {
        format!("{total} entries")
    } else {
        upward_domain::words::count(total as i64, unit)
    };
    format!(
        "{} ({tool} export): {entries} \u{2192} {}{}.",
        file.display(),
        by_kind(p),
        aside(p, unit).replace("entrys", "entries")
    )
}
