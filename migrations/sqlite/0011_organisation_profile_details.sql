-- An organisation's profile beyond its directory card, edited by its editors: turnover and
-- balance sheet (its size by the EU SME definition), the readiness of its offer, its dual-use
-- interest, certifications' expiry dates, and what it looks for — one JSON object, always read
-- and written whole (SQLite dialect).

ALTER TABLE organisations ADD COLUMN profile TEXT NOT NULL DEFAULT '{}';
