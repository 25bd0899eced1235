-- Organisation profiles gain capabilities, sectors and certifications (codes of the
-- built-in vocabularies, one per line), and the search outbox learns which kind of
-- document a row is about, now that organisations are indexed too (SQLite dialect).

ALTER TABLE organisations ADD COLUMN capabilities   TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN sectors        TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN certifications TEXT NOT NULL DEFAULT '';
-- The name order every search engine uses (words folded to ASCII, then the id), for the
-- directory served from the database while the engine is down.
ALTER TABLE organisations ADD COLUMN name_key       TEXT NOT NULL DEFAULT '';
CREATE INDEX organisations_name_key ON organisations (name_key);
-- Close to the folded form until each organisation's next write sets it exactly.
UPDATE organisations SET name_key = LOWER(name) || ' ' || external_id;

-- Calls carry the capabilities and sectors derived from their text (for filtering when the
-- search engine is down); calls stored before are classified on their next write.
ALTER TABLE calls ADD COLUMN domains TEXT NOT NULL DEFAULT '';
ALTER TABLE calls ADD COLUMN sectors TEXT NOT NULL DEFAULT '';

ALTER TABLE search_outbox ADD COLUMN entity TEXT NOT NULL DEFAULT 'call';

-- Every organisation already stored is owed to the index once.
INSERT INTO search_outbox (external_id, enqueued_at, entity)
SELECT external_id, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'), 'organisation' FROM organisations;
