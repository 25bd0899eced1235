-- Following a call (PostgreSQL dialect): who follows which call since when, and a fourth
-- mark channel, 'follows', for the mail about followed calls (material changes, reminders
-- before deadlines): its covered_until is up to when that mail told them everything.

CREATE TABLE call_follows (
    person_id   BIGINT      NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    call_id     BIGINT      NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    followed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (person_id, call_id)
);
CREATE INDEX call_follows_call ON call_follows (call_id);

ALTER TABLE digest_marks DROP CONSTRAINT digest_marks_channel_check;
ALTER TABLE digest_marks ADD CONSTRAINT digest_marks_channel_check
    CHECK (channel IN ('weekly', 'daily', 'instant', 'follows'));
