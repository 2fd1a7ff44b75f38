-- What the UI and the CLI read from an analysed case. Empty-string parameters mean "no filter".

-- name: chains.page
SELECT id, identity, identity_type, apps, ips, countries, start, "end", events, risk, response, reasons
FROM chains
WHERE ($type = '' OR identity_type = $type)
  AND ($app = '' OR list_contains(apps, $app))
  AND ($response = '' OR response = $response)
  AND ($text = '' OR id = $text OR identity ILIKE '%' || $text || '%'
       OR array_to_string(ips, ' ') ILIKE '%' || $text || '%' OR array_to_string(countries, ' ') ILIKE '%' || $text || '%')
ORDER BY CASE WHEN $sort = 'start' THEN epoch(start) WHEN $sort = 'events' THEN events ELSE risk END DESC,
         risk DESC, events DESC, id
LIMIT $limit OFFSET $offset

-- name: chains.count
SELECT count(*) AS total
FROM chains
WHERE ($type = '' OR identity_type = $type)
  AND ($app = '' OR list_contains(apps, $app))
  AND ($response = '' OR response = $response)
  AND ($text = '' OR id = $text OR identity ILIKE '%' || $text || '%'
       OR array_to_string(ips, ' ') ILIKE '%' || $text || '%' OR array_to_string(countries, ' ') ILIKE '%' || $text || '%')

-- name: chains.one
SELECT id, identity, identity_type, apps, ips, countries, start, "end", events, risk, response, reasons, root_session
FROM chains WHERE id = $id

-- name: findings.for-chains
SELECT f.id, f.chain_id, f.category, f.severity, f.title, f.detail, f.attack,
       CASE WHEN i.type IN ('service', 'agent') THEN f.owasp_nhi END AS owasp_nhi,
       f.event_ids, f.session_id, f.kind, f.count
FROM findings f LEFT JOIN identities i ON i.identity = f.identity
WHERE f.chain_id IN (SELECT unnest(from_json($ids::JSON, '["VARCHAR"]')))
ORDER BY f.chain_id, f.sev_rank DESC, f.kind, f.first

-- name: findings.all
SELECT f.id, f.chain_id, f.category, f.severity, f.title, f.detail, f.attack,
       CASE WHEN i.type IN ('service', 'agent') THEN f.owasp_nhi END AS owasp_nhi,
       f.event_ids, f.session_id, f.kind, f.count
FROM findings f LEFT JOIN identities i ON i.identity = f.identity
ORDER BY f.sev_rank DESC, f.first
LIMIT 5000

-- name: findings.for-event
SELECT f.id, f.chain_id, f.category, f.severity, f.title, f.detail, f.attack,
       CASE WHEN i.type IN ('service', 'agent') THEN f.owasp_nhi END AS owasp_nhi,
       f.event_ids, f.session_id, f.kind, f.count
FROM finding_events fe JOIN findings f ON f.id = fe.finding_id LEFT JOIN identities i ON i.identity = f.identity
WHERE fe.uid = $uid
ORDER BY f.sev_rank DESC

-- name: sessions.of-chain
SELECT s.id, s.app, s.source, s.session_key, s.start, s."end", s.events, s.ips, s.identity, s.idp, cs.parent
FROM chain_sessions cs JOIN sessions s ON s.id = cs.session_id
WHERE cs.chain_id = $id
ORDER BY s.start, s.id

-- name: links.of-chain
SELECT l.id, l.from_session, l.to_session, l.rule, l.matched, l.delta_seconds, l.rejected, l.reason
FROM links l
WHERE l.from_session IN (SELECT session_id FROM chain_sessions WHERE chain_id = $id)
   OR l.to_session IN (SELECT session_id FROM chain_sessions WHERE chain_id = $id)
ORDER BY l.rejected, l.delta_seconds

-- name: links.one
SELECT l.id, l.from_session, l.to_session, l.rule, l.rejected, cs.chain_id
FROM links l JOIN chain_sessions cs ON cs.session_id = l.from_session
WHERE l.id = $id

-- name: links.reject
INSERT OR REPLACE INTO link_rejections VALUES ($id, $from_session, $to_session, $rule, nullif($reason, ''), now())

-- name: chains.of-session
SELECT chain_id FROM chain_sessions WHERE session_id = $id

-- name: events.page
-- Events of a chain by time, optionally only those one graph node stands for ($session, $group, $target).
WITH picked AS (
  SELECT v.uid, v.time, v.session_id, v.app, v.source, v.source_type, v.category, v.action, v.outcome, v.ip, v.country
  FROM ev v
  WHERE v.session_id IN (SELECT session_id FROM chain_sessions WHERE chain_id = $id)
    AND ($session = '' OR v.session_id = $session)
    AND ($group = '' OR coalesce(v.risk_category, v.category) = $group)
    AND ($target = '' OR substr(md5(coalesce(v.target, '')), 1, 12) = $target)
    AND ($from = '' OR v.time >= CAST($from AS TIMESTAMPTZ))
    AND ($to = '' OR v.time <= CAST($to AS TIMESTAMPTZ))
),
page AS (SELECT * FROM picked ORDER BY time, uid LIMIT $limit OFFSET $offset)
SELECT p.uid, p.time, p.source, p.app, p.source_type, p.category, p.action, p.outcome, e.actor_name, p.ip AS src_ip,
       p.country, e.target_name, p.session_id,
       coalesce((SELECT list(fe.finding_id) FROM finding_events fe WHERE fe.uid = p.uid), CAST([] AS VARCHAR[])) AS findings,
       (SELECT count(*) FROM picked) AS total
