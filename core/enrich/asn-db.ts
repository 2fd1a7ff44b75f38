import { createRequire } from 'node:module'
import { readFile, rename, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { deserialize, serialize } from 'node:v8'
import { isIP } from 'node:net'

/**
 * IP → autonomous system lookups over @ip-location-db/asn (RouteViews + DB-IP ASN Lite, CC BY 4.0), fully offline.
 *
 * The package ships CSV ranges (~410k IPv4, ~100k IPv6). Parsing them takes a few hundred milliseconds, so the
 * parsed form — sorted typed arrays plus one table of organisation names — is cached in the OS temp folder, keyed
 * by the package version and file sizes, and loaded once per process. A lookup is a binary search.
 */
export interface AsnHit {
  asn: number
  org: string | null
}

export interface AsnTable {
  /** IPv4 ranges as unsigned 32-bit integers, sorted by start and non-overlapping. */
  v4Start: Uint32Array
  v4End: Uint32Array
  v4Asn: Uint32Array
  v4Org: Uint32Array
  /** IPv6 ranges as high/low 64-bit halves, sorted by start and non-overlapping. */
  v6StartHi: BigUint64Array
  v6StartLo: BigUint64Array
  v6EndHi: BigUint64Array
  v6EndLo: BigUint64Array
  v6Asn: Uint32Array
  v6Org: Uint32Array
  orgs: string[]
}

const CACHE_FORMAT = 1
const resolveFromHere = createRequire(import.meta.url)

/** Reads the organisation field at `from` up to the line end; quoted names may hold commas and `""` escapes. */
const orgField = (text: string, from: number, nl: number): string => {
  let to = nl
  if (to > from && text.charCodeAt(to - 1) === 13) to--
  if (text.charCodeAt(from) === 34 && to - from >= 2 && text.charCodeAt(to - 1) === 34) return text.slice(from + 1, to - 1).replaceAll('""', '"')
  return text.slice(from, to)
}

/** Parsed columns of one CSV file of `start,end,as_number,as_organization` rows. */
interface Columns<K> {
  start: K[]
  end: K[]
  asn: number[]
  org: number[]
}

/**
 * Parses rows, skips malformed ones and AS0 (space announced by nobody: no network to name), and returns them
 * sorted by start with overlaps removed — where two sources overlap, the earlier range wins the shared part and
 * the later one keeps nothing, since lookups rely on disjoint ranges.
 */
const parseRanges = <K>(text: string, key: (s: string) => K | null, cmp: (x: K, y: K) => number, orgIndex: (name: string) => number): Columns<K> => {
  const cols: Columns<K> = { start: [], end: [], asn: [], org: [] }
  let sorted = true
  let pos = 0
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos)
    if (nl < 0) nl = text.length
    const a = text.indexOf(',', pos)
    const b = a < 0 || a > nl ? -1 : text.indexOf(',', a + 1)
    const c = b < 0 || b > nl ? -1 : text.indexOf(',', b + 1)
    if (c > 0 && c < nl) {
      const start = key(text.slice(pos, a))
      const end = key(text.slice(a + 1, b))
      const asn = Number(text.slice(b + 1, c))
      if (start !== null && end !== null && Number.isInteger(asn) && asn > 0 && asn <= 0xffffffff && cmp(start, end) <= 0) {
        const n = cols.start.length
        if (n && cmp(start, cols.start[n - 1]) < 0) sorted = false
        cols.start.push(start)
        cols.end.push(end)
        cols.asn.push(asn)
        cols.org.push(orgIndex(orgField(text, c + 1, nl)))
      }
    }
    pos = nl + 1
  }
  const order = cols.start.map((_, i) => i)
  if (!sorted) order.sort((x, y) => cmp(cols.start[x], cols.start[y]))
  const out: Columns<K> = { start: [], end: [], asn: [], org: [] }
  for (const i of order) {
    const n = out.start.length
    if (n && cmp(cols.start[i], out.end[n - 1]) <= 0) continue
    out.start.push(cols.start[i])
    out.end.push(cols.end[i])
    out.asn.push(cols.asn[i])
    out.org.push(cols.org[i])
  }
  return out
}

