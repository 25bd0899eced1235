-- Clusters managed on the portal: the organisation (a cluster organisation) whose editors and
-- managers run the cluster's page and membership, and the invitations and applications
-- waiting for a decision — one per cluster and organisation (PostgreSQL dialect).

ALTER TABLE clusters ADD COLUMN managed_by BIGINT REFERENCES organisations (id) ON DELETE SET NULL;

CREATE TABLE cluster_requests (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cluster_id      BIGINT      NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    organisation_id BIGINT      NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    kind            TEXT        NOT NULL,
    message         TEXT        NOT NULL DEFAULT '',
    created_by      BIGINT      REFERENCES people (id) ON DELETE SET NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (cluster_id, organisation_id)
);
CREATE INDEX cluster_requests_organisation ON cluster_requests (organisation_id);
