//! `upward person add|list|show|set|rm`: the people I work with, their profile and style.

use crate::cli::PersonCommand;
use crate::context::Ctx;
use crate::output::{Paint, Table, print, print_json};
use anyhow::Result;
use upward_domain::words::relative_past;
use upward_domain::{PROFILE_FIELDS, Person, STYLE_FIELDS};
use upward_render::next::quote;
use upward_store::StoreExt;

pub fn run(ctx: &Ctx, cmd: PersonCommand) -> Result<()> {
    let now = ctx.clock.now;
    let mut store = match cmd {
        PersonCommand::List { .. } | PersonCommand::Show { .. } => ctx.store_read_only()?,
        _ => ctx.store()?,
    };
    match cmd {
        PersonCommand::Add {
            name,
            relation,
            role,
            cadence,
            technical,
            exec,
            email,
        } => {
            let input = upward_app::people::NewPerson {
                name: &name,
                relation: &relation,
                role: role.as_deref(),
                cadence: cadence.as_deref(),
                technical: technical.as_deref(),
                exec: exec.as_deref(),
                email: email.as_deref(),
            };
            let p = store.write(|tx| upward_app::people::add_new(tx, &input, now))?;
            if ctx.json {
                return print_json(&p);
            }
            print(&format!(
                "Added {} ({}{}). Fill in what you know: `upward person set {} goals \"...\"`",
                p.name,
                p.relation,
                p.cadence
                    .map(|c| format!(", cadence {c}"))
                    .unwrap_or_default(),
                quote(&p.name)
            ))
        }
        PersonCommand::List { all } => {
            let people = store.read(|tx| tx.people(all))?;
            if ctx.json {
                return print_json(&people);
            }
            if people.is_empty() {
                return print("No people yet. Start with `upward init --me NAME --manager NAME`.");
            }
            // An EMAIL column once someone has an address (sync links people by it).
            let emails = people.iter().any(|p| p.email.is_some());
            let mut header = vec!["NAME", "RELATION", "ROLE", "CADENCE", "STYLE"];
            if emails {
                header.push("EMAIL");
            }
            let mut t = Table::new(header);
            for p in &people {
                let style = [
                    p.channel.map(|c| c.to_string()),
                    p.length.map(|c| c.to_string()),
                    p.decides_by.map(|c| format!("decides by {c}")),
                    (p.technical == Some(false)).then(|| "not technical".to_string()),
                    (p.exec == Some(true)).then(|| "exec".to_string()),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
                let mut name = p.name.clone();
                if p.archived {
                    name.push_str(" (removed)");
                }
                let mut row = vec![
                    name,
                    if p.is_me {
                        "me".into()
                    } else {
                        p.relation.to_string()
                    },
                    p.role.clone().unwrap_or_default(),
                    p.cadence.map(|c| c.to_string()).unwrap_or_default(),
                    style,
                ];
                if emails {
                    row.push(p.email.clone().unwrap_or_default());
                }
                t.row(row, vec![Some(Paint::bold)]);
            }
            print(&t.render(Paint { on: ctx.color }))
        }
        PersonCommand::Show { name } => {
            let profile = store.read(|tx| upward_app::people::profile(tx, &name))?;
            let (p, open, last) = (profile.person, profile.open_items, profile.last_contact);
            if ctx.json {
                return print_json(&p);
            }
            print(&show(&p, open, last, ctx))
        }
        PersonCommand::Set { name, field, value } => {
            let p = store.write(|tx| upward_app::people::set(tx, &name, &field, &value, now))?;
            if ctx.json {
                return print_json(&p);
            }
            let field = field.trim().to_lowercase().replace('-', "_");
            print(&if value.trim().is_empty() {
                format!("Cleared {}'s {field}.", p.name)
            } else {
                format!("Set {}'s {field}.", p.name)
            })
        }
        PersonCommand::Rm { name } => {
            let p = store.write(|tx| upward_app::people::remove(tx, &name, now))?;
            if ctx.json {
                return print_json(&p);
            }
            print(&format!(
                "Removed {} from your lists; everything recorded about them is kept (`upward person list --all`).",
                p.name
            ))
        }
    }
}

fn show(p: &Person, open: usize, last: Option<jiff::civil::Date>, ctx: &Ctx) -> String {
    let paint = Paint { on: ctx.color };
    let mut out = String::new();
    let relation = if p.is_me {
        "me".to_string()
    } else {
        p.relation.to_string()
    };
    out.push_str(&paint.bold(&p.name));
    out.push_str(&format!(" — {relation}"));
    if let Some(r) = &p.role {
        out.push_str(&format!(", {r}"));
    }
    if p.archived {
        out.push_str(" (removed)");
    }
    out.push('\n');
    if let Some(e) = &p.email {
        out.push_str(&format!("email: {e}\n"));
    }
    if let Some(a) = &p.account {
        out.push_str(&format!("linked by sync to account {a}\n"));
    }
    out.push('\n');
    out.push_str(&paint.bold("Profile"));
    out.push('\n');
    for f in PROFILE_FIELDS {
        let v = p.profile(f).unwrap_or("—");
        out.push_str(&format!(
            "  {:<12} {}\n",
            f,
            v.replace('\n', "\n               ")
        ));
    }
    out.push('\n');
    out.push_str(&paint.bold("Style"));
    out.push('\n');
    let json = serde_json::to_value(p).unwrap_or_default();
    for f in STYLE_FIELDS {
        let v = match &json[f] {
            serde_json::Value::Null => "—".to_string(),
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
            other => other.to_string(),
        };
        out.push_str(&format!("  {f:<12} {v}\n"));
    }
    out.push('\n');
    out.push_str(&format!(
        "{} open item{}; last contact: {}",
        open,
        if open == 1 { "" } else { "s" },
        last.map(|d| relative_past(d, ctx.clock.today))
            .unwrap_or_else(|| "none recorded".into())
    ));
    out
}
