import { timingSafeEqual } from 'node:crypto'
import { isAbsolute, relative, resolve, sep } from 'node:path'

/**
 * The web mode's guards, pure so they can be tested with tables of hostile inputs.
 * The server binds 127.0.0.1 only; these stop DNS rebinding (Host), cross-site requests (Origin)
 * and any other local process or page without the per-launch token.
 */

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost'])

/** The Host header must name this server on loopback, port included — a rebinding domain never matches. */
export const hostAllowed = (host: string | undefined, port: number): boolean => {
  if (!host) return false
  let url: URL
  try {
    url = new URL(`http://${host}`)
  } catch {
    return false
  }
  if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return false
  return LOOPBACK_NAMES.has(url.hostname) && Number(url.port) === port
}

/** Browsers send Origin on cross-origin and on POST requests; when present it must be this very server. */
export const originAllowed = (origin: string | undefined, port: number): boolean => {
  if (origin === undefined) return true
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    return false
  }
  return url.protocol === 'http:' && LOOPBACK_NAMES.has(url.hostname) && Number(url.port) === port && url.origin === origin
}

/** `Authorization: Bearer <token>`, compared in constant time. */
export const tokenAllowed = (header: string | undefined, token: string): boolean => {
  const m = /^Bearer ([A-Za-z0-9_-]+)$/.exec(header ?? '')
  if (!m) return false
  const given = Buffer.from(m[1])
  const expected = Buffer.from(token)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/** Maps a request path onto a file under `root`, or null when it would escape it. */
export const staticFile = (root: string, urlPath: string): string | null => {
  let decoded: string
  try {
    decoded = decodeURIComponent(new URL(urlPath, 'http://x').pathname)
  } catch {
    return null
  }
  if (decoded.includes('\u0000')) return null
  const rel = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '')
  const full = resolve(root, rel)
  const inside = relative(resolve(root), full)
  if (!inside || inside.startsWith('..') || isAbsolute(inside) || inside.split(sep).includes('..')) return null
  return full
}

/** True when `file` resolves to a path strictly inside `folder` (the case's exports/ for downloads). */
export const fileInside = (folder: string, file: string): boolean => {
  const inside = relative(resolve(folder), resolve(file))
  return !!inside && !isAbsolute(inside) && !inside.split(sep).includes('..')
}
