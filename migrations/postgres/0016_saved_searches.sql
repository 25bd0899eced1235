-- Searches people save, each with how often it mails them, and when each person's digest is
-- composed (PostgreSQL dialect). A person without a schedule row gets the default (Monday 08:00
-- Europe/Brussels).

CREATE TABLE saved_searches (
    id         BIGSERIAL PRIMARY KEY,
    person_id  BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('calls', 'organisations')),
    query      TEXT NOT NULL,
    title      TEXT NOT NULL,
    frequency  TEXT NOT NULL CHECK (frequency IN ('weekly', 'daily', 'instant', 'off')),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (person_id, kind, query)
);

CREATE TABLE digest_schedules (
    person_id  BIGINT PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    weekday    INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    hour       INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
    time_zone  TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
