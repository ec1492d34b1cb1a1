-- What a 1:1 changed (so it can be undone), records removed for good, and the requests
-- declined. Values before and after are JSON as text (as the items' JSON writes them).

CREATE TABLE meeting_effects (
    workspace uuid NOT NULL REFERENCES workspaces (workspace),
    seq       bigserial NOT NULL,
    meeting   uuid NOT NULL,
    item      uuid NOT NULL,
    field     text NOT NULL,
    before    text NOT NULL,
    after     text NOT NULL,
    PRIMARY KEY (workspace, meeting, item, field),
    FOREIGN KEY (workspace, meeting) REFERENCES meetings (workspace, uuid),
    FOREIGN KEY (workspace, item) REFERENCES items (workspace, uuid)
);

CREATE TABLE tombstones (
    workspace  uuid NOT NULL REFERENCES workspaces (workspace),
    uuid       uuid NOT NULL,
    kind       text NOT NULL,
    removed_at text NOT NULL COLLATE "C",
    PRIMARY KEY (workspace, uuid)
);

CREATE TABLE declines (
    workspace    uuid NOT NULL REFERENCES workspaces (workspace),
    id           bigint NOT NULL,
    uuid         uuid NOT NULL,
    person       uuid NOT NULL,
    date         date NOT NULL,
    title        text NOT NULL,
    reason       text NOT NULL,
    alternatives jsonb NOT NULL,
    after        date,
    text         text,
    created_at   text NOT NULL COLLATE "C",
    PRIMARY KEY (workspace, id),
    UNIQUE (workspace, uuid),
    FOREIGN KEY (workspace, person) REFERENCES people (workspace, uuid)
);
CREATE INDEX declines_person ON declines (workspace, person, date);
