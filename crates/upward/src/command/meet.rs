//! `upward meet [NAME]`: records a 1:1 and everything it settles. On a terminal with no flags
//! it walks through the prepared agenda and asks what was discussed.

use crate::command::{parse_id, prep};
use crate::context::Ctx;
use crate::output::{print, print_json};
use anyhow::{Result, bail};
use std::io::{BufRead, Write};
use upward_domain::workflow::meet::{ActionSpec, MeetInput, parse_action};
use upward_domain::{item::validate_text, parse_date};
use upward_store::StoreExt;

/// What `meet` was given on the command line.
pub struct Args {
    pub name: Option<String>,
    pub date: Option<String>,
    pub discussed: Vec<String>,
    pub notes: Option<String>,
    pub shared_notes: Option<String>,
    pub actions: Vec<String>,
    pub consent_asked: Vec<String>,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let Args {
        name,
        date,
        discussed,
        notes,
        shared_notes,
        actions,
        consent_asked,
    } = args;
    let clock = ctx.clock;
    let date = date
        .as_deref()
        .map(|d| parse_date(d, clock.today))
        .transpose()?
        .unwrap_or(clock.today);
    let mut discussed: Vec<i64> = discussed
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| parse_id(s))
        .collect::<Result<_>>()?;
    let consent_asked: Vec<i64> = consent_asked
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| parse_id(s))
        .collect::<Result<_>>()?;
    let mut notes = match notes {
        Some(n) => validate_text("notes", &n)?,
        None => None,
    };
    let shared_notes = match shared_notes {
        Some(n) => validate_text("shared notes", &n)?,
        None => None,
    };
    let mut actions: Vec<ActionSpec> = actions
        .iter()
        .map(|a| parse_action(a, clock.today))
        .collect::<Result<_, _>>()?;
    let nothing = discussed.is_empty()
        && notes.is_none()
        && shared_notes.is_none()
        && actions.is_empty()
        && consent_asked.is_empty();
    let walk_through = ctx.interactive && !ctx.json;
    if nothing && !walk_through {
        // An empty 1:1 recorded by a script would silence the cadence nudge with nothing to
        // show for it.
        return Err(crate::error::Usage(
            "nothing to record — give --discussed ID,..., --consent-asked ID,..., --notes TEXT, \
             --shared-notes TEXT or --action \"TEXT@me|them[:DUE]\" (on a terminal, `upward meet` without them \
             walks through the agenda)"
                .into(),
        )
        .into());
    }
    let mut store = ctx.store()?;

    if walk_through && nothing {
        let agenda = store.read(|tx| prep::agenda(tx, name.as_deref(), ctx))?;
        walk(
            &agenda,
            &mut discussed,
            &mut notes,
            &mut actions,
            clock.today,
        )?;
    }

    let input = MeetInput {
        date,
        discussed,
        notes,
        shared_notes,
        actions,
        consent_asked,
    };
    let met = store.write(|tx| upward_app::workflows::meet(tx, name.as_deref(), input, &clock))?;
    // Said on stderr, so `--json` stays pure; `--json` also lists them.
    for id in &met.given_without_consent {
        crate::output::hint(&format!(
            "feedback #{id} is recorded as given without asking first whether they were open to \
             it (consent: no) — if you did ask: upward edit {id} --consent yes"
        ));
    }
    if ctx.json {
        return print_json(&met.to_json());
    }
    let (meeting, closed, created) = (met.meeting, met.discussed, met.actions);
    let mut out = format!(
        "Recorded your 1:1 with {} on {}: {} item{} discussed",
        meeting.person,
        meeting.date,
        closed.len(),
        if closed.len() == 1 { "" } else { "s" }
    );
    if created.is_empty() {
        out.push('.');
    } else {
        out.push_str(", actions:");
        for a in &created {
            out.push_str(&format!(
                "\n  #{} {} ({}{})",
                a.id,
                a.title,
                a.owner
                    .map(|o| if o.as_str() == "me" { "me" } else { "them" })
                    .unwrap_or("me"),
                a.due.map(|d| format!(", due {d}")).unwrap_or_default()
            ));
        }
    }
    print(&out)
}

/// Asks, item by item, what was discussed, then for notes and actions.
fn walk(
    agenda: &upward_domain::workflow::prep::Agenda,
    discussed: &mut Vec<i64>,
    notes: &mut Option<String>,
    actions: &mut Vec<ActionSpec>,
    today: jiff::civil::Date,
) -> Result<()> {
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut ask = |q: &str| -> Result<String> {
        print!("{q}");
        std::io::stdout().flush()?;
        Ok(lines.next().transpose()?.unwrap_or_default())
    };
    println!(
        "Your 1:1 with {} — answer y for each item you discussed.",
        agenda.person
    );
    for section in &agenda.sections {
        for item in &section.items {
            let Some(id) = item.id else { continue };
            let a = ask(&format!(
                "[{}] #{id} {} — discussed? [y/N] ",
                section.title, item.text
            ))?;
            if a.trim().eq_ignore_ascii_case("y") || a.trim().eq_ignore_ascii_case("yes") {
                discussed.push(id);
            }
        }
    }
    let n = ask("Notes (one line, empty for none): ")?;
    *notes = validate_text("notes", &n)?;
    loop {
        let a = ask("Action agreed, as TEXT@me or TEXT@them[:DUE] (empty to finish): ")?;
        if a.trim().is_empty() {
            break;
        }
        match parse_action(&a, today) {
            Ok(spec) => actions.push(spec),
            Err(e) => eprintln!("{}", crate::error::domain(&e)),
        }
    }
    if discussed.is_empty() && notes.is_none() && actions.is_empty() {
        let a = ask("Nothing discussed — record the 1:1 anyway? [y/N] ")?;
        if !a.trim().eq_ignore_ascii_case("y") {
            bail!("nothing recorded");
        }
    }
    Ok(())
}
