-- Regional smart-specialisation (RIS3) strategies: one per NUTS region, recorded by an
-- authority of that region; `priorities` is the JSON list of its priorities (title,
-- capability and sector codes, text) in the authority's order (PostgreSQL dialect).

CREATE TABLE region_strategies (
    region          TEXT        PRIMARY KEY,
    organisation_id BIGINT      NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    summary         TEXT        NOT NULL DEFAULT '',
    strategy_url    TEXT,
    priorities      TEXT        NOT NULL DEFAULT '[]',
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX region_strategies_organisation ON region_strategies (organisation_id);
