import { necessary } from './compile'
import { combine, fieldColumnGuard, orOfEvery, type Guard, type Twin } from './columns'
import { likeChars } from './wildcards'
import type { FieldIndex } from './fields'
import type { Detection, SigmaSource, ValueTest } from './types'

/**
 * Characters every JSON writer keeps as they are inside a string, and that a compact rewrite of an object or list
 * (json_extract_string of a nested value) writes as the record does: ASCII letters and digits, the blank and `.-_@`.
 * Quotes, backslashes, `/` (PHP), `<>&'+` and the backtick (.NET, Go), anything outside ASCII (Python's ensure_ascii)
 * and structural characters (`: ,` spaced differently) may be written otherwise.
 */
const SAFE = /^[A-Za-z0-9 ._@-]$/
/** Shorter fragments select too many records to spare the parse they cost a scan for. */
const MIN_FRAGMENT = 4

/**
 * The longest run of a pattern's literal characters that a record matching the pattern holds in its own text,
 * written as it is. Null when there is none worth a scan: too short, or only a number, which JSON writers spell in
 * more than one way (`1E3`, `1000.0`).
 */
export const fragmentOf = (like: string): string | null => {
  let best = ''
  let run = ''
  for (const c of likeChars(like)) {
    if (c.lit && SAFE.test(c.ch)) run += c.ch
    else run = ''
    if (run.length > best.length) best = run
  }
  return best.length >= MIN_FRAGMENT && /[a-df-z]/i.test(best) ? best : null
}

const testGuard = (t: ValueTest): Guard | null => {
  switch (t.t) {
    case 'glob': {
      const fragment = fragmentOf(t.like)
      return fragment === null ? null : { k: 'text', fragment, cased: t.cased }
    }
    case 'any':
      return orOfEvery(t.tests.map(testGuard))
    default:
      return null
  }
}

/**
 * How long a fragment a guard that is one text test, or an `or` of them, surely scans for: an `or` is as narrow as
 * its shortest fragment (for ranking an and's items; 0 for guards on columns).
 */
const scanLength = (g: Guard): number => (g.k === 'text' ? g.fragment.length : g.k === 'or' ? Math.min(...g.items.map(scanLength)) : 0)

/**
 * What an `and` needs: its column guards, and of the items that scan the record's text only the one with the
 * longest fragments (one scan narrows the rows as well as several).
 */
const and = (items: Guard[]): Guard => {
  const scans = items.filter((g) => scanLength(g) > 0)
  const best = scans.sort((a, b) => scanLength(b) - scanLength(a))[0]
  const kept = [...items.filter((g) => scanLength(g) === 0), ...(best ? [best] : [])]
  return kept.length === 1 ? kept[0] : { k: 'and', items: kept }
}

/**
 * The rows a detection may match: each field's column guard (columns.ts), else a guard on the record's stored text
 * (`raw`), fragments of the values it must find, which a matching record then holds verbatim. Scanning the text for
 * a fragment costs a tenth of parsing the record (1M Okta records: 0.3–0.4 s case-insensitive, against 3–4 s for one
 * parse of 13 paths), and the records it leaves out are never parsed. Keyword searches, regular expressions and
 * negations give none.
 */
export const rowGuard = (d: Detection, source: SigmaSource, index: FieldIndex, twins: Map<string, Twin>): Guard | null =>
  necessary<Guard>(
    d,
    (f) => fieldColumnGuard(f, source, index, twins) ?? combine(f, testGuard),
    and,
    (items) => ({ k: 'or', items })
  )

/** The fragments a guard scans the record's text for. */
export const textFragments = (g: Guard | null): string[] =>
  g === null ? [] : g.k === 'text' ? [g.fragment] : g.k === 'and' || g.k === 'or' ? g.items.flatMap(textFragments) : []
