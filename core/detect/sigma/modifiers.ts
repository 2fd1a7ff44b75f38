import { isIPv4, isIPv6 } from 'node:net'
import { RuleProblem, type ValueTest } from './types'
import { escapeText, hasWildcard, likePattern, literalOf, tokenize } from './wildcards'

const ENCODINGS = new Set(['utf16le', 'utf16be', 'utf16', 'wide'])
const TIME_PARTS = ['minute', 'hour', 'day', 'week', 'month', 'year'] as const
const KNOWN = new Set([
  'contains',
  'startswith',
  'endswith',
  'all',
  're',
  'i',
  'm',
  's',
  'cidr',
  'exists',
  'base64',
  'base64offset',
  'fieldref',
  'gt',
  'gte',
  'lt',
  'lte',
  'cased',
  'windash',
  'neq',
  'expand',
  ...ENCODINGS,
  ...TIME_PARTS
])

type Scalar = string | number | boolean | null

const DASHES = ['-', '/', '\u2013', '\u2014', '\u2015']

/** Every spelling of a Windows command-line flag: each dash character swapped for each of the others. */
const windash = (value: string): string[] => {
  const positions = [...value].flatMap((c, i) => (DASHES.includes(c) ? [i] : []))
  if (!positions.length) return [value]
  // Sigma swaps every dash position independently; capped so that a hostile value cannot explode.
  if (positions.length > 4) throw new RuleProblem('unsupported', 'windash on a value with more than 4 dashes')
  let out = [[...value]]
  for (const p of positions) out = out.flatMap((chars) => DASHES.map((d) => chars.map((c, i) => (i === p ? d : c))))
  return [...new Set(out.map((c) => c.join('')))]
}

/** The three encodings of a text that may sit at any offset inside a longer base64 string (as pySigma computes them). */
const base64Offsets = (text: string): string[] => {
  const b = Buffer.from(text, 'utf8')
  const starts = [0, 2, 3]
  const ends = [undefined, -3, -2]
  return [0, 1, 2].map((i) =>
    Buffer.concat([Buffer.alloc(i, 0x20), b])
      .toString('base64')
      .slice(starts[i], ends[(b.length + i) % 3])
  )
}

const PLACEHOLDER = /%[\w.-]+%/
const PLACEHOLDERS = /%([\w.-]+)%/g

/** The names of the placeholders a value holds (`%internal_domains%` → internal_domains), each once. */
export const placeholderNames = (template: string): string[] => [...new Set([...template.matchAll(PLACEHOLDERS)].map((m) => m[1]))]
// More substitutions than this in one value (placeholders with many values each) is not a rule to run.
const MAX_EXPANSIONS = 10_000

const ipv4ToInt = (ip: string): number => ip.split('.').reduce((a, o) => a * 256 + Number(o), 0)

/** An IPv6 address as its 128 bits (`::` expanded, an IPv4 tail as its two groups). */
const ipv6Bits = (ip: string): bigint => {
  let text = ip.toLowerCase()
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text)
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number)
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [left, right] = text.split('::')
  const l = left ? left.split(':') : []
  const r = right === undefined ? [] : right ? right.split(':') : []
  const groups = right === undefined ? l : [...l, ...Array<string>(8 - l.length - r.length).fill('0'), ...r]
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n)
}

const hex128 = (n: bigint): string => n.toString(16).padStart(32, '0')

const cidr = (value: string): ValueTest => {
  const [net, bitsText] = value.split('/')
  if (isIPv6(net)) {
    const bits = bitsText === undefined ? 128 : Number(bitsText)
    if (!Number.isInteger(bits) || bits < 0 || bits > 128) throw new RuleProblem('error', `cidr prefix length out of range: ${value}`)
    const size = 1n << BigInt(128 - bits)
    const lo = (ipv6Bits(net) / size) * size
    return { t: 'cidr6', lo: hex128(lo), hi: hex128(lo + size - 1n) }
  }
  if (!isIPv4(net)) throw new RuleProblem('error', `cidr value is not an IPv4 or IPv6 network: ${value}`)
  const bits = bitsText === undefined ? 32 : Number(bitsText)
  if (!Number.isInteger(bits) || bits < 0 || bits > 32) throw new RuleProblem('error', `cidr prefix length out of range: ${value}`)
  const size = 2 ** (32 - bits)
  const lo = Math.floor(ipv4ToInt(net) / size) * size
  return { t: 'cidr', lo, hi: lo + size - 1 }
}

/**
 * The tests one `field|modifiers: values` item stands for, and whether all of them must hold (`all`).
 * An unknown modifier is an error; a modifier that makes no sense for JSON records is "unsupported".
 */
