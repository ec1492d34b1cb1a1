//! `upward import-jrnl FILE.json`: a jrnl journal, from `jrnl --export json`
//! (docs/importers.md#jrnl).
//!
//! Each entry becomes one item:
//! - tagged `@win` (any case, any of jrnl's tag symbols): a **win** on the entry's date, with
//!   the numbers of its title and body as its metric;
//! - else a **note**, made on the entry's date.
//!
//! The title is the entry's title, the body its body (then the source line); the other tags
//! become tags, without their symbol; a starred entry is also tagged `starred`. Its key is
//! its date, time and title: `jrnl:2026-09-14 09:30 Cut checkout p99 by 38%…`.

use super::{
    Candidate, Proposal, Skipped, metrics, printable, tag_of, title_of, uuid_for, with_source,
};
use crate::{DomainError, Kind, Status};
use jiff::civil::Date;
use serde::Deserialize;

/// jrnl's JSON export: `{"tags": {…}, "entries": [ … ]}` (only the entries are read).
#[derive(Debug, Deserialize)]
struct Export {
    entries: Vec<Entry>,
}

/// One entry as jrnl exports it.
#[derive(Debug, Deserialize)]
struct Entry {
    title: String,
    #[serde(default)]
    body: String,
    date: String,
    #[serde(default)]
    time: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    starred: bool,
}

/// The accepted form, for errors.
const ACCEPTED: &str = "the JSON that `jrnl --export json` writes: {\"entries\": [{\"title\", \"body\", \"date\", \"time\", \"tags\", \"starred\"}, …]}";

/// Reads a jrnl export and proposes an item for each entry (dates after `today` are taken
/// as today).
pub fn propose(json: &str, today: Date) -> Result<Proposal, DomainError> {
    let export: Export = serde_json::from_str(json)
        .map_err(|e| DomainError::invalid("jrnl export", format!("{e}"), ACCEPTED))?;
    let mut proposal = Proposal::default();
    for entry in export.entries {
        let key = format!(
            "{} {} {}",
            entry.date.trim(),
            entry.time.trim(),
            entry.title.trim()
        );
        let date: Date = match entry.date.trim().parse() {
            Ok(d) => d,
            Err(_) => {
                proposal.skipped.push(Skipped {
                    title: title_of(&entry.title),
                    source: format!("jrnl {key}"),
                    why: format!("its date `{}` is not a date such as 2026-09-14", entry.date),
                });
                continue;
            }
        };
        let title = title_of(&entry.title);
        if title.is_empty() {
            proposal.skipped.push(Skipped {
                title: String::new(),
                source: format!("jrnl {key}"),
                why: "it has no title".into(),
            });
            continue;
        }
        let bare: Vec<String> = entry.tags.iter().filter_map(|t| tag_of(t)).collect();
        let win = bare.iter().any(|t| t == "win");
        let mut tags: Vec<String> = Vec::new();
        for t in bare
            .into_iter()
            .chain(entry.starred.then(|| "starred".to_string()))
        {
            if t != "win" && !tags.contains(&t) {
                tags.push(t);
            }
        }
        let day = date.min(today);
        let source = format!("jrnl entry of {} {}", entry.date.trim(), entry.time.trim())
            .trim_end()
            .to_string();
        let metric = if win {
            let found = metrics::extract(&format!("{}\n{}", entry.title, entry.body));
            (!found.is_empty()).then(|| found.join(", "))
        } else {
            None
        };
        proposal.candidates.push(Candidate {
            kind: if win { Kind::Win } else { Kind::Note },
            title,
            body: with_source(&printable(entry.body.trim()), &source),
            status: if win { Status::Done } else { Status::Open },
            created: day,
            date: win.then_some(day),
            due: None,
            done: win.then_some(day),
            metric,
            tags,
            uuid: uuid_for(&format!("jrnl:{key}")),
            source,
            commits: Vec::new(),
        });
    }
    Ok(proposal.checked())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        "2026-11-23".parse().unwrap()
    }

    #[test]
    fn an_entry_tagged_win_is_a_win_and_others_are_notes() {
        let json = r##"{"tags": {}, "entries": [
          {"title": "Cut p99 by 38%.", "body": "@win @perf Since Friday.", "date": "2026-09-14",
           "time": "09:30", "tags": ["@win", "@perf"], "starred": false},
          {"title": "Talked to Dana.", "body": "About #Winter plans.", "date": "2026-09-21",
           "time": "17:45", "tags": ["#Winter"], "starred": true}
        ]}"##;
        let p = propose(json, today()).unwrap();
        let (win, note) = (&p.candidates[0], &p.candidates[1]);
        assert_eq!(win.kind, Kind::Win);
        assert_eq!(win.date, Some("2026-09-14".parse().unwrap()));
        assert_eq!(win.metric.as_deref(), Some("p99 by 38%"));
        assert_eq!(win.tags, ["perf"]);
        assert_eq!(
            win.body,
            "@win @perf Since Friday.\n\nsource: jrnl entry of 2026-09-14 09:30"
        );
        // Near miss: a tag that starts with "win" is not @win.
        assert_eq!(note.kind, Kind::Note);
        assert_eq!(note.tags, ["winter", "starred"]);
        assert_eq!(note.created, "2026-09-21".parse().unwrap());
        assert_eq!(note.metric, None);
        assert_ne!(win.uuid, note.uuid);
    }

    #[test]
    fn the_same_entry_has_the_same_uuid_and_a_changed_title_another() {
        let entry = |title: &str| {
            format!(
                r#"{{"entries": [{{"title": "{title}", "body": "", "date": "2026-09-14", "time": "09:00", "tags": [], "starred": false}}]}}"#
            )
        };
        let a = propose(&entry("One."), today()).unwrap();
        let b = propose(&entry("One."), today()).unwrap();
        let c = propose(&entry("One!"), today()).unwrap();
        assert_eq!(a.candidates[0].uuid, b.candidates[0].uuid);
        assert_ne!(a.candidates[0].uuid, c.candidates[0].uuid);
    }

    #[test]
    fn a_bad_date_is_skipped_and_a_file_of_another_shape_refused() {
        let json = r#"{"entries": [{"title": "x", "date": "14/09/2026"}]}"#;
        let p = propose(json, today()).unwrap();
        assert!(p.candidates.is_empty());
        assert!(p.skipped[0].why.contains("14/09/2026"));
        let err = propose(r#"[{"uuid": "x"}]"#, today())
            .unwrap_err()
            .to_string();
        assert!(err.contains("jrnl --export json"), "{err}");
    }

    #[test]
    fn an_entry_dated_after_today_counts_as_today() {
        let json = r#"{"entries": [{"title": "Soon.", "date": "2027-01-01", "tags": ["@win"]}]}"#;
        let p = propose(json, today()).unwrap();
        assert_eq!(p.candidates[0].date, Some(today()));
    }
}
