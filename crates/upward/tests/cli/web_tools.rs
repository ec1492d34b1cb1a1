//! Where the outside tools of the tests of `upward serve` are (Chromium, chromedriver, axe-core,
//! schemathesis), and the skip rule.
//!
//! `scripts/web-tools` installs and checks them and prints their paths as `UPWARD_*` variables;
//! `scripts/test` (and so CI) exports those before `cargo test`. A bare `cargo test` on a laptop
//! without them skips the suites that need them, saying so on stderr; with `UPWARD_NO_SKIP` (set
//! by scripts/test) or `CI` set, a missing tool fails the test instead, so that neither can pass
//! by skipping.

use std::io::Write;
use std::path::PathBuf;

/// The file named by the environment variable `var` (one `scripts/web-tools` prints), or `None`
/// (the caller skips) when it is not set on a laptop. Panics when it is set but the file is not
/// there, or when it is not set and skipping is not allowed.
pub fn tool(var: &str, suite: &str) -> Option<PathBuf> {
    match std::env::var_os(var) {
        Some(path) if !path.is_empty() => {
            let path = PathBuf::from(path);
            assert!(
                path.is_file(),
                "{var}={} is not a file: run scripts/web-tools again",
                path.display()
            );
            Some(path)
        }
        _ if skipping_forbidden() => panic!(
            "{var} is not set, and CI or UPWARD_NO_SKIP is: the {suite} must run \
             (scripts/test sets it from scripts/web-tools: eval \"$(scripts/web-tools)\")"
        ),
        _ => {
            // Straight to the process's stderr: the test harness swallows the output of a test
            // that passes, and a skip must be seen.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: the {suite} need {var} (run: eval \"$(scripts/web-tools)\"; scripts/test does)"
            );
            None
        }
    }
}

fn skipping_forbidden() -> bool {
    std::env::var_os("CI").is_some() || std::env::var_os("UPWARD_NO_SKIP").is_some()
}
