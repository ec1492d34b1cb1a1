//! `upward import-git`, `import-jrnl` and `import-task` (docs/importers.md) on real input: a git
//! repository made here with the `git` binary (commits by two authors, a merged pull request,
//! conventional commits, a ticket), and the jrnl and Taskwarrior exports that the real tools
//! wrote (tests/fixtures/imports/make-exports.sh made them). Each importer is a dry run first,
//! adds with --yes or what is accepted on a terminal, and adds nothing twice, also after an
//! export and an import into another workspace.

use crate::harness::Env;
use crate::workflows::on_terminal;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const ALEX: &str = "alex@example.com";
const SAM: &str = "sam@example.com";

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/imports/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// Runs `git` in `dir` as `email`, on `day` (author and committer), with no user config.
fn git(dir: &Path, email: &str, day: &str, args: &[&str]) -> String {
    let when = format!("{day}T10:00:00+01:00");
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", email.split('@').next().unwrap())
        .env("GIT_AUTHOR_EMAIL", email)
        .env("GIT_COMMITTER_NAME", email.split('@').next().unwrap())
        .env("GIT_COMMITTER_EMAIL", email)
        .env("GIT_AUTHOR_DATE", &when)
        .env("GIT_COMMITTER_DATE", &when)
        .output()
        .expect("the git binary runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Writes `files` and commits them.
fn commit(dir: &Path, email: &str, day: &str, files: &[&str], message: &str) -> String {
    for f in files {
        let path = dir.join(f);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, format!("{message} {day}\n")).unwrap();
    }
    git(dir, email, day, &["add", "-A"]);
    git(dir, email, day, &["commit", "-q", "-m", message]);
    git(dir, email, day, &["rev-parse", "HEAD"])
        .trim()
        .to_string()
}

/// A repository named `shop`: Alex's work since September (billing twice, a ticket, the build,
/// a pull request merged from a branch) beside Sam's commits and an older one of Alex's.
fn repo(env: &Env) -> PathBuf {
    let dir = env.path("shop");
    std::fs::create_dir_all(&dir).unwrap();
    git(&dir, ALEX, "2026-08-20", &["init", "-q", "-b", "main"]);
    commit(
        &dir,
        ALEX,
        "2026-08-20",
        &["README.md", "billing/ledger.rs", "web/app.js"],
        "chore: initial layout",
    );
    commit(
        &dir,
        ALEX,
        "2026-09-03",
        &["billing/invoice.rs"],
        "feat(billing): cut invoice p99 by 38%",
    );
    commit(
        &dir,
        SAM,
        "2026-09-10",
        &["billing/tax.rs"],
        "feat(billing): tax rules",
    );
    commit(
        &dir,
        ALEX,
        "2026-09-15",
        &["billing/retry.rs"],
        "PAY-412: retry ledger writes, saves 20 min of manual fixes per week",
    );
    commit(
        &dir,
        ALEX,
        "2026-09-20",
        &["ci/build.sh", "ci/cache.sh"],
        "Speed up the build\n\nBuilds are 3x faster with the cache.",
    );
    git(&dir, ALEX, "2026-10-01", &["checkout", "-q", "-b", "cache"]);
    commit(
        &dir,
        ALEX,
        "2026-10-01",
        &["checkout/cache.rs", "checkout/totals.rs"],
        "perf(checkout): cache totals",
    );
    git(&dir, ALEX, "2026-10-02", &["checkout", "-q", "main"]);
    commit(
        &dir,
        SAM,
        "2026-10-02",
        &["docs/guide.md"],
        "docs: tidy the guide",
    );
    git(
        &dir,
        ALEX,
        "2026-10-05",
        &[
            "merge",
            "-q",
            "--no-ff",
            "cache",
            "-m",
            "Merge pull request #42 from alex/cache",
            "-m",
            "perf(checkout): cache totals, p99 -12%",
        ],
    );
    commit(
        &dir,
        ALEX,
        "2026-10-06",
        &["billing/refund.rs"],
        "fix(billing): handle refunds",
    );
    dir
}

fn import_git(dir: &Path) -> Vec<String> {
    vec![
        "import-git".into(),
        dir.to_str().unwrap().into(),
        "--author".into(),
        "Alex@Example.com".into(),
        "--since".into(),
        "2026-09-01".into(),
    ]
}

fn args(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn titles(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn git_dry_run_groups_merged_work_by_topic_and_adds_nothing() {
    let env = Env::new().with_people();
    let dir = repo(&env);
    let before = env.state();
    let text = env.ok(&args(&import_git(&dir)));
    assert_eq!(env.state(), before, "a dry run adds nothing");
    assert!(
        text.starts_with("Merged work by Alex@Example.com since 2026-09-01 in shop: 6 commits \u{2192} 4 win candidates.\n"),
        "{text}"
    );
    assert!(text.contains("Dry run: nothing was added."), "{text}");
    let v = env.json(&args(&import_git(&dir)));
    assert_eq!(v["importer"], "git");
    assert_eq!(v["dry_run"], true);
    assert_eq!(v["added"], serde_json::json!([]));
    assert_eq!(
        titles(&v, "candidates"),
        [
            "billing: Cut invoice p99 by 38% (+1 more)",
            "checkout: Cache totals, p99 -12% (+1 more)",
            "ci: Speed up the build",
            "PAY-412: Retry ledger writes, saves 20 min of manual fixes per week",
        ]
    );
    let c = &v["candidates"];
    let metrics: Vec<&str> = (0..4).map(|i| c[i]["metric"].as_str().unwrap()).collect();
    assert_eq!(
        metrics,
        ["p99 by 38%", "p99 -12%", "3x faster", "saves 20 min"]
    );
    assert_eq!(c[0]["tags"], serde_json::json!(["billing"]));
    assert_eq!(c[3]["tags"], serde_json::json!(["pay-412"]));
    assert_eq!(c[0]["date"], "2026-10-06");
    assert_eq!(c[0]["kind"], "win");
    // The merge and the branch's commit are one topic: what the pull request merged.
    assert_eq!(c[1]["commits"].as_array().unwrap().len(), 2);
    let body = c[0]["body"].as_str().unwrap();
    assert!(body.starts_with("Merged work: 2 commits from 2026-09-03 to 2026-10-06.\n- 2026-09-03 feat(billing): cut invoice p99 by 38% (shop "), "{body}");
    let last = git(&dir, ALEX, "2026-10-06", &["rev-parse", "HEAD"]);
    assert!(
        body.ends_with(&format!(" {}", &last.trim()[..12])),
        "{body}"
    );
    assert!(
        !body.contains("tax rules") && !body.contains("initial layout"),
        "Sam's and older work are left out"
    );
}

#[test]
fn git_yes_adds_the_wins_once_and_later_only_new_commits() {
    let env = Env::new().with_people();
    let dir = repo(&env);
    let mut yes = import_git(&dir);
    yes.push("--yes".into());
    let v = env.json(&args(&yes));
    assert_eq!(v["dry_run"], false);
    assert_eq!(titles(&v, "added").len(), 4);
    let win = &v["added"][0];
    assert_eq!(
        (win["kind"].as_str(), win["status"].as_str()),
        (Some("win"), Some("done"))
    );
    assert_eq!(win["metric"], "p99 by 38%");
    assert_eq!(win["date"], "2026-10-06");
    assert_eq!(win["uuid"], v["candidates"][0]["uuid"]);
    // Again: every commit is on the source line of a win.
    let again = env.json(&args(&yes));
    assert_eq!(again["added"], serde_json::json!([]));
    assert_eq!(again["candidates"], serde_json::json!([]));
    assert_eq!(again["already_imported"], 6);
    // A new commit on a topic already imported is a candidate of its own.
    commit(
        &dir,
        ALEX,
        "2026-10-20",
        &["billing/void.rs"],
        "fix(billing): void twice-paid invoices",
    );
    let next = env.json(&args(&import_git(&dir)));
    assert_eq!(
        titles(&next, "candidates"),
        ["billing: Void twice-paid invoices"]
    );
    assert_eq!(next["already_imported"], 6);
    // After an export and an import into another workspace, still nothing twice.
    let file = env.path("export.json");
    env.ok(&["export", "-o", file.to_str().unwrap()]);
    let other = Env::new();
    other.ok(&["import", file.to_str().unwrap()]);
    let there = other.json(&args(&import_git(&dir)));
    assert_eq!(
        titles(&there, "candidates"),
        ["billing: Void twice-paid invoices"]
    );
}

#[test]
fn git_on_a_terminal_asks_for_each_candidate() {
    let env = Env::new().with_people();
    let dir = repo(&env);
    let line = format!(
        "import-git {} --author {ALEX} --since 2026-09-01",
        dir.display()
    );
    // Yes to the first, no to the second, quit at the third.
    let out = on_terminal(&env, &line, "y\nn\nq\n");
    assert!(out.contains("Add this win (1 of 4)? [y/N/q]"), "{out}");
    assert!(
        out.contains("(3 of 4)") && !out.contains("(4 of 4)"),
        "{out}"
    );
    assert!(out.contains("Added 1 item:"), "{out}");
    let wins = env.json(&["list", "win"]);
    assert_eq!(
        titles(&serde_json::json!({ "w": wins }), "w"),
        ["billing: Cut invoice p99 by 38% (+1 more)"]
    );
    // What was declined is proposed again next time.
    let v = env.json(&args(&import_git(&dir)));
    assert_eq!(titles(&v, "candidates").len(), 3);
}

#[test]
fn git_refuses_what_is_not_a_repository_a_future_date_and_no_author() {
    let env = Env::new().with_people();
    let not_repo = env.path("plain");
    std::fs::create_dir_all(&not_repo).unwrap();
    let p = not_repo.to_str().unwrap();
    let err = env.fails(
        1,
        &["import-git", p, "--author", ALEX, "--since", "2026-09-01"],
    );
    assert!(err.contains("is not in a git repository"), "{err}");
    let dir = repo(&env);
    let d = dir.to_str().unwrap();
    let err = env.fails(1, &["import-git", d, "--author", ALEX, "--since", "+3d"]);
    assert!(err.contains("in the future"), "{err}");
    let err = env.fails(
        1,
        &["import-git", d, "--author", ALEX, "--since", "someday"],
    );
    assert!(err.contains("does not parse"), "{err}");
    env.fails(2, &["import-git", d, "--since", "2026-09-01"]);
    // Nobody's commits: nothing proposed, and the authors there are named.
    let out = env.run(&[
        "import-git",
        d,
        "--author",
        "nobody@example.com",
        "--since",
        "2026-09-01",
    ]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("alex@example.com (6)") && stderr.contains("sam@example.com (2)"),
        "{stderr}"
    );
}

#[test]
fn jrnl_entries_become_wins_and_notes_once() {
    let env = Env::new().with_people();
    let file = fixture("jrnl.json");
    let before = env.state();
    let text = env.ok(&["import-jrnl", &file]);
    assert_eq!(env.state(), before, "a dry run adds nothing");
    assert!(
        text.contains("4 entries \u{2192} 2 wins, 2 notes."),
        "{text}"
    );
    let v = env.json(&["import-jrnl", &file, "--yes"]);
    let added = v["added"].as_array().unwrap();
    let kinds: Vec<&str> = added.iter().map(|i| i["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["win", "note", "win", "note"]);
    let win = &added[0];
    assert_eq!(
        win["title"],
        "Cut checkout p99 by 38% after the cache change."
    );
    assert_eq!(
        (win["date"].as_str(), win["created"].as_str()),
        (Some("2026-09-14"), Some("2026-09-14"))
    );
    assert_eq!(win["metric"], "p99 by 38%, p99 -38%");
    assert_eq!(win["tags"], serde_json::json!(["perf"]));
    assert!(
        win["body"]
            .as_str()
            .unwrap()
            .ends_with("\n\nsource: jrnl entry of 2026-09-14 09:30")
    );
    assert_eq!(
        added[2]["tags"],
        serde_json::json!(["starred"]),
        "a starred entry"
    );
    assert_eq!(added[2]["metric"], "saves 20 min");
    assert_eq!(
        (added[1]["status"].as_str(), added[1]["created"].as_str()),
        (Some("open"), Some("2026-09-21"))
    );
    assert_eq!(added[1]["tags"], serde_json::json!(["billing"]));
    let again = env.json(&["import-jrnl", &file, "--yes"]);
    assert_eq!(
        (
            again["added"].as_array().unwrap().len(),
            again["already_imported"].as_u64()
        ),
        (0, Some(4))
    );
    // The same entries in another workspace are the same items (name-based UUIDs), so a
    // merge of the two adds nothing twice either.
    let other = Env::new().with_people();
    let there = other.json(&["import-jrnl", &file, "--yes"]);
    assert_eq!(there["added"][0]["uuid"], win["uuid"]);
    let copy = other.path("other.json");
    other.ok(&["export", "-o", copy.to_str().unwrap()]);
    let merged = env.json(&["import", copy.to_str().unwrap(), "--merge"]);
    assert_eq!(
        env.json(&["list", "--status", "all"])
            .as_array()
            .unwrap()
            .len(),
        4,
        "{merged}"
    );
}

#[test]
fn taskwarrior_tasks_become_promises_and_actions_once() {
    let env = Env::new().with_people();
    let file = fixture("task.json");
    let run = |tz: &str, extra: &[&str]| -> Value {
        let out = env
            .command()
            .env("TZ", tz)
            .args(["--json", "import-task", &file])
            .args(extra)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    // Taskwarrior keeps UTC: the due date is the user's day (4 Dec 00:00 UTC is 3 Dec in
    // California).
    let dry = run("America/Los_Angeles", &[]);
    assert_eq!(dry["candidates"][0]["due"], "2026-12-03");
    let v = run("UTC", &["--yes"]);
    let added = v["added"].as_array().unwrap();
    let rows: Vec<(&str, &str, &str)> = added
        .iter()
        .map(|i| {
            (
                i["kind"].as_str().unwrap(),
                i["status"].as_str().unwrap(),
                i["title"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("promise", "open", "Send the design doc to Sam"),
            ("action", "open", "Write the ledger mock plan"),
            ("action", "open", "Book the Q1 planning room"),
            ("action", "open", "Ask for the Q1 headcount decision"),
            ("action", "done", "Review INFRA-2231 access request"),
        ]
    );
    assert_eq!(
        (added[0]["due"].as_str(), added[0]["created"].as_str()),
        (Some("2026-12-04"), Some("2026-11-02"))
    );
    assert_eq!(added[0]["tags"], serde_json::json!(["billing"]));
    assert_eq!(added[1]["owner"], "me");
    assert!(added[1]["body"].as_str().unwrap().starts_with(
        "- 2026-12-01: Dana asked for it before the vendor call\n\nsource: taskwarrior "
    ));
    assert_eq!(added[4]["done"], "2026-11-20");
    assert_eq!(v["skipped"][0]["title"], "Old idea nobody wants");
    assert_eq!(v["skipped"][0]["why"], "deleted in Taskwarrior");
    let again = run("UTC", &["--yes"]);
    assert_eq!(
        (
            again["added"].as_array().unwrap().len(),
            again["already_imported"].as_u64()
        ),
        (0, Some(5))
    );
}

#[test]
fn an_export_of_another_tool_or_no_file_is_one_error_line() {
    let env = Env::new().with_people();
    let err = env.fails(1, &["import-jrnl", &fixture("task.json")]);
    assert!(err.contains("jrnl --export json"), "{err}");
    let err = env.fails(1, &["import-task", &fixture("jrnl.json")]);
    assert!(err.contains("task export"), "{err}");
    let missing = env.path("missing.json");
    let err = env.fails(1, &["import-task", missing.to_str().unwrap()]);
    assert!(err.contains("cannot read"), "{err}");
    let binary = env.path("binary.json");
    std::fs::write(&binary, [0xff, 0xfe, 0x00]).unwrap();
    let err = env.fails(1, &["import-jrnl", binary.to_str().unwrap()]);
    assert!(err.contains("is not UTF-8"), "{err}");
}

#[test]
fn hostile_entries_are_left_out_with_why_and_never_stop_the_others() {
    let env = Env::new().with_people();
    let long_title = "word ".repeat(400);
    let huge_body = "x".repeat((1 << 20) + 1);
    let jrnl = serde_json::json!({"entries": [
        {"title": "Fine entry.", "body": "ok", "date": "2026-09-14", "time": "09:00", "tags": [], "starred": false},
        {"title": "Escape \u{1b}[31mred\u{7} title.", "body": "Body \u{1b}[2J with 38% \u{0}more", "date": "2026-09-15", "time": "09:00", "tags": ["@win", "@a b,c"], "starred": false},
        {"title": long_title, "body": "", "date": "2026-09-16", "time": "", "tags": []},
        {"title": "Huge.", "body": huge_body, "date": "2026-09-17", "tags": []},
        {"title": "Bad date.", "date": "2026-02-30", "tags": []},
        {"title": "Too old.", "date": "0001-01-01", "tags": []},
        {"title": "   ", "date": "2026-09-18", "tags": []},
        {"title": "\u{202e}RTL and emoji 🚀 שלום", "body": "'; DROP TABLE items; -- <script>", "date": "2026-09-19", "tags": ["#🚀"]}
    ]});
    let file = env.path("hostile-jrnl.json");
    std::fs::write(&file, jrnl.to_string()).unwrap();
    let v = env.json(&["import-jrnl", file.to_str().unwrap(), "--yes"]);
    let added: Vec<&str> = v["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(added.len(), 4, "{v}");
    assert_eq!(added[1], "Escape [31mred title.");
    assert!(added[2].ends_with("word…") && added[2].chars().count() <= 1000);
    assert_eq!(added[3], "\u{202e}RTL and emoji 🚀 שלום");
    let win = &v["added"][1];
    assert_eq!(
        win["body"],
        "Body [2J with 38% more\n\nsource: jrnl entry of 2026-09-15 09:00"
    );
    assert_eq!(win["tags"], serde_json::json!(["a-b-c"]));
    let why: Vec<&str> = v["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["why"].as_str().unwrap())
        .collect();
    assert_eq!(why.len(), 4, "{v}");
    assert!(
        why.iter().any(|w| w.contains("1 MiB")) && why.iter().any(|w| w.contains("2026-02-30"))
    );
    assert!(why.iter().any(|w| w.contains("0001-01-01")) && why.contains(&"it has no title"));

    let tasks = serde_json::json!([
        {"uuid": "u1", "description": "Fine", "status": "pending", "entry": "not a time", "due": "99999999T999999Z"},
        {"uuid": "u2", "description": "\u{1b}]0;title\u{7}Bell", "status": "completed", "entry": "20261001T000000Z", "end": "20301001T000000Z",
         "annotations": [{"entry": "bad", "description": "note \u{1b}[1m"}], "tags": ["promise", "a,b"]},
        {"uuid": "u3", "description": "", "status": "pending"},
        {"uuid": "u4", "description": "Odd", "status": "frozen"}
    ]);
    let file = env.path("hostile-task.json");
    std::fs::write(&file, tasks.to_string()).unwrap();
    let v = env.json(&["import-task", file.to_str().unwrap(), "--yes"]);
    let added = v["added"].as_array().unwrap();
    assert_eq!(added.len(), 2, "{v}");
    assert_eq!(
        (added[0]["due"].as_str(), added[0]["created"].as_str()),
        (None, Some("2026-11-23"))
    );
    assert_eq!(
        (added[1]["kind"].as_str(), added[1]["title"].as_str()),
        (Some("promise"), Some("]0;titleBell"))
    );
    assert_eq!(
        added[1]["done"], "2026-11-23",
        "a completion after today counts as today"
    );
    assert!(
        added[1]["body"]
            .as_str()
            .unwrap()
            .starts_with("- note [1m\n")
    );
    assert_eq!(v["skipped"].as_array().unwrap().len(), 2, "{v}");

    // A commit message with escape codes.
    let dir = env.path("hostile-repo");
    std::fs::create_dir_all(&dir).unwrap();
    git(&dir, ALEX, "2026-09-02", &["init", "-q", "-b", "main"]);
    commit(
        &dir,
        ALEX,
        "2026-09-03",
        &["a/x"],
        "fix(a): \u{1b}[31mred\u{1b}[0m p99 -5%",
    );
    let d = dir.to_str().unwrap();
    let v = env.json(&[
        "import-git",
        d,
        "--author",
        ALEX,
        "--since",
        "2026-09-01",
        "--yes",
    ]);
    assert_eq!(v["added"][0]["title"], "a: [31mred[0m p99 -5%");
    assert_eq!(v["added"][0]["metric"], "p99 -5%");
    assert!(!v["added"][0]["body"].as_str().unwrap().contains('\u{1b}'));
}
