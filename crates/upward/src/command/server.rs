//! `upward server start | add-user | reset-password | disable-user` (crate upward-server;
//! docs/server.md). Each checks its input before it opens the database, so bad input is one
//! line and exit 1 with the database unchanged.

use crate::cli::ServerCommand;
use anyhow::{Context as _, Result, bail};
use std::io::{Read as _, Write as _};
use upward_server::admin;
use upward_server::config::{ServerConfig, check_database_url};
use upward_server::passwords::{Cost, Passwords, check_new_password};
use upward_server::{PublicUrl, ServerClock};

/// The base of links when no --public-url is given: the default listen address.
const DEFAULT_BASE: &str = "http://127.0.0.1:8080";

pub fn run(command: ServerCommand) -> Result<()> {
    match command {
        ServerCommand::Start {
            database,
            listen,
            public_url,
            trusted_proxy,
        } => start(
            &database.url,
            listen.as_deref(),
            public_url.as_deref(),
            trusted_proxy.as_deref(),
        ),
        ServerCommand::AddUser {
            email,
            name,
            database,
            password_stdin,
            public_url,
        } => add_user(
            &database.url,
            &email,
            &name,
            password_stdin,
            public_url.as_deref(),
        ),
        ServerCommand::ResetPassword {
            email,
            database,
            public_url,
        } => reset_password(&database.url, &email, public_url.as_deref()),
        ServerCommand::DisableUser { email, database } => disable_user(&database.url, &email),
    }
}

fn start(
    database: &str,
    listen: Option<&str>,
    public_url: Option<&str>,
    trusted_proxy: Option<&str>,
) -> Result<()> {
    let config = ServerConfig::new(database, listen, public_url, trusted_proxy)
        .map_err(anyhow::Error::msg)?;
    ServerClock::from_env().map_err(anyhow::Error::msg)?;
    upward_server::serve(config, |address| {
        println!("upward server is at {address}");
        let _ = std::io::stdout().flush();
    })
}

/// The base of the links printed: --public-url (checked), else the default listen address.
fn link_base(public_url: Option<&str>) -> Result<String> {
    match public_url {
        Some(u) => Ok(PublicUrl::parse(u).map_err(anyhow::Error::msg)?.origin()),
        None => Ok(DEFAULT_BASE.to_string()),
    }
}

/// The password on standard input: its first line, without the line break.
fn password_from_stdin() -> Result<String> {
    let mut all = String::new();
    std::io::stdin()
        .take(64 * 1024)
        .read_to_string(&mut all)
        .context("reading the password from standard input (it must be UTF-8)")?;
    let line = all.lines().next().unwrap_or("").to_string();
    if line.is_empty() {
        bail!("--password-stdin read no password — pipe one line into the command");
    }
    Ok(line)
}

fn add_user(
    database: &str,
    email: &str,
    name: &str,
    password_stdin: bool,
    public_url: Option<&str>,
) -> Result<()> {
    check_database_url(database).map_err(anyhow::Error::msg)?;
    admin::check_email(email).map_err(anyhow::Error::msg)?;
    admin::check_name(name).map_err(anyhow::Error::msg)?;
    let base = link_base(public_url)?;
    let password = if password_stdin {
        let p = password_from_stdin()?;
        check_new_password(&p).map_err(anyhow::Error::msg)?;
        Some(p)
    } else {
        None
    };
    let store = upward_server_store::open(database)?;
    let passwords = Passwords::new(Cost::from_env());
    let added = admin::add_user(&*store, &passwords, email, name, password.as_deref())?;
    let a = &added.account;
    println!("added {} <{}>", a.name, a.email);
    if let Some(secret) = added.link {
        println!(
            "link to set the password (valid 24 h, works once): {}",
            admin::link_url(&base, &secret)
        );
    }
    Ok(())
}

fn reset_password(database: &str, email: &str, public_url: Option<&str>) -> Result<()> {
    check_database_url(database).map_err(anyhow::Error::msg)?;
    admin::check_email(email).map_err(anyhow::Error::msg)?;
    let base = link_base(public_url)?;
    let store = upward_server_store::open(database)?;
    let secret = admin::reset_password(&*store, email)?;
    println!(
        "link to set the password of {} (valid 24 h, works once; earlier links no longer work): {}",
        email.trim(),
        admin::link_url(&base, &secret)
    );
    Ok(())
}

fn disable_user(database: &str, email: &str) -> Result<()> {
    check_database_url(database).map_err(anyhow::Error::msg)?;
    admin::check_email(email).map_err(anyhow::Error::msg)?;
    let store = upward_server_store::open(database)?;
    let a = admin::disable_user(&*store, email)?;
    println!(
        "disabled {} <{}>: it cannot sign in, and its sessions and API tokens have ended",
        a.name, a.email
    );
    Ok(())
}
