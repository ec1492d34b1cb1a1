//! `upward import-git`: win candidates from merged work (docs/importers.md#git). The front end
//! reads the commits (with libgit2) and gives them here as [`Commit`]s; these rules group
//! them by topic and keep the numbers in their messages as metrics.
//!
//! A commit's topic is, first that applies:
//! 1. the scope of a conventional commit: `feat(billing): …` → `billing`;
//! 2. a ticket at the start of the subject: `PAY-412: …`, `[PAY-412] …` → `PAY-412`;
//! 3. the top directory with the most paths changed (against the first parent: for a merge,
//!    everything it merged), ties by name; files at the top of the repository, or no change
//!    at all, → the repository's name.
//!
//! Topics are compared without case. Each topic is one candidate win.

use super::{Candidate, Known, Proposal, metrics, tag_of, title_of, uuid_for, with_source};
use crate::{Kind, Status};
use jiff::civil::Date;
use std::collections::BTreeMap;

/// How many hex digits of a commit id are kept on a source line.
pub const SHORT: usize = 12;

/// The most characters of the lead commit's words in a candidate's title (the body has them
/// all).
const TITLE_WHAT: usize = 120;

/// `text` cut at a word to at most `max` characters, marked `…`.
fn shortened(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max - 1).collect();
    let cut = match cut.rfind(' ') {
        Some(at) if at > max / 2 => &cut[..at],
        _ => &cut,
    };
    format!("{}…", cut.trim_end_matches([' ', ',', ';', ':']))
}

/// A commit as the front end read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Commit {
    /// The full id (hex).
    pub id: String,
    /// The name of its repository (its directory's).
    pub repo: String,
    /// The author's date, in the author's own time zone.
    pub date: Date,
    /// The first line of the message.
    pub subject: String,
    /// The rest of the message.
    pub body: String,
    /// More than one parent.
    pub merge: bool,
    /// The top directories changed against the first parent, with how many paths each
    /// (`""` for files at the top of the repository).
    pub dirs: Vec<(String, usize)>,
}

/// Where a topic came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopicFrom {
    Scope,
    Ticket,
    Directory,
}

impl Commit {
    /// The id as source lines keep it.
    pub fn short(&self) -> String {
        self.id
            .chars()
            .take(SHORT)
            .collect::<String>()
            .to_ascii_lowercase()
    }

    /// What the commit says it did: its subject, or for a merge of a pull request
    /// (`Merge pull request #42 from …`) the title of the request, the first line of its
    /// body.
    pub fn headline(&self) -> &str {
        if self.merge
            && self.subject.starts_with("Merge pull request ")
            && let Some(first) = self.body.lines().map(str::trim).find(|l| !l.is_empty())
        {
            return first;
        }
        self.subject.trim()
    }

    /// Its topic and where the topic came from (the module's rule).
    pub fn topic(&self) -> (String, TopicFrom) {
        let (scope, rest) = conventional(self.headline());
        if let Some(scope) = scope {
            return (scope.to_lowercase(), TopicFrom::Scope);
        }
        if let Some((ticket, _)) = ticket(rest) {
            return (ticket.to_string(), TopicFrom::Ticket);
        }
        let top = self
            .dirs
            .iter()
            .filter(|(d, n)| !d.is_empty() && *n > 0)
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)));
        match top {
            Some((dir, _)) => (dir.to_lowercase(), TopicFrom::Directory),
            None => (self.repo.to_lowercase(), TopicFrom::Directory),
        }
    }

    /// The headline without its conventional type and scope or its ticket, as a title reads
    /// it: `feat(billing): cut p99` → `Cut p99`.
    pub fn what(&self) -> String {
        let (_, rest) = conventional(self.headline());
        let rest = match ticket(rest) {
            Some((_, after)) if !after.trim().is_empty() => after,
            _ => rest,
        };
        let rest = rest.trim();
        let mut chars = rest.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => self.subject.trim().to_string(),
        }
    }

    /// The metrics in its message.
    pub fn metrics(&self) -> Vec<String> {
        metrics::extract(&format!("{}\n{}", self.subject, self.body))
    }
}

