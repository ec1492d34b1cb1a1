//! `upward import-task FILE.json`: Taskwarrior's tasks, from `task export`
//! (docs/importers.md#taskwarrior).
//!
//! Each task becomes one item:
//! - tagged `promise`: a **promise**; any other: an **action** of mine;
//! - pending (or waiting): open, with its due date; completed: done on the day it ended;
//! - deleted tasks, and the templates of recurring ones (their pending instances are tasks of
//!   their own), are left out and listed as skipped.
//!
//! The title is the description; the project and the other tags become tags; each annotation
//! is a line of the body (`- 2026-12-01: text`), then the source line. Its key is the task's
//! own UUID: `taskwarrior:8351242d-…`. Taskwarrior keeps times in UTC; a date is the day in
//! the time zone the front end gives (the user's).

use super::{Candidate, Proposal, Skipped, printable, tag_of, title_of, uuid_for, with_source};
use crate::{DomainError, Kind, Status};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Deserialize;

/// One task as `task export` writes it (the fields read).
#[derive(Debug, Deserialize)]
struct Task {
    uuid: String,
    description: String,
    status: String,
    entry: Option<String>,
    due: Option<String>,
    end: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    project: Option<String>,
    #[serde(default)]
    annotations: Vec<Annotation>,
}

#[derive(Debug, Deserialize)]
struct Annotation {
    entry: Option<String>,
    description: String,
}

/// The accepted form, for errors.
const ACCEPTED: &str = "the JSON that `task export` writes: [{\"uuid\", \"description\", \"status\", \"entry\", \"due\", \"end\", \"tags\", \"project\", \"annotations\"}, …]";

/// A Taskwarrior time (`20261204T000000Z`, UTC) as the day it is in `tz`.
pub fn day(stamp: &str, tz: &TimeZone) -> Option<Date> {
    let s = stamp.trim();
    let b = s.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i16>().ok();
    let dt = jiff::civil::DateTime::new(
        num(0..4)?,
        num(4..6)? as i8,
        num(6..8)? as i8,
        num(9..11)? as i8,
        num(11..13)? as i8,
        num(13..15)? as i8,
        0,
    )
    .ok()?;
    let ts = dt.to_zoned_datetime(TimeZone::UTC).ok()?.timestamp();
    Some(ts.to_zoned_datetime(tz.clone()).date())
}

