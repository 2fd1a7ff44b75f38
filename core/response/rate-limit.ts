/** Reading providers' "wait this long" signals. All return milliseconds from `now`, or null when absent. */

/** RFC 9110 Retry-After: delay-seconds or an HTTP-date. */
export const retryAfterMs = (value: string | undefined, now = Date.now()): number | null => {
  if (!value) return null
  const v = value.trim()
  if (/^\d+$/.test(v)) return Number(v) * 1000
  const at = Date.parse(v)
  return Number.isNaN(at) ? null : Math.max(0, at - now)
}

/** Okta X-Rate-Limit-Reset and GitHub x-ratelimit-reset: the epoch second the window resets. */
export const resetEpochMs = (value: string | undefined, now = Date.now()): number | null => {
  if (!value || !/^\d+$/.test(value.trim())) return null
  return Math.max(0, Number(value.trim()) * 1000 - now)
}

/** The first signal a reply carries: Retry-After wins, then a reset epoch. */
export const waitFromHeaders = (headers: Record<string, string>, now = Date.now()): number | null =>
  retryAfterMs(headers['retry-after'], now) ?? resetEpochMs(headers['x-rate-limit-reset'] ?? headers['x-ratelimit-reset'], now)

export interface BackoffPolicy {
  maxAttempts: number
  timeoutMs: number
  baseDelayMs: number
  maxDelayMs: number
  /** A provider asking for a longer wait than this fails the call instead of stalling the analyst. */
  maxWaitMs: number
}

export const DEFAULT_POLICY: BackoffPolicy = {
  maxAttempts: 5,
  timeoutMs: 20_000,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxWaitMs: 60_000
}

/** Capped exponential backoff with full jitter (attempt is 1-based: the wait after that attempt). */
export const backoffMs = (attempt: number, policy: BackoffPolicy, random = Math.random): number => {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
  return Math.round(cap / 2 + (random() * cap) / 2)
}
