import type { ProviderReply } from './types'

export interface HttpRequest {
  method: string
  url: string
  headers?: Record<string, string>
  body?: string
}

const headersOf = (h: Headers): Record<string, string> => {
  const out: Record<string, string> = {}
  h.forEach((v, k) => (out[k.toLowerCase()] = v))
  return out
}

/** One HTTP exchange; the caller's signal carries the timeout. Redirects are not followed: a
 * remediation API that redirects is misconfigured, and following could carry the token elsewhere. */
export const sendHttp = async (req: HttpRequest, signal: AbortSignal): Promise<ProviderReply> => {
  const res = await fetch(req.url, {
    method: req.method,
    headers: req.headers,
    body: req.body,
    signal,
    redirect: 'manual'
  })
  const text = await res.text()
  return { status: res.status, headers: headersOf(res.headers), text }
}

export const parseJson = (text: string): unknown => {
  if (!text.trim()) return null
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Joins a configured base URL and a path without doubling or losing the slash. */
export const joinUrl = (base: string, path: string): string => `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`

/** A path segment from user data (a login, an email): always encoded, so it cannot walk the URL. */
export const seg = (value: string): string => encodeURIComponent(value)

/** Parses a configured base URL: only http(s), and plain http only for loopback hosts. */
export const checkBaseUrl = (raw: string, what: string): URL => {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new Error(`${what} is not a URL`)
  }
  if (url.username || url.password) throw new Error(`${what} must not carry credentials`)
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw new Error(`${what} must be https (plain http only for 127.0.0.1)`)
  return url
}
