-- What the call editor adds to a call: who may apply (organisation kinds, one per line; empty:
-- anyone), a contact, links to the call's documents (JSON list of {label, url}), and whether
-- its capabilities and sectors were chosen by its funding body rather than derived from its
-- text; a call stated in another currency than the euro keeps its amounts exactly as stated, with
-- the body's exchange rate, as JSON in `local_amounts` (the `_eur` columns hold them converted) (PostgreSQL dialect).

ALTER TABLE calls ADD COLUMN applicant_kinds TEXT NOT NULL DEFAULT '';
ALTER TABLE calls ADD COLUMN contact TEXT;
ALTER TABLE calls ADD COLUMN documents TEXT NOT NULL DEFAULT '[]';
ALTER TABLE calls ADD COLUMN topics_chosen BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE calls ADD COLUMN local_amounts TEXT;
