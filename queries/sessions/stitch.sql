-- Cross-app stitching: which IdP sign-in opened which app session, with the evidence, and the chains that follow.

-- name: analyze.sso
-- Sign-ins at the IdP that name the downstream app: Okta user.authentication.sso, Entra sign-ins.
CREATE OR REPLACE TABLE sso AS
WITH raw AS (
  SELECT e.rowid AS eid, e.uid, e.time, e.src_ip, e.user_agent,
         lower(CASE WHEN e.source = 'okta' THEN coalesce(json_extract_string(e.session_keys, '$.ssoTargetApp'), e.target_name) ELSE e.app END) AS app_name
  FROM events e
  WHERE ((e.source = 'okta' AND e.source_type = 'user.authentication.sso') OR (e.source = 'entra' AND e.category = 'authentication'))
    AND e.outcome <> 'failure'
),
names AS (SELECT DISTINCT app_name FROM raw WHERE app_name IS NOT NULL),
mapped AS (
  SELECT n.app_name, arg_min(p.source, p.pri) AS target_source
  FROM names n JOIN policy_app_names p ON regexp_matches(n.app_name, p.pattern, 'i')
  GROUP BY n.app_name
)
SELECT CAST(row_number() OVER () AS INTEGER) AS k, r.uid, r.time, g.ip, v.gid, r.user_agent AS ua, v.uaid, r.app_name,
       m.target_source, c.code AS tsrc, s.id AS session_id, s.identity, v.iid
FROM raw r
JOIN mapped m ON m.app_name = r.app_name
JOIN srcs c ON c.source = m.target_source
JOIN ev v ON v.eid = r.eid
JOIN sessions s ON s.sid = v.sid
LEFT JOIN ip_geo g ON g.id = v.gid