const MASK64 = (1n << 64n) - 1n
const cmpBig = (x: bigint, y: bigint): number => (x < y ? -1 : x > y ? 1 : 0)

/** Parses the package's CSV files into lookup arrays (the slow path, once per package version). */
export const buildAsnTable = (v4Csv: string, v6NumCsv: string): AsnTable => {
  const orgs: string[] = []
  const orgIds = new Map<string, number>()
  const orgIndex = (name: string): number => {
    let id = orgIds.get(name)
    if (id === undefined) {
      id = orgs.push(name) - 1
      orgIds.set(name, id)
    }
    return id
  }
  const v4Key = (s: string): number | null => {
    const n = Number(s)
    return Number.isInteger(n) && n >= 0 && n <= 0xffffffff ? n : null
  }
  const v6Key = (s: string): bigint | null => {
    if (!/^\d{1,39}$/.test(s)) return null
    const n = BigInt(s)
    return n < 1n << 128n ? n : null
  }
  const v4 = parseRanges(v4Csv, v4Key, (x, y) => x - y, orgIndex)
  const v6 = parseRanges(v6NumCsv, v6Key, cmpBig, orgIndex)
  return {
    v4Start: Uint32Array.from(v4.start),
    v4End: Uint32Array.from(v4.end),
    v4Asn: Uint32Array.from(v4.asn),
    v4Org: Uint32Array.from(v4.org),
    v6StartHi: BigUint64Array.from(v6.start, (n) => n >> 64n),
    v6StartLo: BigUint64Array.from(v6.start, (n) => n & MASK64),
    v6EndHi: BigUint64Array.from(v6.end, (n) => n >> 64n),
    v6EndLo: BigUint64Array.from(v6.end, (n) => n & MASK64),
    v6Asn: Uint32Array.from(v6.asn),
    v6Org: Uint32Array.from(v6.org),
    orgs
  }
}

/** Dotted IPv4 text → unsigned 32-bit integer; null for anything else. Hand-scanned: it runs once per distinct IP. */
export const ipv4ToInt = (ip: string): number | null => {
  let n = 0
  let part = 0
  let digits = 0
  let dots = 0
  for (let i = 0; i < ip.length; i++) {
    const ch = ip.charCodeAt(i)
    if (ch === 46) {
      if (!digits || ++dots > 3) return null
      n = n * 256 + part
      part = 0
      digits = 0
    } else if (ch >= 48 && ch <= 57 && digits < 3) {
      part = part * 10 + ch - 48
      digits++
      if (part > 255) return null
    } else return null
  }
  return dots === 3 && digits ? n * 256 + part : null
}

/** IPv6 text (compressed, with an embedded IPv4 tail or not) → 128-bit integer; null for anything else. */
export const ipv6ToBigInt = (ip: string): bigint | null => {
  if (isIP(ip) !== 6) return null
  let text = ip.replace(/%.*$/, '')
  const tail = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text)
  if (tail) {
    const v4 = ipv4ToInt(tail[1])
    if (v4 === null) return null
    text = `${text.slice(0, -tail[1].length)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`
  }
  const [head, rest] = text.split('::') as [string, string | undefined]
  const left = head ? head.split(':') : []
  const right = rest === undefined ? [] : rest ? rest.split(':') : []
  const groups = rest === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
  if (groups.length !== 8) return null
  let n = 0n
  for (const g of groups) n = (n << 16n) | BigInt(parseInt(g, 16))
  return n
}

const lookupV4 = (t: AsnTable, ip: number): number => {
  let lo = 0
  let hi = t.v4Start.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    if (t.v4Start[mid] <= ip) lo = mid + 1
    else hi = mid - 1
  }
  return hi >= 0 && ip <= t.v4End[hi] ? hi : -1
}

