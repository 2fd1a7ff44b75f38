-- The values the Sigma rules that test every record read from it, taken by the fast path in the same parse that maps
-- the record (core/detect/sigma/stored-values.ts): the analysis tests them there instead of parsing each record again.
-- NULL for rows read otherwise. The file's row names the values' JSON paths, in order.
ALTER TABLE events ADD COLUMN rule_values VARCHAR[];
ALTER TABLE import_files ADD COLUMN rule_paths VARCHAR[];
