-- People, their sessions and e-mailed tokens, their memberships of organisations, requests to
-- join or claim an organisation, the audit log of what administrators and editors did, and
-- the rate-limit counters several app servers share (PostgreSQL dialect).

CREATE TABLE people (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email             TEXT        NOT NULL,
    -- The address lower-cased: one account per address whatever its case.
    email_key         TEXT        NOT NULL UNIQUE,
    display_name      TEXT        NOT NULL,
    password_hash     TEXT        NOT NULL,
    email_verified_at TIMESTAMPTZ,
    language          TEXT        NOT NULL DEFAULT 'en',
    time_zone         TEXT        NOT NULL DEFAULT 'Europe/Brussels',
    is_admin          BOOLEAN     NOT NULL DEFAULT FALSE,
    disabled_at       TIMESTAMPTZ,
    created_at        TIMESTAMPTZ NOT NULL,
    last_seen_at      TIMESTAMPTZ
);

-- A session is known by the SHA-256 digest of its id: the database never holds a usable id.
CREATE TABLE sessions (
    id_digest    TEXT        PRIMARY KEY,
    person_id    BIGINT      NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    user_agent   TEXT        NOT NULL DEFAULT '',
    -- Set when the person's rights change: the next page load gives the session a new id.
    rotate       BOOLEAN     NOT NULL DEFAULT FALSE
);
CREATE INDEX sessions_person ON sessions (person_id);

-- Single-use links sent by mail (purpose: 'verify', 'reset', 'change_email'), by digest.
CREATE TABLE email_tokens (
    token_digest TEXT        PRIMARY KEY,
    person_id    BIGINT      NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    purpose      TEXT        NOT NULL,
    new_email    TEXT,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    used_at      TIMESTAMPTZ
);
CREATE INDEX email_tokens_person ON email_tokens (person_id, purpose);

-- role: 'member', 'editor', 'reviewer' or 'manager'.
CREATE TABLE memberships (
    person_id       BIGINT      NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    organisation_id BIGINT      NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    role            TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (person_id, organisation_id)
);
CREATE INDEX memberships_organisation ON memberships (organisation_id);

-- kind: 'join' (an editor or administrator accepts) or 'claim' (an administrator approves);
-- state: 'pending', 'accepted' or 'declined'.
CREATE TABLE join_requests (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id       BIGINT      NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    organisation_id BIGINT      NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    kind            TEXT        NOT NULL,
    message         TEXT        NOT NULL DEFAULT '',
    state           TEXT        NOT NULL DEFAULT 'pending',
    created_at      TIMESTAMPTZ NOT NULL,
    decided_by      BIGINT      REFERENCES people (id) ON DELETE SET NULL,
    decided_at      TIMESTAMPTZ
);
CREATE UNIQUE INDEX join_requests_one_pending ON join_requests (person_id, organisation_id) WHERE state = 'pending';
CREATE INDEX join_requests_organisation ON join_requests (organisation_id, state);

-- Who did what to whom and when; kept when the people involved are deleted.
CREATE TABLE audit_log (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              TIMESTAMPTZ NOT NULL,
    actor_id        BIGINT,
    action          TEXT        NOT NULL,
    subject_id      BIGINT,
    organisation_id BIGINT,
    detail          TEXT        NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);

-- Fixed-window counters: hits of `key` (an address or a client IP) in `bucket` since
-- `window_start`.
CREATE TABLE rate_limits (
    bucket       TEXT        NOT NULL,
    key          TEXT        NOT NULL,
    window_start TIMESTAMPTZ NOT NULL,
    hits         INTEGER     NOT NULL,
    PRIMARY KEY (bucket, key, window_start)
);
