-- The facts a chain's story is told from, read for a batch of chains at once ($ids: JSON list of chain ids).

-- name: story.start
-- Where each chain began: its first event (app and action), the first event that carries a place or a network
-- (its address, city, ISO country, AS), and the event at the chain's pivot (app, action, target).
WITH ids AS (SELECT unnest(from_json($ids::JSON, '["VARCHAR"]')) AS chain_id),
picked AS (
  SELECT cs.chain_id, v.eid, v.time, v.gid
  FROM chain_sessions cs JOIN ev v ON v.sid = cs.sid
  WHERE cs.chain_id IN (SELECT chain_id FROM ids)
),
first_any AS (
  SELECT chain_id, eid FROM (
    SELECT chain_id, eid, row_number() OVER (PARTITION BY chain_id ORDER BY time, eid) AS rn FROM picked
  ) WHERE rn = 1
),
first_geo AS (
  SELECT chain_id, gid FROM (
    SELECT p.chain_id, p.gid, row_number() OVER (PARTITION BY p.chain_id ORDER BY p.time, p.eid) AS rn
    FROM picked p JOIN ip_geo g ON g.id = p.gid
    WHERE g.country IS NOT NULL OR g.city IS NOT NULL OR g.asn IS NOT NULL
  ) WHERE rn = 1
)
SELECT f.chain_id, e.source, e.app, e.source_type, e.action, e.outcome,
       g.ip, g.city, g.country, g.asn, g.as_org, g.vpn,
       pe.source AS pivot_source, pe.app AS pivot_app, pe.source_type AS pivot_source_type, pe.action AS pivot_action,
       coalesce(pe.target_name, pe.target_id) AS pivot_target
FROM first_any f
JOIN events e ON e.rowid = f.eid
LEFT JOIN first_geo fg ON fg.chain_id = f.chain_id
LEFT JOIN ip_geo g ON g.id = fg.gid
LEFT JOIN chains c ON c.id = f.chain_id
LEFT JOIN events pe ON pe.rowid = c.pivot_eid

-- name: story.findings
-- What each finding of the chains rests on: its kind (action or anomaly), the source and app of its events, how
-- many of them failed, their event types, and the names of what they touched (the first $per_finding by time,
-- the chain's own identity and placeholders ($placeholder: `unknown`, `N/A` …) left out, with the count of all).
WITH f AS (
  SELECT f.id, f.kind, c.identity
  FROM findings f JOIN chains c ON c.id = f.chain_id
  WHERE f.chain_id IN (SELECT unnest(from_json($ids::JSON, '["VARCHAR"]')))
),
fe AS (
  SELECT f.id, f.kind, f.identity, e.source, e.app, e.source_type, e.outcome, e.time, e.target_type,
         nullif(trim(coalesce(e.target_name, e.target_id)), '') AS target
  FROM f JOIN finding_events x ON x.finding_id = f.id JOIN events e ON e.rowid = x.eid
),
t AS (
  SELECT id, target, min(time) AS first
  FROM fe
  WHERE target IS NOT NULL AND lower(target) <> lower(coalesce(identity, '')) AND NOT regexp_matches(target, $placeholder)
  GROUP BY id, target
),
tl AS (SELECT id, list(target ORDER BY first, target)[1:$per_finding] AS targets, count(*) AS target_count FROM t GROUP BY id)
SELECT fe.id, any_value(fe.kind) AS kind, mode(fe.source) AS source, mode(fe.app) AS app, mode(fe.target_type) AS target_type,
       count(*) AS events, count(*) FILTER (WHERE fe.outcome = 'failure') AS failures,
       list_sort(list(DISTINCT fe.source_type) FILTER (WHERE fe.source_type IS NOT NULL)) AS source_types,
       coalesce(any_value(tl.targets), CAST([] AS VARCHAR[])) AS targets, coalesce(any_value(tl.target_count), 0) AS target_count,
       min(fe.time) AS first
FROM fe LEFT JOIN tl ON tl.id = fe.id
GROUP BY fe.id
