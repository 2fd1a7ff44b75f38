/** One row of the events table as the export queries return it (after toPlain: times are ISO strings). */
export interface EventRecord {
  uid: string
  source: string
  source_type: string | null
  category: string
  action: string | null
  outcome: string
  time: string | null
  actor_id: string | null
  actor_name: string | null
  actor_type: string
  identity: string | null
  app: string | null
  session_key: string | null
  session_keys: string | null
  src_ip: string | null
  user_agent: string | null
  device_id: string | null
  geo_city: string | null
  geo_country: string | null
  geo_lat: number | null
  geo_lon: number | null
  target_type: string | null
  target_id: string | null
  target_name: string | null
  import_id: string
  file_path: string
  record_no: number
  raw: string
}

/** The normalized columns, in table order, for CSV headers (raw stays in OCSF and Parquet exports). */
export const EVENT_CSV_COLUMNS = [
  'uid',
  'time',
  'source',
  'source_type',
  'category',
  'action',
  'outcome',
  'actor_id',
  'actor_name',
  'actor_type',
  'identity',
  'app',
  'session_key',
  'src_ip',
  'user_agent',
  'device_id',
  'geo_city',
  'geo_country',
  'geo_lat',
  'geo_lon',
  'target_type',
  'target_id',
  'target_name',
  'import_id',
  'file_path',
  'record_no'
] as const satisfies readonly (keyof EventRecord)[]
