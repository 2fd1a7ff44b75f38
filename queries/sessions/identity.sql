-- The analyst's identity map: aliases (logins as logs name them) → the identity they stand for.

-- name: identity.map.list
SELECT alias, identity FROM identity_map ORDER BY identity, alias

-- name: identity.map.set
INSERT OR REPLACE INTO identity_map VALUES (lower(trim($alias)), lower(trim($identity)), now())

-- name: identity.map.clear
DELETE FROM identity_map WHERE alias = lower(trim($alias))

-- name: identity.map.get
SELECT alias, identity FROM identity_map WHERE alias = lower(trim($alias))
