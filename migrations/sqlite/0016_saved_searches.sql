-- Searches people save, each with how often it mails them, and when each person's digest is
-- composed (SQLite dialect). A person without a schedule row gets the default (Monday 08:00
-- Europe/Brussels).

CREATE TABLE saved_searches (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('calls', 'organisations')),
    query      TEXT NOT NULL,
    title      TEXT NOT NULL,
    frequency  TEXT NOT NULL CHECK (frequency IN ('weekly', 'daily', 'instant', 'off')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (person_id, kind, query)
);

CREATE TABLE digest_schedules (
    person_id  INTEGER PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    weekday    INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    hour       INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
    time_zone  TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
