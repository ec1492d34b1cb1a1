//! Checking a database file without changing it: what `upward doctor` reports. SQLite's own
//! checks (`integrity_check`, `foreign_key_check`, each full-text index's `integrity-check`
//! command) and the schema version, with what each finding means for the user's records.
//!
//! Nothing here writes to the file: the checks read through a read-only connection, and the
//! full-text checks (which SQLite runs as an `INSERT` command) run in a transaction that is
//! rolled back, on a connection that never checkpoints.

use crate::backup::{integrity_lines, open_read_only};
use crate::errors::{self, Head, sidecar};
use crate::schema::{APPLICATION_ID, MIGRATIONS};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use upward_store::StoreError;

/// The tables that hold what the user wrote, and what they hold, in words.
const RECORDS: [(&str, &str); 13] = [
    ("people", "the people and their profiles"),
    ("items", "the items"),
    ("meetings", "the 1:1s and their notes"),
    ("meeting_items", "which items were discussed at each 1:1"),
    ("updates", "the updates sent"),
    ("reflections", "the reflections"),
    ("meeting_effects", "what each 1:1 changed, to undo it"),
    ("declines", "the requests declined"),
    ("tombstones", "which records were removed for good"),
    ("sync_device", "this device's identity for sync"),
    ("sync_spaces", "the spaces this workspace syncs with"),
    (
        "sync_ops",
        "sync's log, with the changes not yet sent to the server",
    ),
    ("sync_records", "the shared spaces as last synced"),
];

/// The full-text indexes and what they index.
const SEARCH: [(&str, &str); 3] = [
    ("items_fts", "items"),
    ("meetings_fts", "1:1 notes"),
    ("people_fts", "people"),
];

/// How much SQLite says per check, at most.
const MAX_LINES: usize = 20;

/// What `upward doctor` found.
#[derive(Debug, Clone, Serialize)]
pub struct Health {
    pub path: PathBuf,
    pub bytes: u64,
    /// Its `PRAGMA user_version`, when it could be read.
    pub schema_version: Option<i64>,
    /// The newest schema this build knows.
    pub schema_known: usize,
    /// Every check, in the order run; a check that could not run is not ok.
    pub checks: Vec<Check>,
    /// Whether what the user wrote may be lost (a table of records, or the whole file, is
    /// damaged) rather than only what can be rebuilt from it (indexes, free space).
    pub records_at_risk: bool,
    /// The file is not an upward database at all: nothing else was checked.
    pub not_upward: bool,
}

impl Health {
    pub fn ok(&self) -> bool {
        self.checks.iter().all(|c| c.ok)
    }
}

/// One check and what it found.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// `file`, `schema_version`, `integrity_check`, `foreign_key_check`, or a full-text
    /// index's name (`items_fts`, …).
    pub check: String,
    pub ok: bool,
    /// What is wrong, in words (empty when ok).
    pub findings: Vec<String>,
    /// SQLite's own words, at most 20 lines.
    pub sqlite: Vec<String>,
}

impl Check {
    fn ok(check: &str) -> Check {
        Check {
            check: check.into(),
            ok: true,
            findings: Vec::new(),
            sqlite: Vec::new(),
        }
    }

    fn failed(check: &str, findings: Vec<String>, sqlite: Vec<String>) -> Check {
        Check {
            check: check.into(),
            ok: false,
            findings,
            sqlite: sqlite.into_iter().take(MAX_LINES).collect(),
        }
    }
}

