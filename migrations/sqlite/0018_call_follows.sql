-- Following a call (SQLite dialect): who follows which call since when, and a fourth mark
-- channel, 'follows', for the mail about followed calls (material changes, reminders before
-- deadlines): its covered_until is up to when that mail told them everything. SQLite cannot
-- change a CHECK constraint, so digest_marks is rebuilt.

CREATE TABLE call_follows (
    person_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    call_id     INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    followed_at TEXT    NOT NULL,
    PRIMARY KEY (person_id, call_id)
);
CREATE INDEX call_follows_call ON call_follows (call_id);

CREATE TABLE digest_marks_rebuilt (
    person_id     INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    channel       TEXT NOT NULL CHECK (channel IN ('weekly', 'daily', 'instant', 'follows')),
    period        TEXT NOT NULL,
    covered_until TEXT,
    PRIMARY KEY (person_id, channel)
);
INSERT INTO digest_marks_rebuilt (person_id, channel, period, covered_until)
SELECT person_id, channel, period, covered_until FROM digest_marks;
DROP TABLE digest_marks;
ALTER TABLE digest_marks_rebuilt RENAME TO digest_marks;
