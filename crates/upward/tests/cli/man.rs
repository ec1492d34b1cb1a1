//! `upward man`: the man page, generated from the clap definitions, one file holding every
//! command, readable by man(1).

use crate::harness::Env;

#[test]
fn the_man_page_has_every_command_and_its_options_and_needs_no_database() {
    let env = Env::new();
    let page = env.ok(&["man"]);
    assert!(page.contains(".TH upward 1"), "{}", &page[..200]);
    assert!(
        page.contains(".SH NAME\nupward \\- Manage up"),
        "{}",
        &page[..400]
    );
    assert!(page.contains(".SH COMMANDS"));
    // Every command is a subsection, subcommands under their full name; flags are there.
    for name in [
        "upward init",
        "upward add",
        "upward person add",
        "upward meeting undo",
        "upward import\\-git",
        "upward import\\-jrnl",
        "upward import\\-task",
        "upward calendar",
        "upward man",
        "upward completions",
    ] {
        assert!(
            page.contains(&format!(".SS \"{name}\"\n")),
            "no section for {name}"
        );
    }
    assert!(page.contains("\\-\\-author"), "import-git's flags");
    assert!(page.contains("\\-\\-edit"), "add's and edit's --edit");
    assert!(
        !page.contains("upward\\-add(1)"),
        "one page: no reference to pages not installed"
    );
    assert!(!env.db.exists(), "the man page opens no database");
    // man(1) reads it, when it is there (it is on Debian).
    if std::process::Command::new("man")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        let file = env.path("upward.1");
        std::fs::write(&file, &page).unwrap();
        let out = env
            .command_for("man")
            .env("MANWIDTH", "80")
            .args(["-l", file.to_str().unwrap()])
            .output()
            .unwrap();
        // Without a terminal man overstrikes bold text (`u\x08u`): keep the letters.
        let mut text = String::new();
        for c in String::from_utf8_lossy(&out.stdout).chars() {
            if c == '\x08' {
                text.pop();
            } else {
                text.push(c);
            }
        }
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(text.contains("upward import-git"), "{text}");
    }
}
