-- name: case.counts
SELECT
  (SELECT count(*) FROM events) AS events,
  (SELECT count(*) FROM imports) AS imports,
  (SELECT count(*) FROM quarantine) AS quarantined,
  (SELECT min(time) FROM events) AS first_event,
  (SELECT max(time) FROM events) AS last_event;

-- name: case.sources
SELECT source, count(*) AS events
FROM events
GROUP BY source
ORDER BY events DESC, source;
