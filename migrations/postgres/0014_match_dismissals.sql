-- Calls an organisation's members marked "not relevant" in its matches: hidden from them,
-- and calls like them rank a little lower (PostgreSQL dialect).

CREATE TABLE match_dismissals (
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    call_id         BIGINT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    person_id       BIGINT REFERENCES people (id) ON DELETE SET NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (organisation_id, call_id)
);
