-- How many stored events each analysis run started from: a case whose events outnumber its last run's (an import
-- or analysis cut off by a crash) says its analysis is incomplete and is analysed again. NULL for runs made before.
ALTER TABLE analysis_runs ADD COLUMN stored BIGINT;
