-- Statements only the tests run: they are not shipped (core/store reads queries/ only).
-- Synthetic events straight into the events table, for timing analyzeCase at scale (test/perf/analyze-1m.test.ts).
-- Seven sources, $identities people plus service accounts and agents, sessions per identity/source/day,
-- log geo on Okta and Entra rows only (the rest is enriched from the IP), a sprinkle of risky event types.

-- name: bench.synthesize-events
INSERT INTO events BY NAME
WITH base AS (
  SELECT i,
         CAST(hash(i * 7919) >> 2 AS BIGINT) AS h,
         CAST((hash(i * 104729) >> 2) % $identities AS BIGINT) AS who,
         TIMESTAMPTZ '2026-02-01 00:00:00+00' + to_microseconds(CAST((hash(i * 31) >> 2) % (30 * 86400000000) AS BIGINT)) AS t
  FROM range($n) r(i)
),
shaped AS (
  SELECT *,
         CASE WHEN h % 100 < 40 THEN 'okta' WHEN h % 100 < 55 THEN 'm365' WHEN h % 100 < 70 THEN 'google_workspace'
              WHEN h % 100 < 80 THEN 'salesforce' WHEN h % 100 < 88 THEN 'github' WHEN h % 100 < 95 THEN 'slack' ELSE 'aws' END AS source,
         CASE WHEN who % 50 = 0 THEN 'svc-worker-' || who WHEN who % 97 = 0 THEN 'assistant-bot-' || who || '@corp.example' ELSE 'user' || who || '@corp.example' END AS ident,
         -- Mostly the identity's home address; one event in a hundred from somewhere else.
         CASE WHEN (h >> 8) % 100 = 0 THEN (h >> 16) % 200 + 1 ELSE who % 5000 END AS ipn,
         (h >> 24) % 1000 AS pick
  FROM base
)
SELECT source || ':' || i AS uid, source,
       CASE source
         WHEN 'okta' THEN CASE WHEN pick < 5 THEN 'system.api_token.create' WHEN pick < 150 THEN 'user.authentication.sso' WHEN pick < 300 THEN 'user.session.start' ELSE 'user.authentication.auth_via_mfa' END
         WHEN 'm365' THEN CASE WHEN pick < 3 THEN 'Exchange:New-InboxRule' WHEN pick < 600 THEN 'Exchange:MailItemsAccessed' ELSE 'SharePoint:FileAccessed' END
         WHEN 'google_workspace' THEN CASE WHEN pick < 5 THEN 'drive:change_user_access' WHEN pick < 700 THEN 'drive:view' ELSE 'drive:edit' END
         WHEN 'salesforce' THEN CASE WHEN pick < 10 THEN 'ReportExport' ELSE 'URI' END
         WHEN 'github' THEN CASE WHEN pick < 5 THEN 'org_credential_authorization.grant' ELSE 'git.clone' END
         WHEN 'slack' THEN CASE WHEN pick < 5 THEN 'app_installed' ELSE 'file_downloaded' END
         ELSE CASE WHEN pick < 3 THEN 'iam.amazonaws.com:AttachUserPolicy' WHEN pick < 10 THEN 'signin.amazonaws.com:ConsoleLogin' ELSE 's3.amazonaws.com:GetObject' END
       END AS source_type,
       CASE WHEN pick >= 150 AND pick < 300 THEN 'authentication' WHEN pick < 10 THEN 'admin' ELSE 'data_access' END AS category,
       NULL AS action, 'success' AS outcome, t AS time,
       ident AS actor_id, ident AS actor_name,
       CASE WHEN ident LIKE 'svc-%' THEN 'service' ELSE 'human' END AS actor_type,
       ident AS identity,
       source AS app,
       CASE WHEN source = 'google_workspace' THEN NULL
            ELSE substr(md5(ident || source || CAST(date_trunc('day', t) AS VARCHAR)), 1, 20) END AS session_key,
       CASE WHEN source = 'okta' AND pick >= 5 AND pick < 150
            THEN json_object('externalSessionId', substr(md5(ident || source || CAST(date_trunc('day', t) AS VARCHAR)), 1, 20),
                             'ssoTargetApp', ['Salesforce.com', 'Google Workspace', 'Microsoft Office 365', 'GitHub Enterprise Cloud', 'Slack'][pick % 5 + 1])
            ELSE NULL END AS session_keys,
       CAST(((ipn * 37) % 180) + 20 AS VARCHAR) || '.' || CAST((ipn * 11) % 250 AS VARCHAR) || '.' || CAST(ipn % 250 AS VARCHAR) || '.' || CAST((ipn * 7) % 250 + 1 AS VARCHAR) AS src_ip,
       'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' AS user_agent,
       NULL AS device_id,
       NULL AS geo_city,
       CASE WHEN source IN ('okta', 'entra') THEN ['DE', 'FR', 'US', 'GB', 'BR', 'JP'][ipn % 6 + 1] END AS geo_country,
       CASE WHEN source IN ('okta', 'entra') THEN [50.1, 48.9, 40.7, 51.5, -23.5, 35.7][ipn % 6 + 1] END AS geo_lat,
       CASE WHEN source IN ('okta', 'entra') THEN [8.7, 2.35, -74.0, -0.1, -46.6, 139.7][ipn % 6 + 1] END AS geo_lon,
       NULL AS target_type, 'doc-' || (pick % 300) AS target_id, 'Document ' || (pick % 300) AS target_name,
       'bench' AS import_id, 'bench.ndjson' AS file_path, i + 1 AS record_no,
       '{"i":' || i || ',"policyArn":"arn:aws:iam::aws:policy/' || CASE WHEN pick % 2 = 0 THEN 'AdministratorAccess' ELSE 'ReadOnlyAccess' END || '","RuleActions":"Forward"}' AS raw
FROM shaped
