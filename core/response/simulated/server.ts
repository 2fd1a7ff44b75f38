import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** What a provider mock saw: tests assert on these, never on the code under test. */
export interface Seen {
  method: string
  path: string
  query: URLSearchParams
  headers: Record<string, string | string[] | undefined>
  body: string
}

export interface Reply {
  status: number
  headers?: Record<string, string>
  body?: unknown
  /** Send the body as is (XML, empty). */
  raw?: string
}

/**
 * Faults a test injects into the next matching requests: the provider's own error envelope for
 * unauthorized / not-found / rate-limit / server-error, a reply slower than the client's timeout,
 * or no reply at all (`hang`, for crash tests).
 */
export type Fault = 'unauthorized' | 'not-found' | 'rate-limit' | 'server-error' | 'timeout' | 'hang'

export interface Provider {
  name: string
  /** Whether the request carries the mock's credential. */
  authorized(req: Seen, token: string): boolean
  fault(kind: Exclude<Fault, 'timeout' | 'hang'>, req: Seen): Reply
  handle(req: Seen): Reply | Promise<Reply>
  /** Headers on every reply (rate-limit counters, request ids). */
  common?(): Record<string, string>
}

export interface MockServer {
  url: string
  port: number
  token: string
  seen: Seen[]
  /** Requests the provider's published description does not allow (with a contract), each with its reasons. */
  violations: string[]
  inject(match: RegExp, fault: Fault, times?: number): void
  count(match: RegExp): number
  /** Lets the process exit while the server still listens (the demo's providers live as long as the app). */
  unref(): void
  close(): Promise<void>
}

const line = (s: Seen) => `${s.method} ${s.path}`

/** Starts a provider mock on 127.0.0.1, port 0. */
export const startMock = async (
  provider: Provider,
  opts: { token?: string; slowMs?: number; contract?: (req: Seen) => string[] } = {}
): Promise<MockServer> => {
  const token = opts.token ?? `mock-${provider.name}-${randomBytes(12).toString('hex')}`
  const seen: Seen[] = []
  const violations: string[] = []
  const faults: { match: RegExp; fault: Fault; left: number }[] = []
  const hanging = new Set<ServerResponse>()
  const timers = new Set<NodeJS.Timeout>()

  const write = (res: ServerResponse, reply: Reply) => {
    if (res.destroyed || res.writableEnded) return
    const headers: Record<string, string> = { ...provider.common?.(), ...reply.headers }
    let text = reply.raw ?? ''
    if (reply.raw === undefined && reply.body !== undefined) {
      text = JSON.stringify(reply.body)
      headers['content-type'] ??= 'application/json; charset=utf-8'
    }
    res.writeHead(reply.status, headers)
    res.end(text)
  }

  const answer = async (res: ServerResponse, s: Seen) => {
    try {
      write(res, await provider.handle(s))
    } catch (err) {
      write(res, { status: 500, body: { mockError: (err as Error).message } })
    }
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const s: Seen = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8')
      }
      seen.push(s)
      const f = faults.find((x) => x.left > 0 && x.match.test(line(s)))
      if (f) {
        f.left -= 1
        if (f.fault === 'hang') return void hanging.add(res)
        if (f.fault === 'timeout') {
          // The provider still does the work, late: the client that gave up cannot know it happened.
          const timer = setTimeout(() => void answer(res, s), opts.slowMs ?? 3000)
          timers.add(timer)
          return
        }
        return write(res, provider.fault(f.fault, s))
      }
      if (!provider.authorized(s, token)) return write(res, provider.fault('unauthorized', s))
      // With a contract the mock answers only what the provider publishes: anything else is refused, and noted.
      const wrong = opts.contract?.(s) ?? []
      if (wrong.length) {
        violations.push(...wrong.map((w) => `${line(s)}: ${w}`))
        return write(res, {
          status: 400,
          body: { contractViolation: wrong, error: 'invalid_arguments', message: wrong.join('; '), errorCode: 'E0000001', errorSummary: wrong.join('; ') }
        })
      }
      void answer(res, s)
    })
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    token,
    seen,
    violations,
    inject: (match, fault, times = 1) => void faults.push({ match, fault, left: times }),
    count: (match) => seen.filter((s) => match.test(line(s))).length,
    unref: () => void server.unref(),
    close: () =>
      new Promise<void>((ok) => {
        for (const res of hanging) res.destroy()
        for (const t of timers) clearTimeout(t)
        server.closeAllConnections()
        server.close(() => ok())
      })
  }
}

export const bearer = (req: Seen, token: string, scheme = 'Bearer'): boolean => req.headers.authorization === `${scheme} ${token}`

export const requestId = (): string => randomBytes(10).toString('hex')

export const form = (req: Seen): URLSearchParams => {
  const type = String(req.headers['content-type'] ?? '')
  if (type.includes('application/json')) {
    const o = JSON.parse(req.body || '{}') as Record<string, string>
    return new URLSearchParams(o)
  }
  return new URLSearchParams(req.body)
}

/** An epoch second 1–2 s ahead: short enough for tests, real enough for the header's meaning. */
export const resetSoon = (): string => String(Math.floor(Date.now() / 1000) + 2)
