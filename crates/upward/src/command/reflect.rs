//! `upward reflect [NAME]`: the five review questions, scored 1–5, stored, with the trend.

use crate::context::Ctx;
use crate::output::{print, print_json};
use anyhow::{Result, anyhow, bail};
use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use upward_domain::item::validate_text;
use upward_domain::{AREAS, parse_area, parse_score};
use upward_store::StoreExt;

pub fn run(
    ctx: &Ctx,
    name: Option<String>,
    scores: Vec<String>,
    answers: Vec<String>,
) -> Result<()> {
    let mut score_map = BTreeMap::new();
    for s in &scores {
        let (area, n) = split(s, "--score", "AREA=N, such as rapport=4")?;
        score_map.insert(parse_area(area)?.to_string(), parse_score(n)?);
    }
    let mut answer_map = BTreeMap::new();
    for a in &answers {
        let (area, text) = split(
            a,
            "--answer",
            "AREA=TEXT, such as visibility=\"they missed the migration\"",
        )?;
        if let Some(t) = validate_text("answer", text)? {
            answer_map.insert(parse_area(area)?.to_string(), t);
        }
    }
    if score_map.is_empty() && answer_map.is_empty() {
        if !ctx.interactive || ctx.json {
            bail!(
                "give scores with --score AREA=N (areas: priorities, expectations, delivery, visibility, rapport; N from 1 to 5), or run on a terminal to be asked"
            );
        }
        ask(&mut score_map, &mut answer_map)?;
    }
    let clock = ctx.clock;
    let trend = ctx.store()?.write(|tx| {
        upward_app::workflows::reflect(tx, name.as_deref(), score_map, answer_map, &clock)
    })?;
    if ctx.json {
        return print_json(&upward_render::reflect::json(&trend));
    }
    print(&upward_render::reflect::text(&trend))
}

fn split<'a>(s: &'a str, flag: &str, accepted: &str) -> Result<(&'a str, &'a str)> {
    s.split_once('=')
        .ok_or_else(|| anyhow!("{flag} `{s}` is not valid — accepted: {accepted}"))
}

/// Asks the five questions on the terminal.
fn ask(scores: &mut BTreeMap<String, u8>, answers: &mut BTreeMap<String, String>) -> Result<()> {
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    for (area, question) in AREAS {
        loop {
            print!("{question}\n  score 1–5 (empty to skip): ");
            std::io::stdout().flush()?;
            let line = lines.next().transpose()?.unwrap_or_default();
            if line.trim().is_empty() {
                break;
            }
            match parse_score(&line) {
                Ok(n) => {
                    scores.insert(area.to_string(), n);
                    break;
                }
                Err(e) => eprintln!("  {}", crate::error::domain(&e)),
            }
        }
        print!("  in a few words (optional): ");
        std::io::stdout().flush()?;
        let line = lines.next().transpose()?.unwrap_or_default();
        if let Some(t) = validate_text("answer", &line)? {
            answers.insert(area.to_string(), t);
        }
    }
    Ok(())
}
