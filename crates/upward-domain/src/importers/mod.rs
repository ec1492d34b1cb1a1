//! Importers (docs/importers.md): what git, jrnl and Taskwarrior already hold, proposed as
//! items, so that impact is tracked without typing it twice. Pure rules: the front end reads
//! the repository or the file; these decide what each commit, entry or task becomes
//! ([`Candidate`]), and how an item already imported is recognised.
//!
//! **Where an item came from** is kept in two places that an export and an import carry as
//! they are:
//! - its UUID is derived from its source (a name-based UUID, version 5, of `jrnl:…`,
//!   `taskwarrior:…` or the commits of a git win), so the same entry imported twice, or on two
//!   devices whose workspaces are merged later, is the same item;
//! - its body ends with a line `source: NAME KEY…` ([`source_line`]) that says so in words;
//!   for git the keys are the commits (12 hex digits each), and a commit named on the source
//!   line of any win is not proposed again, whatever win it was grouped into.

pub mod git;
pub mod jrnl;
pub mod metrics;
pub mod task;

use crate::{Clock, DomainError, Item, ItemInput, Kind, Status};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::HashSet;
use uuid::Uuid;

/// The namespace of the UUIDs of imported items (fixed forever: changing it would import
/// everything again).
const NAMESPACE: Uuid = Uuid::from_u128(0x29ae_a718_c425_433a_a59d_5d04_b7e9_3c4a);

/// The start of the line that ends an imported item's body.
pub const SOURCE_PREFIX: &str = "source: ";

/// What one commit group, journal entry or task would become.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub kind: Kind,
    pub title: String,
    /// Ends with the source line.
    pub body: String,
    pub status: Status,
    /// When it happened in the source (never after today).
    pub created: Date,
    /// A win's date.
    pub date: Option<Date>,
    pub due: Option<Date>,
    pub done: Option<Date>,
    pub metric: Option<String>,
    pub tags: Vec<String>,
    pub uuid: Uuid,
    /// `git`, `jrnl` or `taskwarrior`, and the keys of the source line.
    pub source: String,
    /// For git: the commits it is made of, 12 hex digits each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub commits: Vec<String>,
}

/// An entry of the source that is not proposed, and why (a deleted task).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    pub title: String,
    pub source: String,
    pub why: String,
}

/// What a source holds, sorted out: what would be added, what was left out and why.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Proposal {
    pub candidates: Vec<Candidate>,
    pub skipped: Vec<Skipped>,
    /// Entries (for git: commits) imported before, not proposed again.
    pub already_imported: usize,
}

/// The UUID of the item imported from `key` (`jrnl:2026-09-14 09:30 Title`).
pub fn uuid_for(key: &str) -> Uuid {
    Uuid::new_v5(&NAMESPACE, key.as_bytes())
}

/// The line that ends an imported item's body: `source: git 1a2b3c4d5e6f 9f8e7d6c5b4a`.
pub fn source_line(source: &str) -> String {
    format!("{SOURCE_PREFIX}{source}")
}

/// `text`, then a blank line and the source line.
pub fn with_source(text: &str, source: &str) -> String {
    let text = text.trim_end();
    if text.is_empty() {
        source_line(source)
    } else {
        format!("{text}\n\n{}", source_line(source))
    }
}

/// The commits named on the `source: git …` lines of a body.
pub fn git_commits_in(body: &str) -> impl Iterator<Item = String> + '_ {
    body.lines()
        .filter_map(|l| l.trim().strip_prefix(SOURCE_PREFIX)?.strip_prefix("git "))
        .flat_map(str::split_whitespace)
        .filter(|k| k.len() >= git::SHORT && k.chars().all(|c| c.is_ascii_hexdigit()))
        .map(|k| k[..git::SHORT].to_ascii_lowercase())
}

/// What is in the workspace already, as importers recognise it.
#[derive(Debug, Clone, Default)]
pub struct Known {
    pub uuids: HashSet<Uuid>,
    /// Commits on the source lines of wins (12 hex digits).
    pub commits: HashSet<String>,
}

impl Known {
    /// From the items that may have been imported (the kinds an importer adds).
    pub fn of(items: &[Item]) -> Known {
        let mut known = Known::default();
        for item in items {
            known.uuids.insert(item.uuid);
            if let Some(body) = &item.body {
                known.commits.extend(git_commits_in(body));
            }
        }
        known
    }

    /// Whether `c` is there already: its UUID, or one of its commits.
    pub fn has(&self, c: &Candidate) -> bool {
        self.uuids.contains(&c.uuid) || c.commits.iter().any(|k| self.commits.contains(k))
    }
}

impl Proposal {
    /// Moves each candidate that an item could not hold (a body over 1 MiB, control
    /// characters, a date out of range) to the skipped ones, saying why, so that one bad
    /// entry does not stop the others.
    pub fn checked(mut self) -> Proposal {
        let mut kept = Vec::with_capacity(self.candidates.len());
        for c in self.candidates {
            match c.check() {
                Ok(()) => kept.push(c),
                Err(e) => self.skipped.push(Skipped {
                    title: c.title.clone(),
                    source: c.source.clone(),
                    why: e.to_string(),
                }),
            }
        }
        self.candidates = kept;
        self
    }

    /// Leaves out the candidates already there, counting them.
    pub fn without(mut self, known: &Known) -> Proposal {
        let before = self.candidates.len();
        self.candidates.retain(|c| !known.has(c));
        self.already_imported += before - self.candidates.len();
        self
    }
}

