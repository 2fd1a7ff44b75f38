-- What the UI and the CLI read from an analysed case. Empty-string parameters mean "no filter".

-- name: chains.page
-- A page of chains and how many match. Always at least one row, so the total comes back even for a page past
-- the end (its id is then null).
WITH picked AS (
  SELECT id, identity, identity_type, apps, ips, countries, start, "end", events, risk, response, reasons, acting_for,
         pivot_time, pivot_eid, pivot_changes
  FROM chains
  WHERE ($type = '' OR identity_type = $type)
    AND ($app = '' OR list_contains(apps, $app))
    AND ($response = '' OR response = $response)
    AND ($text = '' OR id = $text OR identity ILIKE '%' || $text || '%' OR acting_for ILIKE '%' || $text || '%'
         OR array_to_string(ips, ' ') ILIKE '%' || $text || '%' OR array_to_string(countries, ' ') ILIKE '%' || $text || '%')
),
page AS (
  SELECT *, row_number() OVER (
           ORDER BY CASE WHEN $sort = 'start' THEN epoch(start) WHEN $sort = 'events' THEN events ELSE risk END DESC,
                    risk DESC, events DESC, id) AS rank
  FROM picked
  ORDER BY rank
  LIMIT $limit OFFSET $offset
)
-- The pivot event's uid, looked up for the page's chains only.
SELECT p.* EXCLUDE (rank, pivot_eid), e.uid AS pivot_uid, n.total
FROM (SELECT count(*) AS total FROM picked) n
LEFT JOIN page p ON true
LEFT JOIN events e ON e.rowid = p.pivot_eid
ORDER BY p.rank

-- name: chains.one
SELECT c.id, c.identity, c.identity_type, c.apps, c.ips, c.countries, c.start, c."end", c.events, c.risk, c.response, c.reasons, c.root_session,
       c.acting_for, c.pivot_time, e.uid AS pivot_uid, c.pivot_changes
FROM chains c LEFT JOIN events e ON e.rowid = c.pivot_eid WHERE c.id = $id

-- name: findings.for-chains
WITH f AS (
  SELECT f.id, f.chain_id, f.category, f.severity, f.title, f.detail, f.attack,
         CASE WHEN i.type IN ('service', 'agent') THEN f.owasp_nhi END AS owasp_nhi,
         f.eids, f.session_id, f.kind, f.count, f.sev_rank, f.first, f.after_pivot
  FROM findings f LEFT JOIN identities i ON i.identity = f.identity
  WHERE f.chain_id IN (SELECT unnest(from_json($ids::JSON, '["VARCHAR"]')))
),
-- The proving events' uids in the finding's own order, looked up only for the findings read.
u AS (SELECT id, unnest(eids) AS eid, generate_subscripts(eids, 1) AS pos FROM (SELECT DISTINCT id, eids FROM f)),
ids AS (SELECT u.id, list(e.uid ORDER BY u.pos) AS uids FROM u JOIN events e ON e.rowid = u.eid GROUP BY u.id)
SELECT f.id, f.chain_id, f.category, f.severity, f.title, f.detail, f.attack, f.owasp_nhi,
       coalesce(ids.uids, CAST([] AS VARCHAR[])) AS event_ids, f.session_id, f.kind, f.count, coalesce(f.after_pivot, false) AS after_pivot,
       CASE WHEN r.id IS NOT NULL THEN {id: r.id, title: r.title, level: r.level, description: r.description, "references": r."references",
                                        falsepositives: r.falsepositives, author: r.author, path: r.path} END AS rule
FROM f LEFT JOIN ids ON ids.id = f.id
LEFT JOIN finding_rules fr ON fr.finding_id = f.id LEFT JOIN sigma_rules r ON r.rule_no = fr.rule_no
ORDER BY f.chain_id, f.sev_rank DESC, f.kind, f.first

-- name: findings.all
WITH f AS (
  SELECT f.id, f.chain_id, f.category, f.severity, f.title, f.detail, f.attack,
         CASE WHEN i.type IN ('service', 'agent') THEN f.owasp_nhi END AS owasp_nhi,
         f.eids, f.session_id, f.kind, f.count, f.sev_rank, f.first, f.after_pivot
  FROM findings f LEFT JOIN identities i ON i.identity = f.identity
  ORDER BY f.sev_rank DESC, f.first
  LIMIT 5000
),
-- The proving events' uids in the finding's own order, looked up only for the findings read.
u AS (SELECT id, unnest(eids) AS eid, generate_subscripts(eids, 1) AS pos FROM (SELECT DISTINCT id, eids FROM f)),
ids AS (SELECT u.id, list(e.uid ORDER BY u.pos) AS uids FROM u JOIN events e ON e.rowid = u.eid GROUP BY u.id)
SELECT f.id, f.chain_id, f.category, f.severity, f.title, f.detail, f.attack, f.owasp_nhi,
       coalesce(ids.uids, CAST([] AS VARCHAR[])) AS event_ids, f.session_id, f.kind, f.count, coalesce(f.after_pivot, false) AS after_pivot,
       CASE WHEN r.id IS NOT NULL THEN {id: r.id, title: r.title, level: r.level, description: r.description, "references": r."references",
                                        falsepositives: r.falsepositives, author: r.author, path: r.path} END AS rule