FROM page p JOIN events e ON e.uid = p.uid
ORDER BY p.time, p.uid

-- name: events.count
SELECT count(*) AS total
FROM ev v
WHERE v.session_id IN (SELECT session_id FROM chain_sessions WHERE chain_id = $id)
  AND ($session = '' OR v.session_id = $session)
  AND ($group = '' OR coalesce(v.risk_category, v.category) = $group)
  AND ($target = '' OR substr(md5(coalesce(v.target, '')), 1, 12) = $target)
  AND ($from = '' OR v.time >= CAST($from AS TIMESTAMPTZ))
  AND ($to = '' OR v.time <= CAST($to AS TIMESTAMPTZ))

-- name: event.one
SELECT e.*, v.identity AS resolved_identity, v.session_id, cs.chain_id, v.ip AS clean_ip, v.country AS geo_country_resolved,
       v.lat AS geo_lat_resolved, v.lon AS geo_lon_resolved, v.risk_category
FROM events e
LEFT JOIN ev v ON v.uid = e.uid
LEFT JOIN chain_sessions cs ON cs.session_id = v.session_id
WHERE e.uid = $uid

-- name: timeline.buckets
-- Events per app over the chain's span in $buckets equal slices, with how many of them carry a finding.
WITH c AS (SELECT start, "end", greatest(epoch("end") - epoch(start), 1) AS span FROM chains WHERE id = $id),
picked AS (
  SELECT v.source AS app, v.uid,
         least(CAST(floor((epoch(v.time) - epoch(c.start)) / c.span * $buckets) AS BIGINT), $buckets - 1) AS b
  FROM ev v, c
  WHERE v.session_id IN (SELECT session_id FROM chain_sessions WHERE chain_id = $id)
)
SELECT p.app, p.b, count(DISTINCT p.uid) AS events, count(DISTINCT fe.uid) AS findings,
       to_timestamp(epoch(any_value(c.start)) + p.b * any_value(c.span) / $buckets) AS start,
       to_timestamp(epoch(any_value(c.start)) + (p.b + 1) * any_value(c.span) / $buckets) AS "end"
FROM picked p CROSS JOIN c LEFT JOIN finding_events fe ON fe.uid = p.uid
GROUP BY p.app, p.b
ORDER BY p.app, p.b

-- name: graph.groups
-- Actions of each session aggregated per category (the catalog's when risky, else the event's own).
SELECT v.session_id, coalesce(v.risk_category, v.category) AS grp, bool_or(v.risk_category IS NOT NULL) AS risky,
       count(*) AS n, min(v.time) AS first, max(v.time) AS last, count(DISTINCT v.target) AS targets
FROM ev v
WHERE v.session_id IN (SELECT session_id FROM chain_sessions WHERE chain_id = $id)
  AND ($from = '' OR v.time >= CAST($from AS TIMESTAMPTZ))
  AND ($to = '' OR v.time <= CAST($to AS TIMESTAMPTZ))
GROUP BY v.session_id, grp
ORDER BY risky DESC, n DESC

-- name: graph.resources
-- The targets behind the groups to open ($open: JSON list of "session|group"), most-touched first.
WITH open AS (SELECT unnest(from_json($open::JSON, '["VARCHAR"]')) AS k),
picked AS (
  SELECT v.session_id, coalesce(v.risk_category, v.category) AS grp, v.target, count(*) AS n, min(v.time) AS first, max(v.time) AS last
  FROM ev v
  WHERE v.session_id IN (SELECT session_id FROM chain_sessions WHERE chain_id = $id)
    AND v.target IS NOT NULL
    AND v.session_id || '|' || coalesce(v.risk_category, v.category) IN (SELECT k FROM open)
    AND ($from = '' OR v.time >= CAST($from AS TIMESTAMPTZ))
    AND ($to = '' OR v.time <= CAST($to AS TIMESTAMPTZ))
  GROUP BY v.session_id, grp, v.target
)
SELECT session_id, grp, target, substr(md5(target), 1, 12) AS h, n, first, last
FROM (SELECT *, row_number() OVER (PARTITION BY session_id, grp ORDER BY n DESC, target) AS rk FROM picked)
WHERE rk <= $per_group
ORDER BY session_id, grp, n DESC

-- name: graph.findings
SELECT id, session_id, related_session, kind, category, severity, title FROM findings WHERE chain_id = $id
