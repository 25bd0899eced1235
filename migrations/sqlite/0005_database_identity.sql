-- Which database this is: a random identity written once. Derived data (the search index)
-- records the identity it was built from, so pointed at another database it is rebuilt
-- instead of serving the other one's documents (SQLite dialect).

CREATE TABLE database_identity (
    id TEXT PRIMARY KEY
);

INSERT INTO database_identity (id) VALUES (lower(hex(randomblob(16))));