FROM f LEFT JOIN ids ON ids.id = f.id
LEFT JOIN finding_rules fr ON fr.finding_id = f.id LEFT JOIN sigma_rules r ON r.rule_no = fr.rule_no
ORDER BY f.sev_rank DESC, f.first

-- name: sessions.of-chain
WITH cs AS (SELECT sid, parent FROM chain_sessions WHERE chain_id = $id),
places AS (
  SELECT v.sid, list_sort(list(DISTINCT g.ip))[1:50] AS ips
  FROM ev v JOIN ip_geo g ON g.id = v.gid
  WHERE v.sid IN (SELECT sid FROM cs) AND g.ip IS NOT NULL
  GROUP BY v.sid
)
SELECT s.id, s.source AS app, s.source, s.session_key, s.start, s."end", s.events,
       coalesce(p.ips, CAST([] AS VARCHAR[])) AS ips, s.identity, s.idp, cs.parent,
       sp.time AS pivot_time, e.uid AS pivot_uid, sp.changes AS pivot_changes
FROM cs JOIN sessions s ON s.sid = cs.sid LEFT JOIN places p ON p.sid = cs.sid
LEFT JOIN session_pivots sp ON sp.sid = cs.sid LEFT JOIN events e ON e.rowid = sp.eid
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
  SELECT v.eid, v.time, v.sid, v.gid
  FROM ev v
  LEFT JOIN event_rules p ON p.eid = v.eid
  LEFT JOIN cats c ON c.code = v.cat
  LEFT JOIN targets t ON t.tid = v.tid
  WHERE v.sid IN (SELECT sid FROM chain_sessions WHERE chain_id = $id)
    AND ($session = '' OR v.sid = (SELECT sid FROM sessions WHERE id = $session))
    AND ($group = '' OR coalesce(p.category, c.category) = $group)
    AND ($target = '' OR t.h = $target)
    AND ($from = '' OR v.time >= CAST($from AS TIMESTAMPTZ))
    AND ($to = '' OR v.time <= CAST($to AS TIMESTAMPTZ))
),
page AS (SELECT * FROM picked ORDER BY time, eid LIMIT $limit OFFSET $offset),
marks AS (SELECT fe.eid, list(fe.finding_id) AS findings FROM finding_events fe WHERE fe.eid IN (SELECT eid FROM page) GROUP BY fe.eid),
shown AS (
  SELECT p.eid, e.uid, p.time, e.source, e.app, e.source_type, e.category, e.action, e.outcome, e.actor_name,
         g.ip AS src_ip, g.country, e.target_name, s.id AS session_id, coalesce(m.findings, CAST([] AS VARCHAR[])) AS findings
  FROM page p
  JOIN events e ON e.rowid = p.eid
  JOIN sessions s ON s.sid = p.sid
  LEFT JOIN ip_geo g ON g.id = p.gid
  LEFT JOIN marks m ON m.eid = p.eid
)
-- Always at least one row, so the total comes back even for a page past the end (its uid is then null).
SELECT r.uid, r.time, r.source, r.app, r.source_type, r.category, r.action, r.outcome, r.actor_name, r.src_ip,
       r.country, r.target_name, r.session_id, r.findings, n.total
FROM (SELECT count(*) AS total FROM picked) n
LEFT JOIN shown r ON true
ORDER BY r.time, r.eid

-- name: event.one
SELECT e.*, i.identity AS resolved_identity, s.id AS session_id, cs.chain_id, g.ip AS clean_ip,
       g.country AS resolved_country, g.city AS resolved_city, g.lat AS resolved_lat, g.lon AS resolved_lon,
       g.asn AS resolved_asn, g.as_org AS resolved_as_org, g.vpn AS resolved_vpn,
       g.origin AS geo_origin, p.category AS risk_category, p.id AS risk_rule
FROM events e
LEFT JOIN ev v ON v.eid = e.rowid
LEFT JOIN idents i ON i.iid = v.iid
LEFT JOIN sessions s ON s.sid = v.sid
LEFT JOIN chain_sessions cs ON cs.sid = v.sid
LEFT JOIN ip_geo g ON g.id = v.gid
LEFT JOIN event_rules p ON p.eid = v.eid
WHERE e.uid = $uid