-- name: analyze.links
-- Candidate parents per downstream session, best first: shared session/token id, then an SSO naming the
-- app shortly before (same IP and user agent preferred), a console sign-in before the calls it led to,
-- then the same identity and IP inside an IdP session.
CREATE OR REPLACE TABLE links AS
-- As-of joins keep this linear: each downstream session looks back at the latest SSO into its app (the latest
-- from the same IP first) and at the latest IdP session of its identity, instead of pairing every session.
-- Only integers go through the as-of sorts; strings are joined back for the few pairs found.
WITH app AS (SELECT sid, iid, src, start, first_gid FROM sessions WHERE NOT idp),
-- First address and user agent as text, for the sessions the rules below compare or quote.
firsts AS NOT MATERIALIZED (
  SELECT s.sid, g.ip AS first_ip, u.ua AS first_ua
  FROM sessions s LEFT JOIN ip_geo g ON g.id = s.first_gid LEFT JOIN uas u ON u.uaid = s.first_uaid
),
sso_n AS (SELECT k, iid, tsrc, time, gid FROM sso),
sso_pairs AS (
  -- The latest SSO from the session's own first IP when there is one in the window, else the latest at all.
  SELECT a.sid, CASE WHEN s1.k IS NOT NULL AND epoch(a.start) - epoch(s1.time) <= $window THEN s1.k ELSE s2.k END AS k
  FROM app a
  ASOF LEFT JOIN sso_n s1 ON a.iid = s1.iid AND a.src = s1.tsrc AND a.first_gid = s1.gid AND a.start + INTERVAL 2 MINUTE >= s1.time
  ASOF LEFT JOIN sso_n s2 ON a.iid = s2.iid AND a.src = s2.tsrc AND a.start + INTERVAL 2 MINUTE >= s2.time
  WHERE s2.k IS NOT NULL
),
by_sso AS (
  SELECT s.session_id AS from_session, a.id AS to_session, a.sid AS to_sid, 'idp_sso' AS rule, 2 AS pri,
         (a.first_gid IS NOT DISTINCT FROM s.gid) AS same_ip, (a.first_uaid IS NOT DISTINCT FROM s.uaid) AS same_ua,
         epoch(a.start) - epoch(s.time) AS delta,
         json_object('identity', a.identity, 'app', s.app_name, 'sso_event', s.uid,
                     'ip', CASE WHEN a.first_gid = s.gid THEN s.ip END,
                     'user_agent', CASE WHEN a.first_uaid = s.uaid THEN s.ua END) AS matched
  FROM sso_pairs x JOIN sessions a ON a.sid = x.sid JOIN sso s ON s.k = x.k
  WHERE epoch(a.start) - epoch(s.time) <= $window
),
keys AS (
  SELECT DISTINCT s.id AS session_id, e.source, k AS key
  FROM events e JOIN ev v ON v.eid = e.rowid JOIN sessions s ON s.sid = v.sid,
       unnest(json_extract_string(e.session_keys, ['$.sessionId', '$.uniqueTokenIdentifier', '$.AADSessionId', '$.UniqueTokenId', '$.SessionId'])) AS t(k)
  WHERE e.source IN ('entra', 'm365') AND e.session_keys IS NOT NULL AND length(k) >= 16
),
by_key AS (
  SELECT i.session_id AS from_session, m.session_id AS to_session, any_value(a.sid) AS to_sid, 'shared_session_id' AS rule, 1 AS pri,
         bool_or(af.first_ip IS NOT DISTINCT FROM pf.first_ip) AS same_ip, bool_or(af.first_ua IS NOT DISTINCT FROM pf.first_ua) AS same_ua,
         any_value(epoch(a.start) - epoch(p.start)) AS delta,
         json_object('identity', any_value(a.identity), 'session_key', string_agg(DISTINCT i.key, ', ' ORDER BY i.key)) AS matched
  FROM keys i JOIN keys m ON m.key = i.key AND i.source = 'entra' AND m.source = 'm365'
  JOIN sessions p ON p.id = i.session_id JOIN firsts pf ON pf.sid = p.sid
  JOIN sessions a ON a.id = m.session_id JOIN firsts af ON af.sid = a.sid
  GROUP BY i.session_id, m.session_id
),
console_pairs AS (
  SELECT a.sid, p.sid AS psid
  FROM (SELECT sid, iid, first_gid, start FROM sessions WHERE source = 'aws' AND session_key IS NOT NULL) a
  ASOF JOIN (SELECT sid, iid, first_gid, start FROM sessions WHERE console) p
    ON p.iid = a.iid AND p.first_gid = a.first_gid AND a.start >= p.start
),
by_console AS (
  SELECT p.id AS from_session, a.id AS to_session, a.sid AS to_sid, 'console_login' AS rule, 2 AS pri,
         true AS same_ip, (a.first_uaid IS NOT DISTINCT FROM p.first_uaid) AS same_ua,
         epoch(a.start) - epoch(p.start) AS delta,
         json_object('identity', a.identity, 'ip', af.first_ip, 'user_agent', CASE WHEN a.first_uaid = p.first_uaid THEN af.first_ua END) AS matched
  FROM console_pairs x JOIN sessions a ON a.sid = x.sid JOIN firsts af ON af.sid = a.sid JOIN sessions p ON p.sid = x.psid
  WHERE epoch(a.start) - epoch(p.start) <= $window
),
overlap_pairs AS (
  SELECT a.sid, p.sid AS psid
  FROM app a ASOF JOIN (SELECT sid, iid, start FROM sessions WHERE idp) p ON p.iid = a.iid AND a.start + INTERVAL 2 MINUTE >= p.start
),
by_overlap AS (
  SELECT p.id AS from_session, a.id AS to_session, a.sid AS to_sid, 'idp_session_overlap' AS rule, 3 AS pri,
         true AS same_ip, (a.first_uaid IS NOT DISTINCT FROM p.first_uaid) AS same_ua,
         epoch(a.start) - epoch(p.start) AS delta,
         json_object('identity', a.identity, 'ip', g.ip) AS matched
  FROM overlap_pairs x JOIN sessions a ON a.sid = x.sid JOIN sessions p ON p.sid = x.psid JOIN ip_geo g ON g.id = a.first_gid
  WHERE a.start <= p."end" + to_seconds(CAST($gap AS BIGINT))
    AND g.ip IS NOT NULL AND list_contains(p.ips, g.ip)
),
candidates AS (
  -- One candidate per (parent, child, rule): every rule above yields at most one row per child session.
  SELECT *, 'l' || substr(md5(from_session || '>' || to_session || ':' || rule), 1, 16) AS id
  FROM (SELECT * FROM by_key UNION ALL SELECT * FROM by_sso UNION ALL SELECT * FROM by_console UNION ALL SELECT * FROM by_overlap)
  WHERE from_session <> to_session
),
flagged AS (
  SELECT c.*, r.link_id IS NOT NULL AS rejected, r.reason FROM candidates c LEFT JOIN link_rejections r ON r.link_id = c.id
),
-- The best live candidate per downstream session: rule priority, same IP, same user agent, closest in time.
best AS (
  SELECT to_sid, arg_min(id, [pri, CASE WHEN same_ip THEN 0 ELSE 1 END, CASE WHEN same_ua THEN 0 ELSE 1 END, abs(delta)]) AS id
  FROM flagged WHERE NOT rejected GROUP BY to_sid
)
SELECT id, from_session, to_session, rule, matched, delta AS delta_seconds, rejected, reason
FROM flagged WHERE rejected OR id IN (SELECT id FROM best)

-- name: analyze.chain-sessions
-- A chain is a root session (an IdP session, a console sign-in, or a lone app session) and everything linked
-- under it. Links only go IdP → app, IdP → console sign-in and console sign-in → keyed AWS session: three levels.
CREATE OR REPLACE TABLE chain_sessions AS
WITH up AS (SELECT to_session, from_session FROM links WHERE NOT rejected)
SELECT 'c' || substr(coalesce(u3.from_session, u2.from_session, u1.from_session, s.id), 2) AS chain_id,
       s.id AS session_id, s.sid, u1.from_session AS parent
FROM sessions s
LEFT JOIN up u1 ON u1.to_session = s.id
LEFT JOIN up u2 ON u2.to_session = u1.from_session
LEFT JOIN up u3 ON u3.to_session = u2.from_session

