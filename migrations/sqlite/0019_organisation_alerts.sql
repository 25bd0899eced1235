-- A member's opt-in to "new top matches for my organisation" in their weekly digest (SQLite
-- dialect). Leaving the organisation ends it (the digest reads it through the membership);
-- deleting either side deletes it.

CREATE TABLE organisation_alerts (
    person_id       INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    created_at      TEXT    NOT NULL,
    PRIMARY KEY (person_id, organisation_id)
);
