-- Region names (NUTS levels 1 to 3, and the statistical regions of EFTA and candidate
-- countries), keyed by code: imported from Eurostat's lists or written by the demo, and used
-- wherever a region is shown (SQLite dialect).

CREATE TABLE regions (
    code       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
