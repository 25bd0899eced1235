-- Clusters managed on the portal: the organisation (a cluster organisation) whose editors and
-- managers run the cluster's page and membership, and the invitations and applications
-- waiting for a decision — one per cluster and organisation (SQLite dialect).

ALTER TABLE clusters ADD COLUMN managed_by INTEGER REFERENCES organisations (id) ON DELETE SET NULL;

CREATE TABLE cluster_requests (
    id              INTEGER PRIMARY KEY,
    cluster_id      INTEGER NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL,
    message         TEXT    NOT NULL DEFAULT '',
    created_by      INTEGER REFERENCES people (id) ON DELETE SET NULL,
    created_at      TEXT    NOT NULL,
    UNIQUE (cluster_id, organisation_id)
);
CREATE INDEX cluster_requests_organisation ON cluster_requests (organisation_id);
