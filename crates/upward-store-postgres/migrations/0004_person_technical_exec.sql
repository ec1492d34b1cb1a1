-- A person's style fields `technical` and `exec` (issue #13): whether they read technical
-- detail, and whether they are an executive who gets a three-line brief. NULL is unset, as
-- for every person recorded before.

ALTER TABLE people ADD COLUMN technical boolean, ADD COLUMN exec boolean;