export const valueTests = (mods: string[], values: Scalar[], line: number | null): { tests: ValueTest[]; all: boolean } => {
  for (const m of mods) {
    if (!KNOWN.has(m)) throw new RuleProblem('error', `unknown modifier |${m}`, line)
    if (ENCODINGS.has(m)) throw new RuleProblem('unsupported', `|${m}: UTF-16 encodings apply to binary Windows data, not JSON records`, line)
  }
  const has = (m: string) => mods.includes(m)
  const all = has('all')
  const cased = has('cased')
  const time = TIME_PARTS.find((p) => has(p))
  const num = (['gt', 'gte', 'lt', 'lte'] as const).find((m) => has(m))
  const tests = values.map((v): ValueTest => {
    if (has('exists')) {
      if (typeof v !== 'boolean') throw new RuleProblem('error', '|exists takes true or false', line)
      return { t: 'exists', want: v }
    }
    if (v === null) return { t: 'null' }
    if (num) {
      const n = Number(v)
      if (typeof v === 'boolean' || !Number.isFinite(n)) throw new RuleProblem('error', `|${num} takes a number, got ${String(v)}`, line)
      return { t: 'num', cmp: num, n }
    }
    if (time) {
      const n = Number(v)
      if (!Number.isInteger(n)) throw new RuleProblem('error', `|${time} takes a whole number`, line)
      return { t: 'time', part: time, n }
    }
    const text = String(v)
    // A placeholder (`%internal_domains%`) takes its values from the case when the rule is compiled (expandTests).
    if (has('expand') && PLACEHOLDER.test(text)) {
      // The other modifiers are checked now, on a stand-in value of the kind they take, so a mistake is named with its line.
      valueTests(
        mods.filter((m) => m !== 'expand'),
        [text.replace(PLACEHOLDERS, has('cidr') ? '10.0.0.0/8' : 'x')],
        line
      )
      return { t: 'expand', template: text, mods: mods.filter((m) => m !== 'expand' && m !== 'all') }
    }
    if (has('re')) {
      try {
        new RegExp(text)
      } catch (err) {
        throw new RuleProblem('error', `invalid regular expression ${JSON.stringify(text)}: ${(err as Error).message}`, line)
      }
      // DuckDB's RE2 has no look-around and no back-references.
      if (/\(\?<?[=!]|\\[1-9]/.test(text)) throw new RuleProblem('unsupported', `|re with look-around or back-references (${text})`, line)
      const flags = ['i', 'm', 's'].filter((f) => has(f)).join('')
      return { t: 're', re: flags ? `(?${flags})${text}` : text }
    }
    if (has('cidr')) return cidr(text)
    const how = has('contains') ? 'contains' : has('startswith') ? 'startswith' : has('endswith') ? 'endswith' : 'eq'
    if (has('fieldref')) return { t: 'fieldref', other: text, how, cased }
    let variants = [text]
    if (has('windash')) variants = windash(text)
    if (has('base64offset')) variants = variants.flatMap((x) => base64Offsets(x)).map(escapeText)
    else if (has('base64')) variants = variants.map((x) => escapeText(Buffer.from(x, 'utf8').toString('base64')))
    const wrapped = variants.map((x) => (how === 'contains' ? `*${x}*` : how === 'startswith' ? `${x}*` : how === 'endswith' ? `*${x}` : x))
    const globs = wrapped.map((x): ValueTest => {
      const tokens = tokenize(x)
      return hasWildcard(tokens)
        ? { t: 'glob', like: likePattern(tokens), exact: null, cased }
        : { t: 'glob', like: likePattern(tokens), exact: literalOf(tokens), cased }
    })
    const text1: ValueTest = globs.length === 1 ? globs[0] : { t: 'any', tests: globs }
    // A number in the rule is equal to the same number however the record writes it (2000 and 2000.0: Salesforce's
    // RowsProcessed is a double).
    const one: ValueTest =
      typeof v === 'number' && how === 'eq' && variants.length === 1 && variants[0] === text
        ? { t: 'any', tests: [text1, { t: 'num', cmp: 'eq', n: v }] }
        : text1
    return has('neq') ? { t: 'not', test: one } : one
  })
  return { tests, all }
}

const escapeRe = (text: string): string => text.replace(/[\\^$.|?*+()[\]{}]/g, (c) => `\\${c}`)

/**
 * The test a placeholder value stands for once the case has given each placeholder its values (`valuesOf`): one
 * test per substitution, none (it matches nothing) when a placeholder has no value. In a regular expression a
 * placeholder becomes the alternation of its values, escaped; with no value, a class nothing matches.
 */
export const expandTests = (t: Extract<ValueTest, { t: 'expand' }>, valuesOf: (name: string) => string[]): ValueTest => {
  if (t.mods.includes('re')) {
    const re = t.template.replace(PLACEHOLDERS, (_, name: string) => {
      const values = valuesOf(name)
      return values.length ? `(?:${values.map(escapeRe).join('|')})` : '[^\\s\\S]'
    })
    return valueTests(t.mods, [re], null).tests[0]
  }
  let variants = [t.template]
  for (const name of placeholderNames(t.template)) {
    const values = valuesOf(name).map(escapeText)
    variants = variants.flatMap((v) => values.map((x) => v.split(`%${name}%`).join(x)))
    if (variants.length > MAX_EXPANSIONS) throw new RuleProblem('unsupported', `|expand: ${t.template} stands for more than ${MAX_EXPANSIONS} values`)
  }
  return { t: 'any', tests: variants.length ? valueTests(t.mods, variants, null).tests : [] }
}
