import type { Rec, Sign, SourceMapping, Test } from './types'
import { pickText } from './values'

const holds = (r: Rec, [path, pattern]: Test): boolean => {
  const v = pickText(r, path)
  return v !== null && pattern.test(v)
}

/** Whether a record shows any of the signs: the JS twin of the test the fast path compiles (sql-projection.ts). */
export const showsSign = (r: Rec, signs: readonly Sign[]): boolean =>
  signs.some((s) => s.all.every((t) => holds(r, t)) && !(s.none ?? []).some((t) => holds(r, t)))

/** Whether the record vouches for the hands behind it, as its source declares (types.ts `vouches`). */
export const vouchesOf = (m: SourceMapping, r: Rec): boolean =>
  m.vouches === undefined ? false : typeof m.vouches === 'function' ? m.vouches(r) : showsSign(r, m.vouches)
