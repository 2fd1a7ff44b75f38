import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { basename, dirname, join } from 'node:path'
import type { ExportKind } from '../../contract'
import { stageUpload } from '../../core/import/uploads'
import type { Workbench } from '../../core/workbench'
import { fileInside } from './guards'
import type { RouteHandler } from './server'

const reply = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' })
  res.end(JSON.stringify(body))
}

/**
 * POST /api/import/upload?name=<the file's name or relative path>, body = the file's bytes.
 * Stages the file in the open case's uploads/ folder under a random id and answers {ok, value:{id, bytes}};
 * the page then calls import.start with the ids. The name is a label only, never a path.
 */
const upload =
  (wb: Workbench): RouteHandler =>
  async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (req.method !== 'POST') return reply(res, 405, { ok: false, error: 'method not allowed' })
    if (!/^application\/octet-stream\b/.test(req.headers['content-type'] ?? ''))
      return reply(res, 415, { ok: false, error: 'uploads are application/octet-stream' })
    const open = wb.openCase
    if (!open) return reply(res, 409, { ok: false, error: 'no case is open: create or open a case first' })
    try {
      const staged = await stageUpload(open.summary.path, url.searchParams.get('name') ?? 'upload', req)
      reply(res, 200, { ok: true, value: staged })
    } catch (err) {
      reply(res, 400, { ok: false, error: (err as Error).message })
    }
  }

/**
 * GET /api/export/download?id=<export id>: the bytes of an export the export.run call wrote, as an attachment.
 * The page names an export by id only; the file must be one the case recorded, inside the case folder's exports/.
 */
const download =
  (wb: Workbench): RouteHandler =>
  async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (req.method !== 'GET') return reply(res, 405, { ok: false, error: 'method not allowed' })
    const open = wb.openCase
    if (!open) return reply(res, 409, { ok: false, error: 'no case is open: create or open a case first' })
    const id = url.searchParams.get('id') ?? ''
    const record = (await wb.handlers['export.list']({})).find((r) => r.id === id)
    if (!record) return reply(res, 404, { ok: false, error: `no export with id '${id}' in this case` })
    if (!fileInside(join(dirname(open.summary.path), 'exports'), record.path))
      return reply(res, 403, { ok: false, error: 'that export is outside the case folder' })
    const found = await stat(record.path).catch(() => null)
    if (!found?.isFile()) return reply(res, 410, { ok: false, error: `the export file is gone: ${basename(record.path)}` })
    res.writeHead(200, {
      'Content-Type': DOWNLOAD_TYPES[record.kind],
      'Content-Length': found.size,
      'Content-Disposition': `attachment; filename="${basename(record.path).replace(/[^\w.-]/g, '_')}"`,
      'Cache-Control': 'no-store'
    })
    createReadStream(record.path).pipe(res)
  }

const DOWNLOAD_TYPES: Record<ExportKind, string> = {
  'events-ocsf': 'application/x-ndjson',
  'findings-ocsf': 'application/x-ndjson',
  'events-csv': 'text/csv; charset=utf-8',
  'chains-csv': 'text/csv; charset=utf-8',
  'events-parquet': 'application/vnd.apache.parquet',
  'chains-parquet': 'application/vnd.apache.parquet',
  // An attachment, never rendered by this origin: the report is opened from disk under its own CSP.
  'report-html': 'text/html; charset=utf-8'
}

/** Authenticated routes the web mode adds beyond the contract calls (file staging for imports, export downloads). */
export const webRoutes = (wb: Workbench): Record<string, RouteHandler> => ({
  '/api/import/upload': upload(wb),
  '/api/export/download': download(wb)
})