-- name: event.findings
WITH f AS (
  SELECT f.id, f.chain_id, f.category, f.severity, f.title, f.detail, f.attack,
         CASE WHEN i.type IN ('service', 'agent') THEN f.owasp_nhi END AS owasp_nhi,
         f.eids, f.session_id, f.kind, f.count, f.sev_rank, f.first, f.after_pivot
  FROM events e JOIN finding_events fe ON fe.eid = e.rowid JOIN findings f ON f.id = fe.finding_id
  LEFT JOIN identities i ON i.identity = f.identity
  WHERE e.uid = $uid
),
-- The proving events' uids in the finding's own order, looked up only for the findings read.
u AS (SELECT id, unnest(eids) AS eid, generate_subscripts(eids, 1) AS pos FROM (SELECT DISTINCT id, eids FROM f)),
ids AS (SELECT u.id, list(e.uid ORDER BY u.pos) AS uids FROM u JOIN events e ON e.rowid = u.eid GROUP BY u.id)
SELECT f.id, f.chain_id, f.category, f.severity, f.title, f.detail, f.attack, f.owasp_nhi,
       coalesce(ids.uids, CAST([] AS VARCHAR[])) AS event_ids, f.session_id, f.kind, f.count, coalesce(f.after_pivot, false) AS after_pivot,
       CASE WHEN r.id IS NOT NULL THEN {id: r.id, title: r.title, level: r.level, description: r.description, "references": r."references",
                                        falsepositives: r.falsepositives, author: r.author, path: r.path} END AS rule
FROM f LEFT JOIN ids ON ids.id = f.id
LEFT JOIN finding_rules fr ON fr.finding_id = f.id LEFT JOIN sigma_rules r ON r.rule_no = fr.rule_no
ORDER BY f.sev_rank DESC

-- name: timeline.buckets
-- Events per app over the chain's span in $buckets equal slices, with how many of them carry a finding.
WITH c AS (SELECT start, "end", greatest(epoch("end") - epoch(start), 1) AS span FROM chains WHERE id = $id),
picked AS (
  SELECT v.eid, v.src,
         least(CAST(floor((epoch(v.time) - epoch(c.start)) / c.span * $buckets) AS BIGINT), $buckets - 1) AS b
  FROM ev v, c
  WHERE v.sid IN (SELECT sid FROM chain_sessions WHERE chain_id = $id)
),
flagged AS (SELECT DISTINCT eid FROM finding_events WHERE eid IN (SELECT eid FROM picked))
SELECT s.source AS app, p.b, count(*) AS events, count(f.eid) AS findings,
       to_timestamp(epoch(any_value(c.start)) + p.b * any_value(c.span) / $buckets) AS start,
       to_timestamp(epoch(any_value(c.start)) + (p.b + 1) * any_value(c.span) / $buckets) AS "end"
FROM picked p CROSS JOIN c JOIN srcs s ON s.code = p.src LEFT JOIN flagged f ON f.eid = p.eid
GROUP BY s.source, p.b
ORDER BY s.source, p.b

-- name: graph.groups
-- Actions of each session aggregated per category (the catalog's when risky, else the event's own).
SELECT s.id AS session_id, x.grp, x.risky, x.n, x.first, x.last, x.targets
FROM (
  SELECT v.sid, coalesce(p.category, c.category) AS grp, bool_or(p.category IS NOT NULL) AS risky,
         count(*) AS n, min(v.time) AS first, max(v.time) AS last, count(DISTINCT v.tid) AS targets
  FROM ev v
  LEFT JOIN event_rules p ON p.eid = v.eid
  LEFT JOIN cats c ON c.code = v.cat
  WHERE v.sid IN (SELECT sid FROM chain_sessions WHERE chain_id = $id)
    AND ($from = '' OR v.time >= CAST($from AS TIMESTAMPTZ))
    AND ($to = '' OR v.time <= CAST($to AS TIMESTAMPTZ))
  GROUP BY v.sid, grp
) x JOIN sessions s ON s.sid = x.sid
ORDER BY x.risky DESC, x.n DESC

-- name: graph.resources
-- The targets behind the groups to open ($open: JSON list of "session|group"), most-touched first.
WITH open AS (SELECT unnest(from_json($open::JSON, '["VARCHAR"]')) AS k),
picked AS (
  SELECT s.id AS session_id, coalesce(p.category, c.category) AS grp, v.tid, count(*) AS n, min(v.time) AS first, max(v.time) AS last
  FROM ev v
  JOIN sessions s ON s.sid = v.sid
  LEFT JOIN event_rules p ON p.eid = v.eid
  LEFT JOIN cats c ON c.code = v.cat
  WHERE v.sid IN (SELECT sid FROM chain_sessions WHERE chain_id = $id)
    AND v.tid IS NOT NULL
    AND s.id || '|' || coalesce(p.category, c.category) IN (SELECT k FROM open)
    AND ($from = '' OR v.time >= CAST($from AS TIMESTAMPTZ))
    AND ($to = '' OR v.time <= CAST($to AS TIMESTAMPTZ))
  GROUP BY s.id, grp, v.tid
)
SELECT x.session_id, x.grp, t.target, t.h, x.n, x.first, x.last
FROM (SELECT *, row_number() OVER (PARTITION BY session_id, grp ORDER BY n DESC, tid) AS rk FROM picked) x
JOIN targets t ON t.tid = x.tid
WHERE x.rk <= $per_group
ORDER BY x.session_id, x.grp, x.n DESC

-- name: graph.findings
SELECT id, session_id, related_session, kind, category, severity, title FROM findings WHERE chain_id = $id
