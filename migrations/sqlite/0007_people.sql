-- People, their sessions and e-mailed tokens, their memberships of organisations, requests to
-- join or claim an organisation, the audit log of what administrators and editors did, and
-- the rate-limit counters several app servers share (SQLite dialect).

CREATE TABLE people (
    id                INTEGER PRIMARY KEY,
    email             TEXT        NOT NULL,
    -- The address lower-cased: one account per address whatever its case.
    email_key         TEXT        NOT NULL UNIQUE,
    display_name      TEXT        NOT NULL,
    password_hash     TEXT        NOT NULL,
    email_verified_at TEXT,
    language          TEXT        NOT NULL DEFAULT 'en',
    time_zone         TEXT        NOT NULL DEFAULT 'Europe/Brussels',
    is_admin          INTEGER     NOT NULL DEFAULT 0,
    disabled_at       TEXT,
    created_at        TEXT NOT NULL,
    last_seen_at      TEXT
);

-- A session is known by the SHA-256 digest of its id: the database never holds a usable id.
CREATE TABLE sessions (
    id_digest    TEXT        PRIMARY KEY,
    person_id    INTEGER     NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    user_agent   TEXT        NOT NULL DEFAULT '',
    -- Set when the person's rights change: the next page load gives the session a new id.
    rotate       INTEGER     NOT NULL DEFAULT 0
);
CREATE INDEX sessions_person ON sessions (person_id);

-- Single-use links sent by mail (purpose: 'verify', 'reset', 'change_email'), by digest.
CREATE TABLE email_tokens (
    token_digest TEXT        PRIMARY KEY,
    person_id    INTEGER     NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    purpose      TEXT        NOT NULL,
    new_email    TEXT,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    used_at      TEXT
);
CREATE INDEX email_tokens_person ON email_tokens (person_id, purpose);

-- role: 'member', 'editor', 'reviewer' or 'manager'.
CREATE TABLE memberships (
    person_id       INTEGER     NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    organisation_id INTEGER     NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    role            TEXT        NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (person_id, organisation_id)
);
CREATE INDEX memberships_organisation ON memberships (organisation_id);

-- kind: 'join' (an editor or administrator accepts) or 'claim' (an administrator approves);
-- state: 'pending', 'accepted' or 'declined'.
CREATE TABLE join_requests (
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER     NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    organisation_id INTEGER     NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    kind            TEXT        NOT NULL,
    message         TEXT        NOT NULL DEFAULT '',
    state           TEXT        NOT NULL DEFAULT 'pending',
    created_at      TEXT NOT NULL,
    decided_by      INTEGER     REFERENCES people (id) ON DELETE SET NULL,
    decided_at      TEXT
);
CREATE UNIQUE INDEX join_requests_one_pending ON join_requests (person_id, organisation_id) WHERE state = 'pending';
CREATE INDEX join_requests_organisation ON join_requests (organisation_id, state);

-- Who did what to whom and when; kept when the people involved are deleted.
CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    at              TEXT NOT NULL,
    actor_id        INTEGER,
    action          TEXT        NOT NULL,
    subject_id      INTEGER,
    organisation_id INTEGER,
    detail          TEXT        NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);

-- Fixed-window counters: hits of `key` (an address or a client IP) in `bucket` since
-- `window_start`.
CREATE TABLE rate_limits (
    bucket       TEXT        NOT NULL,
    key          TEXT        NOT NULL,
    window_start TEXT NOT NULL,
    hits         INTEGER     NOT NULL,
    PRIMARY KEY (bucket, key, window_start)
);
