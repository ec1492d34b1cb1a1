//! `upward`: the command line. It only parses, loads, calls the domain's rules and prints;
//! the rules live in `upward-domain`, storage in `upward-store`, texts in `upward-render`.

mod backups;
mod cli;
mod command;
mod context;
mod editor;
mod error;
mod output;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        // The transaction of the command rolls back as the process unwinds: say so.
        eprintln!(
            "error: upward hit a bug ({}) — nothing was written; please report it",
            info.to_string().replace('\n', " ")
        );
    }));
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    match command::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if output::is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            if let Some(usage) = e.downcast_ref::<error::Usage>() {
                eprintln!("error: {}", printable_line(&usage.0));
                return ExitCode::from(2);
            }
            eprintln!("error: {}", printable_line(&error::message(&e)));
            ExitCode::from(1)
        }
    }
}

/// Prints clap's help and version as they are, and a usage error as one line (with the
/// accepted values when clap knows them), exit code 2.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
        _ => {}
    }
    let text = e.render().to_string();
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines
        .next()
        .unwrap_or("error: bad usage")
        .trim_start_matches("error: ")
        .to_string();
    let mut extra = Vec::new();
    for line in lines {
        if let Some(values) = line
            .strip_prefix("[possible values: ")
            .and_then(|l| l.strip_suffix(']'))
        {
            extra.push(format!("accepted: {values}"));
        } else if let Some(tip) = line.strip_prefix("tip: ") {
            extra.push(tip.to_string());
        } else if let Some(usage) = line.strip_prefix("Usage: ") {
            extra.push(format!("usage: {usage}"));
        }
    }
    let mut msg = first;
    if !extra.is_empty() {
        msg.push_str(" — ");
        msg.push_str(&extra.join("; "));
    }
    eprintln!("error: {}", printable_line(&msg));
    ExitCode::from(2)
}

/// An error message as one line that is safe to print: the input it quotes may hold
/// newlines and control characters (an escape sequence would be replayed to the terminal).
/// Unlike `upward_domain::words::one_line`, which folds free text for reading, this keeps
/// every character of the message and shows control characters escaped.
fn printable_line(msg: &str) -> String {
    msg.chars()
        .map(|c| match c {
            '\n' => " ".to_string(),
            c if c.is_control() => c.escape_default().to_string(),
            c => c.to_string(),
        })
        .collect()
}