/// `type(scope)!: rest` → (the scope, rest); anything else → (None, the whole subject).
/// A type is one word of letters (`feat`, `fix`, `perf`); `feat: x` has no scope.
fn conventional(subject: &str) -> (Option<&str>, &str) {
    let Some(colon) = subject.find(':') else {
        return (None, subject);
    };
    let head = subject[..colon].trim_end_matches('!');
    let rest = &subject[colon + 1..];
    if !rest.starts_with(' ') {
        return (None, subject);
    }
    let (kind, scope) = match head.find('(') {
        Some(open) if head.ends_with(')') => (&head[..open], Some(&head[open + 1..head.len() - 1])),
        Some(_) => return (None, subject),
        None => (head, None),
    };
    let is_type =
        !kind.is_empty() && kind.len() <= 20 && kind.chars().all(|c| c.is_ascii_alphabetic());
    if !is_type {
        return (None, subject);
    }
    let scope = scope
        .map(str::trim)
        .filter(|s| !s.is_empty() && !s.chars().any(|c| c.is_whitespace() || c == ',' || c == ')'));
    (scope, rest.trim_start())
}

/// Names of standards spelled like a ticket (`UTF-8`, `SHA-256`), which are not one.
const NOT_TICKETS: &[&str] = &[
    "UTF", "UCS", "ISO", "SHA", "AES", "RSA", "TLS", "SSL", "HTTP", "IPV", "CVE", "RFC", "ECMA",
    "MD",
];

/// A ticket at the start: `PAY-412: rest`, `[PAY-412] rest`, `PAY-412 rest` → (the ticket,
/// the rest). A ticket is a project key (a capital letter, then capitals or digits, 2 to 10
/// in all, not the name of a standard such as `UTF`), `-`, and a number.
fn ticket(subject: &str) -> Option<(&str, &str)> {
    let s = subject.trim_start();
    let (s, bracket) = match s.strip_prefix('[') {
        Some(inner) => (inner, true),
        None => (s, false),
    };
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(s.len());
    let id = &s[..end];
    let (key, number) = id.split_once('-')?;
    let key_ok = (2..=10).contains(&key.len())
        && key.starts_with(|c: char| c.is_ascii_uppercase())
        && key
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && !NOT_TICKETS.contains(&key);
    let number_ok = !number.is_empty() && number.chars().all(|c| c.is_ascii_digit());
    if !key_ok || !number_ok {
        return None;
    }
    let mut rest = &s[end..];
    if bracket {
        rest = rest.strip_prefix(']')?;
    }
    let rest = rest.trim_start_matches(':');
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    Some((id, rest.trim_start()))
}

/// The win candidates of `commits` (any order, each once), grouped by topic: the groups with
/// the newest work first. Commits already on the source line of a win are left out and
/// counted; dates after `today` are taken as today.
pub fn propose(commits: &[Commit], known: &Known, today: Date) -> Proposal {
    let mut already = 0;
    let mut groups: BTreeMap<String, (String, Vec<&Commit>)> = BTreeMap::new();
    for c in commits {
        if known.commits.contains(&c.short()) {
            already += 1;
            continue;
        }
        let (label, _) = c.topic();
        groups
            .entry(label.to_lowercase())
            .or_insert_with(|| (label.clone(), Vec::new()))
            .1
            .push(c);
    }
    let mut candidates: Vec<Candidate> = groups
        .into_values()
        .map(|(label, mut group)| {
            group.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
            candidate(&label, &group, today)
        })
        .collect();
    candidates.sort_by(|a, b| b.date.cmp(&a.date).then(a.title.cmp(&b.title)));
    Proposal {
        candidates,
        skipped: Vec::new(),
        already_imported: already,
    }
    .checked()
}