/// Checks the database at `path` without writing to it. An error only when the file cannot
/// be looked at (missing, unreadable): damage is a finding, not an error.
pub fn check(path: &Path) -> Result<Health, StoreError> {
    let bytes = std::fs::metadata(path)
        .map_err(|source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        })?
        .len();
    let mut health = Health {
        path: path.to_path_buf(),
        bytes,
        schema_version: None,
        schema_known: MIGRATIONS.len(),
        checks: Vec::new(),
        records_at_risk: false,
        not_upward: false,
    };
    // Before any connection: see `errors`' note on reading a file SQLite has open.
    let head = Head::read(path).unwrap_or_default();
    let conn = match open_read_only(path, &head) {
        Ok(conn) => conn,
        Err(e) => {
            file_check(&mut health, e);
            return Ok(health);
        }
    };
    let probe = conn.query_row(
        "SELECT (SELECT application_id FROM pragma_application_id),
                (SELECT user_version FROM pragma_user_version)",
        [],
        |r| Ok((r.get::<_, i32>(0)?, r.get::<_, i64>(1)?)),
    );
    let (app, version) = match probe {
        Ok(v) => v,
        Err(e) => {
            file_check(&mut health, errors::unreadable(path, &head, e));
            return Ok(health);
        }
    };
    health.schema_version = Some(version);
    if app != APPLICATION_ID {
        match errors::not_ours(path, &head, app) {
            StoreError::Damaged { detail, .. } => {
                health
                    .checks
                    .push(Check::failed("file", vec![detail], Vec::new()))
            }
            _ => {
                health.not_upward = true;
                health.checks.push(Check::failed(
                    "file",
                    vec!["this is not an upward database (another program's, or none)".into()],
                    Vec::new(),
                ));
                return Ok(health);
            }
        }
    } else {
        match errors::check_file(path, &head) {
            Ok(()) => health.checks.push(Check::ok("file")),
            Err(e) => file_check(&mut health, e),
        }
    }
    health.checks.push(match errors::newer(path, version) {
        _ if (0..=MIGRATIONS.len() as i64).contains(&version) => Check::ok("schema_version"),
        StoreError::TooNew { found, known, .. } => Check::failed(
            "schema_version",
            vec![format!(
                "written by a newer upward (schema {found}, this build knows {known}): upgrade upward to use it"
            )],
            Vec::new(),
        ),
        _ => Check::failed(
            "schema_version",
            vec![format!("the header is garbled: the schema version reads {version}")],
            Vec::new(),
        ),
    });
    let roots = roots(&conn);
    integrity(&mut health, path, &conn, &roots);
    foreign_keys(&mut health, &conn);
    search_indexes(&mut health, path);
    Ok(health)
}

/// Records that the file itself could not be read (`e`), and what that means.
fn file_check(health: &mut Health, e: StoreError) {
    let (finding, at_risk) = match e {
        StoreError::NotUpward(_) => {
            health.not_upward = true;
            (
                "this is not an upward database (another program's, or none)".to_string(),
                false,
            )
        }
        StoreError::Damaged { detail, .. } => (detail, true),
        e => (e.to_string(), true),
    };
    health.records_at_risk |= at_risk;
    health
        .checks
        .push(Check::failed("file", vec![finding], Vec::new()));
}

/// A b-tree of the file: a table, or an index of `table`.
struct Tree {
    name: String,
    table: String,
    index: bool,
}

/// The table or index each root page belongs to, from the schema (empty when the schema
/// cannot be read).
fn roots(conn: &Connection) -> BTreeMap<i64, Tree> {
    let read = || -> rusqlite::Result<BTreeMap<i64, Tree>> {
        let mut stmt = conn.prepare(
            "SELECT rootpage, name, coalesce(tbl_name, name), type = 'index'
               FROM sqlite_master WHERE rootpage > 0",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                Tree {
                    name: r.get(1)?,
                    table: r.get(2)?,
                    index: r.get(3)?,
                },
            ))
        })?;
        rows.collect()
    };
    read().unwrap_or_default()
}

/// The real tables in the schema (no virtual ones), or `None` if the schema is unreadable.
fn tables(conn: &Connection) -> Option<Vec<String>> {
    let mut stmt = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND rootpage > 0 ORDER BY name",
        )
        .ok()?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0)).ok()?;
    rows.collect::<rusqlite::Result<Vec<_>>>().ok()
}

