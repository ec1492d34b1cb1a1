//! The schema as an ordered list of migrations. The database records how many have run in
//! `PRAGMA user_version`; each runs in its own transaction. Never edit a released migration:
//! add the next one (and a fixture database for the upgrade test).

/// `PRAGMA application_id`: marks a file as an upward database ("UPWD").
pub const APPLICATION_ID: i32 = 0x5550_5744;

pub const MIGRATIONS: &[&str] = &[
    // 1: people, items, meetings, updates sent, reflections, and their full-text indexes.
    r#"
CREATE TABLE people (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL UNIQUE,
    relation    TEXT NOT NULL,
    role        TEXT,
    is_me       INTEGER NOT NULL DEFAULT 0,
    goals       TEXT,
    priorities  TEXT,
    pressures   TEXT,
    motivations TEXT,
    "values"    TEXT,
    strengths   TEXT,
    blind_spots TEXT,
    pet_peeves  TEXT,
    happiest    TEXT,
    channel     TEXT,
    length      TEXT,
    decides_by  TEXT,
    feedback    TEXT,
    cadence     TEXT,
    trust       INTEGER,
    archived    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX people_one_me ON people(is_me) WHERE is_me = 1;

CREATE TABLE meetings (
    id         INTEGER PRIMARY KEY,
    uuid       TEXT NOT NULL UNIQUE,
    person_id  INTEGER NOT NULL REFERENCES people(id),
    date       TEXT NOT NULL,
    notes      TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX meetings_person ON meetings(person_id, date);

CREATE TABLE items (
    id             INTEGER PRIMARY KEY,
    uuid           TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL,
    title          TEXT NOT NULL,
    body           TEXT,
    person_id      INTEGER REFERENCES people(id),
    status         TEXT NOT NULL,
    created        TEXT NOT NULL,
    due            TEXT,
    done           TEXT,
    tags           TEXT NOT NULL DEFAULT '[]',
    visibility     TEXT NOT NULL,
    impact         TEXT,
    metric         TEXT,
    date           TEXT,
    rank           INTEGER,
    effort         TEXT,
    confirmed      TEXT,
    likelihood     TEXT,
    severity       TEXT,
    mitigation     TEXT,
    communicated   TEXT,
    ask            TEXT,
    data           TEXT,
    escalated      TEXT,
    owner          TEXT,
    direction      TEXT,
    tone           TEXT,
    consent        INTEGER,
    last_discussed TEXT,
    ranked         TEXT,
    discussed      TEXT,
    meeting_id     INTEGER REFERENCES meetings(id),
    why            TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX items_status_kind ON items(status, kind);
CREATE INDEX items_person ON items(person_id, status);
CREATE INDEX items_done ON items(done);

CREATE TABLE meeting_items (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    item_id    INTEGER NOT NULL REFERENCES items(id),
    PRIMARY KEY (meeting_id, item_id)
) WITHOUT ROWID;

CREATE TABLE updates (
    id         INTEGER PRIMARY KEY,
    uuid       TEXT NOT NULL UNIQUE,
    person_id  INTEGER NOT NULL REFERENCES people(id),
    date       TEXT NOT NULL,
    channel    TEXT NOT NULL,
    text       TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX updates_person ON updates(person_id, date);

CREATE TABLE reflections (
    id         INTEGER PRIMARY KEY,
    uuid       TEXT NOT NULL UNIQUE,
    person_id  INTEGER NOT NULL REFERENCES people(id),
    date       TEXT NOT NULL,
    scores     TEXT NOT NULL,
    answers    TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX reflections_person ON reflections(person_id, date);

-- Full-text indexes, kept in step by triggers so no write path can forget them.
CREATE VIRTUAL TABLE items_fts USING fts5(title, body, extra, tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
    INSERT INTO items_fts(rowid, title, body, extra) VALUES (new.id, new.title, new.body,
        concat_ws(' ', new.impact, new.metric, new.mitigation, new.ask, new.data, new.why));
END;
CREATE TRIGGER items_fts_update AFTER UPDATE ON items BEGIN
    DELETE FROM items_fts WHERE rowid = old.id;
    INSERT INTO items_fts(rowid, title, body, extra) VALUES (new.id, new.title, new.body,
        concat_ws(' ', new.impact, new.metric, new.mitigation, new.ask, new.data, new.why));
END;
CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
    DELETE FROM items_fts WHERE rowid = old.id;
END;

CREATE VIRTUAL TABLE meetings_fts USING fts5(notes, tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER meetings_fts_insert AFTER INSERT ON meetings BEGIN
    INSERT INTO meetings_fts(rowid, notes) VALUES (new.id, new.notes);
END;
CREATE TRIGGER meetings_fts_update AFTER UPDATE ON meetings BEGIN
    DELETE FROM meetings_fts WHERE rowid = old.id;
    INSERT INTO meetings_fts(rowid, notes) VALUES (new.id, new.notes);
END;
CREATE TRIGGER meetings_fts_delete AFTER DELETE ON meetings BEGIN
    DELETE FROM meetings_fts WHERE rowid = old.id;
END;

CREATE VIRTUAL TABLE people_fts USING fts5(name, profile, tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER people_fts_insert AFTER INSERT ON people BEGIN
    INSERT INTO people_fts(rowid, name, profile) VALUES (new.id, new.name,
        concat_ws(' ', new.role, new.goals, new.priorities, new.pressures, new.motivations,
            new."values", new.strengths, new.blind_spots, new.pet_peeves, new.happiest));
END;
CREATE TRIGGER people_fts_update AFTER UPDATE ON people BEGIN
    DELETE FROM people_fts WHERE rowid = old.id;
    INSERT INTO people_fts(rowid, name, profile) VALUES (new.id, new.name,
        concat_ws(' ', new.role, new.goals, new.priorities, new.pressures, new.motivations,
            new."values", new.strengths, new.blind_spots, new.pet_peeves, new.happiest));
END;
CREATE TRIGGER people_fts_delete AFTER DELETE ON people BEGIN
    DELETE FROM people_fts WHERE rowid = old.id;
END;
"#,
    // 2: indexes for the scoped snapshot (open items, and closed ones touched since a date, of
    // some kinds; see `Tx::snapshot_of`), so everyday commands read the rows they need of a
    // database of many years instead of scanning all of it. With the kind in the index, rows
    // of other kinds are skipped without being read.
    r#"
CREATE INDEX items_date ON items(date, kind);
CREATE INDEX items_updated ON items(updated_at, kind);
CREATE INDEX items_done_kind ON items(done, kind);
"#,
    // 3: the second reading (issue #15). Who confirmed a priority or an expectation; a due
    // date's first commitment and how often it moved; the risk lifecycle (state, outcome, and
    // what was communicated: severity, likelihood and state); a priority's remaining effort;
    // the expectation or goal a win counts for; the request a feedback answers. Existing rows
    // get what an old export gets on import (`Export::upgrade_v2`): a risk's state (closed when
    // done, else open), what was communicated (its levels now), and who confirmed (the person
    // of the 1:1 on the confirmed date that discussed it). Search also reads a risk's outcome.
    r#"
ALTER TABLE items ADD COLUMN confirmed_by TEXT;
ALTER TABLE items ADD COLUMN remaining TEXT;
ALTER TABLE items ADD COLUMN state TEXT;
ALTER TABLE items ADD COLUMN outcome TEXT;
ALTER TABLE items ADD COLUMN communicated_severity TEXT;
ALTER TABLE items ADD COLUMN communicated_likelihood TEXT;
ALTER TABLE items ADD COLUMN communicated_state TEXT;
ALTER TABLE items ADD COLUMN for_item TEXT;
ALTER TABLE items ADD COLUMN answers TEXT;
ALTER TABLE items ADD COLUMN original_due TEXT;
ALTER TABLE items ADD COLUMN renegotiated INTEGER NOT NULL DEFAULT 0;

-- The backfill rewrites rows, not their words: the search triggers are replaced after it.
UPDATE items SET state = CASE status WHEN 'done' THEN 'closed' ELSE 'open' END
    WHERE kind = 'risk' AND state IS NULL;
UPDATE items SET communicated_severity = severity, communicated_likelihood = likelihood,
    communicated_state = state
    WHERE kind = 'risk' AND communicated IS NOT NULL;
UPDATE items SET confirmed_by = (
    SELECT people.uuid FROM meeting_items
    JOIN meetings ON meetings.id = meeting_items.meeting_id
    JOIN people ON people.id = meetings.person_id
    WHERE meeting_items.item_id = items.id AND meetings.date = items.confirmed
    ORDER BY meetings.id DESC LIMIT 1)
    WHERE kind IN ('priority', 'expectation') AND confirmed IS NOT NULL;

DROP TRIGGER items_fts_insert;
DROP TRIGGER items_fts_update;
CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
    INSERT INTO items_fts(rowid, title, body, extra) VALUES (new.id, new.title, new.body,
        concat_ws(' ', new.impact, new.metric, new.mitigation, new.ask, new.data, new.why,
            new.outcome));
END;
CREATE TRIGGER items_fts_update AFTER UPDATE ON items BEGIN
    DELETE FROM items_fts WHERE rowid = old.id;
    INSERT INTO items_fts(rowid, title, body, extra) VALUES (new.id, new.title, new.body,
        concat_ws(' ', new.impact, new.metric, new.mitigation, new.ask, new.data, new.why,
            new.outcome));
END;
"#,
    // 4: what a 1:1 changed (so it can be undone), records removed for good, and the
    // requests declined.
    r#"
CREATE TABLE meeting_effects (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    item_id    INTEGER NOT NULL REFERENCES items(id),
    field      TEXT NOT NULL,
    before     TEXT NOT NULL,
    after      TEXT NOT NULL,
    UNIQUE (meeting_id, item_id, field)
);

CREATE TABLE tombstones (
    uuid       TEXT NOT NULL PRIMARY KEY,
    kind       TEXT NOT NULL,
    removed_at TEXT NOT NULL
);

CREATE TABLE declines (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT NOT NULL UNIQUE,
    person_id    INTEGER NOT NULL REFERENCES people(id),
    date         TEXT NOT NULL,
    title        TEXT NOT NULL,
    reason       TEXT NOT NULL,
    alternatives TEXT NOT NULL DEFAULT '[]',
    after        TEXT,
    text         TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX declines_person ON declines(person_id, date);
"#,
    // 5: a person's style fields `technical` and `exec` (issue #13): whether they read
    // technical detail, and whether they are an executive who gets a three-line brief. NULL
    // is unset, as for every person recorded before.
    r#"
ALTER TABLE people ADD COLUMN technical INTEGER;
ALTER TABLE people ADD COLUMN exec INTEGER;
"#,
    // 6: what sync keeps (issue #12, docs/sync.md "The workspace's side"). A person's email
    // (how sync finds the member of a space) and the server account sync linked them to, one
    // person per account; a meeting's notes shared with the other member and the other
    // member's notes, both searched with its own. Beside the records: this device's UUID, a
    // link per space, the log of operations (in `seq` order, never reused) and the space's
    // records as this replica folded them. NULL is unset, as for every record before.
    r#"
ALTER TABLE people ADD COLUMN email TEXT;
ALTER TABLE people ADD COLUMN account TEXT;
CREATE UNIQUE INDEX people_account ON people(account) WHERE account IS NOT NULL;

ALTER TABLE meetings ADD COLUMN shared_notes TEXT;
ALTER TABLE meetings ADD COLUMN their_notes TEXT;
DROP TRIGGER meetings_fts_insert;
DROP TRIGGER meetings_fts_update;
CREATE TRIGGER meetings_fts_insert AFTER INSERT ON meetings BEGIN
    INSERT INTO meetings_fts(rowid, notes) VALUES (new.id,
        concat_ws(' ', new.notes, new.shared_notes, new.their_notes));
END;
CREATE TRIGGER meetings_fts_update AFTER UPDATE ON meetings BEGIN
    DELETE FROM meetings_fts WHERE rowid = old.id;
    INSERT INTO meetings_fts(rowid, notes) VALUES (new.id,
        concat_ws(' ', new.notes, new.shared_notes, new.their_notes));
END;

CREATE TABLE sync_device (
    one    INTEGER PRIMARY KEY CHECK (one = 1),
    device TEXT NOT NULL
);

CREATE TABLE sync_spaces (
    space   TEXT NOT NULL PRIMARY KEY,
    server  TEXT NOT NULL,
    person  TEXT NOT NULL,
    me      TEXT NOT NULL,
    other   TEXT NOT NULL,
    my_role TEXT NOT NULL,
    cursor  INTEGER NOT NULL DEFAULT 0,
    clock   INTEGER NOT NULL DEFAULT 0,
    status  TEXT NOT NULL
);

CREATE TABLE sync_ops (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    id       TEXT NOT NULL UNIQUE,
    space    TEXT NOT NULL,
    envelope BLOB NOT NULL,
    payload  BLOB NOT NULL,
    position INTEGER,
    pushed   INTEGER NOT NULL DEFAULT 0,
    applied  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sync_ops_unpushed ON sync_ops(space, seq) WHERE NOT pushed;
CREATE INDEX sync_ops_unapplied ON sync_ops(seq) WHERE NOT applied;

CREATE TABLE sync_records (
    space  TEXT NOT NULL,
    record TEXT NOT NULL,
    state  BLOB NOT NULL,
    PRIMARY KEY (space, record)
);
"#,
    // 7: what changed since a sync last looked (issue #12, docs/sync.md "What a sync reads").
    // Every write of an item, a meeting or what a meeting discussed gives its key (an item's
    // or a meeting's UUID, and a meeting's day, before and after) the next change mark; each
    // link keeps the mark it last made operations at (`made`, NULL: compare everything), so a
    // sync reads what was written since, not the whole workspace. Triggers, as for search, so
    // that no write path can forget; they mark nothing while no space is linked (a workspace
    // that never syncs pays nothing, and a new link compares everything first). One row per
    // key: the table never outgrows the workspace.
    r#"
ALTER TABLE sync_spaces ADD COLUMN made INTEGER;

CREATE TABLE sync_changes (
    kind TEXT NOT NULL CHECK (kind IN ('item', 'meeting', 'day')),
    key  TEXT NOT NULL,
    mark INTEGER NOT NULL,
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
CREATE INDEX sync_changes_mark ON sync_changes(mark);

CREATE TRIGGER items_changed_insert AFTER INSERT ON items
    WHEN EXISTS (SELECT 1 FROM sync_spaces) BEGIN
    INSERT INTO sync_changes (kind, key, mark)
        VALUES ('item', new.uuid, (SELECT coalesce(max(mark), 0) + 1 FROM sync_changes))
        ON CONFLICT (kind, key) DO UPDATE SET mark = excluded.mark;
END;
CREATE TRIGGER items_changed_update AFTER UPDATE ON items
    WHEN EXISTS (SELECT 1 FROM sync_spaces) BEGIN
    INSERT INTO sync_changes (kind, key, mark)
        VALUES ('item', new.uuid, (SELECT coalesce(max(mark), 0) + 1 FROM sync_changes))
        ON CONFLICT (kind, key) DO UPDATE SET mark = excluded.mark;
END;
CREATE TRIGGER items_changed_delete AFTER DELETE ON items
    WHEN EXISTS (SELECT 1 FROM sync_spaces) BEGIN
    INSERT INTO sync_changes (kind, key, mark)
        VALUES ('item', old.uuid, (SELECT coalesce(max(mark), 0) + 1 FROM sync_changes))
        ON CONFLICT (kind, key) DO UPDATE SET mark = excluded.mark;
END;

CREATE TRIGGER meetings_changed_insert AFTER INSERT ON meetings
    WHEN EXISTS (SELECT 1 FROM sync_spaces) BEGIN
    INSERT INTO sync_changes (kind, key, mark)
        VALUES ('meeting', new.uuid, (SELECT coalesce(max(mark), 0) + 1 FROM sync_changes))
        ON CONFLICT (kind, key) DO UPDATE SET mark = excluded.mark;
    INSERT INTO sync_changes (kind, key, mark)
        VALUES ('day', new.date, (SELECT coalesce(max(mark), 0) + 1 FROM sync_changes))
        ON CONFLICT (kind, key) DO UPDATE SET mark = excluded.mark;
END;
CREATE TRIGGER meetings_changed_update AFTER UPDATE ON meetings
    WHEN EXISTS (SELECT 1 FROM sync_spaces) BEGIN
    INSERT INTO sync_changes (kind, key, mark)
        VALUES ('meeting', new.uuid, (SELECT coalesce(max(mark), 0) + 1 FROM sync_changes))
        ON CONFLICT (kind, key) DO UPDATE SET mark = excluded.mark;
    INSERT INTO sync_changes (kind, key, mark)
        VALUES ('day', old.date, (SELECT coalesce(max(mark), 0) + 1 FROM sync_changes))
        ON CONFLICT (kind, key) DO UPDATE SET mark = excluded.mark;
    INSERT INTO sync_changes (kind, key, mark)
        VALUES ('day', new.date, (SELECT coalesce(max(mark), 0) + 1 FROM sync_changes))
        ON CONFLICT (kind, key) DO UPDATE SET mark = excluded.mark;
END;
CREATE TRIGGER meetings_changed_delete AFTER DELETE ON meetings
    WHEN EXISTS (SELECT 1 FROM sync_spaces) BEGIN
    INSERT INTO sync_changes (kind, key, mark)
        VALUES ('meeting', old.uuid, (SELECT coalesce(max(mark), 0) + 1 FROM sync_changes))
        ON CONFLICT (kind, key) DO UPDATE SET mark = excluded.mark;
    INSERT INTO sync_changes (kind, key, mark)
        VALUES ('day', old.date, (SELECT coalesce(max(mark), 0) + 1 FROM sync_changes))
        ON CONFLICT (kind, key) DO UPDATE SET mark = excluded.mark;
END;

CREATE TRIGGER meeting_items_changed_insert AFTER INSERT ON meeting_items
    WHEN EXISTS (SELECT 1 FROM sync_spaces) BEGIN
    INSERT INTO sync_changes (kind, key, mark)
        SELECT 'meeting', uuid, (SELECT coalesce(max(mark), 0) + 1 FROM sync_changes)
          FROM meetings WHERE id = new.meeting_id
        ON CONFLICT (kind, key) DO UPDATE SET mark = excluded.mark;
    INSERT INTO sync_changes (kind, key, mark)
        SELECT 'day', date, (SELECT coalesce(max(mark), 0) + 1 FROM sync_changes)
          FROM meetings WHERE id = new.meeting_id
        ON CONFLICT (kind, key) DO UPDATE SET mark = excluded.mark;
END;
CREATE TRIGGER meeting_items_changed_delete AFTER DELETE ON meeting_items
    WHEN EXISTS (SELECT 1 FROM sync_spaces) BEGIN
    INSERT INTO sync_changes (kind, key, mark)
        SELECT 'meeting', uuid, (SELECT coalesce(max(mark), 0) + 1 FROM sync_changes)
          FROM meetings WHERE id = old.meeting_id
        ON CONFLICT (kind, key) DO UPDATE SET mark = excluded.mark;
    INSERT INTO sync_changes (kind, key, mark)
        SELECT 'day', date, (SELECT coalesce(max(mark), 0) + 1 FROM sync_changes)
          FROM meetings WHERE id = old.meeting_id
        ON CONFLICT (kind, key) DO UPDATE SET mark = excluded.mark;
END;
"#,
];
