//! What can still be read of a damaged database, copied record by record into a new one
//! (`upward doctor --export`, which then exports that).
//!
//! The damaged file is never opened for writing: it is copied (with its `-wal`), the copy's
//! header is repaired where it is garbled (the magic, page size, format bytes, page count:
//! values SQLite refuses outright, which upward can restore from what it always writes), and
//! the copy is read. Each table is read row by row, by rowid, from every source of rowids
//! that still reads (the table itself, each of its indexes, the search index): a damaged page
//! then costs the rows on it, not the rest of the table. References to records that could not
//! be read are cleared (an item's person, its 1:1) or, where a record cannot exist without
//! them (a 1:1 without its person), the record is left out and said so.

use crate::errors::{Head, Owner, owner, sidecar};
use crate::{SqliteStore, errors};
use rusqlite::Connection;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use upward_store::StoreError;

/// The tables of records, in an order where each refers only to those before it.
const TABLES: [&str; 8] = [
    "people",
    "meetings",
    "items",
    "updates",
    "reflections",
    "meeting_effects",
    "declines",
    "tombstones",
];

/// What a salvage did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Salvage {
    /// The header fields repaired on the copy that was read (the file itself is untouched).
    pub repaired_header: Vec<String>,
    /// Rows copied, by table.
    pub copied: BTreeMap<String, usize>,
    /// What could not be read, or was left out for lack of what it refers to, in words.
    pub lost: Vec<String>,
}

/// Copies every record that can be read from the database `damaged` into the new database
/// `into` (which must not exist), without writing to `damaged`.
pub fn salvage(damaged: &Path, into: &Path) -> Result<Salvage, StoreError> {
    // Read before any connection (nothing of this process has the file open).
    let head = Head::read(damaged).ok_or_else(|| StoreError::Io {
        path: damaged.to_path_buf(),
        source: std::io::Error::from(std::io::ErrorKind::NotFound),
    })?;
    if owner(&head.bytes) == Owner::Foreign && !head.bytes.is_empty() {
        return Err(StoreError::NotUpward(damaged.to_path_buf()));
    }
    if into.exists() {
        return Err(StoreError::Conflict(format!(
            "{} already exists — nothing was changed; give a new file",
            into.display()
        )));
    }
    drop(SqliteStore::open(into)?);
    let source = into.with_file_name(format!(
        ".{}.salvage-{}",
        into.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut report = Salvage::default();
        copy_source(damaged, &source, &mut report)?;
        let conn = Connection::open(into).map_err(|e| errors::classify(e, into))?;
        conn.execute("ATTACH DATABASE ?1 AS old", [source.to_string_lossy()])
            .map_err(|e| errors::unreadable(damaged, &head, e))?;
        let readable: rusqlite::Result<i64> =
            conn.query_row("SELECT count(*) FROM old.sqlite_master", [], |r| r.get(0));
        if readable.is_err() {
            return Err(StoreError::Damaged {
                path: damaged.to_path_buf(),
                detail: "its table of contents (the schema) is unreadable, so no record can be found in it"
                    .into(),
            });
        }
        // The copy is rebuilt if anything goes wrong: no need to sync each row.
        conn.execute_batch("PRAGMA main.synchronous = OFF")
            .map_err(|e| errors::classify(e, into))?;
        let mut meetings = Vec::new();
        for table in TABLES {
            let copied = copy_table(&conn, table, &mut report);
            if table == "meetings" {
                meetings = copied;
            }
        }
        copy_links(&conn, &meetings, &mut report);
        copy_sync(&conn, &mut report);
        conn.execute_batch("DETACH DATABASE old")
            .map_err(|e| errors::classify(e, into))?;
        clear_references(&conn, &mut report).map_err(|e| errors::classify(e, into))?;
        Ok(report)
    })();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(sidecar(&source, suffix));
    }
    if result.is_err() {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(sidecar(into, suffix));
        }
    }
    result
}

