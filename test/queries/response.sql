-- Statements only the tests run: they are not shipped (core/store reads queries/ only).

-- Revocations that took effect: later activity of the identity (or on one of these session keys) after
-- executed_at happened on a session the analyst had cut.
-- name: response.revocations
SELECT id, connector, action, identity, CAST(session_keys AS VARCHAR) AS session_keys, executed_at
FROM response_actions
WHERE NOT dry_run AND executed_at IS NOT NULL AND status IN ('done', 'partial')
ORDER BY executed_at;
