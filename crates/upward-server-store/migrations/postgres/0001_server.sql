-- The team server's tables, server schema 1 (PostgreSQL). Never edit once released: add the
-- next file. Every name starts with `server_`, so these tables can share a database with the
-- workspaces' tables of upward-store-postgres. Times are nanoseconds since the Unix epoch
-- (bigint): exact, where timestamptz would keep microseconds.

CREATE TABLE server_accounts (
    id                  uuid PRIMARY KEY,
    email               text NOT NULL,
    email_key           text NOT NULL UNIQUE,
    name                text NOT NULL,
    password_hash       text,
    time_zone           text NOT NULL,
    disabled            boolean NOT NULL,
    created_at          bigint NOT NULL,
    password_changed_at bigint
);

CREATE TABLE server_sessions (
    hash       bytea PRIMARY KEY,
    account    uuid REFERENCES server_accounts (id),
    data       bytea NOT NULL,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL
);
CREATE INDEX server_sessions_account ON server_sessions (account);
CREATE INDEX server_sessions_expires ON server_sessions (expires_at);

CREATE TABLE server_tokens (
    id         uuid PRIMARY KEY,
    hash       bytea NOT NULL UNIQUE,
    account    uuid NOT NULL REFERENCES server_accounts (id),
    name       text NOT NULL,
    created_at bigint NOT NULL,
    last_used  bigint
);
CREATE INDEX server_tokens_account ON server_tokens (account, created_at);

CREATE TABLE server_links (
    hash       bytea PRIMARY KEY,
    account    uuid NOT NULL REFERENCES server_accounts (id),
    purpose    text NOT NULL,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL
);
CREATE INDEX server_links_account ON server_links (account);

CREATE TABLE server_spaces (
    id                uuid PRIMARY KEY,
    status            text NOT NULL,
    inviter           uuid NOT NULL REFERENCES server_accounts (id),
    inviter_role      text NOT NULL,
    invitee_email     text NOT NULL,
    invitee_email_key text NOT NULL,
    invitee           uuid REFERENCES server_accounts (id),
    created_at        bigint NOT NULL,
    changed_at        bigint NOT NULL
);
CREATE INDEX server_spaces_inviter ON server_spaces (inviter);
CREATE INDEX server_spaces_invitee ON server_spaces (invitee);
CREATE INDEX server_spaces_invitee_email ON server_spaces (invitee_email_key);

-- A space's log: positions 1, 2, … in commit order; an operation's id at most once per space.
CREATE TABLE server_ops (
    space       uuid NOT NULL REFERENCES server_spaces (id),
    position    bigint NOT NULL,
    id          uuid NOT NULL,
    record      uuid NOT NULL,
    record_type text NOT NULL,
    action      text NOT NULL,
    author      uuid NOT NULL,
    device      uuid NOT NULL,
    clock       bigint NOT NULL,
    protocol    integer NOT NULL,
    payload     bytea NOT NULL,
    PRIMARY KEY (space, position),
    UNIQUE (space, id)
);

CREATE TABLE server_records (
    space       uuid NOT NULL REFERENCES server_spaces (id),
    id          uuid NOT NULL,
    record_type text NOT NULL,
    seq         bigint NOT NULL,
    removed     boolean NOT NULL,
    state       bytea NOT NULL,
    PRIMARY KEY (space, id)
);
CREATE INDEX server_records_seq ON server_records (space, seq);

CREATE TABLE server_settings (
    key   text PRIMARY KEY,
    value text NOT NULL
);
