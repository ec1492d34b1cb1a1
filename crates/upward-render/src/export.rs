//! The markdown export: everything upward holds, readable by a person (the JSON export is the
//! one to re-import).

use upward_domain::export::Export;
use upward_domain::words::one_line;
use upward_domain::{Item, Kind, PROFILE_FIELDS, Status};

/// The JSON export, as `upward export` writes it (and the web app's download): the document
/// `upward import` reads back.
pub fn json(doc: &Export) -> serde_json::Result<String> {
    Ok(serde_json::to_string_pretty(doc)? + "\n")
}

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
        if p.archived {
            out.push_str("- archived: yes (removed from lists, history kept)\n");
        }
        if let Some(r) = &p.role {
            out.push_str(&format!("- role: {r}\n"));
        }
        if let Some(e) = &p.email {
            out.push_str(&format!("- email: {e}\n"));
        }
        if let Some(a) = &p.account {
            out.push_str(&format!("- account: {a} (linked by sync)\n"));
        }
        for f in PROFILE_FIELDS {
            if let Some(v) = p.profile(f) {
                out.push_str(&format!("- {}: {}\n", f.replace('_', " "), one_line(v)));
            }
        }
        let style = serde_json::to_value(p).unwrap_or_default();
        for f in upward_domain::STYLE_FIELDS {
            let value = match &style[f] {
                serde_json::Value::Null => continue,
                serde_json::Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
                v => v.to_string().trim_matches('"').to_string(),
            };
            out.push_str(&format!("- {f}: {value}\n"));
        }
    }
    let item_ref = |uuid: &uuid::Uuid| match doc.items.iter().find(|i| i.uuid == *uuid) {
        Some(i) => format!("#{} {}", i.id, one_line(&i.title)),
        None => uuid.to_string(),
    };
    let person_ref = |uuid: &uuid::Uuid| match doc.people.iter().find(|p| p.uuid == *uuid) {
        Some(p) => p.name.clone(),
        None => uuid.to_string(),
    };
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
            // Every other field that has a value, by its name (docs/merge.md): what the JSON
            // export holds, references spelled as what they name.
            let json = i.to_json();
            for (key, value) in json.as_object().into_iter().flatten() {
                if SHOWN.contains(&key.as_str()) || value.is_null() {
                    continue;
                }
                let text = match key.as_str() {
                    "meeting" => match i
                        .meeting
                        .and_then(|m| doc.meetings.iter().find(|x| x.uuid == m))
                    {
                        Some(m) => format!("the 1:1 with {} on {}", m.person, m.date),
                        None => plain(value),
                    },
                    "for_item" => i.for_item.as_ref().map_or_else(|| plain(value), item_ref),
                    "answers" => i.answers.as_ref().map_or_else(|| plain(value), item_ref),
                    "confirmed_by" => i
                        .confirmed_by
                        .as_ref()
                        .map_or_else(|| plain(value), person_ref),
                    "visibility" if value == "private" => continue,
                    "renegotiated" if value == 0 => continue,
                    _ => plain(value),
                };
                if text.contains('\n') {
                    out.push_str(&format!("  - {}:\n", label(key)));
                    for line in text.lines() {
                        out.push_str(&format!("    > {line}\n"));
                    }
                } else {
                    out.push_str(&format!("  - {}: {text}\n", label(key)));
                }
            }
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
                if n.contains('\n') {
                    out.push_str(":\n");
                    for line in n.lines() {
                        out.push_str(&format!("  > {line}\n"));
                    }
                } else {
                    out.push_str(&format!(": {n}\n"));
                }
            } else {
                out.push('\n');
            }
            for (label, notes) in [
                ("shared notes", &m.shared_notes),
                ("their notes", &m.their_notes),
            ] {
                if let Some(n) = notes {
                    out.push_str(&format!("  - {label}:\n"));
                    for line in n.lines() {
                        out.push_str(&format!("    > {line}\n"));
                    }
                }
            }
            if !m.discussed.is_empty() {
                let list: Vec<String> = m.discussed.iter().map(item_ref).collect();
                out.push_str(&format!("  - discussed: {}\n", list.join(", ")));
            }
            for a in doc.items.iter().filter(|i| i.meeting == Some(m.uuid)) {
                let owner = a.owner.map_or("me", |o| o.as_str());
                let mut line = format!("  - action #{} {} ({owner}", a.id, one_line(&a.title));
                if let Some(d) = a.due {
                    line.push_str(&format!(", due {d}"));
                }
                line.push_str(&format!(", {})\n", a.status));
                out.push_str(&line);
            }
        }
    }
    if !doc.updates.is_empty() {
        out.push_str("\n## Updates sent\n\n");
    }
    for u in &doc.updates {
        out.push_str(&format!("- {} to {} ({})\n", u.date, u.person, u.channel));
        if let Some(t) = &u.text {
            for line in t.lines() {
                out.push_str(&format!("  > {line}\n"));
            }
        }
    }
    if !doc.reflections.is_empty() {
        out.push_str("\n## Reflections\n\n");
    }
    for r in &doc.reflections {
        out.push_str(&format!("- {} on {}\n", r.date, r.person));
        for (area, score) in &r.scores {
            out.push_str(&format!("  - {area}: {score}/5"));
            match r.answers.get(area) {
                Some(a) => out.push_str(&format!(" — {}\n", one_line(a))),
                None => out.push('\n'),
            }
        }
        for (area, answer) in r.answers.iter().filter(|(a, _)| !r.scores.contains_key(*a)) {
            out.push_str(&format!("  - {area}: {}\n", one_line(answer)));
        }
    }
    // What was said no to, and to whom (`decline --sent`): the record, then the message.
    if !doc.declines.is_empty() {
        out.push_str("\n## Declines\n\n");
    }
    for d in &doc.declines {
        let (title, reason) = (one_line(&d.title), one_line(&d.reason));
        out.push_str(&format!(
            "- {} to {}: {title} — {reason}\n",
            d.date, d.person
        ));
        for a in &d.alternatives {
            out.push_str(&format!("  - alternative: {}\n", one_line(a)));
        }
        if let Some(a) = d.after {
            out.push_str(&format!("  - after: {a}\n"));
        }
        for line in d.text.iter().flat_map(|t| t.lines()) {
            out.push_str(&format!("  > {line}\n"));
        }
    }
    out
}

/// The keys the item's first line already shows, and the record keeping keys.
const SHOWN: [&str; 13] = [
    "id",
    "uuid",
    "kind",
    "title",
    "body",
    "person",
    "person_uuid",
    "status",
    "due",
    "done",
    "tags",
    "created_at",
    "updated_at",
];

/// A JSON value as text: a string as it is, anything else as JSON spells it.
fn plain(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        other => other.to_string(),
    }
}

/// A field's name as a label: `last_discussed` → `last discussed`.
fn label(key: &str) -> String {
    match key {
        "for_item" => "for".to_string(),
        k => k.replace('_', " "),
    }
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