/// Reads a `task export` and proposes an item for each task (dates after `today` are taken
/// as today).
pub fn propose(json: &str, tz: &TimeZone, today: Date) -> Result<Proposal, DomainError> {
    let tasks: Vec<Task> = serde_json::from_str(json)
        .map_err(|e| DomainError::invalid("Taskwarrior export", format!("{e}"), ACCEPTED))?;
    let mut proposal = Proposal::default();
    for task in tasks {
        let source = format!("taskwarrior {}", task.uuid.trim());
        let title = title_of(&task.description);
        let skip = |why: String| Skipped {
            title: title.clone(),
            source: source.clone(),
            why,
        };
        let status = match task.status.as_str() {
            "pending" | "waiting" => Status::Open,
            "completed" => Status::Done,
            "deleted" => {
                proposal.skipped.push(skip("deleted in Taskwarrior".into()));
                continue;
            }
            "recurring" => {
                proposal.skipped.push(skip(
                    "the template of a recurring task (its pending instances are imported)".into(),
                ));
                continue;
            }
            other => {
                proposal.skipped.push(skip(format!(
                    "its status `{other}` is not pending, waiting or completed"
                )));
                continue;
            }
        };
        if title.is_empty() {
            proposal.skipped.push(skip("it has no description".into()));
            continue;
        }
        let when = |v: &Option<String>| v.as_deref().and_then(|s| day(s, tz));
        let promise = task.tags.iter().any(|t| t.eq_ignore_ascii_case("promise"));
        let mut tags: Vec<String> = Vec::new();
        let named = task.project.iter().chain(task.tags.iter());
        for t in named
            .filter(|t| !t.eq_ignore_ascii_case("promise"))
            .filter_map(|t| tag_of(t))
        {
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        let notes: String = task
            .annotations
            .iter()
            .map(|a| match when(&a.entry) {
                Some(d) => format!("- {d}: {}\n", printable(a.description.trim())),
                None => format!("- {}\n", printable(a.description.trim())),
            })
            .collect();
        let created = when(&task.entry).unwrap_or(today).min(today);
        proposal.candidates.push(Candidate {
            kind: if promise { Kind::Promise } else { Kind::Action },
            title,
            body: with_source(&notes, &source),
            status,
            created,
            date: None,
            due: when(&task.due),
            done: (status == Status::Done).then(|| when(&task.end).unwrap_or(created).min(today)),
            metric: None,
            tags,
            uuid: uuid_for(&format!("taskwarrior:{}", task.uuid.trim().to_lowercase())),
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
    fn times_are_days_in_the_users_time_zone() {
        let utc = TimeZone::UTC;
        assert_eq!(
            day("20261204T000000Z", &utc),
            Some("2026-12-04".parse().unwrap())
        );
        // Set as 4 December in Berlin, stored as 23:00 UTC the day before.
        let berlin = TimeZone::fixed(jiff::tz::offset(1));
        assert_eq!(
            day("20261203T230000Z", &berlin),
            Some("2026-12-04".parse().unwrap())
        );
        assert_eq!(
            day("20261203T230000Z", &utc),
            Some("2026-12-03".parse().unwrap())
        );
        // Near misses: another format, a bad month.
        assert_eq!(day("2026-12-04T00:00:00Z", &utc), None);
        assert_eq!(day("20261304T000000Z", &utc), None);
    }

    #[test]
    fn pending_tasks_are_open_promises_or_actions_and_completed_ones_done() {
        let json = r#"[
          {"uuid": "A", "description": "Send the doc", "status": "pending", "entry": "20261102T000000Z",
           "due": "20261204T000000Z", "project": "billing", "tags": ["promise"]},
          {"uuid": "B", "description": "Write the plan", "status": "waiting", "entry": "20261109T000000Z",
           "annotations": [{"entry": "20261110T080000Z", "description": "Dana asked"}]},
          {"uuid": "C", "description": "Review access", "status": "completed", "entry": "20261020T000000Z",
           "end": "20261120T000000Z", "tags": ["ops", "Promises"]},
          {"uuid": "D", "description": "Old idea", "status": "deleted"},
          {"uuid": "E", "description": "Weekly report", "status": "recurring"}
        ]"#;
        let p = propose(json, &TimeZone::UTC, today()).unwrap();
        let c = &p.candidates;
        assert_eq!(c.len(), 3);
        assert_eq!((c[0].kind, c[0].status), (Kind::Promise, Status::Open));
        assert_eq!(c[0].due, Some("2026-12-04".parse().unwrap()));
        assert_eq!(c[0].tags, ["billing"]);
        assert_eq!((c[1].kind, c[1].status), (Kind::Action, Status::Open));
        assert_eq!(
            c[1].body,
            "- 2026-11-10: Dana asked\n\nsource: taskwarrior B"
        );
        // Near miss: a tag that is not exactly `promise` leaves it an action.
        assert_eq!((c[2].kind, c[2].status), (Kind::Action, Status::Done));
        assert_eq!(c[2].done, Some("2026-11-20".parse().unwrap()));
        assert_eq!(c[2].tags, ["ops", "promises"]);
        assert_eq!(p.skipped.len(), 2);
        assert_eq!(p.skipped[0].why, "deleted in Taskwarrior");
    }

    #[test]
    fn a_file_of_another_shape_is_refused() {
        let err = propose(r#"{"entries": []}"#, &TimeZone::UTC, today())
            .unwrap_err()
            .to_string();
        assert!(err.contains("task export"), "{err}");
    }
}
