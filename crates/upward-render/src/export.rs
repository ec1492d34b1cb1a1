//! The markdown export: everything upward holds, readable by a person (the JSON export is the
//! one to re-import).

use upward_domain::export::Export;
use upward_domain::words::one_line;
use upward_domain::{Item, Kind, PROFILE_FIELDS, Status};

pub fn markdown(doc: &Export) -> String {
    let mut out = format!("# upward export — {}\n", doc.exported);
    out.push_str("\n## People\n");
    for p in &doc.people {
        let relation = if p.is_me {
            "me".to_string()
        } else {
            p.relation.to_string()
        };
        out.push_str(&format!("\n### {} ({relation})\n\n", p.name));
        if let Some(r) = &p.role {
            out.push_str(&format!("- role: {r}\n"));
        }
        for f in PROFILE_FIELDS {
            if let Some(v) = p.profile(f) {
                out.push_str(&format!("- {}: {}\n", f.replace('_', " "), one_line(v)));
            }
        }
        let style = serde_json::to_value(p).unwrap_or_default();
        for f in upward_domain::STYLE_FIELDS {
            if !style[f].is_null() {
                out.push_str(&format!(
                    "- {f}: {}\n",
                    style[f].to_string().trim_matches('"')
                ));
            }
        }
    }
    for kind in Kind::ALL {
        let items: Vec<&Item> = doc.items.iter().filter(|i| i.kind == *kind).collect();
        if items.is_empty() {
            continue;
        }
        out.push_str(&format!("\n## {}\n\n", heading(*kind)));
        for i in items {
            let check = match i.status {
                Status::Open => "[ ]",
                Status::Done => "[x]",
                Status::Dropped => "[-]",
            };
            out.push_str(&format!("- {check} #{} {}", i.id, one_line(&i.title)));
            let mut meta = Vec::new();
            if let Some(p) = &i.person {
                meta.push(format!("with {p}"));
            }
            if let Some(d) = i.due {
                meta.push(format!("due {d}"));
            }
            if let Some(d) = i.done {
                meta.push(format!("done {d}"));
            }
            if let Some(m) = &i.metric {
                meta.push(one_line(m));
            }
            if !i.tags.is_empty() {
                meta.push(
                    i.tags
                        .iter()
                        .map(|t| format!("#{t}"))
                        .collect::<Vec<_>>()
                        .join(" "),
                );
            }
            if !meta.is_empty() {
                out.push_str(&format!(" ({})", meta.join("; ")));
            }
            out.push('\n');
            if let Some(b) = &i.body {
                for line in b.lines() {
                    out.push_str(&format!("  > {line}\n"));
                }
            }
        }
    }
    if !doc.meetings.is_empty() {
        out.push_str("\n## 1:1s\n\n");
        for m in &doc.meetings {
            out.push_str(&format!("- {} with {}", m.date, m.person));
            if let Some(n) = &m.notes {
                out.push_str(&format!(": {}", one_line(n)));
            }
            out.push('\n');
        }
    }
    out
}

fn heading(kind: Kind) -> &'static str {
    match kind {
        Kind::Win => "Wins",
        Kind::Priority => "Priorities",
        Kind::Expectation => "Expectations",
        Kind::Risk => "Risks",
        Kind::Blocker => "Blockers",
        Kind::Promise => "Promises",
        Kind::Action => "Actions",
        Kind::Feedback => "Feedback",
        Kind::Goal => "Career goals",
        Kind::Topic => "Topics",
        Kind::Note => "Notes",
        Kind::Idea => "Ideas",
    }
}
