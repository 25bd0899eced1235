-- Organisation profiles gain capabilities, sectors and certifications (codes of the
-- built-in vocabularies, one per line), and the search outbox learns which kind of
-- document a row is about, now that organisations are indexed too (PostgreSQL dialect).

ALTER TABLE organisations ADD COLUMN capabilities   TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN sectors        TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN certifications TEXT NOT NULL DEFAULT '';

-- Calls carry the capabilities and sectors derived from their text (for filtering when the
-- search engine is down); calls stored before are classified on their next write.
ALTER TABLE calls ADD COLUMN domains TEXT NOT NULL DEFAULT '';
ALTER TABLE calls ADD COLUMN sectors TEXT NOT NULL DEFAULT '';

ALTER TABLE search_outbox ADD COLUMN entity TEXT NOT NULL DEFAULT 'call';

-- Every organisation already stored is owed to the index once.
INSERT INTO search_outbox (external_id, enqueued_at, entity)
SELECT external_id, now(), 'organisation' FROM organisations;
