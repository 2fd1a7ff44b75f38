const numberFmt = new Intl.NumberFormat('en-US')

export const fmtCount = (n: number): string => numberFmt.format(n)

/** Analysts compare times across apps: always UTC, always the same shape. */
export const fmtTime = (iso: string | null | undefined): string => (iso ? iso.replace('T', ' ').replace(/(\.\d+)?(Z|[+-]00:?00)$/, '') + 'Z' : '—')

/** True when the two instants fall on different UTC days: a time of day alone would then be ambiguous. */
export const crossesDays = (start: string | null | undefined, end: string | null | undefined): boolean =>
  !!start && !!end && fmtTime(start).slice(0, 10) !== fmtTime(end).slice(0, 10)

/** A time of day for dense rows, carrying its date when the chain around it spans more than one day. */
export const fmtClock = (iso: string | null | undefined, withDate: boolean): string => {
  const t = fmtTime(iso)
  return !iso ? t : withDate ? t : t.slice(11)
}

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
