//! Settings for one run, layered: defaults → config file (`~/.config/upward/config.toml`, or
//! `UPWARD_CONFIG`) → environment (`UPWARD_DB`, `UPWARD_NOW`, `NO_COLOR`) → flags. Each
//! setting remembers where it came from, for `upward config`.

use anyhow::{Context as _, Result, bail};
use serde::Deserialize;
use std::io::IsTerminal;
use std::path::PathBuf;
use upward_domain::Clock;
use upward_store_sqlite::SqliteStore;

/// Where a setting came from.
#[derive(Debug, Clone)]
pub enum Source {
    Default,
    ConfigFile,
    Env(&'static str),
    Flag(&'static str),
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Default => f.write_str("default"),
            Source::ConfigFile => f.write_str("config file"),
            Source::Env(v) => write!(f, "env {v}"),
            Source::Flag(v) => write!(f, "flag {v}"),
        }
    }
}

/// The config file's keys. Unknown keys are refused so a typo is not silently ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    db: Option<PathBuf>,
    color: Option<String>,
}

/// The commented default config, printed by `upward config --default`.
pub const DEFAULT_CONFIG: &str = "# upward configuration (~/.config/upward/config.toml)\n\
# db = \"/home/me/.local/share/upward/upward.db\"   # the database file\n\
# color = \"auto\"                                  # auto, always or never\n";

pub struct Ctx {
    pub db: PathBuf,
    pub db_source: Source,
    pub color: bool,
    pub color_setting: (String, Source),
    pub json: bool,
    pub clock: Clock,
    pub clock_source: Source,
    pub config_path: Option<PathBuf>,
    pub config_found: bool,
    /// A person at the terminal (stdin and stdout are terminals): prompts are allowed.
    pub interactive: bool,
    /// Whether this process created the database file (see `command::run`).
    pub created_db: std::cell::Cell<bool>,
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "upward")
}

impl Ctx {
    pub fn new(db_flag: Option<PathBuf>, json: bool, no_color: bool) -> Result<Ctx> {
        let config_path = std::env::var_os("UPWARD_CONFIG")
            .map(PathBuf::from)
            .or_else(|| project_dirs().map(|d| d.config_dir().join("config.toml")));
        let (file, config_found) = match &config_path {
            Some(p) if p.exists() => {
                let text = std::fs::read_to_string(p)
                    .with_context(|| format!("cannot read the config file {}", p.display()))?;
                let cfg: FileConfig = toml::from_str(&text).map_err(|e| {
                    anyhow::anyhow!(
                        "the config file {} does not parse: {} — accepted keys: db, color",
                        p.display(),
                        e.message()
                    )
                })?;
                (cfg, true)
            }
            _ => (FileConfig::default(), false),
        };

        let (db, db_source) = if let Some(p) = db_flag {
            (p, Source::Flag("--db"))
        } else if let Some(p) = std::env::var_os("UPWARD_DB").filter(|v| !v.is_empty()) {
            (PathBuf::from(p), Source::Env("UPWARD_DB"))
        } else if let Some(p) = file.db {
            (p, Source::ConfigFile)
        } else {
            let dir = project_dirs().map(|d| d.data_dir().to_path_buf()).context(
                "no home directory to keep the database in — give --db PATH or set UPWARD_DB",
            )?;
            (dir.join("upward.db"), Source::Default)
        };

        let mut color_setting = ("auto".to_string(), Source::Default);
        if let Some(c) = file.color {
            if !["auto", "always", "never"].contains(&c.as_str()) {
                bail!(
                    "color = {c:?} in the config file is not valid — accepted: auto, always, never"
                );
            }
            color_setting = (c, Source::ConfigFile);
        }
        if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            color_setting = ("never".into(), Source::Env("NO_COLOR"));
        }
        if no_color {
            color_setting = ("never".into(), Source::Flag("--no-color"));
        }
        let color = match color_setting.0.as_str() {
            "always" => true,
            "never" => false,
            _ => std::io::stdout().is_terminal(),
        } && !json;

        let (clock, clock_source) = match std::env::var("UPWARD_NOW") {
            Ok(v) if !v.trim().is_empty() => (Clock::fixed(&v)?, Source::Env("UPWARD_NOW")),
            // Not silently the real date: that is what a test or an example set it to avoid.
            Err(std::env::VarError::NotUnicode(v)) => {
                return Err(upward_domain::DomainError::invalid(
                    "UPWARD_NOW",
                    v.to_string_lossy(),
                    "a date such as 2026-11-22 or an RFC 3339 time such as 2026-11-22T09:30:00Z",
                )
                .into());
            }
            _ => (system_clock(), Source::Default),
        };

        Ok(Ctx {
            db,
            db_source,
            color,
            color_setting,
            json,
            clock,
            clock_source,
            config_path,
            config_found,
            interactive: std::io::stdin().is_terminal() && std::io::stdout().is_terminal(),
            created_db: std::cell::Cell::new(false),
        })
    }

    pub fn store(&self) -> Result<SqliteStore> {
        self.opened(SqliteStore::open(&self.db)?)
    }

    /// The store for a command that only reads: it writes nothing to the database's
    /// directory (see `SqliteStore::open_read_only`).
    pub fn store_read_only(&self) -> Result<SqliteStore> {
        self.opened(SqliteStore::open_read_only(&self.db)?)
    }

    fn opened(&self, store: SqliteStore) -> Result<SqliteStore> {
        if store.created() {
            self.created_db.set(true);
        }
        Ok(store)
    }
}

/// The one place upward reads the system clock.
fn system_clock() -> Clock {
    let now = jiff::ZonedDateTime::now();
    Clock::new(now.timestamp(), now.date())
}
