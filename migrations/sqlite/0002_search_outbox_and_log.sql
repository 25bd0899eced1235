-- Index updates owed to the search engine, written in the same transaction as the call,
-- and the anonymous search log for demand analytics (SQLite dialect).

CREATE TABLE search_outbox (
    id          INTEGER PRIMARY KEY,
    external_id TEXT NOT NULL,
    enqueued_at TEXT NOT NULL
);

CREATE TABLE search_log (
    id          INTEGER PRIMARY KEY,
    searched_at TEXT    NOT NULL,
    query_text  TEXT    NOT NULL,
    filters     TEXT    NOT NULL,
    hits        INTEGER NOT NULL
);
CREATE INDEX search_log_searched_at ON search_log (searched_at);
