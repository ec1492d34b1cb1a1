//! The schema as an ordered list of SQL files (`migrations/`), applied in order, each in its
//! own transaction together with the row in `upward_migrations` that records it. Never edit a
//! released migration: add the next file and list it here.
//!
//! Several servers (or test threads) may open a fresh database at once: every migration
//! transaction first takes one advisory lock, so they run one at a time and each sees what the
//! one before it recorded. A database recorded at a newer version than this build knows is
//! refused before anything is written to it.

use crate::Result;
use crate::convert::db_err;
use postgres::Client;
use upward_store::StoreError;

pub const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_workspaces.sql"),
    include_str!("../migrations/0002_second_reading.sql"),
    include_str!("../migrations/0003_meetings_undone_declines.sql"),
    include_str!("../migrations/0004_person_technical_exec.sql"),
    include_str!("../migrations/0005_person_email_meeting_shared_notes.sql"),
];

/// The newest schema version this build knows.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

/// The migration lock: "UPWD" and 0 in the two-key space of advisory locks, which is apart
/// from the one-key space of the workspaces' write locks.
const LOCK: (i32, i32) = (0x5550_5744, 0);

pub(crate) fn migrate(client: &mut Client, database: &str) -> Result<()> {
    loop {
        let mut tx = client.transaction().map_err(db_err)?;
        tx.execute("SELECT pg_advisory_xact_lock($1, $2)", &[&LOCK.0, &LOCK.1])
            .map_err(db_err)?;
        let recorded: bool = tx
            .query_one("SELECT to_regclass('upward_migrations') IS NOT NULL", &[])
            .map_err(db_err)?
            .get(0);
        let found: i64 = if recorded {
            tx.query_one(
                "SELECT coalesce(max(version), 0)::int8 FROM upward_migrations",
                &[],
            )
            .map_err(db_err)?
            .get(0)
        } else {
            0
        };
        if found > SCHEMA_VERSION as i64 {
            // Dropped, so rolled back: nothing was written.
            return Err(StoreError::TooNew {
                path: database.into(),
                found,
                known: SCHEMA_VERSION,
            });
        }
        if found == SCHEMA_VERSION as i64 {
            return tx.commit().map_err(db_err);
        }
        if !recorded {
            tx.batch_execute(
                "CREATE TABLE upward_migrations (
                    version    integer PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )",
            )
            .map_err(db_err)?;
        }
        let next = found as usize;
        tx.batch_execute(MIGRATIONS[next]).map_err(|e| {
            StoreError::Backend(format!("migration {} failed: {}", next + 1, db_err(e)))
        })?;
        tx.execute(
            "INSERT INTO upward_migrations (version) VALUES ($1)",
            &[&(next as i32 + 1)],
        )
        .map_err(db_err)?;
        tx.commit().map_err(db_err)?;
    }
}