/// What damage to a table means, in words, and whether records may be lost.
fn meaning(table: &str) -> (String, bool) {
    if let Some((_, what)) = RECORDS.iter().find(|(t, _)| *t == table) {
        return (
            format!("the part of the file holding {what} (table {table}) is damaged"),
            true,
        );
    }
    if let Some((fts, what)) = SEARCH.iter().find(|(fts, _)| table.starts_with(fts)) {
        return (
            format!(
                "the search index of {what} ({fts}) is damaged: search may miss or mis-show results; no record is lost, the index is rebuilt from the records"
            ),
            false,
        );
    }
    if table == "sqlite_master" || table == "sqlite_schema" {
        return (
            "the file's table of contents (its schema) is damaged".into(),
            true,
        );
    }
    (format!("the table {table} is damaged"), true)
}

/// What damage to an index means: nothing the user wrote is lost.
fn index_meaning(table: &str, index: &str) -> (String, bool) {
    if SEARCH.iter().any(|(fts, _)| table.starts_with(fts)) {
        return meaning(table);
    }
    (
        format!(
            "the index {index} of {table} is damaged: no record is lost, an index is rebuilt from the records"
        ),
        false,
    )
}

/// The findings of one line of `integrity_check` or `quick_check`, if it is understood.
fn line_meaning(line: &str, roots: &BTreeMap<i64, Tree>) -> Option<(String, bool)> {
    if let Some(index) = line
        .strip_prefix("wrong # of entries in index ")
        .or_else(|| line.split(" missing from index ").nth(1))
        .or_else(|| line.split(" in index ").nth(1))
    {
        let index = index.trim();
        let table = roots
            .values()
            .find(|t| t.name == index)
            .map(|t| t.table.clone())
            .unwrap_or_else(|| "its table".into());
        return Some(index_meaning(&table, index));
    }
    if line.starts_with("Freelist") || line.contains("never used") {
        return Some((
            "the file's list of free pages is damaged: no record is in them".into(),
            false,
        ));
    }
    let tree = line
        .strip_prefix("Tree ")
        .or_else(|| line.strip_prefix("On tree page "))
        .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse::<i64>().ok())?;
    Some(match roots.get(&tree) {
        Some(t) if t.index => index_meaning(&t.table, &t.name),
        Some(t) => meaning(&t.table),
        None => (format!("the b-tree at page {tree} is damaged"), true),
    })
}

/// `integrity_check`. When SQLite gives up on a malformed page, `quick_check` (which walks
/// every page without matching indexes to tables) names the damaged trees, and when that
/// gives up too, each table's own check says which tables are damaged.
fn integrity(health: &mut Health, path: &Path, conn: &Connection, roots: &BTreeMap<i64, Tree>) {
    let lines = match integrity_lines(conn, "integrity_check", None) {
        Ok(lines) if lines == ["ok"] => {
            health.checks.push(Check::ok("integrity_check"));
            return;
        }
        Ok(lines) => lines,
        // A read past the end: the write-ahead log lost, or the file cut short. Said as
        // such; reading table by table would only blame every table.
        Err(rusqlite::Error::SqliteFailure(f, msg))
            if f.extended_code == errors::SQLITE_IOERR_SHORT_READ =>
        {
            health.records_at_risk = true;
            health.checks.push(Check::failed(
                "integrity_check",
                vec![errors::short_read_detail(path)],
                vec![msg.unwrap_or_else(|| f.to_string())],
            ));
            return;
        }
        Err(e) => {
            let mut lines = vec![format!("integrity_check could not finish: {e}")];
            match integrity_lines(conn, "quick_check", None) {
                Ok(quick) => lines.extend(quick.into_iter().filter(|l| l != "ok")),
                Err(e) => lines.push(format!("quick_check could not finish: {e}")),
            }
            lines
        }
    };
    let mut findings: Vec<String> = Vec::new();
    let mut at_risk = false;
    let mut note = |(finding, risk): (String, bool), findings: &mut Vec<String>| {
        at_risk |= risk;
        if !findings.contains(&finding) {
            findings.push(finding);
        }
    };
    for line in &lines {
        if let Some(m) = line_meaning(line, roots) {
            note(m, &mut findings);
        }
    }
    if findings.is_empty() {
        // Nothing named: ask table by table.
        match tables(conn) {
            Some(tables) => {
                for table in tables {
                    match integrity_lines(conn, "integrity_check", Some(&table)) {
                        Ok(l) if l == ["ok"] => {}
                        _ if rows_read(conn, &table) => note(
                            index_meaning(&table, &format!("(one of {table}'s)")),
                            &mut findings,
                        ),
                        _ => note(meaning(&table), &mut findings),
                    }
                }
            }
            None => note(meaning("sqlite_master"), &mut findings),
        }
    }
    if findings.is_empty() {
        note(
            (
                "part of the file is damaged (SQLite's words below)".into(),
                true,
            ),
            &mut findings,
        );
    }
    health.records_at_risk |= at_risk;
    health
        .checks
        .push(Check::failed("integrity_check", findings, lines));
}

