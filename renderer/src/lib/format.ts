const numberFmt = new Intl.NumberFormat('en-US')

export const fmtCount = (n: number): string => numberFmt.format(n)

/** Analysts compare times across apps: always UTC, always the same shape. */
export const fmtTime = (iso: string | null | undefined): string =>
  iso ? iso.replace('T', ' ').replace(/(\.\d+)?(Z|[+-]00:?00)$/, '') + 'Z' : '—'

/** Short time for dense rows: date dropped when both ends fall on the same day. */
export const fmtSpan = (start: string, end: string): string => {
  const a = fmtTime(start)
  const b = fmtTime(end)
  return a.slice(0, 10) === b.slice(0, 10) ? `${a} → ${b.slice(11)}` : `${a} → ${b}`
}

export const fmtDuration = (seconds: number): string => {
  const s = Math.abs(Math.round(seconds))
  const sign = seconds < 0 ? '−' : ''
  if (s < 60) return `${sign}${s}s`
  if (s < 3600) return `${sign}${Math.floor(s / 60)}m ${s % 60}s`
  return `${sign}${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`
}

export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err))
