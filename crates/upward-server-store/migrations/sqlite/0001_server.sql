-- The team server's database, server schema 1 (SQLite). Never edit once released: add the next
-- file. UUIDs are 16-byte blobs, hashes 32-byte blobs, times nanoseconds since the Unix epoch.

CREATE TABLE server_accounts (
    id                  BLOB PRIMARY KEY,
    email               TEXT NOT NULL,
    email_key           TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    password_hash       TEXT,
    time_zone           TEXT NOT NULL,
    disabled            INTEGER NOT NULL,
    created_at          INTEGER NOT NULL,
    password_changed_at INTEGER
) STRICT;

CREATE TABLE server_sessions (
    hash       BLOB PRIMARY KEY,
    account    BLOB REFERENCES server_accounts (id),
    data       BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX server_sessions_account ON server_sessions (account);
CREATE INDEX server_sessions_expires ON server_sessions (expires_at);

CREATE TABLE server_tokens (
    id         BLOB PRIMARY KEY,
    hash       BLOB NOT NULL UNIQUE,
    account    BLOB NOT NULL REFERENCES server_accounts (id),
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_used  INTEGER
) STRICT;
CREATE INDEX server_tokens_account ON server_tokens (account, created_at);

CREATE TABLE server_links (
    hash       BLOB PRIMARY KEY,
    account    BLOB NOT NULL REFERENCES server_accounts (id),
    purpose    TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX server_links_account ON server_links (account);

CREATE TABLE server_spaces (
    id                BLOB PRIMARY KEY,
    status            TEXT NOT NULL,
    inviter           BLOB NOT NULL REFERENCES server_accounts (id),
    inviter_role      TEXT NOT NULL,
    invitee_email     TEXT NOT NULL,
    invitee_email_key TEXT NOT NULL,
    invitee           BLOB REFERENCES server_accounts (id),
    created_at        INTEGER NOT NULL,
    changed_at        INTEGER NOT NULL
) STRICT;
CREATE INDEX server_spaces_inviter ON server_spaces (inviter);
CREATE INDEX server_spaces_invitee ON server_spaces (invitee);
CREATE INDEX server_spaces_invitee_email ON server_spaces (invitee_email_key);

-- A space's log: positions 1, 2, … in commit order; an operation's id at most once per space.
CREATE TABLE server_ops (
    space       BLOB NOT NULL REFERENCES server_spaces (id),
    position    INTEGER NOT NULL,
    id          BLOB NOT NULL,
    record      BLOB NOT NULL,
    record_type TEXT NOT NULL,
    action      TEXT NOT NULL,
    author      BLOB NOT NULL,
    device      BLOB NOT NULL,
    clock       INTEGER NOT NULL,
    protocol    INTEGER NOT NULL,
    payload     BLOB NOT NULL,
    PRIMARY KEY (space, position),
    UNIQUE (space, id)
) STRICT;

CREATE TABLE server_records (
    space       BLOB NOT NULL REFERENCES server_spaces (id),
    id          BLOB NOT NULL,
    record_type TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    removed     INTEGER NOT NULL,
    state       BLOB NOT NULL,
    PRIMARY KEY (space, id)
) STRICT;
CREATE INDEX server_records_seq ON server_records (space, seq);

CREATE TABLE server_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
