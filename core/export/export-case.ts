import { randomUUID } from 'node:crypto'
import { rename, rm } from 'node:fs/promises'
import type { CaseInfo, ChainRow, ExportKind, ExportRecord, Finding } from '../../contract'
import type { CaseDb, Sql } from '../store/case-db'
import type { StatementName } from '../store/statement-names'
import { csvLine } from './csv-safe'
import { EVENT_CSV_COLUMNS, type EventRecord } from './event-record'
import { FileSink, fileDigest, partialPath, type Written } from './file-sink'
import { toOcsfEvent } from './ocsf-events'
import { toOcsfFinding } from './ocsf-findings'
import { auditPage, verifyAudit } from '../audit/audit'
import { listActions } from '../response/outbox'
import { buildReportModel, type ResponseReader } from './report-model'
import { renderReport } from './report-html'
import { allChains, type SessionReader } from './session-reader'
import { CHAIN_COLUMNS, chainColumns, chainRecord } from '../sessions/chain-record'

export interface ExportContext {
  db: CaseDb
  reader: SessionReader
  caseInfo: () => Promise<CaseInfo>
  version: string
}

export const EXTENSIONS: Record<ExportKind, string> = {
  'events-ocsf': 'ocsf.jsonl',
  'findings-ocsf': 'ocsf.jsonl',
  'events-csv': 'csv',
  'chains-csv': 'csv',
  'events-parquet': 'parquet',
  'chains-parquet': 'parquet',
  'report-html': 'html'
}

const chainCsvCells = (c: ChainRow): unknown[] => {
  const r = chainColumns(chainRecord(c))
  return CHAIN_COLUMNS.map((k) => {
    const v = r[k]
    return Array.isArray(v) ? v.join(k === 'reasons' ? ' | ' : ';') : v
  })
}

/** Writes through a FileSink: the destination appears complete or not at all. */
const writeText = async (dest: string, work: (write: (text: string) => Promise<void>) => Promise<number>): Promise<Written & { rows: number }> => {
  const sink = await FileSink.open(dest)
  try {
    const rows = await work((t) => sink.write(t))
    return { ...(await sink.commit()), rows }
  } catch (err) {
    await sink.abort()
    throw err
  }
}

/** DuckDB writes Parquet itself (COPY … TO $path); to a temporary sibling first, renamed when complete. */
const writeParquet = async (sql: Sql, query: StatementName, params: Record<string, unknown>, dest: string): Promise<Written> => {
  const temp = partialPath(dest)
  try {
    await sql.exec(query, { ...params, path: temp })
    await rename(temp, dest)
  } catch (err) {
    await rm(temp, { force: true })
    throw err
  }
  return fileDigest(dest)
}

/** The report reads the outbox and the audit trail with the same functions the app's Audit screen uses. */
const responseReaderOf = (db: CaseDb): ResponseReader => ({
  actions: (chainId, limit) => listActions(db, chainId, limit),
  auditPage: (offset, limit) => auditPage(db, offset, limit),
  verify: () => verifyAudit(db)
})

const chainsOf = async (reader: SessionReader, chainId?: string): Promise<ChainRow[]> => {
  if (chainId) return [(await reader.chain(chainId)).chain]
  const out: ChainRow[] = []
  for await (const c of allChains(reader)) out.push(c)
  return out
}

const findingsWithChains = async (reader: SessionReader, chainId?: string): Promise<{ finding: Finding; chain: ChainRow | null }[]> => {
  const chains = await chainsOf(reader, chainId)
  const byFinding = new Map<string, ChainRow>()
  for (const c of chains) for (const f of c.findings) byFinding.set(f.id, c)
  const findings = await reader.findings(chainId)
  return findings.map((finding) => ({ finding, chain: byFinding.get(finding.id) ?? null }))
}

const evidenceSpans = async (sql: Sql, findings: Finding[]): Promise<Map<string, string>> => {
  const uids = [...new Set(findings.flatMap((f) => f.eventIds))]
  const times = new Map<string, string>()
  for (let i = 0; i < uids.length; i += 5000) {
    for (const r of await sql.many<{ uid: string; time: string }>('export.event_times_by_uid', { uids: JSON.stringify(uids.slice(i, i + 5000)) }))
      times.set(r.uid, r.time)
  }
  return times
}