const lookupV6 = (t: AsnTable, ip: bigint): number => {
  const ipHi = ip >> 64n
  const ipLo = ip & MASK64
  let lo = 0
  let hi = t.v6StartHi.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    const sHi = t.v6StartHi[mid]
    if (sHi < ipHi || (sHi === ipHi && t.v6StartLo[mid] <= ipLo)) lo = mid + 1
    else hi = mid - 1
  }
  if (hi < 0) return -1
  const eHi = t.v6EndHi[hi]
  return ipHi < eHi || (ipHi === eHi && ipLo <= t.v6EndLo[hi]) ? hi : -1
}

/** The AS announcing a clean address (see `cleanIp`), or null when no range holds it. */
export const lookupAsn = (t: AsnTable, ip: string): AsnHit | null => {
  const v = isIP(ip)
  if (v === 4) {
    const n = ipv4ToInt(ip)
    const i = n === null ? -1 : lookupV4(t, n)
    return i < 0 ? null : { asn: t.v4Asn[i], org: t.orgs[t.v4Org[i]] || null }
  }
  if (v === 6) {
    const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip)
    if (mapped) return lookupAsn(t, mapped[1])
    const n = ipv6ToBigInt(ip)
    const i = n === null ? -1 : lookupV6(t, n)
    return i < 0 ? null : { asn: t.v6Asn[i], org: t.orgs[t.v6Org[i]] || null }
  }
  return null
}

const isTable = (v: unknown): v is AsnTable => {
  if (!v || typeof v !== 'object') return false
  const t = v as Record<string, unknown>
  const n4 = (t.v4Start as Uint32Array | undefined)?.length
  const n6 = (t.v6StartHi as BigUint64Array | undefined)?.length
  return (
    t.v4Start instanceof Uint32Array &&
    [t.v4End, t.v4Asn, t.v4Org].every((a) => a instanceof Uint32Array && a.length === n4) &&
    t.v6StartHi instanceof BigUint64Array &&
    [t.v6StartLo, t.v6EndHi, t.v6EndLo].every((a) => a instanceof BigUint64Array && a.length === n6) &&
    [t.v6Asn, t.v6Org].every((a) => a instanceof Uint32Array && a.length === n6) &&
    Array.isArray(t.orgs)
  )
}

/** Where the parsed table is cached; `AFTERLOGIN_CACHE_DIR` overrides the OS temp folder. */
const cacheFile = async (pkgDir: string): Promise<string> => {
  const pkg = JSON.parse(await readFile(join(pkgDir, 'package.json'), 'utf8')) as { version?: string }
  const sizes = await Promise.all(['asn-ipv4-num.csv', 'asn-ipv6-num.csv'].map(async (f) => (await stat(join(pkgDir, f))).size))
  const dir = process.env.AFTERLOGIN_CACHE_DIR || tmpdir()
  const version = String(pkg.version ?? '0').replace(/[^\w.-]/g, '_')
  return join(dir, `afterlogin-asn-${CACHE_FORMAT}-${version}-${sizes.join('-')}.v8`)
}

/** Loads the table from the cache, or parses the CSVs and writes the cache (atomically) for the next process. */
export const loadAsnTable = async (): Promise<AsnTable> => {
  const pkgDir = dirname(resolveFromHere.resolve('@ip-location-db/asn/package.json'))
  const file = await cacheFile(pkgDir)
  try {
    const cached: unknown = deserialize(await readFile(file))
    if (isTable(cached)) return cached
  } catch {
    // Missing or unreadable cache (another version, a torn write, a foreign file): rebuild it below.
  }
  const [v4, v6] = await Promise.all([readFile(join(pkgDir, 'asn-ipv4-num.csv'), 'utf8'), readFile(join(pkgDir, 'asn-ipv6-num.csv'), 'utf8')])
  const table = buildAsnTable(v4, v6)
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`
  try {
    await writeFile(tmp, serialize(table))
    await rename(tmp, file)
  } catch {
    // A read-only temp folder only costs the next process the parse again.
  }
  return table
}

let shared: Promise<AsnTable> | undefined
/** The process-wide table, loaded on first use. */
export const asnTable = (): Promise<AsnTable> => {
  shared ??= loadAsnTable().catch((err: unknown) => {
    shared = undefined
    throw err
  })
  return shared
}
