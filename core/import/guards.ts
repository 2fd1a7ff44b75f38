import { posix, win32 } from 'node:path'

/** Limits that stop hostile or absurd inputs before they cost memory or disk. */
export interface ImportLimits {
  /** Longest single record (NDJSON line, JSON element, CSV row) accepted, in bytes. */
  maxRecordBytes: number
  /** Expanded bytes one top-level input may produce through zips and gzip, all entries together. */
  maxExpandedBytes: number
  /** Expansion ratio above which an archive entry counts as a bomb (once it is past `ratioFloorBytes`). */
  maxRatio: number
  ratioFloorBytes: number
  /** Archives inside archives. */
  maxDepth: number
  /** Entries one archive may hold. */
  maxEntries: number
  /** Plain NDJSON files from this size up are parsed by DuckDB when their source has a projection. */
  fastPathMinBytes: number
  /** DuckDB's memory limit while an import runs (it spills to the case folder beyond it): keeps RSS flat. */
  duckdbMemory: string
}

export const DEFAULT_LIMITS: ImportLimits = {
  maxRecordBytes: 64 * 1024 * 1024,
  maxExpandedBytes: 32 * 1024 ** 3,
  maxRatio: 200,
  ratioFloorBytes: 32 * 1024 * 1024,
  maxDepth: 4,
  maxEntries: 100_000,
  fastPathMinBytes: 16 * 1024 * 1024,
  duckdbMemory: '1200MB'
}

/**
 * Checks an archive entry name. Returns the reason it is refused, or null when safe.
 * Refused: absolute paths (POSIX, drive letters, UNC), any `..` segment, NUL bytes. Entries are never
 * extracted by name, but a bundle carrying such names is hostile or broken and the analyst should know.
 */
export const entryNameProblem = (name: string): string | null => {
  if (!name) return 'empty entry name'
  if (name.includes('\u0000')) return 'entry name contains a NUL byte'
  const unified = name.replaceAll('\\', '/')
  if (posix.isAbsolute(unified) || win32.isAbsolute(name) || /^[a-zA-Z]:/.test(name)) return `absolute path '${name}' refused`
  if (unified.split('/').some((seg) => seg === '..')) return `path escapes the archive: '${name}' refused`
  return null
}

/** True when an entry's declared sizes describe a compression bomb. */
export const ratioProblem = (compressed: number, expanded: number, limits: ImportLimits): string | null => {
  if (expanded <= limits.ratioFloorBytes) return null
  const ratio = expanded / Math.max(1, compressed)
  return ratio > limits.maxRatio ? `expands ${Math.round(ratio)}:1 (limit ${limits.maxRatio}:1): refused as a compression bomb` : null
}
