//! `upward import-git`, `import-jrnl` and `import-task` (docs/importers.md): each reads its
//! source, proposes items, and adds them only with `--yes` or as the user accepts each one on
//! a terminal; otherwise it is a dry run that prints what it would add.

use crate::context::Ctx;
use crate::output::{hint, print, print_json};
use anyhow::{Context as _, Result, anyhow, bail};
use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use upward_domain::importers::git::Commit;
use upward_domain::importers::{self, Candidate, Proposal};
use upward_domain::{Kind, parse_date};
use upward_store::StoreExt;

/// The kinds each importer adds (where it looks for what it imported before).
const GIT_KINDS: &[Kind] = &[Kind::Win];
const JRNL_KINDS: &[Kind] = &[Kind::Win, Kind::Note];
const TASK_KINDS: &[Kind] = &[Kind::Promise, Kind::Action];

pub fn git(ctx: &Ctx, repos: Vec<PathBuf>, author: &str, since: &str, yes: bool) -> Result<()> {
    let today = ctx.clock.today;
    let author = author.trim();
    if author.is_empty() || author.chars().any(char::is_control) {
        bail!(
            "--author `{}` is not valid — accepted: the email of your commits, as `git log` shows it",
            author.escape_debug()
        );
    }
    let since_date = parse_date(since, today)?;
    if since_date > today {
        bail!(
            "--since {since_date} is in the future — accepted: a past date such as 2026-09-01, -2w or 3 weeks ago"
        );
    }
    let repos = if repos.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        repos
    };
    let mut commits: Vec<Commit> = Vec::new();
    let mut seen = HashSet::new();
    let mut others: BTreeMap<String, usize> = BTreeMap::new();
    let mut names = Vec::new();
    for path in &repos {
        let read = read_commits(path, author, since_date, &mut others)?;
        names.push(read.0);
        for c in read.1 {
            if seen.insert(c.id.clone()) {
                commits.push(c);
            }
        }
    }
    if commits.is_empty() && !others.is_empty() {
        let mut by: Vec<(&String, &usize)> = others.iter().collect();
        by.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let list: Vec<String> = by
            .iter()
            .take(3)
            .map(|(e, n)| format!("{e} ({n})"))
            .collect();
        hint(&format!(
            "no commits by {author} since {since_date}; the authors since then: {}",
            list.join(", ")
        ));
    }
    let known = ctx
        .store_read_only()?
        .read(|tx| upward_app::importers::known(tx, GIT_KINDS))?;
    let proposal = importers::git::propose(&commits, &known, today);
    let header =
        upward_render::importers::git_header(author, since_date, &names, commits.len(), &proposal);
    finish(ctx, "git", &header, proposal, GIT_KINDS, yes)
}

pub fn jrnl(ctx: &Ctx, file: &Path, yes: bool) -> Result<()> {
    let text = read_text(file, "jrnl --export json > FILE")?;
    let proposal = importers::jrnl::propose(&text, ctx.clock.today)
        .map_err(|e| anyhow!("{}: {}", file.display(), crate::error::domain(&e)))?;
    let known = ctx
        .store_read_only()?
        .read(|tx| upward_app::importers::known(tx, JRNL_KINDS))?;
    let proposal = proposal.without(&known);
    let header = upward_render::importers::file_header("jrnl", file, &proposal);
    finish(ctx, "jrnl", &header, proposal, JRNL_KINDS, yes)
}

pub fn task(ctx: &Ctx, file: &Path, yes: bool) -> Result<()> {
    let text = read_text(file, "task export > FILE")?;
    // Taskwarrior keeps UTC; its dates are the user's days.
    let tz = jiff::tz::TimeZone::system();
    let proposal = importers::task::propose(&text, &tz, ctx.clock.today)
        .map_err(|e| anyhow!("{}: {}", file.display(), crate::error::domain(&e)))?;
    let known = ctx
        .store_read_only()?
        .read(|tx| upward_app::importers::known(tx, TASK_KINDS))?;
    let proposal = proposal.without(&known);
    let header = upward_render::importers::file_header("taskwarrior", file, &proposal);
    finish(ctx, "taskwarrior", &header, proposal, TASK_KINDS, yes)
}

/// Reads an export: the file, or standard input for `-`.
fn read_text(file: &Path, made_by: &str) -> Result<String> {
    let bytes = if file == Path::new("-") {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf)
            .context("cannot read standard input")?;
        buf
    } else {
        std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?
    };
    String::from_utf8(bytes).map_err(|_| {
        anyhow!(
            "{} is not UTF-8 text — give the JSON file written by `{made_by}`",
            file.display()
        )
    })
}

/// The dry run, the questions on a terminal, or everything with `--yes`; then one
/// transaction adds what was accepted.
fn finish(
    ctx: &Ctx,
    importer: &str,
    header: &str,
    proposal: Proposal,
    kinds: &[Kind],
    yes: bool,
) -> Result<()> {
    let accepted: Vec<Candidate> = if yes {
        proposal.candidates.clone()
    } else if ctx.interactive && !ctx.json && !proposal.candidates.is_empty() {
        ask(header, &proposal)?
    } else {
        if ctx.json {
            return print_json(&upward_render::importers::json(importer, &proposal, None));
        }
        return print(&format!(
            "{}\n{}",
            upward_render::importers::proposal(header, &proposal),
            upward_render::importers::dry_run_footer(&proposal)
        ));
    };
    let imported = if accepted.is_empty() {
        upward_app::importers::Imported::default()
    } else {
        ctx.store()?
            .write(|tx| upward_app::importers::add(tx, &accepted, kinds, &ctx.clock))?
    };
    if ctx.json {
        return print_json(&upward_render::importers::json(
            importer,
            &proposal,
            Some(&imported.added),
        ));
    }
    let mut out = String::new();
    if yes {
        out.push_str(&format!("{header}\n"));
    }
    out.push_str(&upward_render::importers::added(
        &imported.added,
        imported.already_imported,
    ));
    print(&out)
}

