//! The backups folder beside the database (`backups/`, mode 0700): where `upward backup` and
//! the automatic daily copies go, named by date, and how they are listed and pruned. When a
//! backup is due and which copies to keep are the domain's rules
//! (`upward_domain::backup`, docs/backups.md); copying and checking are the store's.

use jiff::civil::Date;
use std::fs::{DirBuilder, File};
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use upward_domain::backup::{self, Retention};
use upward_store::StoreError;
use upward_store_sqlite::SqliteStore;

/// The folder of a database's backups: `backups/` beside it.
pub fn folder(db: &Path) -> PathBuf {
    db.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join("backups")
}

/// The database's file name without `.db`: what its backups are named after.
pub fn stem(db: &Path) -> String {
    db.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "upward".into())
}

/// Where the backup of `db` made on `date` goes.
pub fn path_for(db: &Path, date: Date) -> PathBuf {
    folder(db).join(backup::file_name(&stem(db), date))
}

/// One backup in the folder.
#[derive(Debug, Clone)]
pub struct Listed {
    pub date: Date,
    pub path: PathBuf,
}

/// The backups of `db` in its folder, oldest first (none when there is no folder).
pub fn list(db: &Path) -> Vec<Listed> {
    let stem = stem(db);
    let Ok(entries) = std::fs::read_dir(folder(db)) else {
        return Vec::new();
    };
    let mut out: Vec<Listed> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name();
            let date = backup::parse_file_name(&stem, name.to_str()?)?;
            e.file_type().ok()?.is_file().then(|| Listed {
                date,
                path: e.path(),
            })
        })
        .collect();
    out.sort_by_key(|l| l.date);
    out
}

/// Creates the backups folder (0700, private like the database) if it is not there.
pub fn ensure_folder(db: &Path) -> Result<PathBuf, StoreError> {
    let dir = folder(db);
    if !dir.is_dir() {
        DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
            .map_err(|source| StoreError::Io {
                path: dir.clone(),
                source,
            })?;
    }
    Ok(dir)
}

/// Holds the backups folder exclusively while a backup is made and the old ones pruned, so
/// that processes whose first write of the day comes at once make one copy between them.
pub fn lock_folder(dir: &Path) -> Result<File, StoreError> {
    let io = |source| StoreError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let f = File::open(dir).map_err(io)?;
    f.lock().map_err(io)?;
    Ok(f)
}

/// Removes what a killed backup left in the folder (its temporary files). Only under the
/// folder's lock, when no backup into it is under way.
fn remove_leftovers(db: &Path) {
    let prefix = format!(".{}-", stem(db));
    if let Ok(entries) = std::fs::read_dir(folder(db)) {
        for e in entries.filter_map(|e| e.ok()) {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with(&prefix) && name.contains(".db.tmp-") {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

/// Removes the backups that `retention` does not keep; returns what it removed. Nothing when
/// automatic backups are off.
pub fn prune(db: &Path, retention: Retention) -> Result<Vec<PathBuf>, StoreError> {
    let all = list(db);
    let dates: Vec<Date> = all.iter().map(|l| l.date).collect();
    let keep = backup::keep(&dates, retention);
    let mut removed = Vec::new();
    for l in all.into_iter().filter(|l| !keep.contains(&l.date)) {
        std::fs::remove_file(&l.path).map_err(|source| StoreError::Io {
            path: l.path.clone(),
            source,
        })?;
        removed.push(l.path);
    }
    Ok(removed)
}

/// Makes today's backup of the open store into the folder (replacing an earlier one of
/// today), then prunes; returns the copy and what was pruned.
pub fn make(
    store: &SqliteStore,
    db: &Path,
    today: Date,
    retention: Retention,
) -> Result<(upward_store_sqlite::Copy, Vec<PathBuf>), StoreError> {
    let dir = ensure_folder(db)?;
    let _lock = lock_folder(&dir)?;
    remove_leftovers(db);
    let copy = store.backup_to(&path_for(db, today))?;
    let pruned = prune(db, retention)?;
    Ok((copy, pruned))
}

/// An empty file where the database was, with backups of it beside it, is a database that
/// lost its contents (a failed copy, a truncation): refused as damaged rather than taken for
/// a new, empty database (whose daily copies would in time push the good ones out).
pub fn refuse_emptied(db: &Path) -> Result<(), StoreError> {
    let empty = std::fs::metadata(db).is_ok_and(|m| m.is_file() && m.len() == 0);
    let backups = if empty { list(db) } else { Vec::new() };
    if let Some(newest) = backups.last() {
        return Err(StoreError::Damaged {
            path: db.to_path_buf(),
            detail: format!(
                "the file is empty, but {} backup(s) of it are in {}, the newest from {}",
                backups.len(),
                folder(db).display(),
                newest.date
            ),
        });
    }
    Ok(())
}

/// The automatic backup, run before a command's first write transaction.
pub struct Auto {
    pub db: PathBuf,
    pub today: Date,
    pub retention: Retention,
}

impl Auto {
    /// Makes today's backup if one is due (docs/backups.md). A copy that fails its check
    /// means the database is damaged: the write is refused (nothing was changed). So is a
    /// full disk, where the write would fail too. Any other failure is a warning: the user's
    /// write matters more than the day's copy.
    pub fn run(self, store: &SqliteStore) -> Result<(), StoreError> {
        let newest = list(&self.db).last().map(|l| l.date);
        if !backup::is_due(newest, self.today, self.retention) {
            return Ok(());
        }
        let made = (|| {
            let dir = ensure_folder(&self.db)?;
            let _lock = lock_folder(&dir)?;
            // Another process may have made it while this one waited for the lock.
            let newest = list(&self.db).last().map(|l| l.date);
            if !backup::is_due(newest, self.today, self.retention) {
                return Ok(());
            }
            remove_leftovers(&self.db);
            store.backup_to(&path_for(&self.db, self.today))?;
            prune(&self.db, self.retention)?;
            Ok(())
        })();
        match made {
            Ok(()) => Ok(()),
            Err(e @ (StoreError::Damaged { .. } | StoreError::DiskFull { .. })) => Err(e),
            Err(e) => {
                let e = e.to_string();
                eprintln!(
                    "warning: today's automatic backup failed, the command went on: {} (`upward backup` tries again)",
                    e.trim_end_matches("; nothing was changed")
                );
                Ok(())
            }
        }
    }
}
