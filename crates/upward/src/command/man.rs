//! `upward man`: the man page, upward(1), generated with clap_mangen from the same clap
//! definitions as `--help`, so it cannot drift from them. One page holds every command (a
//! COMMANDS section with each one's synopsis, description and options), so that the README's
//! install line is one file: `upward man > ~/.local/share/man/man1/upward.1`.

use crate::cli::Cli;
use anyhow::Result;
use clap::CommandFactory;
use clap_mangen::Man;

/// The page, as roff.
pub fn page() -> Result<String> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let man = Man::new(cmd.clone()).date("");
    let mut out: Vec<u8> = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    out.extend_from_slice(b".SH COMMANDS\n");
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        command_section(sub, &mut out)?;
    }
    man.render_extra_section(&mut out)?;
    man.render_version_section(&mut out)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// One command (and each of its own subcommands) as a subsection: its synopsis, what it
/// does, its options.
fn command_section(cmd: &clap::Command, out: &mut Vec<u8>) -> Result<()> {
    let subs: Vec<&clap::Command> = cmd.get_subcommands().filter(|s| !s.is_hide_set()).collect();
    if !subs.is_empty() {
        for sub in subs {
            command_section(sub, out)?;
        }
        return Ok(());
    }
    let name = cmd.get_bin_name().unwrap_or_else(|| cmd.get_name());
    out.extend_from_slice(format!(".SS \"{}\"\n", name.replace('-', "\\-")).as_bytes());
    let man = Man::new(cmd.clone());
    let mut part: Vec<u8> = Vec::new();
    man.render_synopsis_section(&mut part)?;
    man.render_description_section(&mut part)?;
    let has_options = cmd.get_arguments().any(|a| !a.is_hide_set());
    if has_options {
        man.render_options_section(&mut part)?;
    }
    // Each part's own section headings become paragraphs of this subsection.
    for line in String::from_utf8_lossy(&part).lines() {
        let line = match line {
            ".SH SYNOPSIS" | ".SH DESCRIPTION" => ".PP",
            ".SH OPTIONS" => ".PP\nOptions:",
            l if l.starts_with(".SH ") => continue,
            l => l,
        };
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    Ok(())
}
