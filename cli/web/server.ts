import { randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname } from 'node:path'
import { dispatch } from '../../core/dispatch'
import type { Workbench } from '../../core/workbench'
import { hostAllowed, originAllowed, staticFile, tokenAllowed } from './guards'

/** The production CSP, sent as a header too (frame-ancestors only works there). Pinned by a test. */
export const WEB_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2'
}

const MAX_BODY = 1024 * 1024

export interface WebServer {
  url: string
  port: number
  token: string
  server: Server
  close(): Promise<void>
}

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>

export interface WebOptions {
  workbench: Workbench
  rendererDir: string
  port?: number
  /** Extra authenticated routes under /api/ (e.g. uploads), keyed by path. */
  routes?: Record<string, RouteHandler>
}

const send = (res: ServerResponse, status: number, body: unknown): void => {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' })
  res.end(text)
}

export const readJsonBody = async (req: IncomingMessage, limit = MAX_BODY): Promise<unknown> => {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw new Error(`request body larger than ${limit} bytes`)
    chunks.push(chunk as Buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  return text ? JSON.parse(text) : {}
}

/**
 * Serves the built renderer and the contract over HTTP on 127.0.0.1 only.
 * API: POST /api/call/<name> (JSON in, Outcome out), GET /api/events (server-sent events).
 * Every /api request needs the per-launch token; every request needs a loopback Host.
 */
export const startWebServer = async (opts: WebOptions): Promise<WebServer> => {
  const token = randomBytes(24).toString('base64url')
  const { workbench } = opts
  let port = 0

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) send(res, 500, { ok: false, error: err.message })
      else res.destroy()
    })
  })

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'no-referrer')
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin')
    if (!hostAllowed(req.headers.host, port)) return send(res, 421, { ok: false, error: 'host not allowed' })
    if (!originAllowed(req.headers.origin, port)) return send(res, 403, { ok: false, error: 'origin not allowed' })
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`)

    if (url.pathname.startsWith('/api/')) {
      if (!tokenAllowed(req.headers.authorization, token)) return send(res, 401, { ok: false, error: 'missing or wrong token' })
      if (url.pathname === '/api/events' && req.method === 'GET') return streamEvents(req, res)
      const call = /^\/api\/call\/([\w.]+)$/.exec(url.pathname)
      if (call && req.method === 'POST') {
        if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return send(res, 415, { ok: false, error: 'calls are JSON' })
        let input: unknown
        try {
          input = await readJsonBody(req)
        } catch (err) {
          return send(res, 400, { ok: false, error: (err as Error).message })
        }
        return send(res, 200, await dispatch(workbench, call[1], input))
      }
      const route = opts.routes?.[url.pathname]
      if (route) return route(req, res, url)
      return send(res, 404, { ok: false, error: 'no such endpoint' })
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { ok: false, error: 'method not allowed' })
    const file = staticFile(opts.rendererDir, url.pathname)
    const found = file ? await stat(file).catch(() => null) : null
    // Client-side routes fall back to the shell page.
    const path = found?.isFile() ? file! : staticFile(opts.rendererDir, '/index.html')!
    const type = TYPES[extname(path)] ?? 'application/octet-stream'
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Security-Policy': WEB_CSP,
      'Cache-Control': path.endsWith('index.html') ? 'no-store' : 'max-age=3600'
    })
    if (req.method === 'HEAD') return void res.end()
    createReadStream(path).pipe(res)
  }

  const streamEvents = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' })
    res.write(': ready\n\n')
    const off = workbench.push.onAny((name, payload) => {
      res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`)
    })
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000)
    req.on('close', () => {
      off()
      clearInterval(ping)
    })
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok())
  })
  port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    server,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections()
        server.close(() => ok())
      })
  }
}
