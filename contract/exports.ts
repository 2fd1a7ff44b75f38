// Export calls (OCSF, Parquet, CSV, report): declared by the export domain (core/export).
export const exportCalls = {}