/// Copies the damaged file (and its `-wal`) to `to`, and repairs the copy's header where
/// SQLite would refuse it.
fn copy_source(from: &Path, to: &Path, report: &mut Salvage) -> Result<(), StoreError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| StoreError::Io { path, source }
    };
    std::fs::copy(from, to).map_err(io(to))?;
    let wal = sidecar(from, "-wal");
    let has_wal = std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0);
    if has_wal {
        std::fs::copy(&wal, sidecar(to, "-wal")).map_err(io(to))?;
    }
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(to)
        .map_err(io(to))?;
    let mut h = [0u8; 100];
    let len = f.metadata().map_err(io(to))?.len();
    if len < 100 {
        report.repaired_header.push(format!(
            "nothing: the file is {len} bytes, shorter than a header"
        ));
        return Ok(());
    }
    f.read_exact(&mut h).map_err(io(to))?;
    let mut fixed = Vec::new();
    const MAGIC: &[u8; 16] = b"SQLite format 3\0";
    if &h[..16] != MAGIC {
        h[..16].copy_from_slice(MAGIC);
        fixed.push("its first 16 bytes");
    }
    let page_size = match u16::from_be_bytes([h[16], h[17]]) {
        1 => 65536u64,
        n => u64::from(n),
    };
    let page_size = if page_size.is_power_of_two() && page_size >= 512 {
        page_size
    } else {
        // What SQLite gives every database upward creates.
        h[16..18].copy_from_slice(&4096u16.to_be_bytes());
        fixed.push("its page size");
        4096
    };
    let format = if has_wal { 2 } else { 1 };
    if !(1..=2).contains(&h[18]) || !(1..=2).contains(&h[19]) {
        h[18] = format;
        h[19] = format;
        fixed.push("its file format bytes");
    }
    // Whole pages only, and a page count that matches them: SQLite then reads what is there.
    let whole = len - len % page_size;
    if whole != len {
        f.set_len(whole).map_err(io(to))?;
    }
    let pages = whole / page_size;
    if u64::from(u32::from_be_bytes([h[28], h[29], h[30], h[31]])) != pages {
        h[28..32].copy_from_slice(&(pages as u32).to_be_bytes());
        fixed.push("its page count");
    }
    if !fixed.is_empty() {
        f.seek(SeekFrom::Start(0)).map_err(io(to))?;
        f.write_all(&h).map_err(io(to))?;
        report
            .repaired_header
            .extend(fixed.into_iter().map(String::from));
    }
    Ok(())
}

/// The columns both versions of a table have (an older file may lack newer ones).
fn common_columns(conn: &Connection, table: &str) -> Vec<String> {
    let cols = |schema: &str| -> BTreeSet<String> {
        conn.prepare(&format!("PRAGMA {schema}.table_info(\"{table}\")"))
            .and_then(|mut s| s.query_map([], |r| r.get::<_, String>(1))?.collect())
            .unwrap_or_default()
    };
    let old = cols("old");
    cols("main")
        .into_iter()
        .filter(|c| old.contains(c))
        .collect()
}

/// Every rowid of `table` that some part of the file still knows: the table's own scan (as
/// far as it reads), each of its indexes, its search index.
fn candidate_ids(conn: &Connection, table: &str) -> BTreeSet<i64> {
    let mut ids = BTreeSet::new();
    let mut collect = |sql: &str| {
        if let Ok(mut stmt) = conn.prepare(sql)
            && let Ok(mut rows) = stmt.query([])
        {
            while let Ok(Some(r)) = rows.next() {
                if let Ok(id) = r.get::<_, i64>(0) {
                    ids.insert(id);
                }
            }
        }
    };
    collect(&format!("SELECT rowid FROM old.\"{table}\""));
    let indexes: Vec<String> = conn
        .prepare("SELECT name FROM old.sqlite_master WHERE type = 'index' AND tbl_name = ?1")
        .and_then(|mut s| s.query_map([table], |r| r.get(0))?.collect())
        .unwrap_or_default();
    for index in indexes {
        collect(&format!(
            "SELECT rowid FROM old.\"{table}\" INDEXED BY \"{index}\""
        ));
    }
    collect(&format!("SELECT id FROM old.\"{table}_fts_content\""));
    ids
}

/// Copies the rows of `table` that read, one by one; returns the rowids copied.
fn copy_table(conn: &Connection, table: &str, report: &mut Salvage) -> Vec<i64> {
    let cols = common_columns(conn, table);
    if cols.is_empty() {
        report
            .lost
            .push(format!("the table {table}: it cannot be found in the file"));
        return Vec::new();
    }
    let list = cols
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "INSERT INTO main.\"{table}\" ({list}) SELECT {list} FROM old.\"{table}\" WHERE rowid = ?1"
    );
    let mut copied = Vec::new();
    let mut unreadable = Vec::new();
    for id in candidate_ids(conn, table) {
        match conn.execute(&sql, [id]) {
            Ok(1) => copied.push(id),
            Ok(_) => {}
            Err(_) => unreadable.push(id),
        }
    }
    report.copied.insert(table.into(), copied.len());
    if !unreadable.is_empty() {
        report.lost.push(format!(
            "{} row(s) of {table} (id {})",
            unreadable.len(),
            ids_text(&unreadable)
        ));
    }
    copied
}

/// "3, 4, 5" or "3, 4, 5, … and 12 more".
fn ids_text(ids: &[i64]) -> String {
    let shown: Vec<String> = ids.iter().take(10).map(i64::to_string).collect();
    let mut s = shown.join(", ");
    if ids.len() > 10 {
        s.push_str(&format!(", … and {} more", ids.len() - 10));
    }
    s
}

