-- Calls funding bodies publish themselves: which organisation owns one (NULL for imported
-- calls), where it is in the workflow, when it publishes itself, the last reviewer's comment,
-- its deadlines' time zone; and the versions a published call keeps (PostgreSQL dialect).

ALTER TABLE calls ADD COLUMN owner_organisation_id BIGINT REFERENCES organisations (id);
-- 'draft', 'in_review', 'scheduled', 'published' or 'archived'; imported calls are published.
ALTER TABLE calls ADD COLUMN state TEXT NOT NULL DEFAULT 'published';
ALTER TABLE calls ADD COLUMN publish_at TIMESTAMPTZ;
ALTER TABLE calls ADD COLUMN submitted_by BIGINT REFERENCES people (id) ON DELETE SET NULL;
ALTER TABLE calls ADD COLUMN review_comment TEXT;
ALTER TABLE calls ADD COLUMN deadline_time_zone TEXT;
CREATE INDEX calls_owner ON calls (owner_organisation_id, state);
CREATE INDEX calls_scheduled ON calls (publish_at) WHERE state = 'scheduled';

-- One row per save of a published call (number 1: its publication); `changes` is the JSON list
-- of changed fields, each marked material or not.
CREATE TABLE call_versions (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    call_id  BIGINT      NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    number   BIGINT      NOT NULL,
    saved_at TIMESTAMPTZ NOT NULL,
    saved_by BIGINT      REFERENCES people (id) ON DELETE SET NULL,
    material BOOLEAN     NOT NULL,
    note     TEXT        NOT NULL DEFAULT '',
    changes  TEXT        NOT NULL DEFAULT '[]',
    UNIQUE (call_id, number)
);
CREATE INDEX audit_log_organisation ON audit_log (organisation_id, at);
