-- The hash-chained audit trail. Append-only: there is deliberately no UPDATE or DELETE statement for it.

-- name: audit.head
SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1;

-- name: audit.append
INSERT INTO audit_log (seq, recorded_at, actor, kind, subject, detail, prev_hash, hash)
VALUES ($seq, $at::TIMESTAMPTZ, $actor, $kind, $subject, $detail::JSON, $prev_hash, $hash);

-- name: audit.count
SELECT count(*) AS n FROM audit_log;

-- name: audit.page
SELECT seq, recorded_at, actor, kind, subject, CAST(detail AS VARCHAR) AS detail, prev_hash, hash
FROM audit_log ORDER BY seq LIMIT $limit OFFSET $offset;
