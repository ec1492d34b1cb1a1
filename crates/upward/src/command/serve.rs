//! `upward serve [--port N] [--no-open]`: the workspace in a browser (crates/upward-web), on
//! 127.0.0.1 only. Prints `upward is at http://127.0.0.1:PORT/?token=TOKEN` and serves until
//! SIGINT or SIGTERM (exit 0, no transaction cut).

use crate::context::{Ctx, Workspace, system_clock};
use anyhow::{Context as _, Result};
use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::PathBuf;
use std::sync::Arc;
use upward_domain::Clock;
use upward_domain::backup::Retention;
use upward_store::{Store, StoreExt};

/// The personal workspace as the web app opens it: the same files and rules as a command.
struct Personal {
    db: PathBuf,
    retention: Retention,
    max_pages: Option<i64>,
    /// `UPWARD_NOW`, else the system clock read at each request.
    fixed: Option<Clock>,
}

impl upward_web::Workspace for Personal {
    fn open_read(&self) -> Result<Box<dyn Store>> {
        Ok(Box::new(Workspace::open_read_only(
            &self.db,
            self.max_pages,
        )?))
    }

    fn open_write(&self) -> Result<Box<dyn Store>> {
        let today = self.clock().today;
        Ok(Box::new(Workspace::open(
            &self.db,
            today,
            self.retention,
            self.max_pages,
        )?))
    }

    fn clock(&self) -> Clock {
        self.fixed.unwrap_or_else(system_clock)
    }
}

pub fn run(ctx: &Ctx, port: Option<u16>, no_open: bool) -> Result<()> {
    // The database is opened (created, migrated, checked) before anything is served, so that
    // a damaged or foreign file is refused here, in the terminal, and not on every page.
    ctx.store()?.read(|_| Ok::<_, anyhow::Error>(()))?;
    // The tone check's words, the user's own files read on top (docs/tone.md), for every
    // page and API answer.
    ctx.lexicon()?.install();
    let workspace = Arc::new(Personal {
        db: ctx.db.clone(),
        retention: ctx.retention.0,
        max_pages: ctx.max_pages,
        fixed: ctx.clock_is_fixed().then_some(ctx.clock),
    });
    let listener = upward_web::bind(port)?;
    let mut opener: Option<PathBuf> = None;
    upward_web::serve(listener, workspace, |url| {
        println!("upward is at {url}");
        let _ = std::io::stdout().flush();
        if !no_open {
            opener = open_browser(url).ok();
        }
    })?;
    if let Some(file) = opener {
        let _ = std::fs::remove_file(file);
    }
    Ok(())
}

/// Opens the browser on a private local file (mode 0600) that posts the token to the server,
/// so that no process's command line carries it. Failing to open one is not an error: the
/// address is on stdout.
fn open_browser(url: &str) -> Result<PathBuf> {
    let (base, token) = url.split_once("/?token=").context("the login address")?;
    let file = std::env::temp_dir().join(format!(
        "upward-serve-{}.html",
        &upward_web::random_hex()[..16]
    ));
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>upward</title></head>\
         <body><form method=\"post\" action=\"{base}/login\"><input type=\"hidden\" name=\"token\" value=\"{token}\">\
         <button>Open upward</button></form><script>document.forms[0].submit()</script></body></html>\n"
    );
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&file)?;
    f.write_all(page.as_bytes())?;
    drop(f);
    let program = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    std::process::Command::new(program)
        .arg(&file)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()?;
    Ok(file)
}
