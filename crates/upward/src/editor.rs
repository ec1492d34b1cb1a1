//! `--edit`: a body written in the user's editor (`$VISUAL`, else `$EDITOR`, else `vi`), as
//! git does for a commit message. The editor opens a private temporary file (mode 0600)
//! holding the current body; what was saved there is the new body. An editor that fails, or
//! a body left empty, changes nothing, and says so.

use anyhow::{Context as _, Result, anyhow, bail};
use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

/// The editor command: `$VISUAL`, else `$EDITOR`, else `vi` (empty values are skipped).
pub fn command() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "vi".to_string())
}

/// What the editor was left with.
pub enum Written {
    /// The new body (one final newline, which editors add, taken off).
    Body(String),
    /// The same text as before.
    Unchanged,
}

/// Opens the editor on `current` and returns what was saved. `nothing` says what stays as it
/// was when the editor fails or the body comes back empty ("nothing was added").
pub fn edit(current: &str, nothing: &str) -> Result<Written> {
    let mut file = tempfile::Builder::new()
        .prefix("upward-body-")
        .suffix(".md")
        .tempfile()
        .context("cannot make a temporary file for the editor")?;
    // tempfile creates it 0600: what the user writes about their manager stays private.
    file.write_all(current.as_bytes())
        .and_then(|_| file.flush())
        .context("cannot write the temporary file for the editor")?;
    let path: PathBuf = file.path().to_path_buf();
    let editor = command();
    // Through the shell, as git does, so that `EDITOR="code --wait"` works.
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$@\""))
        .arg(&editor)
        .arg(&path)
        .status()
        .map_err(|e| anyhow!("cannot start the editor `{editor}` ({e}) — {nothing}"))?;
    if !status.success() {
        let how = match status.code() {
            Some(code) => format!("exit {code}"),
            None => "killed".to_string(),
        };
        bail!(
            "the editor `{editor}` failed ({how}) — {nothing}; set VISUAL or EDITOR to the editor you use"
        );
    }
    let bytes = std::fs::read(&path)
        .with_context(|| format!("cannot read what the editor saved — {nothing}"))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow!("the editor saved text that is not UTF-8 — {nothing}"))?;
    let text = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(&text)
        .to_string();
    if text.trim().is_empty() {
        bail!("the body came back empty from the editor — {nothing}");
    }
    if text.trim_end() == current.trim_end() {
        return Ok(Written::Unchanged);
    }
    Ok(Written::Body(text))
}
