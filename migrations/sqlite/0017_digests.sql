-- What the digests need (SQLite dialect): the List-Unsubscribe address a queued message
-- carries; the key mail links (unsubscribe, mute) are signed with, written once; per person
-- and channel (weekly, daily, instant) the last period composed and the instant the last
-- *queued* mail covered ("new" is new since then); a stop on all alert mail (one-click
-- unsubscribe, undone from the confirmation page); calls a person muted in their digests.

ALTER TABLE mail_outbox ADD COLUMN list_unsubscribe TEXT;

CREATE TABLE link_keys (
    purpose TEXT PRIMARY KEY,
    secret  TEXT NOT NULL
);

INSERT INTO link_keys (purpose, secret)
VALUES ('mail-links', lower(hex(randomblob(32))));

CREATE TABLE digest_marks (
    person_id     INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    channel       TEXT NOT NULL CHECK (channel IN ('weekly', 'daily', 'instant')),
    period        TEXT NOT NULL,
    covered_until TEXT,
    PRIMARY KEY (person_id, channel)
);

CREATE TABLE alert_mail_stops (
    person_id  INTEGER PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    stopped_at TEXT NOT NULL
);

CREATE TABLE muted_calls (
    person_id        INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    call_external_id TEXT NOT NULL,
    muted_at         TEXT NOT NULL,
    PRIMARY KEY (person_id, call_external_id)
);

-- "New since": calls by when they were first stored or published, organisations by when they
-- joined the directory.
CREATE INDEX calls_created_at ON calls (created_at);
CREATE INDEX call_versions_saved_at ON call_versions (saved_at);
CREATE INDEX organisations_created_at ON organisations (created_at);