/// Whether every row of a table reads, every column, without its indexes.
fn rows_read(conn: &Connection, table: &str) -> bool {
    let read_all = || -> rusqlite::Result<()> {
        let mut stmt = conn.prepare(&format!(
            "SELECT * FROM \"{}\" NOT INDEXED",
            table.replace('"', "\"\"")
        ))?;
        let n = stmt.column_count();
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            for i in 0..n {
                let _: rusqlite::types::Value = r.get(i)?;
            }
        }
        Ok(())
    };
    read_all().is_ok()
}

/// `foreign_key_check`: records that refer to one that is not there.
fn foreign_keys(health: &mut Health, conn: &Connection) {
    let read = || -> rusqlite::Result<Vec<(String, String)>> {
        let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(2)?)))?;
        rows.collect()
    };
    match read() {
        Ok(rows) if rows.is_empty() => health.checks.push(Check::ok("foreign_key_check")),
        Ok(rows) => {
            let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
            for r in &rows {
                *counts.entry(r.clone()).or_default() += 1;
            }
            let findings = counts
                .iter()
                .map(|((table, parent), n)| {
                    format!("{n} row(s) of {table} refer to {parent} that are not there")
                })
                .collect();
            let sqlite = rows.iter().map(|(t, p)| format!("{t} → {p}")).collect();
            health.records_at_risk = true;
            health
                .checks
                .push(Check::failed("foreign_key_check", findings, sqlite));
        }
        Err(e) => {
            health.records_at_risk = true;
            health.checks.push(Check::failed(
                "foreign_key_check",
                vec!["the check could not finish: the records cannot all be read".into()],
                vec![e.to_string()],
            ));
        }
    }
}

/// Each full-text index's own `integrity-check` command. SQLite runs it as an `INSERT`, so
/// it needs a connection that may write: it runs in a transaction rolled back at once, on a
/// connection that never checkpoints, and is skipped if a rollback journal is beside the
/// file (opening it for writing would roll that back into the file).
fn search_indexes(health: &mut Health, path: &Path) {
    if sidecar(path, "-journal").exists() {
        return;
    }
    let conn = match Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) {
        Ok(c) => c,
        Err(_) => return,
    };
    if conn
        .set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)
        .is_err()
    {
        return;
    }
    let _ = conn.busy_timeout(std::time::Duration::from_secs(60));
    let present: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .unwrap_or_default();
    if conn.execute_batch("BEGIN").is_err() {
        return;
    }
    for (fts, what) in SEARCH {
        if !present.iter().any(|p| p == fts) {
            continue;
        }
        let sql = format!("INSERT INTO {fts}({fts}) VALUES ('integrity-check')");
        health.checks.push(match conn.execute(&sql, []) {
            Ok(_) => Check::ok(fts),
            Err(e) => Check::failed(
                fts,
                vec![format!(
                    "the search index of {what} does not match them: search may miss or mis-show results; no record is lost, the index is rebuilt from the records"
                )],
                vec![e.to_string()],
            ),
        });
    }
    let _ = conn.execute_batch("ROLLBACK");
}