/// Asks for each candidate: y adds it, n (or nothing) leaves it out, q stops asking.
fn ask(header: &str, proposal: &Proposal) -> Result<Vec<Candidate>> {
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut out = std::io::stdout();
    writeln!(out, "{header}")?;
    let mut accepted = Vec::new();
    let n = proposal.candidates.len();
    for (i, c) in proposal.candidates.iter().enumerate() {
        write!(
            out,
            "\n{}Add this {} ({} of {n})? [y/N/q] ",
            upward_render::importers::candidate(i + 1, c),
            c.kind,
            i + 1
        )?;
        out.flush()?;
        let answer = match lines.next().transpose()? {
            Some(a) => a.trim().to_lowercase(),
            None => "q".to_string(),
        };
        match answer.as_str() {
            "y" | "yes" => accepted.push(c.clone()),
            "q" | "quit" => break,
            _ => {}
        }
    }
    writeln!(out)?;
    Ok(accepted)
}

/// The commits of `author` since `since` on the current branch of the repository at `path`
/// (everything reachable from HEAD, merges included), with its name; the other authors since
/// then are counted into `others` (for the hint when none is theirs).
fn read_commits(
    path: &Path,
    author: &str,
    since: jiff::civil::Date,
    others: &mut BTreeMap<String, usize>,
) -> Result<(String, Vec<Commit>)> {
    let repo = git2::Repository::discover(path).map_err(|e| {
        anyhow!(
            "{} is not in a git repository ({}) — give the path of a repository, or run this inside one",
            path.display(),
            e.message().trim_end_matches('.')
        )
    })?;
    let name = repo
        .workdir()
        .unwrap_or_else(|| repo.path())
        .canonicalize()
        .ok()
        .and_then(|p| {
            let p = if p.ends_with(".git") {
                p.parent()?.to_path_buf()
            } else {
                p
            };
            p.file_name().map(|n| n.to_string_lossy().to_string())
        })
        .unwrap_or_else(|| "repository".to_string());
    let git_err = |e: git2::Error| anyhow!("cannot read {}: {}", path.display(), e.message());
    let head = match repo.head() {
        Ok(h) => h,
        Err(e) if e.code() == git2::ErrorCode::UnbornBranch => return Ok((name, Vec::new())),
        Err(e) => return Err(git_err(e)),
    };
    let head = head.peel_to_commit().map_err(git_err)?;
    let mut walk = repo.revwalk().map_err(git_err)?;
    walk.push(head.id()).map_err(git_err)?;
    let mut commits = Vec::new();
    for oid in walk {
        let commit = repo.find_commit(oid.map_err(git_err)?).map_err(git_err)?;
        let sig = commit.author();
        let when = sig.when();
        let offset = jiff::tz::Offset::from_seconds(when.offset_minutes() * 60)
            .unwrap_or(jiff::tz::Offset::UTC);
        let Ok(ts) = jiff::Timestamp::from_second(when.seconds()) else {
            continue;
        };
        let date = ts
            .to_zoned_datetime(jiff::tz::TimeZone::fixed(offset))
            .date();
        if date < since {
            continue;
        }
        let email = String::from_utf8_lossy(sig.email_bytes()).to_string();
        if !email.eq_ignore_ascii_case(author) {
            *others.entry(email).or_default() += 1;
            continue;
        }
        let message = String::from_utf8_lossy(commit.message_bytes()).to_string();
        let (subject, body) = match message.trim_start().split_once('\n') {
            Some((s, b)) => (s.trim().to_string(), b.trim().to_string()),
            None => (message.trim().to_string(), String::new()),
        };
        commits.push(Commit {
            id: commit.id().to_string(),
            repo: name.clone(),
            date,
            subject,
            body,
            merge: commit.parent_count() > 1,
            dirs: top_dirs(&repo, &commit).map_err(git_err)?,
        });
    }
    Ok((name, commits))
}

/// The top directories a commit changed against its first parent (the empty tree for the
/// first commit), with how many paths each; `""` for files at the top.
fn top_dirs(
    repo: &git2::Repository,
    commit: &git2::Commit,
) -> Result<Vec<(String, usize)>, git2::Error> {
    let tree = commit.tree()?;
    let parent = match commit.parent(0) {
        Ok(p) => Some(p.tree()?),
        Err(_) => None,
    };
    let diff = repo.diff_tree_to_tree(parent.as_ref(), Some(&tree), None)?;
    let mut dirs: BTreeMap<String, usize> = BTreeMap::new();
    for delta in diff.deltas() {
        let Some(path) = delta.new_file().path().or_else(|| delta.old_file().path()) else {
            continue;
        };
        let mut parts = path.components();
        let first = parts.next();
        let top = match (first, parts.next()) {
            (Some(dir), Some(_)) => dir.as_os_str().to_string_lossy().to_string(),
            _ => String::new(),
        };
        *dirs.entry(top).or_default() += 1;
    }
    Ok(dirs.into_iter().collect())
}
