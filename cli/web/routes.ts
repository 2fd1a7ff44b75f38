import type { IncomingMessage, ServerResponse } from 'node:http'
import { stageUpload } from '../../core/import/uploads'
import type { Workbench } from '../../core/workbench'
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

/** Authenticated routes the web mode adds beyond the contract calls (file staging for imports). */
export const webRoutes = (wb: Workbench): Record<string, RouteHandler> => ({
  '/api/import/upload': upload(wb)
})
