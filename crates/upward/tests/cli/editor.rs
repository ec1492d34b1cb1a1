//! `add KIND TITLE --edit` and `edit ID --edit`: the body written in `$VISUAL` or `$EDITOR`
//! (else vi), on a private temporary file holding the current body. A fake editor (a shell
//! script) stands in for the user: it records what it was given and writes a known body.

use crate::harness::{Env, id};
use std::path::PathBuf;
use std::process::Output;

/// An editor script that records the file's mode and content (in `seen-mode`, `seen-body`
/// beside it), then writes `body` into it (or fails with `exit`, when given).
fn editor(env: &Env, name: &str, body: &str, exit: Option<i32>) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let dir = env.path("editor");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let body_file = dir.join(format!("{name}.body"));
    std::fs::write(&body_file, body).unwrap();
    let script = format!(
        "#!/bin/sh\n# The file is the last argument (an editor may be given options first).\nfor f; do :; done\nstat -c %a \"$f\" > '{dir}/seen-mode'\ncp \"$f\" '{dir}/seen-body'\necho \"$@\" > '{dir}/seen-args'\n{}cat '{}' > \"$f\"\n",
        exit.map(|c| format!("exit {c}\n")).unwrap_or_default(),
        body_file.display(),
        dir = dir.display(),
    );
    std::fs::write(&path, script).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn seen(env: &Env, what: &str) -> String {
    std::fs::read_to_string(env.path("editor").join(format!("seen-{what}"))).unwrap_or_default()
}

fn run_with(env: &Env, vars: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = env.command();
    for (k, v) in vars {
        c.env(k, v);
    }
    c.args(args).output().unwrap()
}

