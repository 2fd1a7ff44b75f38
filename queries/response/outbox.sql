-- The durable outbox: actions, their calls (written before they are sent) and every attempt.

-- name: response.action.insert
INSERT INTO response_actions (id, batch_id, created_at, analyst, reason, connector, action, identity, chain_id,
                              session_keys, dry_run, status, plan, executed_at, finished_at, error)
VALUES ($id, $batch_id, $created_at::TIMESTAMPTZ, $analyst, $reason, $connector, $action, $identity, $chain_id,
        $session_keys::JSON, $dry_run, $status, $plan::JSON, NULL,
        CASE WHEN $dry_run THEN $created_at::TIMESTAMPTZ END, NULL);

-- name: response.action.status
UPDATE response_actions
SET status = $status,
    error = $error,
    finished_at = CASE WHEN $finished THEN now() END
WHERE id = $id;

-- name: response.action.executed
UPDATE response_actions SET executed_at = $at::TIMESTAMPTZ WHERE id = $id;

-- name: response.action.get
SELECT id, batch_id, created_at, analyst, reason, connector, action, identity, chain_id,
       CAST(session_keys AS VARCHAR) AS session_keys, dry_run, status, CAST(plan AS VARCHAR) AS plan,
       executed_at, finished_at, error
FROM response_actions WHERE id = $id;

-- name: response.action.list
SELECT id, batch_id, created_at, analyst, reason, connector, action, identity, chain_id,
       CAST(session_keys AS VARCHAR) AS session_keys, dry_run, status, executed_at, finished_at, error
FROM response_actions
WHERE $chain_id IS NULL OR chain_id = $chain_id
ORDER BY created_at DESC, id
LIMIT $limit;

-- name: response.action.running
SELECT id FROM response_actions WHERE status = 'running';

-- name: response.call.insert
INSERT INTO response_calls (action_id, call_no, call_key, method, url, body, purpose, kind, safe_to_repeat, status,
                            http_status, attempts, request_id, error)
VALUES ($action_id, $call_no, $call_key, $method, $url, $body::JSON, $purpose, $kind, $safe_to_repeat, $status,
        NULL, 0, NULL, NULL);

-- name: response.call.update
UPDATE response_calls
SET status = $status, http_status = $http_status, attempts = $attempts, request_id = $request_id, error = $error
WHERE action_id = $action_id AND call_no = $call_no;

-- name: response.call.list
SELECT call_no, call_key, method, url, purpose, kind, safe_to_repeat, status, http_status, attempts, request_id, error
FROM response_calls WHERE action_id = $action_id ORDER BY call_no;

-- name: response.call.interrupted
UPDATE response_calls SET status = 'unknown', error = 'interrupted: the outcome never came back'
WHERE action_id = $action_id AND status = 'sending';

-- name: response.attempt.start
INSERT INTO response_attempts (action_id, call_no, attempt, started_at, finished_at, method, url, http_status,
                               request_id, error)
VALUES ($action_id, $call_no, $attempt, $started_at::TIMESTAMPTZ, NULL, $method, $url, NULL, NULL, NULL);

-- name: response.attempt.finish
UPDATE response_attempts
SET finished_at = $finished_at::TIMESTAMPTZ, http_status = $http_status, request_id = $request_id, error = $error
WHERE action_id = $action_id AND call_no = $call_no AND attempt = $attempt;

-- name: response.attempt.list
SELECT call_no, attempt, started_at, finished_at, method, url, http_status, request_id, error
FROM response_attempts WHERE action_id = $action_id ORDER BY call_no, attempt;
