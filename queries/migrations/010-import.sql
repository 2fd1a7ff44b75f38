-- Import bookkeeping beyond 002: timings, per-file record counts, and events whose record carries no time.

-- A few real records carry no time at all (sparse Salesforce rows); they are kept with a NULL time
-- rather than dropped or given an invented one.
ALTER TABLE events ALTER COLUMN time DROP NOT NULL;

ALTER TABLE imports ADD COLUMN seconds DOUBLE;
ALTER TABLE imports ADD COLUMN analyze_seconds DOUBLE;
ALTER TABLE imports ADD COLUMN error VARCHAR;
ALTER TABLE imports ADD COLUMN files INTEGER DEFAULT 0;
ALTER TABLE imports ADD COLUMN failed_files INTEGER DEFAULT 0;

ALTER TABLE import_files ADD COLUMN seq INTEGER DEFAULT 0;
ALTER TABLE import_files ADD COLUMN records BIGINT DEFAULT 0;
