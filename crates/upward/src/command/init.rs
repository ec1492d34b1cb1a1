//! `upward init`: records who I am and, optionally, my manager.

use crate::context::Ctx;
use crate::output::{print, print_json};
use anyhow::{Result, bail};
use upward_domain::{Person, Relation};

pub fn run(ctx: &Ctx, me: &str, role: Option<String>, manager: Option<String>) -> Result<()> {
    let mut store = ctx.store()?;
    let now = ctx.clock.now;
    let (me, manager) = store.write(|tx| -> Result<_> {
        let me = match tx.me()? {
            Some(mut existing) => {
                existing.set("name", me, now)?;
                if let Some(r) = &role {
                    existing.set("role", r, now)?;
                }
                tx.update_person(&existing)?;
                existing
            }
            None => {
                let mut p = Person::new(me, Relation::Myself, now)?;
                if let Some(r) = &role {
                    p.set("role", r, now)?;
                }
                tx.add_person(&p)?
            }
        };
        let manager = match manager {
            None => None,
            Some(name) => {
                if upward_domain::same_name(&name, &me.name) {
                    bail!("my manager cannot be me — give another name to --manager");
                }
                let existing = tx
                    .people(true)?
                    .into_iter()
                    .find(|p| upward_domain::same_name(&p.name, &name));
                Some(match existing {
                    Some(mut p) => {
                        if p.relation != Relation::Manager || p.archived {
                            p.set("relation", "manager", now)?;
                            p.archived = false;
                            if p.cadence.is_none() {
                                p.cadence = Some(upward_domain::Duration::days(7));
                            }
                            tx.update_person(&p)?;
                        }
                        p
                    }
                    None => tx.add_person(&Person::new(&name, Relation::Manager, now)?)?,
                })
            }
        };
        Ok((me, manager))
    })?;
    if ctx.json {
        return print_json(&serde_json::json!({ "me": me, "manager": manager }));
    }
    let mut out = format!("You are {}.", me.name);
    if let Some(m) = &manager {
        out.push_str(&format!(
            " Your manager is {} (check-in cadence {}).\n\nNext: tell upward about them — `upward person set {} goals \"...\"`, `upward person set {} length brief` — then `upward prep`.",
            m.name,
            m.cadence.map(|c| c.to_string()).unwrap_or_else(|| "none".into()),
            quote(&m.name),
            quote(&m.name)
        ));
    }
    print(&out)
}

/// Quotes a name for a shell command shown to the user when it needs quoting.
pub fn quote(name: &str) -> String {
    if name
        .chars()
        .all(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == '.')
    {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\\\""))
    }
}
