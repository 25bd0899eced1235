-- Members reaching a partner: a conversation is started by a person and addressed to an
-- organisation (whose editors answer); messages belong to it; an organisation blocks senders;
-- abuse is reported to administrators (SQLite dialect). Deleting an account deletes the
-- conversations it started; replies it wrote for an organisation stay, without its name.

CREATE TABLE conversations (
    id                     INTEGER PRIMARY KEY,
    organisation_id        INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    person_id              INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    sender_organisation_id INTEGER REFERENCES organisations (id) ON DELETE SET NULL,
    call_id                INTEGER REFERENCES calls (id) ON DELETE SET NULL,
    subject                TEXT NOT NULL,
    created_at             TEXT NOT NULL,
    last_message_at        TEXT NOT NULL,
    sender_read_at         TEXT,
    recipient_read_at      TEXT
);
CREATE INDEX conversations_organisation ON conversations (organisation_id, last_message_at);
CREATE INDEX conversations_person ON conversations (person_id, last_message_at);

CREATE TABLE conversation_messages (
    id                INTEGER PRIMARY KEY,
    conversation_id   INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    author_id         INTEGER REFERENCES people (id) ON DELETE SET NULL,
    from_organisation BOOLEAN NOT NULL,
    body              TEXT NOT NULL,
    created_at        TEXT NOT NULL
);
CREATE INDEX conversation_messages_conversation ON conversation_messages (conversation_id, id);
CREATE INDEX conversation_messages_author ON conversation_messages (author_id);

CREATE TABLE blocked_senders (
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    person_id       INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    blocked_by      INTEGER REFERENCES people (id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (organisation_id, person_id)
);

CREATE TABLE abuse_reports (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    reporter_id     INTEGER REFERENCES people (id) ON DELETE SET NULL,
    reason          TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
