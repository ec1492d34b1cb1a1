-- 2: the second reading (issue #15), as migration 3 of the SQLite schema. Who confirmed a
-- priority or an expectation; a due date's first commitment and how often it moved; the risk
-- lifecycle (state, outcome, and what was communicated: severity, likelihood and state); a
-- priority's remaining effort; the expectation or goal a win counts for; the request a
-- feedback answers. These references are UUIDs within the workspace without a foreign key, as
-- in the SQLite schema: an item may link to one written after it (import writes items in id
-- order), and the domain checks every link before it is written. Existing rows get
-- what an old export gets on import (`Export::upgrade_v2`): a risk's state (closed when done,
-- else open), what was communicated (its levels now), and who confirmed (the person of the
-- 1:1 on the confirmed date that discussed it). Search words (`search_body`) of a row with an
-- outcome are written by the store with the row; no existing row has one.

ALTER TABLE items
    ADD COLUMN confirmed_by            uuid,
    ADD COLUMN remaining               text,
    ADD COLUMN state                   text,
    ADD COLUMN outcome                 text,
    ADD COLUMN communicated_severity   text,
    ADD COLUMN communicated_likelihood text,
    ADD COLUMN communicated_state      text,
    ADD COLUMN for_item                uuid,
    ADD COLUMN answers                 uuid,
    ADD COLUMN original_due            date,
    ADD COLUMN renegotiated            integer NOT NULL DEFAULT 0;

UPDATE items SET state = CASE status WHEN 'done' THEN 'closed' ELSE 'open' END
    WHERE kind = 'risk' AND state IS NULL;
UPDATE items SET communicated_severity = severity, communicated_likelihood = likelihood,
    communicated_state = state
    WHERE kind = 'risk' AND communicated IS NOT NULL;
UPDATE items i SET confirmed_by = (
    SELECT m.person FROM meeting_items mi
    JOIN meetings m ON m.workspace = mi.workspace AND m.uuid = mi.meeting
    WHERE mi.workspace = i.workspace AND mi.item = i.uuid AND m.date = i.confirmed
    ORDER BY m.id DESC LIMIT 1)
    WHERE kind IN ('priority', 'expectation') AND confirmed IS NOT NULL;
