import { checkBaseUrl, isObject, joinUrl, parseJson, sendHttp } from '../http'
import { retryAfterMs, waitFromHeaders } from '../rate-limit'
import type { CallSpec, ConnectorConfig, ProviderReply, Verdict } from '../types'

export interface VerdictRules {
  /** The provider's own error text from its envelope. */
  describe(body: unknown): string | null
  ok?(reply: ProviderReply, body: unknown): boolean
  rateLimited?(reply: ProviderReply, body: unknown): boolean
  notFound?(reply: ProviderReply, body: unknown): boolean
}

/** Shared reading of a JSON API's reply: 2xx ok, 429/5xx (and provider-specific throttles) retryable. */
export const verdictOf = (reply: ProviderReply, rules: VerdictRules): Verdict => {
  const body = parseJson(reply.text)
  const success = rules.ok ? rules.ok(reply, body) : reply.status >= 200 && reply.status < 300
  if (success) return { ok: true, data: body }
  const detail = rules.describe(body)
  const error = `HTTP ${reply.status}${detail ? ` ${detail}` : ''}`
  const limited = reply.status === 429 || (rules.rateLimited?.(reply, body) ?? false)
  const unavailable = reply.status >= 500
  return {
    ok: false,
    error,
    retryable: limited || unavailable,
    waitMs: limited ? waitFromHeaders(reply.headers) : reply.status === 503 ? retryAfterMs(reply.headers['retry-after']) : null,
    // A refusal (4xx, an ok:false body, throttling, 503) means the provider did nothing: repeating it later is harmless.
    notApplied: limited || reply.status === 503 || reply.status < 500,
    notFound: rules.notFound ? rules.notFound(reply, body) : reply.status === 404
  }
}

export const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null)

export const field = (body: unknown, key: string): unknown => (isObject(body) ? body[key] : undefined)

export interface JsonCallInit {
  key?: string
  method: string
  base: string
  path: string
  body?: unknown
  /** Sent instead of a JSON body (form posts); shown as `body`. */
  form?: Record<string, string>
  headers: () => Record<string, string>
  purpose: string
  kind: 'lookup' | 'change'
  safeToRepeat: boolean
  repeat?: string
}

/** A call to a JSON API whose credentials come from `headers()` at send time, so they never sit in the spec. */
export const jsonCall = (c: JsonCallInit): CallSpec => {
  const url = joinUrl(c.base, c.path)
  const shown = c.form ?? c.body ?? null
  return {
    key: c.key ?? `${c.method} ${url}${shown ? ` ${JSON.stringify(shown)}` : ''}`,
    method: c.method,
    url,
    body: shown,
    purpose: c.purpose,
    kind: c.kind,
    safeToRepeat: c.safeToRepeat,
    repeat: c.repeat,
    send: async (signal) => {
      const headers: Record<string, string> = { Accept: 'application/json', ...c.headers() }
      let body: string | undefined
      if (c.form) {
        headers['Content-Type'] = 'application/x-www-form-urlencoded'
        body = new URLSearchParams(c.form).toString()
      } else if (c.body !== undefined) {
        headers['Content-Type'] = 'application/json'
        body = JSON.stringify(c.body)
      }
      return sendHttp({ method: c.method, url, headers, body }, signal)
    }
  }
}

/** The configured base URL, checked; falls back to the provider's public default. */
export const baseUrl = (cfg: ConnectorConfig, id: string, fallback: string | null): string => {
  const raw = cfg.get('URL') ?? fallback
  // A preview of an unconfigured connector still shows its calls, against a named placeholder.
  if (!raw && cfg.preview) return `{AFTERLOGIN_${id.toUpperCase()}_URL}`
  if (!raw) throw new Error(`AFTERLOGIN_${id.toUpperCase()}_URL is not set`)
  return checkBaseUrl(raw, `AFTERLOGIN_${id.toUpperCase()}_URL`).toString().replace(/\/+$/, '')
}

export const requireSetting = (cfg: ConnectorConfig, id: string, name: string): string => {
  const v = cfg.get(name)
  if (!v) throw new Error(`AFTERLOGIN_${id.toUpperCase()}_${name} is not set`)
  return v
}

export const isEmail = (s: string): boolean => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s)
