//! Settings for one run, layered: defaults → config file (`~/.config/upward/config.toml`, or
//! `UPWARD_CONFIG`) → environment (`UPWARD_DB`, `UPWARD_NOW`, `NO_COLOR`) → flags. Each
//! setting remembers where it came from, for `upward config`.
//!
//! `UPWARD_TEST_MAX_PAGE_COUNT` is for tests only: it caps how many pages the database may
//! grow to (SQLite's `max_page_count`), so a test can fill "the disk" without mount rights.

use crate::backups;
use anyhow::{Context as _, Result, bail};
use serde::Deserialize;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use upward_domain::Clock;
use upward_domain::backup::Retention;
use upward_store::{Store, StoreError, Transaction};
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
    backups_daily: Option<u32>,
    backups_weekly: Option<u32>,
}

/// The keys the config file takes, for its error message.
const CONFIG_KEYS: &str = "db, color, backups_daily, backups_weekly";

/// The commented default config, printed by `upward config --default`.
pub const DEFAULT_CONFIG: &str = "# upward configuration (~/.config/upward/config.toml)\n\
# db = \"/home/me/.local/share/upward/upward.db\"   # the database file\n\
# color = \"auto\"                                  # auto, always or never\n\
# backups_daily = 7                               # daily copies kept (docs/backups.md)\n\
# backups_weekly = 4                              # weekly copies before them; both 0: off\n";

pub struct Ctx {
    pub db: PathBuf,
    pub db_source: Source,
    pub color: bool,
    pub color_setting: (String, Source),
    pub json: bool,
    pub clock: Clock,
    pub clock_source: Source,
    /// How many automatic backups to keep (both 0: no automatic backups), and where each
    /// count came from.
    pub retention: (Retention, Source, Source),
    /// Tests only: the most pages the database may grow to (`UPWARD_TEST_MAX_PAGE_COUNT`).
    pub max_pages: Option<i64>,
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
                        "the config file {} does not parse: {} — accepted keys: {CONFIG_KEYS}",
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

        let source = |set: Option<u32>| match set {
            Some(_) => Source::ConfigFile,
            None => Source::Default,
        };
        let retention = (
            Retention {
                daily: file.backups_daily.unwrap_or(Retention::DEFAULT.daily),
                weekly: file.backups_weekly.unwrap_or(Retention::DEFAULT.weekly),
            },
            source(file.backups_daily),
            source(file.backups_weekly),
        );
        let max_pages = match std::env::var("UPWARD_TEST_MAX_PAGE_COUNT") {
            Ok(v) if !v.trim().is_empty() => Some(v.trim().parse::<i64>().map_err(|_| {
                upward_domain::DomainError::invalid(
                    "UPWARD_TEST_MAX_PAGE_COUNT",
                    v.clone(),
                    "a whole number of pages (for tests only)",
                )
            })?),
            _ => None,
        };

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
            retention,
            max_pages,
            config_path,
            config_found,
            interactive: std::io::stdin().is_terminal() && std::io::stdout().is_terminal(),
            created_db: std::cell::Cell::new(false),
        })
    }

    /// Opens the database for a command: refused if it is damaged, not ours or newer; the
    /// first write of the day first makes the automatic backup when one is due.
    pub fn store(&self) -> Result<Workspace> {
        let ws = Workspace::open(&self.db, self.clock.today, self.retention.0, self.max_pages)?;
        self.created_db
            .set(self.created_db.get() || ws.store.created());
        Ok(ws)
    }

    /// The store for a command that only reads: it writes nothing to the database's
    /// directory (see `SqliteStore::open_read_only`), and so has no automatic backup to make
    /// before a write.
    pub fn store_read_only(&self) -> Result<Workspace> {
        let ws = Workspace::open_read_only(&self.db, self.max_pages)?;
        self.created_db
            .set(self.created_db.get() || ws.store.created());
        Ok(ws)
    }

    /// The user's own word lists, beside the config file: `tone-words.txt` and
    /// `jargon-words.txt` (docs/tone.md#your-own-words), with whether each is there.
    pub fn word_files(&self) -> Vec<(PathBuf, bool)> {
        let Some(dir) = self.config_path.as_ref().and_then(|p| p.parent()) else {
            return Vec::new();
        };
        [
            upward_domain::tone::TONE_FILE,
            upward_domain::tone::JARGON_FILE,
        ]
        .into_iter()
        .map(|f| {
            let path = dir.join(f);
            let found = path.exists();
            (path, found)
        })
        .collect()
    }

    /// The words of the tone check: the shipped lists, with the user's own files read on
    /// top ([`Ctx::word_files`]). A file that does not read is an error naming its line.
    pub fn lexicon(&self) -> Result<upward_domain::tone::Lexicon> {
        let mut lexicon = upward_domain::tone::Lexicon::builtin();
        for (path, _) in self.word_files() {
            let text = match std::fs::read_to_string(&path) {
                Ok(text) => text,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => bail!("cannot read the word list {}: {e}", path.display()),
            };
            let name = path.display().to_string();
            lexicon = if path.ends_with(upward_domain::tone::JARGON_FILE) {
                lexicon.with_jargon_words(&text, &name)?
            } else {
                lexicon.with_tone_words(&text, &name)?
            };
        }
        Ok(lexicon)
    }

    /// Whether `UPWARD_NOW` fixes the clock (else it is the system's, read at each use).
    pub fn clock_is_fixed(&self) -> bool {
        matches!(self.clock_source, Source::Env(_))
    }
}

/// The open database of a command: the store, and the automatic backup that runs before its
/// first write transaction (at most once).
pub struct Workspace {
    pub store: SqliteStore,
    auto: Option<backups::Auto>,
}

impl Workspace {
    /// Opens the database at `db` to write: refused if it is damaged, not ours or newer; the
    /// first write transaction first makes the automatic backup when one is due on `today`.
    pub fn open(
        db: &Path,
        today: jiff::civil::Date,
        retention: Retention,
        max_pages: Option<i64>,
    ) -> Result<Workspace> {
        backups::refuse_emptied(db)?;
        let store = limited(SqliteStore::open(db)?, max_pages)?;
        let auto = (!store.created()).then(|| backups::Auto {
            db: db.to_path_buf(),
            today,
            retention,
        });
        Ok(Workspace { store, auto })
    }

    /// Opens the database at `db` to read only (see `SqliteStore::open_read_only`).
    pub fn open_read_only(db: &Path, max_pages: Option<i64>) -> Result<Workspace> {
        backups::refuse_emptied(db)?;
        let store = limited(SqliteStore::open_read_only(db)?, max_pages)?;
        Ok(Workspace::plain(store))
    }

    /// A store with no automatic backup (the tour's throw-away database).
    pub fn plain(store: SqliteStore) -> Workspace {
        Workspace { store, auto: None }
    }
}

impl Store for Workspace {
    fn begin_read(&mut self) -> Result<Box<dyn Transaction + '_>, StoreError> {
        self.store.begin_read()
    }

    fn begin_write(&mut self) -> Result<Box<dyn Transaction + '_>, StoreError> {
        if let Some(auto) = self.auto.take() {
            auto.run(&self.store)?;
        }
        self.store.begin_write()
    }
}

fn limited(store: SqliteStore, max_pages: Option<i64>) -> Result<SqliteStore> {
    if let Some(pages) = max_pages {
        store.limit_pages(pages)?;
    }
    Ok(store)
}

/// The one place upward reads the system clock.
pub fn system_clock() -> Clock {
    let now = jiff::ZonedDateTime::now();
    Clock::new(now.timestamp(), now.date())
}
