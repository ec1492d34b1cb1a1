//! The team server's backup and restore, end to end (docs/deploy.md): workspaces filled
//! through `PgStore`, a real `pg_dump -Fc` of their schema, the data dropped, a real
//! `pg_restore`, and every record found again: every row of every table as PostgreSQL prints
//! it, every workspace's snapshot as the store reads it, search, and the next write.
//!
//! The dump and restore are PostgreSQL's own tools, the ones of the server's major version
//! (`/usr/lib/postgresql/N/bin`, else PATH), run against the throw-away cluster of
//! `UPWARD_TEST_POSTGRES`; the test works in a schema of its own, so it drops and restores
//! only its own data while other tests use the database.

use crate::common::{Schema, clock, item, open, raw, url};
use std::path::{Path, PathBuf};
use std::process::Command;
use upward_domain::{
    Channel, Item, Kind, Meeting, Person, Reflection, Relation, Snapshot, UpdateSent,
};
use upward_store::{Scope, StoreExt, Transaction};
use uuid::Uuid;

/// PostgreSQL's own tool `name`, of the server's major version when installed beside it.
fn tool(url: &str, name: &str) -> PathBuf {
    let version: i32 = raw(url)
        .query_one("SHOW server_version_num", &[])
        .expect("server version")
        .get::<_, String>(0)
        .parse()
        .expect("a number");
    let beside = PathBuf::from(format!(
        "/usr/lib/postgresql/{}/bin/{name}",
        version / 10000
    ));
    if beside.is_file() {
        beside
    } else {
        PathBuf::from(name)
    }
}

/// Runs a PostgreSQL tool and insists it succeeded.
fn run(program: &Path, args: &[&str]) {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "{} cannot run ({e}): install postgresql-client",
                program.display()
            )
        });
    assert!(
        out.status.success(),
        "{} {args:?} failed: {}",
        program.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A workspace with a record of every kind, every field a user can set somewhere, and
/// `word` in its texts.
fn fill(tx: &dyn Transaction, word: &str) -> upward_store::Result<()> {
    let c = clock();
    let mut me = Person::new("Alex", Relation::Myself, c.now)?;
    me.is_me = true;
    tx.insert_person(&me)?;
    let mut dana = Person::new("Dana Whitfield", Relation::Manager, c.now)?;
    dana.goals = Some(format!("{word} goals"));
    dana.pet_peeves = Some("Surprises".into());
    dana.channel = Some(Channel::Email);
    dana.trust = Some(4);
    let dana = tx.insert_person(&dana)?;
    let mut sam = Person::new("Sam Ortiz", Relation::Peer, c.now)?;
    sam.archived = true;
    let sam = tx.insert_person(&sam)?;
    let mut items: Vec<Item> = Vec::new();
    for (n, kind) in Kind::ALL.iter().enumerate() {
        let mut i = item(*kind, &format!("{word} {kind} {n}"));
        i.body = Some(format!("the {word} body\nof {kind}"));
        i.person = Some(if n % 2 == 0 {
            dana.to_ref()
        } else {
            sam.to_ref()
        });
        i.tags = vec![word.into(), "all".into()];
        i.due = Some(c.today);
        items.push(tx.insert_item(&i)?);
    }
    let meeting = tx.insert_meeting(&Meeting {
        id: 0,
        uuid: Uuid::new_v4(),
        person: dana.to_ref(),
        date: c.today,
        notes: Some(format!("{word} notes")),
        shared_notes: None,
        their_notes: None,
        discussed: vec![items[0].uuid, items[1].uuid],
        created_at: c.now,
    })?;
    let mut action = item(Kind::Action, &format!("{word} action from the 1:1"));
    action.meeting = Some(meeting.uuid);
    tx.insert_item(&action)?;
    tx.insert_update(&UpdateSent {
        id: 0,
        uuid: Uuid::new_v4(),
        person: dana.to_ref(),
        date: c.today,
        channel: Channel::Chat,
        text: Some(format!("{word} update")),
        created_at: c.now,
    })?;
    tx.insert_reflection(&Reflection {
        id: 0,
        uuid: Uuid::new_v4(),
        person: dana.to_ref(),
        date: c.today,
        scores: [("rapport".to_string(), 4)].into_iter().collect(),
        answers: [("rapport".to_string(), word.to_string())]
            .into_iter()
            .collect(),
        created_at: c.now,
    })?;
    Ok(())
}

/// Everything a workspace holds, as the store reads it.
fn snapshot(url: &str, ws: Uuid) -> Snapshot {
    open(url, ws)
        .read(|tx| tx.snapshot_of(Scope::default(), Kind::ALL))
        .expect("snapshot")
}

#[test]
fn pg_dump_and_pg_restore_give_back_every_record() {
    let Some(url) = url() else { return };
    let schema = Schema::new(&url);
    let spaces: Vec<(Uuid, String)> = ["alpha", "bravo", "charlie"]
        .iter()
        .map(|w| (Uuid::new_v4(), w.to_string()))
        .collect();
    for (ws, word) in &spaces {
        open(&schema.url(), *ws)
            .write(|tx| fill(tx, word))
            .expect("fill");
    }
    let rows = schema.contents();
    let snapshots: Vec<Snapshot> = spaces
        .iter()
        .map(|(ws, _)| snapshot(&schema.url(), *ws))
        .collect();
    assert!(
        snapshots
            .iter()
            .all(|s| s.items.len() == Kind::ALL.len() + 1)
    );
    assert!(rows.iter().any(|r| r.starts_with("upward_migrations: ")));

    // Back up: the custom format, only this schema (a server would dump its database).
    let dir = tempfile::tempdir().expect("a temporary directory");
    let dump = dir.path().join("spaces.dump");
    run(
        &tool(&url, "pg_dump"),
        &[
            "--format=custom",
            "--schema",
            &schema.name,
            "--file",
            dump.to_str().unwrap(),
            &url,
        ],
    );
    assert!(std::fs::metadata(&dump).expect("the dump").len() > 0);

    // Destroy: the data, the tables, the schema.
    raw(&url)
        .batch_execute(&format!("DROP SCHEMA {} CASCADE", schema.name))
        .expect("drop");
    assert!(schema.contents().is_empty(), "the data is still there");

    // Restore, and find every record again.
    run(
        &tool(&url, "pg_restore"),
        &[
            "--exit-on-error",
            "--no-owner",
            "--dbname",
            &url,
            dump.to_str().unwrap(),
        ],
    );
    assert_eq!(schema.contents(), rows, "a row differs after the restore");
    for ((ws, word), before) in spaces.iter().zip(&snapshots) {
        assert_eq!(&snapshot(&schema.url(), *ws), before, "workspace {word}");
        let mut store = open(&schema.url(), *ws);
        let hits = store.read(|tx| tx.search(word, 50)).expect("search");
        assert!(hits.len() > Kind::ALL.len(), "{word}: {} hits", hits.len());
        // And the workspace goes on: the next item takes the next id.
        let next = store
            .write(|tx| tx.insert_item(&item(Kind::Note, "after the restore")))
            .expect("a write after the restore");
        assert_eq!(
            next.id,
            before.items.iter().map(|i| i.id).max().unwrap() + 1
        );
    }
}