fn ok_with(env: &Env, vars: &[(&str, &str)], args: &[&str]) -> String {
    let out = run_with(env, vars, args);
    assert!(
        out.status.success(),
        "upward {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Fails with exit 1, one error line, and the database as it was; returns the line.
fn fails_with(env: &Env, vars: &[(&str, &str)], args: &[&str]) -> String {
    let before = env.state();
    let out = run_with(env, vars, args);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(1), "upward {args:?}: {stderr}");
    assert!(out.stdout.is_empty());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert_eq!(env.state(), before, "upward {args:?} changed the database");
    stderr.trim_end().to_string()
}

#[test]
fn add_takes_the_body_from_the_editor_on_a_private_file() {
    let env = Env::new().with_people();
    let ed = editor(
        &env,
        "ed",
        "Context for Dana:\n- the vendor slipped\n",
        None,
    );
    let out = ok_with(
        &env,
        &[("EDITOR", ed.to_str().unwrap())],
        &[
            "--json",
            "add",
            "risk",
            "Vendor late",
            "--severity",
            "high",
            "--edit",
        ],
    );
    let item: serde_json::Value = serde_json::from_str(&out).unwrap();
    // What was written, without the final newline editors add.
    assert_eq!(item["body"], "Context for Dana:\n- the vendor slipped");
    assert_eq!(item["severity"], "high");
    assert_eq!(seen(&env, "mode").trim(), "600");
    assert_eq!(seen(&env, "body"), "", "a new item's editor starts empty");
}

#[test]
fn edit_opens_the_current_body_and_visual_comes_before_editor() {
    let env = Env::new().with_people();
    let n = id(&env.json(&["add", "note", "Roadmap", "--body", "First draft"]));
    let visual = editor(&env, "visual", "Second draft", None);
    let other = editor(&env, "other", "never used", None);
    let text = ok_with(
        &env,
        &[
            ("VISUAL", visual.to_str().unwrap()),
            ("EDITOR", other.to_str().unwrap()),
        ],
        &["edit", &n, "--edit", "--tag", "q1"],
    );
    assert!(text.starts_with("Updated note #"), "{text}");
    assert_eq!(seen(&env, "body"), "First draft");
    let item = env.json(&["show", &n]);
    assert_eq!(
        (item["body"].as_str(), item["tags"][0].as_str()),
        (Some("Second draft"), Some("q1"))
    );
    // An editor given with options, as `code --wait` is.
    let with_args = format!(
        "{} --wait",
        editor(&env, "third", "Third draft", None).display()
    );
    ok_with(&env, &[("EDITOR", &with_args)], &["edit", &n, "--edit"]);
    assert_eq!(env.json(&["show", &n])["body"], "Third draft");
    assert!(
        seen(&env, "args").starts_with("--wait "),
        "{}",
        seen(&env, "args")
    );
}

#[test]
fn a_failing_editor_or_an_empty_body_changes_nothing_and_says_so() {
    let env = Env::new().with_people();
    let n = id(&env.json(&["add", "note", "Roadmap", "--body", "Kept"]));
    let failing = editor(&env, "failing", "Lost", Some(3));
    let err = fails_with(
        &env,
        &[("EDITOR", failing.to_str().unwrap())],
        &["edit", &n, "--edit"],
    );
    assert!(
        err.contains("failed (exit 3)") && err.contains(&format!("nothing was changed on #{n}")),
        "{err}"
    );
    let err = fails_with(
        &env,
        &[("EDITOR", failing.to_str().unwrap())],
        &["add", "note", "New", "--edit"],
    );
    assert!(err.contains("nothing was added"), "{err}");
    let empty = editor(&env, "empty", "  \n\n", None);
    let err = fails_with(
        &env,
        &[("EDITOR", empty.to_str().unwrap())],
        &["add", "note", "New", "--edit"],
    );
    assert_eq!(
        err,
        "error: the body came back empty from the editor — nothing was added"
    );
    let err = fails_with(
        &env,
        &[("EDITOR", empty.to_str().unwrap())],
        &["edit", &n, "--edit"],
    );
    assert!(err.contains("empty"), "{err}");
    // An editor that is not there: the shell says so, then upward.
    let missing = env.path("no-such-editor");
    let out = run_with(
        &env,
        &[("EDITOR", missing.to_str().unwrap())],
        &["edit", &n, "--edit"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let last = stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("error: the editor") && last.contains("failed (exit 127)"),
        "{stderr}"
    );
    assert_eq!(env.json(&["show", &n])["body"], "Kept");
}

#[test]
fn an_unchanged_body_writes_nothing() {
    let env = Env::new().with_people();
    let n = id(&env.json(&["add", "note", "Roadmap", "--body", "Same"]));
    let same = editor(&env, "same", "Same\n", None);
    let before = env.state();
    let text = ok_with(
        &env,
        &[("EDITOR", same.to_str().unwrap())],
        &["edit", &n, "--edit"],
    );
    assert_eq!(
        text.trim(),
        format!("The body of #{n} is unchanged — nothing was written.")
    );
    assert_eq!(env.state(), before);
}

#[test]
fn edit_and_body_together_are_a_usage_error() {
    let env = Env::new().with_people();
    let err = env.fails(2, &["add", "note", "X", "--body", "b", "--edit"]);
    assert!(err.contains("--edit") && err.contains("--body"), "{err}");
    // An item that does not exist, or a field of another kind, is refused before any editor
    // opens.
    let ed = editor(&env, "ed", "text", None);
    let err = fails_with(
        &env,
        &[("EDITOR", ed.to_str().unwrap())],
        &["edit", "99", "--edit"],
    );
    assert!(err.contains("#99"), "{err}");
    let n = id(&env.json(&["add", "note", "Roadmap"]));
    let err = fails_with(
        &env,
        &[("EDITOR", ed.to_str().unwrap())],
        &["edit", &n, "--edit", "--severity", "high"],
    );
    assert!(err.contains("--severity does not apply to a note"), "{err}");
    let err = fails_with(
        &env,
        &[("EDITOR", ed.to_str().unwrap())],
        &["add", "promise", "Doc", "--with", "Nobody", "--edit"],
    );
    assert!(err.contains("no person named"), "{err}");
    assert_eq!(seen(&env, "mode"), "", "the editor was not opened");
}
