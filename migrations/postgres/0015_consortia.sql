-- Consortia organisations build for a call: one per call and lead organisation, its members
-- with their roles and their answers, seen by the partners' people once shared (PostgreSQL
-- dialect).

CREATE TABLE consortia (
    id              BIGSERIAL PRIMARY KEY,
    call_id         BIGINT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    shared_at       TIMESTAMPTZ,
    created_by      BIGINT REFERENCES people (id) ON DELETE SET NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (call_id, organisation_id)
);

CREATE TABLE consortium_members (
    consortium_id   BIGINT NOT NULL REFERENCES consortia (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    role            TEXT NOT NULL,
    answer          TEXT NOT NULL,
    answered_by     BIGINT REFERENCES people (id) ON DELETE SET NULL,
    answered_at     TIMESTAMPTZ,
    PRIMARY KEY (consortium_id, organisation_id)
);

CREATE INDEX consortium_members_by_organisation ON consortium_members (organisation_id);