/// A tag from a topic, a project or a jrnl tag: lowercase, spaces and commas as `-`, at most
/// 64 characters; `None` when nothing is left.
pub fn tag_of(text: &str) -> Option<String> {
    let t: String = text
        .trim()
        .trim_start_matches(['#', '@', '+'])
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_whitespace() || c == ',' {
                '-'
            } else {
                c
            }
        })
        .filter(|c| !c.is_control())
        .take(64)
        .collect();
    (!t.is_empty()).then_some(t)
}

/// Free text as a body holds it: control characters other than newlines and tabs (which a
/// terminal would act on) are left out.
pub fn printable(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

/// A title as items take it: one line, at most [`crate::item::MAX_TITLE`] characters (the
/// rest is cut at a word and marked `…`; the body keeps the whole text).
pub fn title_of(text: &str) -> String {
    let line: String = crate::words::one_line(text)
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    let max = crate::item::MAX_TITLE;
    if line.chars().count() <= max {
        return line.trim().to_string();
    }
    let cut: String = line.chars().take(max - 1).collect();
    let cut = match cut.rfind(' ') {
        Some(at) if at > max / 2 => &cut[..at],
        _ => &cut,
    };
    format!("{}…", cut.trim_end())
}

impl Candidate {
    /// Whether an item can hold it: its title, texts, tags and dates are valid.
    pub fn check(&self) -> Result<(), DomainError> {
        crate::item::validate_title(&self.title)?;
        crate::item::validate_text("body", &self.body)?;
        if let Some(m) = &self.metric {
            crate::item::validate_text("metric", m)?;
        }
        crate::item::validate_tags(self.tags.clone())?;
        for d in [Some(self.created), self.date, self.due, self.done]
            .into_iter()
            .flatten()
        {
            crate::check_date(d)?;
        }
        Ok(())
    }

    /// The item it becomes, as of `clock`.
    pub fn item(&self, clock: &Clock) -> Result<Item, DomainError> {
        let win = self.kind == Kind::Win;
        let mut item = Item::new(
            self.kind,
            ItemInput {
                title: Some(self.title.clone()),
                body: Some(self.body.clone()),
                tags: Some(self.tags.clone()),
                due: self.due,
                metric: if win { self.metric.clone() } else { None },
                date: if win { self.date } else { None },
                ..ItemInput::default()
            },
            clock,
            0,
        )?;
        item.uuid = self.uuid;
        item.created = self.created.min(clock.today);
        if self.status == Status::Done && item.status == Status::Open {
            item.finish(self.done.unwrap_or(item.created).min(clock.today), clock)?;
        }
        Ok(item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_uuid_of_a_source_is_the_same_every_time_and_differs_between_sources() {
        assert_eq!(uuid_for("taskwarrior:abc"), uuid_for("taskwarrior:abc"));
        assert_ne!(uuid_for("taskwarrior:abc"), uuid_for("taskwarrior:abd"));
        assert_eq!(uuid_for("x").get_version_num(), 5);
    }

    #[test]
    fn commits_are_read_from_source_lines_only() {
        let body =
            "- 2026-10-02 fix (upward 1a2b3c4d5e6f)\n\nsource: git 1A2B3C4D5E6F 9f8e7d6c5b4a0011";
        let got: Vec<String> = git_commits_in(body).collect();
        assert_eq!(got, ["1a2b3c4d5e6f", "9f8e7d6c5b4a"]);
        // Near misses: a hash elsewhere in the body, a line of another source, a short key.
        assert_eq!(git_commits_in("fixed 1a2b3c4d5e6f in prod").count(), 0);
        assert_eq!(git_commits_in("source: jrnl 1a2b3c4d5e6f").count(), 0);
        assert_eq!(git_commits_in("source: git 1a2b3c").count(), 0);
    }

    #[test]
    fn tags_are_one_lowercase_word() {
        assert_eq!(tag_of("@Billing").as_deref(), Some("billing"));
        assert_eq!(tag_of("billing.ledger").as_deref(), Some("billing.ledger"));
        assert_eq!(
            tag_of("Q1 planning, room").as_deref(),
            Some("q1-planning--room")
        );
        assert_eq!(tag_of("@"), None);
    }

    #[test]
    fn a_candidate_an_item_cannot_hold_is_skipped_with_why() {
        let good = Candidate {
            kind: Kind::Note,
            title: "Fine".into(),
            body: "ok".into(),
            status: Status::Open,
            created: "2026-09-14".parse().unwrap(),
            date: None,
            due: None,
            done: None,
            metric: None,
            tags: vec![],
            uuid: uuid_for("a"),
            source: "jrnl entry of 2026-09-14".into(),
            commits: vec![],
        };
        let huge = Candidate {
            body: "x".repeat(crate::item::MAX_TEXT + 1),
            ..good.clone()
        };
        let old = Candidate {
            due: Some("0001-01-01".parse().unwrap()),
            ..good.clone()
        };
        let p = Proposal {
            candidates: vec![good, huge, old],
            ..Proposal::default()
        }
        .checked();
        assert_eq!(p.candidates.len(), 1);
        assert_eq!(p.skipped.len(), 2);
        assert!(p.skipped[0].why.contains("1 MiB"), "{}", p.skipped[0].why);
        assert!(
            p.skipped[1].why.contains("0001-01-01"),
            "{}",
            p.skipped[1].why
        );
        assert_eq!(printable("a\x1b[31mb\tc\n"), "a[31mb\tc\n");
    }

    #[test]
    fn a_long_title_is_cut_at_a_word() {
        let long = "word ".repeat(400);
        let t = title_of(&long);
        assert!(t.chars().count() <= crate::item::MAX_TITLE);
        assert!(t.ends_with("word…"));
        assert_eq!(title_of("  two\nlines "), "two lines");
    }
}
