-- What sync needs of a person and a meeting (issue #12, docs/sync.md): a person's email
-- address and the server account sync linked them to (one person per account in a
-- workspace), a meeting's notes shared with the other member and the other member's notes.
-- NULL is unset, as for every record written before. The sync log itself is the personal
-- workspace's (SQLite): a space on the server does not keep one here.

ALTER TABLE people ADD COLUMN email text, ADD COLUMN account uuid;
CREATE UNIQUE INDEX people_account ON people (workspace, account) WHERE account IS NOT NULL;

ALTER TABLE meetings ADD COLUMN shared_notes text, ADD COLUMN their_notes text;
