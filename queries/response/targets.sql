-- How a provider's own logs name an identity, and the native keys they saw for it (read-only, for targeting).

-- name: response.target.accounts
SELECT actor_id, actor_name, count(*) AS n
FROM events
WHERE lower(identity) = lower($identity) AND source = $source
GROUP BY actor_id, actor_name
ORDER BY n DESC
LIMIT 5;

-- name: response.target.keys
SELECT session_key, max(time) AS last_seen
FROM events
WHERE lower(identity) = lower($identity) AND source = $source AND session_key IS NOT NULL
GROUP BY session_key
ORDER BY last_seen DESC
LIMIT 200;

-- name: response.simulated.identities
-- The identities each source's logs name, for the demo's simulated providers (so they know the case's accounts).
SELECT DISTINCT identity, source
FROM events
WHERE identity IS NOT NULL AND source IS NOT NULL
ORDER BY source, identity
LIMIT $limit;

-- name: response.chain-sessions
-- Just what targeting needs from a chain: each session's case id, source and native key.
SELECT s.id, s.source, s.session_key
FROM chain_sessions cs JOIN sessions s ON s.sid = cs.sid
WHERE cs.chain_id = $id
ORDER BY s.start, s.id;
