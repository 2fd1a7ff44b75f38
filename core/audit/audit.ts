import { createHash } from 'node:crypto'
import type { AuditPage, AuditRecord, AuditVerification } from '../../contract'
import type { CaseDb, Sql } from '../store/case-db'
import { canonicalJson } from './canonical-json'

export const GENESIS = '0'.repeat(64)

export interface AuditEntry {
  actor: string
  kind: string
  subject: string | null
  detail: unknown
}

interface StoredRow {
  seq: number
  recorded_at: string
  actor: string
  kind: string
  subject: string | null
  detail: string
  prev_hash: string
  hash: string
}

/** sha256(prev_hash ‖ canonical JSON of the record's own fields): any edit of a field changes it. */
export const recordHash = (prevHash: string, r: { seq: number; at: string; actor: string; kind: string; subject: string | null; detail: unknown }): string =>
  createHash('sha256')
    .update(prevHash)
    .update(canonicalJson({ seq: r.seq, at: r.at, actor: r.actor, kind: r.kind, subject: r.subject, detail: r.detail }))
    .digest('hex')

// Microsecond precision would not survive a JS Date; the hash covers the millisecond ISO form both ways.
const isoMs = (d: Date): string => d.toISOString()

const appendOn = async (sql: Sql, entry: AuditEntry): Promise<AuditRecord> => {
  const head = await sql.one<{ seq: number; hash: string }>('audit.head')
  const seq = (head?.seq ?? 0) + 1
  const prevHash = head?.hash ?? GENESIS
  const at = isoMs(new Date())
  // Round-trip the detail through JSON so what is hashed is exactly what the JSON column will hold.
  const detail = JSON.parse(JSON.stringify(entry.detail ?? {})) as unknown
  const hash = recordHash(prevHash, { seq, at, actor: entry.actor, kind: entry.kind, subject: entry.subject, detail })
  await sql.exec('audit.append', {
    seq,
    at,
    actor: entry.actor,
    kind: entry.kind,
    subject: entry.subject,
    detail: canonicalJson(detail),
    prev_hash: prevHash,
    hash
  })
  return { seq, at, actor: entry.actor, kind: entry.kind, subject: entry.subject, detail, prevHash, hash }
}

/**
 * Appends one record to the case's audit trail, chained to the last one. Runs in a transaction on the
 * shared lane, so two appenders never take the same sequence number.
 */
export const appendAudit = async (db: CaseDb, entry: AuditEntry): Promise<AuditRecord> => {
  try {
    return await db.transaction((sql) => appendOn(sql, entry))
  } catch (err) {
    // Another connection (an import) may have appended in between: one retry re-reads the head.
    if (!/constraint|conflict/i.test((err as Error).message)) throw err
    return db.transaction((sql) => appendOn(sql, entry))
  }
}

const fromRow = (r: StoredRow): AuditRecord => ({
  seq: r.seq,
  at: r.recorded_at,
  actor: r.actor,
  kind: r.kind,
  subject: r.subject,
  detail: parseDetail(r.detail),
  prevHash: r.prev_hash,
  hash: r.hash
})

const parseDetail = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

export const auditPage = async (db: CaseDb, offset: number, limit: number): Promise<AuditPage> => {
  const [count, rows] = await Promise.all([db.one<{ n: number }>('audit.count'), db.many<StoredRow>('audit.page', { offset, limit })])
  return { rows: rows.map(fromRow), total: count?.n ?? 0, offset }
}

const PAGE = 5000

/** Every record, oldest first, read page by page. */
export async function* auditRecords(db: CaseDb): AsyncGenerator<AuditRecord> {
  for (let offset = 0; ; offset += PAGE) {
    const rows = await db.many<StoredRow>('audit.page', { offset, limit: PAGE })
    for (const r of rows) yield fromRow(r)
    if (rows.length < PAGE) return
  }
}

/** Recomputes the chain: sequence gaps, a broken link or a changed field stop it at the first bad record. */
export const verifyAudit = async (db: CaseDb): Promise<AuditVerification> => {
  let prev = GENESIS
  let expectedSeq = 1
  let records = 0
  for await (const r of auditRecords(db)) {
    const fail = (problem: string): AuditVerification => ({ ok: false, records, head: null, brokenAt: r.seq, problem })
    if (r.seq !== expectedSeq) return fail(`record ${r.seq} follows ${expectedSeq - 1}: a record is missing or was inserted`)
    if (r.prevHash !== prev) return fail(`record ${r.seq} does not link to the record before it`)
    if (recordHash(prev, r) !== r.hash) return fail(`record ${r.seq} was changed after it was written`)
    prev = r.hash
    expectedSeq += 1
    records += 1
  }
  return { ok: true, records, head: records ? prev : null, brokenAt: null, problem: null }
}
