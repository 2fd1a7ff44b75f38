-- Imports and their per-file results.

-- name: import.create
INSERT INTO imports (id, started_at, status, paths) VALUES ($id, now(), 'running', $paths::JSON);

-- name: import.finish
UPDATE imports SET
  finished_at = now(), status = $status, events = $events, new_events = $new_events, rejected = $rejected,
  seconds = $seconds, analyze_seconds = $analyze_seconds, error = $error, files = $files, failed_files = $failed_files
WHERE id = $id;

-- name: import.file.insert
INSERT INTO import_files (import_id, path, source, format, bytes, events, new_events, rejected, error, finished_at, seq, records)
VALUES ($import_id, $path, $source, $format, $bytes, $events, $new_events, $rejected, $error, now(), $seq, $records);

-- name: import.list
SELECT id, started_at, finished_at, status, paths, events, new_events, rejected, seconds, analyze_seconds, error, files, failed_files
FROM imports
ORDER BY started_at DESC
LIMIT $limit;

-- name: import.files
SELECT import_id, path, source, format, bytes, events, new_events, rejected, error, records
FROM import_files
WHERE import_id = $import_id
ORDER BY seq, path;

-- name: import.files.of-recent
SELECT f.import_id, f.path, f.source, f.format, f.bytes, f.events, f.new_events, f.rejected, f.error, f.records
FROM import_files f
WHERE f.import_id IN (SELECT id FROM imports ORDER BY started_at DESC LIMIT $limit)
ORDER BY f.import_id, f.seq, f.path;

-- name: import.drop-unfinished
-- Rows of files that never got their import_files row: cut off by a crash (between the fast path's two
-- transactions, or while the JS path was appending) or left by a failed clean-up. Run when a case opens.
-- Only imports that did not finish cleanly can have such files.
DELETE FROM events
WHERE import_id IN (SELECT id FROM imports WHERE status <> 'done')
  AND NOT EXISTS (SELECT 1 FROM import_files f WHERE f.import_id = events.import_id AND f.path = events.file_path);

-- name: import.mark-interrupted
-- An import still 'running' when a case is opened was cut off by a crash; its finished files stay.
UPDATE imports SET status = 'interrupted', finished_at = now() WHERE status = 'running';

-- name: import.compression.fast
-- While an import writes: no FSST for text columns. Training its symbol tables was ≈1.2 s of CPU per million
-- events (about 7% of the import) for a case file a third smaller; dictionary and constant encodings stay,
-- and the raw records keep their zstd. Row groups keep the encoding they were written with.
SET disabled_compression_methods = 'fsst';

-- name: import.settings.default
-- Back to DuckDB's defaults once the import ends (the case never sets its own). RESET rather than setting the
-- value read before: current_setting prints the limit rounded, and it would shrink a little at every import.
RESET memory_limit;
RESET disabled_compression_methods;