const produce = async (ctx: ExportContext, sql: Sql, kind: ExportKind, dest: string, chainId?: string): Promise<Written & { rows: number }> => {
  switch (kind) {
    case 'events-ocsf':
      return writeText(dest, async (write) => {
        let n = 0
        for await (const e of sql.stream<EventRecord>('export.events')) {
          await write(`${JSON.stringify(toOcsfEvent(e, ctx.version))}\n`)
          n++
        }
        return n
      })
    case 'events-csv':
      return writeText(dest, async (write) => {
        await write(csvLine(EVENT_CSV_COLUMNS))
        let n = 0
        for await (const e of sql.stream<EventRecord>('export.events')) {
          await write(csvLine(EVENT_CSV_COLUMNS.map((c) => e[c])))
          n++
        }
        return n
      })
    case 'events-parquet': {
      const [{ n }] = await sql.many<{ n: number }>('export.event_count')
      return { ...(await writeParquet(sql, 'export.events_parquet', {}, dest)), rows: n }
    }
    case 'findings-ocsf': {
      const items = await findingsWithChains(ctx.reader, chainId)
      const times = await evidenceSpans(
        sql,
        items.map((i) => i.finding)
      )
      return writeText(dest, async (write) => {
        for (const { finding, chain } of items) {
          const ts = finding.eventIds
            .map((u) => times.get(u))
            .filter((t): t is string => !!t)
            .sort()
          await write(`${JSON.stringify(toOcsfFinding(finding, chain, { first: ts[0] ?? null, last: ts.at(-1) ?? null }, ctx.version))}\n`)
        }
        return items.length
      })
    }
    case 'chains-csv': {
      const chains = await chainsOf(ctx.reader, chainId)
      return writeText(dest, async (write) => {
        await write(csvLine(CHAIN_COLUMNS))
        for (const c of chains) await write(csvLine(chainCsvCells(c)))
        return chains.length
      })
    }
    case 'chains-parquet': {
      const chains = await chainsOf(ctx.reader, chainId)
      const source = partialPath(`${dest}.jsonl`)
      try {
        await writeText(source, async (write) => {
          for (const c of chains) await write(`${JSON.stringify(chainColumns(chainRecord(c)))}\n`)
          return chains.length
        })
        return { ...(await writeParquet(sql, 'export.chains_parquet', { source }, dest)), rows: chains.length }
      } finally {
        await rm(source, { force: true })
      }
    }
    case 'report-html': {
      const loadEvents = (uids: string[]) => sql.many<EventRecord>('export.events_by_uid', { uids: JSON.stringify(uids) })
      const model = await buildReportModel(ctx.reader, responseReaderOf(ctx.db), await ctx.caseInfo(), ctx.version, loadEvents, chainId)
      return writeText(dest, async (write) => {
        await write(renderReport(model))
        return model.evidence.size
      })
    }
    default: {
      const never: never = kind
      throw new Error(`unknown export kind ${String(never)}`)
    }
  }
}

/**
 * Runs one export to `dest` (a path the caller resolved: the CLI's --out, or the case folder's exports/),
 * on its own connection so the UI stays responsive, and records it with its sha256 in the case.
 */
export const runExport = async (ctx: ExportContext, kind: ExportKind, dest: string, chainId?: string): Promise<ExportRecord> => {
  const sql = await ctx.db.connect()
  let written: Written & { rows: number }
  try {
    written = await produce(ctx, sql, kind, dest, chainId)
  } finally {
    sql.close()
  }
  const record: ExportRecord = {
    id: randomUUID(),
    kind,
    path: dest,
    rows: written.rows,
    bytes: written.bytes,
    sha256: written.sha256,
    chainId: chainId ?? null,
    createdAt: new Date().toISOString()
  }
  const { chainId: chain_id, createdAt: created_at, ...rest } = record
  await ctx.db.exec('export.record', { ...rest, chain_id, created_at })
  return record
}
