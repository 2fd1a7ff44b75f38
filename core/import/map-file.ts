import type { Readable } from 'node:stream'
import { normalize, recognise, type SourceId, type SourceMapping } from '../sources'
import { generic } from '../sources/generic'
import { readRecords, type Format, type RawRecord } from './records'
import type { Stage } from './stage'

export interface MappedFile {
  source: SourceId | null
  format: Format | null
  records: number
  events: number
  rejected: number
}

export interface MapFileOptions {
  maxRecordBytes: number
  signal?: AbortSignal
  onBytes?(n: number): void
  /** Called after each batch with the events mapped so far in this file. */
  onBatch?(events: number): void
}

/**
 * Detects one record's source, maps each event it carries and stages it (or quarantines it with the
 * reason). Returns the source to try first on the next record: files are nearly always one source.
 */
export const mapRecord = (stage: Stage, rec: RawRecord, preferred: SourceMapping | undefined, bySource: Map<SourceId, number>): SourceMapping | undefined => {
  if (!rec.value) {
    stage.reject(rec.no, null, rec.problem ?? 'unreadable record', rec.raw)
    return preferred
  }
  const { mapping, record } = recognise(rec.value, preferred)
  const views = mapping.views ? mapping.views(record) : [record]
  views.forEach((view, i) => {
    const out = normalize(mapping, view, rec.raw, views.length > 1 ? i + 1 : 0)
    if (out.ok) {
      stage.add(out.event, rec.no, rec.raw)
      bySource.set(mapping.id, (bySource.get(mapping.id) ?? 0) + 1)
    } else stage.reject(rec.no, mapping.id, out.reason, rec.raw)
  })
  return mapping !== generic ? mapping : preferred
}

/**
 * Reads one log file, detects each record's source from its content, maps it and stages the result.
 * Throws when the file as a whole is unreadable (the caller rolls it back and reports the reason).
 */
export const mapFile = async (stream: Readable, stage: Stage, opts: MapFileOptions): Promise<MappedFile> => {
  const src = readRecords(stream, opts.maxRecordBytes, opts.onBytes)
  const bySource = new Map<SourceId, number>()
  let preferred: SourceMapping | undefined
  let records = 0
  for await (const batch of src.records) {
    opts.signal?.throwIfAborted()
    for (const rec of batch) {
      records++
      preferred = mapRecord(stage, rec, preferred, bySource)
    }
    opts.onBatch?.(stage.rows)
  }
  const source = [...bySource.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null
  return { source, format: src.format(), records, events: stage.rows, rejected: stage.rejected }
}
