-- 1: workspaces, and in each: people, items, meetings (with the items discussed at them),
-- updates sent and reflections.
--
-- One database holds many workspaces: every table has a `workspace` column and every key and
-- index starts with it, so one space's rows sit together and its lookups never read another's.
-- `id` is the small per-workspace number users type; records refer to each other by UUID,
-- within their workspace. Timestamps are RFC 3339 text as jiff prints it (exact to the
-- nanosecond, which timestamptz is not; `COLLATE "C"` so they compare as the SQLite backend's
-- do). `search_title` and `search_body` are the words of a row as search matches them
-- (lowercased, without accents: ` word word `), written by the store with every row.

CREATE TABLE workspaces (
    workspace  uuid PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE people (
    workspace    uuid NOT NULL REFERENCES workspaces (workspace),
    id           bigint NOT NULL,
    uuid         uuid NOT NULL,
    name         text NOT NULL,
    name_key     text NOT NULL COLLATE "C",
    relation     text NOT NULL,
    role         text,
    is_me        boolean NOT NULL DEFAULT false,
    goals        text,
    priorities   text,
    pressures    text,
    motivations  text,
    "values"     text,
    strengths    text,
    blind_spots  text,
    pet_peeves   text,
    happiest     text,
    channel      text,
    length       text,
    decides_by   text,
    feedback     text,
    cadence      text,
    trust        smallint,
    archived     boolean NOT NULL DEFAULT false,
    created_at   text NOT NULL COLLATE "C",
    updated_at   text NOT NULL COLLATE "C",
    search_title text NOT NULL DEFAULT '',
    search_body  text NOT NULL DEFAULT '',
    PRIMARY KEY (workspace, id),
    UNIQUE (workspace, uuid),
    UNIQUE (workspace, name_key)
);
CREATE UNIQUE INDEX people_one_me ON people (workspace) WHERE is_me;

CREATE TABLE meetings (
    workspace   uuid NOT NULL REFERENCES workspaces (workspace),
    id          bigint NOT NULL,
    uuid        uuid NOT NULL,
    person      uuid NOT NULL,
    date        date NOT NULL,
    notes       text,
    created_at  text NOT NULL COLLATE "C",
    search_body text NOT NULL DEFAULT '',
    PRIMARY KEY (workspace, id),
    UNIQUE (workspace, uuid),
    FOREIGN KEY (workspace, person) REFERENCES people (workspace, uuid)
);
CREATE INDEX meetings_person ON meetings (workspace, person, date);

CREATE TABLE items (
    workspace      uuid NOT NULL REFERENCES workspaces (workspace),
    id             bigint NOT NULL,
    uuid           uuid NOT NULL,
    kind           text NOT NULL,
    title          text NOT NULL,
    body           text,
    person         uuid,
    status         text NOT NULL,
    created        date NOT NULL,
    due            date,
    done           date,
    tags           text[] NOT NULL DEFAULT '{}',
    visibility     text NOT NULL,
    impact         text,
    metric         text,
    date           date,
    rank           bigint,
    effort         text,
    confirmed      date,
    likelihood     text,
    severity       text,
    mitigation     text,
    communicated   date,
    ask            text,
    data           text,
    escalated      date,
    owner          text,
    direction      text,
    tone           text,
    consent        boolean,
    last_discussed date,
    ranked         date,
    discussed      date,
    meeting        uuid,
    why            text,
    created_at     text NOT NULL COLLATE "C",
    updated_at     text NOT NULL COLLATE "C",
    search_title   text NOT NULL DEFAULT '',
    search_body    text NOT NULL DEFAULT '',
    PRIMARY KEY (workspace, id),
    UNIQUE (workspace, uuid),
    FOREIGN KEY (workspace, person) REFERENCES people (workspace, uuid),
    FOREIGN KEY (workspace, meeting) REFERENCES meetings (workspace, uuid)
);
-- What `list` filters on, and what a scoped snapshot reads (open items; closed ones done,
-- dated or changed since a date; of some kinds): one index per condition, the kind in each.
CREATE INDEX items_status_kind ON items (workspace, status, kind);
CREATE INDEX items_person ON items (workspace, person, status);
CREATE INDEX items_done_kind ON items (workspace, done, kind);
CREATE INDEX items_date_kind ON items (workspace, date, kind);
CREATE INDEX items_updated_kind ON items (workspace, updated_at, kind);
CREATE INDEX items_meeting ON items (workspace, meeting) WHERE meeting IS NOT NULL;

CREATE TABLE meeting_items (
    workspace uuid NOT NULL,
    meeting   uuid NOT NULL,
    item      uuid NOT NULL,
    PRIMARY KEY (workspace, meeting, item),
    FOREIGN KEY (workspace, meeting) REFERENCES meetings (workspace, uuid),
    FOREIGN KEY (workspace, item) REFERENCES items (workspace, uuid)
);
CREATE INDEX meeting_items_item ON meeting_items (workspace, item);

CREATE TABLE updates (
    workspace  uuid NOT NULL REFERENCES workspaces (workspace),
    id         bigint NOT NULL,
    uuid       uuid NOT NULL,
    person     uuid NOT NULL,
    date       date NOT NULL,
    channel    text NOT NULL,
    text       text,
    created_at text NOT NULL COLLATE "C",
    PRIMARY KEY (workspace, id),
    UNIQUE (workspace, uuid),
    FOREIGN KEY (workspace, person) REFERENCES people (workspace, uuid)
);
CREATE INDEX updates_person ON updates (workspace, person, date);

CREATE TABLE reflections (
    workspace  uuid NOT NULL REFERENCES workspaces (workspace),
    id         bigint NOT NULL,
    uuid       uuid NOT NULL,
    person     uuid NOT NULL,
    date       date NOT NULL,
    scores     jsonb NOT NULL,
    answers    jsonb NOT NULL,
    created_at text NOT NULL COLLATE "C",
    PRIMARY KEY (workspace, id),
    UNIQUE (workspace, uuid),
    FOREIGN KEY (workspace, person) REFERENCES people (workspace, uuid)
);
CREATE INDEX reflections_person ON reflections (workspace, person, date);
