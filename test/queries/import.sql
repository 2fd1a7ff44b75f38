-- Statements only the tests run: they are not shipped (core/store reads queries/ only).

-- name: import.file.event-count
SELECT count(*) AS n, count(DISTINCT source) AS sources FROM events WHERE file_path = $file_path;

-- name: import.test.events
SELECT uid, source, category, action, outcome, strftime(time, '%Y-%m-%dT%H:%M:%S.%gZ') AS time, actor_type, identity, app,
       session_key, session_keys::VARCHAR AS session_keys, src_ip, geo_city, target_name, file_path, record_no, raw,
       actor_id, actor_name, geo_country, geo_lat, geo_lon, as_number, as_org, acting_for, net_proxy, device_managed, vouches
FROM events
ORDER BY file_path, record_no;

-- name: import.test.events-by-import
SELECT import_id, count(*) AS n FROM events GROUP BY import_id ORDER BY import_id;

-- name: import.test.quarantine
SELECT record_no, source, reason, raw FROM quarantine WHERE file_path = $file_path ORDER BY record_no;
