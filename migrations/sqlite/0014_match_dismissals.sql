-- Calls an organisation's members marked "not relevant" in its matches: hidden from them,
-- and calls like them rank a little lower (SQLite dialect).

CREATE TABLE match_dismissals (
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    call_id         INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    person_id       INTEGER REFERENCES people (id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (organisation_id, call_id)
);
