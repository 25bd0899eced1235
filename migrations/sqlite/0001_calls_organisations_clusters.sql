-- Calls, their deadlines, organisations, clusters and cluster membership (SQLite dialect).
-- Instants are stored as RFC 3339 text in UTC with whole seconds, so text order is time order.

CREATE TABLE calls (
    id                    INTEGER PRIMARY KEY,
    external_id           TEXT    NOT NULL UNIQUE,
    source                TEXT    NOT NULL,
    title                 TEXT    NOT NULL,
    programme             TEXT    NOT NULL,
    programme_part        TEXT,
    call_identifier       TEXT,
    call_title            TEXT,
    action_type           TEXT,
    instrument_kind       TEXT    NOT NULL,
    publisher             TEXT    NOT NULL,
    deadline_model        TEXT,
    opening_at            TEXT,
    announced_forthcoming INTEGER NOT NULL DEFAULT 0,
    budget_total_eur      INTEGER,
    budget_min_eur        INTEGER,
    budget_max_eur        INTEGER,
    expected_grants       INTEGER,
    funding_rate_pct      INTEGER,
    trl_min               INTEGER,
    trl_max               INTEGER,
    sme_only              INTEGER NOT NULL DEFAULT 0,
    dual_use              INTEGER NOT NULL DEFAULT 0,
    min_partners          INTEGER,
    min_countries         INTEGER,
    eligible_countries    TEXT    NOT NULL DEFAULT '',
    eligible_regions      TEXT    NOT NULL DEFAULT '',
    keywords              TEXT    NOT NULL DEFAULT '',
    description           TEXT    NOT NULL DEFAULT '',
    url                   TEXT,
    content_hash          TEXT    NOT NULL,
    created_at            TEXT    NOT NULL,
    updated_at            TEXT    NOT NULL
);
CREATE INDEX calls_programme ON calls (programme);
CREATE INDEX calls_instrument_kind ON calls (instrument_kind);

CREATE TABLE call_deadlines (
    call_id     INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    stage       INTEGER NOT NULL,
    deadline_at TEXT    NOT NULL,
    label       TEXT,
    PRIMARY KEY (call_id, stage)
);
CREATE INDEX call_deadlines_at ON call_deadlines (deadline_at, call_id);

CREATE TABLE organisations (
    id          INTEGER PRIMARY KEY,
    external_id TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    country     TEXT    NOT NULL,
    nuts_code   TEXT,
    size_class  TEXT,
    headcount   INTEGER,
    website     TEXT,
    description TEXT    NOT NULL DEFAULT '',
    dual_use    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
CREATE INDEX organisations_country ON organisations (country);

CREATE TABLE clusters (
    id               INTEGER PRIMARY KEY,
    external_id      TEXT    NOT NULL UNIQUE,
    name             TEXT    NOT NULL,
    country          TEXT    NOT NULL,
    nuts_code        TEXT,
    focus            TEXT    NOT NULL,
    dual_use_profile TEXT    NOT NULL,
    networks         TEXT    NOT NULL DEFAULT '',
    description      TEXT    NOT NULL DEFAULT '',
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);

CREATE TABLE cluster_members (
    cluster_id      INTEGER NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    role            TEXT    NOT NULL,
    PRIMARY KEY (cluster_id, organisation_id)
);
CREATE INDEX cluster_members_organisation ON cluster_members (organisation_id);
