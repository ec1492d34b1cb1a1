//! One module per command. Each parses its arguments into domain values, runs one
//! transaction, calls the domain's rules and prints.

mod add;
mod backup;
mod calendar;
mod check;
mod config;
mod decline;
mod doctor;
mod edit;
mod export;
mod import;
mod importers;
mod init;
mod intake;
mod list;
mod man;
mod meet;
mod meetings;
mod nudges;
mod person;
mod prep;
mod reflect;
mod remote;
mod review;
mod search;
mod serve;
mod server;
mod show;
mod tour;
mod update;

use crate::cli::{Cli, Command};
use crate::context::Ctx;
use anyhow::{Result, anyhow};

pub fn run(cli: Cli) -> Result<()> {
    if let Command::Completions { shell } = cli.command {
        let mut cmd = <Cli as clap::CommandFactory>::command();
        clap_complete::generate(shell, &mut cmd, "upward", &mut std::io::stdout());
        return Ok(());
    }
    if let Command::Man = cli.command {
        return crate::output::print(&man::page()?);
    }
    // The team server has its own database (--database URL): no personal workspace is opened.
    let command = match cli.command {
        Command::Server { command } => return server::run(command),
        other => other,
    };
    let ctx = Ctx::new(cli.db, cli.json, cli.no_color)?;
    let result = dispatch(&ctx, command);
    if result.is_err() && ctx.created_db.get() {
        // A command that failed leaves no trace: not even the empty database it created
        // (unless another process is using it or has written to it meanwhile).
        let _ = upward_store_sqlite::SqliteStore::remove_if_unused_and_empty(&ctx.db);
    }
    result
}

fn dispatch(ctx: &Ctx, command: Command) -> Result<()> {
    match command {
        Command::Init { me, role, manager } => init::run(ctx, &me, role, manager),
        Command::Person(cmd) => person::run(ctx, cmd),
        Command::Add {
            kind,
            title,
            fields,
        } => add::run(ctx, &kind, title, fields),
        Command::List {
            kind,
            with,
            status,
            since,
            tag,
        } => list::run(ctx, kind, with, status, since, tag),
        Command::Show { id } => show::run(ctx, &id),
        Command::Edit {
            id,
            title,
            fields,
            private,
        } => edit::edit(ctx, &id, title, fields, private),
        Command::Done { id, date } => edit::done(ctx, &id, date),
        Command::Drop { id, why } => edit::drop(ctx, &id, why),
        Command::Reopen { id } => edit::reopen(ctx, &id),
        Command::Search { query, limit } => search::run(ctx, &query, limit),
        Command::Prep { name, shared, all } => prep::run(ctx, name, shared, all),
        Command::Meetings { name } => meetings::list(ctx, name),
        Command::Meeting { command } => match command {
            crate::cli::MeetingCommand::Show { id } => meetings::show(ctx, &id),
            crate::cli::MeetingCommand::Undo { id } => meetings::undo(ctx, &id),
        },
        Command::Declines { name } => decline::list(ctx, name),
        Command::Meet {
            name,
            date,
            discussed,
            notes,
            shared_notes,
            action,
            consent_asked,
        } => meet::run(
            ctx,
            meet::Args {
                name,
                date,
                discussed,
                notes,
                shared_notes,
                actions: action,
                consent_asked,
            },
        ),
        Command::Update {
            name,
            since,
            channel,
            length,
            brief,
            sent,
        } => update::run(ctx, name, since, channel, length, brief, sent),
        Command::Intake {
            title,
            from,
            due,
            effort,
            accept,
            rank,
        } => intake::run(ctx, title, &from, &due, &effort, accept, rank),
        Command::Decline {
            title,
            from,
            reason,
            alternative,
            after,
            sent,
        } => decline::run(ctx, title, &from, reason, alternative, after, sent),
        Command::Review { from, to, format } => review::run(ctx, from, to, format),
        Command::Nudges { all } => nudges::run(ctx, all),
        Command::Check { text, feedback } => check::run(ctx, text, feedback),
        Command::Reflect {
            name,
            score,
            answer,
        } => reflect::run(ctx, name, score, answer),
        Command::Export { format, output } => export::run(ctx, format, output),
        Command::Import { file, merge } => import::run(ctx, &file, merge),
        Command::ImportGit {
            repos,
            author,
            since,
            yes,
        } => importers::git(ctx, repos, &author, &since, yes),
        Command::ImportJrnl { file, yes } => importers::jrnl(ctx, &file, yes),
        Command::ImportTask { file, yes } => importers::task(ctx, &file, yes),
        Command::Calendar { output } => calendar::run(ctx, output),
        Command::Backup { file } => backup::run(ctx, file),
        Command::Doctor { restore, export } => doctor::run(ctx, restore, export),
        Command::Tour => tour::run(ctx),
        Command::Serve { port, no_open } => serve::run(ctx, port, no_open),
        Command::Config => config::run(ctx),
        Command::Remote { command } => match command {
            crate::cli::RemoteCommand::Login {
                url,
                email,
                password_stdin,
            } => remote::login(ctx, &url, &email, password_stdin),
            crate::cli::RemoteCommand::Status => remote::status(ctx),
            crate::cli::RemoteCommand::Logout => remote::logout(ctx),
            crate::cli::RemoteCommand::Accept { id } => remote::accept(ctx, &id),
            crate::cli::RemoteCommand::Leave { name } => remote::leave(ctx, &name),
            crate::cli::RemoteCommand::Invite { name } => remote::invite(ctx, &name),
        },
        Command::Share { what } => remote::share(ctx, &what, true),
        Command::Unshare { id } => remote::share(ctx, &id, false),
        Command::Sync => remote::sync(ctx),
        Command::Completions { .. } | Command::Server { .. } | Command::Man => {
            unreachable!("handled before the context is built")
        }
    }
}

/// Parses an item id as users type it (`12` or `#12`).
pub fn parse_id(s: &str) -> Result<i64> {
    s.trim()
        .trim_start_matches('#')
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| {
            anyhow!(
                "item id `{}` is not valid — accepted: a number such as 12 (`upward list` shows them)",
                s.escape_debug()
            )
        })
}