/// Which items were discussed at each copied 1:1, meeting by meeting.
fn copy_links(conn: &Connection, meetings: &[i64], report: &mut Salvage) {
    let mut failed = Vec::new();
    for &m in meetings {
        if conn
            .execute(
                "INSERT OR IGNORE INTO main.meeting_items (meeting_id, item_id)
                 SELECT meeting_id, item_id FROM old.meeting_items WHERE meeting_id = ?1",
                [m],
            )
            .is_err()
        {
            failed.push(m);
        }
    }
    if !failed.is_empty() {
        report.lost.push(format!(
            "which items were discussed at {} 1:1(s) (id {})",
            failed.len(),
            ids_text(&failed)
        ));
    }
}

/// What sync keeps (docs/sync.md, "The workspace's side"), as far as the new file needs it:
/// this device, the links to the spaces and the operations not pushed yet, which exist nowhere
/// else. The rest is the server's: the replica's records are left out, every link's cursor
/// goes back to 0 and the operations kept are marked unapplied, so the next sync pulls each
/// space whole again and folds everything anew. The change marks start again in the new
/// file, so no link keeps one (its next sync compares everything). A file from before sync
/// has none of it.
fn copy_sync(conn: &Connection, report: &mut Salvage) {
    for table in ["sync_device", "sync_spaces", "sync_ops"] {
        if !common_columns(conn, table).is_empty() {
            copy_table(conn, table, report);
        }
    }
    let reset = conn.execute_batch(
        "DELETE FROM main.sync_ops
          WHERE pushed OR space NOT IN (SELECT space FROM main.sync_spaces);
         UPDATE main.sync_ops SET applied = 0, position = NULL;
         UPDATE main.sync_spaces SET cursor = 0, made = NULL;",
    );
    if reset.is_err() {
        report
            .lost
            .push("what sync kept: the next sync after `remote login` starts again".into());
        let _ = conn.execute_batch(
            "DELETE FROM main.sync_ops; DELETE FROM main.sync_spaces; DELETE FROM main.sync_device;",
        );
    }
    if let Some(n) = report.copied.get_mut("sync_ops") {
        *n = conn
            .query_row("SELECT count(*) FROM main.sync_ops", [], |r| {
                r.get::<_, i64>(0)
            })
            .map_or(0, |n| usize::try_from(n).unwrap_or(0));
    }
}

/// Clears or leaves out what refers to records that could not be read.
fn clear_references(conn: &Connection, report: &mut Salvage) -> rusqlite::Result<()> {
    let mut run = |sql: &str, what: &str| -> rusqlite::Result<()> {
        let n = conn.execute(sql, [])?;
        if n > 0 {
            report.lost.push(format!("{n} {what}"));
        }
        Ok(())
    };
    run(
        "DELETE FROM main.meetings WHERE person_id NOT IN (SELECT id FROM main.people)",
        "1:1(s) left out: the person they were with could not be read",
    )?;
    run(
        "DELETE FROM main.updates WHERE person_id NOT IN (SELECT id FROM main.people)",
        "update(s) left out: the person they went to could not be read",
    )?;
    run(
        "DELETE FROM main.reflections WHERE person_id NOT IN (SELECT id FROM main.people)",
        "reflection(s) left out: the person they are about could not be read",
    )?;
    run(
        "UPDATE main.items SET person_id = NULL
          WHERE person_id IS NOT NULL AND person_id NOT IN (SELECT id FROM main.people)",
        "item(s) kept without their person, who could not be read",
    )?;
    run(
        "UPDATE main.items SET meeting_id = NULL
          WHERE meeting_id IS NOT NULL AND meeting_id NOT IN (SELECT id FROM main.meetings)",
        "item(s) kept without the 1:1 they came from, which could not be read",
    )?;
    run(
        "DELETE FROM main.declines WHERE person_id NOT IN (SELECT id FROM main.people)",
        "declined request(s) left out: the person they came from could not be read",
    )?;
    run(
        "DELETE FROM main.meeting_effects
          WHERE meeting_id NOT IN (SELECT id FROM main.meetings)
             OR item_id NOT IN (SELECT id FROM main.items)",
        "change(s) a 1:1 made, left out: the 1:1 or the item could not be read",
    )?;
    run(
        "DELETE FROM main.meeting_items
          WHERE meeting_id NOT IN (SELECT id FROM main.meetings)
             OR item_id NOT IN (SELECT id FROM main.items)",
        "link(s) from a 1:1 to an item that could not be read",
    )?;
    Ok(())
}