/// One topic's commits (oldest first) as a win.
fn candidate(label: &str, group: &[&Commit], today: Date) -> Candidate {
    let newest = group.last().expect("a group has a commit");
    // The lead is the newest commit with a metric, else the newest.
    let lead = group
        .iter()
        .rev()
        .find(|c| !c.metrics().is_empty())
        .unwrap_or(newest);
    let more = group.len() - 1;
    let mut title = format!("{label}: {}", shortened(&lead.what(), TITLE_WHAT));
    if more > 0 {
        title.push_str(&format!(" (+{more} more)"));
    }
    let mut metrics: Vec<String> = Vec::new();
    for c in group.iter().rev() {
        for m in c.metrics() {
            if !metrics.iter().any(|x| x.eq_ignore_ascii_case(&m))
                && metrics.len() < metrics::MAX_METRICS
            {
                metrics.push(m);
            }
        }
    }
    let first = group[0].date.min(today);
    let last = newest.date.min(today);
    let commits: Vec<String> = group.iter().map(|c| c.short()).collect();
    let mut repos: Vec<&str> = group.iter().map(|c| c.repo.as_str()).collect();
    repos.dedup();
    let n = crate::words::count(group.len() as i64, "commit");
    let mut text = if first == last {
        format!("Merged work: {n} on {first}.\n")
    } else {
        format!("Merged work: {n} from {first} to {last}.\n")
    };
    for c in group {
        text.push_str(&format!(
            "- {} {} ({} {})\n",
            c.date.min(today),
            crate::words::one_line(&super::printable(c.headline())),
            c.repo,
            c.short()
        ));
    }
    let source = format!("git {}", commits.join(" "));
    Candidate {
        kind: Kind::Win,
        title: title_of(&title),
        body: with_source(&text, &source),
        status: Status::Done,
        created: last,
        date: Some(last),
        due: None,
        done: Some(last),
        metric: (!metrics.is_empty()).then(|| metrics.join(", ")),
        tags: tag_of(label).into_iter().collect(),
        uuid: uuid_for(&format!("git:{}", commits.join(","))),
        source,
        commits,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(id: &str, date: &str, subject: &str, dirs: &[(&str, usize)]) -> Commit {
        Commit {
            id: format!("{id:0<40}"),
            repo: "upward".into(),
            date: date.parse().unwrap(),
            subject: subject.into(),
            body: String::new(),
            merge: false,
            dirs: dirs.iter().map(|(d, n)| (d.to_string(), *n)).collect(),
        }
    }

    fn topic(subject: &str, dirs: &[(&str, usize)]) -> (String, TopicFrom) {
        commit("a", "2026-10-01", subject, dirs).topic()
    }

    #[test]
    fn the_scope_of_a_conventional_commit_is_its_topic() {
        let t = topic("feat(Billing): cut p99", &[("crates", 3)]);
        assert_eq!(t, ("billing".into(), TopicFrom::Scope));
        assert_eq!(topic("fix(api)!: drop v1", &[]).0, "api");
        // Near misses: no scope, a space before the colon's text missing, a sentence.
        assert_eq!(topic("feat: cut p99", &[("web", 1)]).0, "web");
        assert_eq!(topic("feat(billing):cut", &[("web", 1)]).0, "web");
        assert_eq!(topic("Note to self (later): x", &[("web", 1)]).0, "web");
    }

    #[test]
    fn a_ticket_at_the_start_is_the_topic() {
        assert_eq!(
            topic("PAY-412: retry", &[("web", 1)]),
            ("PAY-412".into(), TopicFrom::Ticket)
        );
        assert_eq!(topic("[PAY-412] retry", &[]).0, "PAY-412");
        assert_eq!(topic("fix: OPS-7 rotate keys", &[]).0, "OPS-7");
        // Near misses: lowercase, a ticket later in the subject, UTF-8, a date.
        assert_eq!(topic("pay-412: retry", &[("web", 1)]).0, "web");
        assert_eq!(topic("retry PAY-412", &[("web", 1)]).0, "web");
        assert_eq!(topic("UTF-8 everywhere", &[("web", 1)]).0, "web");
        assert_eq!(topic("PAY-412x retry", &[("web", 1)]).0, "web");
    }

    #[test]
    fn else_the_top_directory_with_the_most_changes() {
        assert_eq!(
            topic("tidy", &[("api", 2), ("web", 5)]),
            ("web".into(), TopicFrom::Directory)
        );
        // A tie goes to the first name; files at the top go to the repository.
        assert_eq!(topic("tidy", &[("web", 2), ("api", 2)]).0, "api");
        assert_eq!(topic("tidy", &[("", 4)]).0, "upward");
        assert_eq!(topic("tidy", &[]).0, "upward");
    }

    #[test]
    fn a_merged_pull_request_reads_as_its_title() {
        let mut c = commit(
            "m",
            "2026-10-01",
            "Merge pull request #42 from alex/cache",
            &[("web", 9)],
        );
        c.merge = true;
        c.body = "\nperf(checkout): cache totals, p99 -38%\n".into();
        assert_eq!(c.headline(), "perf(checkout): cache totals, p99 -38%");
        assert_eq!(c.topic().0, "checkout");
        assert_eq!(c.what(), "Cache totals, p99 -38%");
        // Near miss: a merge of a branch keeps its subject.
        c.subject = "Merge branch 'main' into cache".into();
        assert_eq!(c.headline(), "Merge branch 'main' into cache");
    }

    #[test]
    fn commits_of_a_topic_make_one_win_newest_topics_first() {
        let commits = vec![
            commit(
                "a1",
                "2026-10-02",
                "feat(billing): cut invoice p99 by 38%",
                &[],
            ),
            commit(
                "b1",
                "2026-10-05",
                "docs: onboarding guide saves 20 min",
                &[("docs", 1)],
            ),
            commit("a2", "2026-10-20", "fix(Billing): retry ledger writes", &[]),
        ];
        let p = propose(&commits, &Known::default(), "2026-11-23".parse().unwrap());
        assert_eq!(p.candidates.len(), 2);
        let billing = &p.candidates[0];
        assert_eq!(billing.title, "billing: Cut invoice p99 by 38% (+1 more)");
        assert_eq!(billing.metric.as_deref(), Some("p99 by 38%"));
        assert_eq!(billing.date, Some("2026-10-20".parse().unwrap()));
        assert_eq!(billing.tags, ["billing"]);
        assert_eq!(billing.commits, ["a10000000000", "a20000000000"]);
        assert!(
            billing
                .body
                .starts_with("Merged work: 2 commits from 2026-10-02 to 2026-10-20.\n")
        );
        assert!(
            billing
                .body
                .ends_with("\n\nsource: git a10000000000 a20000000000")
        );
        assert_eq!(p.candidates[1].title, "docs: Onboarding guide saves 20 min");
    }

    #[test]
    fn a_long_subject_is_shortened_in_the_title_and_kept_in_the_body() {
        let long = format!("feat(api): {}", "make the handler faster ".repeat(10));
        let p = propose(
            &[commit("a", "2026-10-02", &long, &[])],
            &Known::default(),
            "2026-11-23".parse().unwrap(),
        );
        let c = &p.candidates[0];
        assert!(
            c.title.chars().count() <= "api: ".len() + TITLE_WHAT,
            "{}",
            c.title
        );
        assert!(c.title.ends_with("handler…"), "{}", c.title);
        assert!(c.body.contains(long.trim()));
    }

    #[test]
    fn a_commit_on_a_source_line_is_not_proposed_again() {
        let commits = vec![
            commit("a1", "2026-10-02", "feat(billing): one", &[]),
            commit("a2", "2026-10-20", "feat(billing): two", &[]),
        ];
        let known = Known {
            commits: ["a10000000000".to_string()].into(),
            ..Known::default()
        };
        let p = propose(&commits, &known, "2026-11-23".parse().unwrap());
        assert_eq!(p.already_imported, 1);
        assert_eq!(p.candidates.len(), 1);
        assert_eq!(p.candidates[0].title, "billing: Two");
        assert_eq!(p.candidates[0].commits, ["a20000000000"]);
    }
}
