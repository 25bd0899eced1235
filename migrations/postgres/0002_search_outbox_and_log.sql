-- Index updates owed to the search engine, written in the same transaction as the call,
-- and the anonymous search log for demand analytics (PostgreSQL dialect).

CREATE TABLE search_outbox (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    external_id TEXT        NOT NULL,
    enqueued_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE search_log (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    searched_at TIMESTAMPTZ NOT NULL,
    query_text  TEXT        NOT NULL,
    filters     JSONB       NOT NULL,
    hits        BIGINT      NOT NULL
);
CREATE INDEX search_log_searched_at ON search_log (searched_at);
