/**
 * npm run bench:import [-- --events N] [-- --stress] — the import benchmark.
 *
 * Generates N synthetic Okta System Log events as NDJSON in the OS temp folder (once; reused while the
 * size matches): realistic sessions by default, or with --stress every session anomalous (see `shape`). Then runs, each in a fresh child process so memory figures do not mix:
 *   bare    DuckDB's own `CREATE TABLE t AS SELECT * FROM read_json(file)` into a case-like database file
 *   import  Afterlogin's full import (detect, parse, normalize, store, dedupe) + analyzeCase, timed apart
 * and prints both side by side with events/s, MB/s and peak RSS.
 */
import { execFileSync } from 'node:child_process'
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DuckDBInstance } from '@duckdb/node-api'
import { checkRules } from '../core/detect/sigma/check'
import { catalogFiles, folderFiles, parseFiles } from '../core/detect/sigma/load'
import { runImport } from '../core/import'
import { analyzeCase } from '../core/sessions/analyze'
import { CaseDb } from '../core/store/case-db'

const USERS = Array.from({ length: 500 }, (_, i) => `user${i}@example.com`)
// How often each event type occurs in a session of the realistic profile (a token creation is rare).
const TYPES = [
  ['user.session.start', 'User login to Okta', 3],
  ['user.authentication.sso', 'User single sign on to app', 6],
  ['user.authentication.auth_via_mfa', 'Authentication of user via MFA', 3],
  ['policy.evaluate_sign_on', 'Evaluation of sign-on policy', 4],
  ['user.session.end', 'User logout from Okta', 2],
  ['system.api_token.create', 'Create API token', 0],
  ['app.oauth2.as.token.grant.access_token', 'OAuth2 access token is granted', 2]
] as const
const WEIGHTED = TYPES.flatMap((t, i) => Array<number>(t[2]).fill(i))
const CITIES = [
  ['Paris', 'France', 48.8566, 2.3522],
  ['New York', 'United States', 40.7128, -74.006],
  ['Singapore', 'Singapore', 1.3521, 103.8198],
  ['São Paulo', 'Brazil', -23.5505, -46.6333]
] as const
const SESSION_EVENTS = 20

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0')

/**
 * What event i looks like. `realistic`: each user signs in from a home city and one address per session,
 * event types in everyday proportions, and one session in 500 taken over mid-way from another country
 * with an API token created. `stress`: every event from a new address, a new city every 8 events and
 * every seventh event a token creation, so every session carries anomalies and findings.
 */
const shape = (i: number, stress: boolean) => {
  const s = Math.floor(i / SESSION_EVENTS)
  if (stress) {
    const user = i % USERS.length
    const [type, message] = TYPES[i % TYPES.length]
    return { user, type, message, city: CITIES[(i >> 3) % CITIES.length], ip: `198.51.${(i >> 8) & 255}.${i & 255}` }
  }
  const user = s % USERS.length
  const step = i % SESSION_EVENTS
  const hijacked = s % 500 === 499 && step >= SESSION_EVENTS / 2
  const home = user % CITIES.length
  const [type, message] = hijacked && step === SESSION_EVENTS - 2 ? TYPES[5] : TYPES[WEIGHTED[(i * 7 + s) % WEIGHTED.length]]
  const city = CITIES[hijacked ? (home + 2) % CITIES.length : home]
  const ip = hijacked ? `203.0.${113 + (s & 1)}.${s & 255}` : `198.51.${user & 255}.${s & 255}`
  return { user, type, message, city, ip }
}

/** One System Log event shaped like /api/v1/logs returns it (~1.5 KB). */
const event = (i: number, t0: number, stress: boolean): string => {
  const {
    user: u,
    type,
    message,
    city: [city, country, lat, lon],
    ip
  } = shape(i, stress)
  const user = USERS[u]
  const session = `102${hex(Math.floor(i / SESSION_EVENTS), 10)}abcDEF`
  const ok = i % 17 !== 0
  const sso = type === 'user.authentication.sso'
  return JSON.stringify({
    actor: { id: `00u${hex(u, 17)}`, type: 'User', alternateId: user, displayName: user.split('@')[0], detailEntry: null },
    client: {
      userAgent: {
        rawUserAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
        os: 'Mac OS X',
        browser: 'CHROME'
      },
      zone: 'null',
      device: 'Computer',
      id: null,
      ipAddress: ip,
      geographicalContext: { city, state: null, country, postalCode: null, geolocation: { lat, lon } }
    },
    device: null,
    authenticationContext: {
      authenticationProvider: null,
      credentialProvider: null,
      credentialType: null,
      issuer: null,
      interface: null,
      authenticationStep: 0,
      rootSessionId: session,
      externalSessionId: session
    },
    displayMessage: message,
    eventType: type,
    outcome: { result: ok ? 'SUCCESS' : 'FAILURE', reason: ok ? null : 'INVALID_CREDENTIALS' },
    published: new Date(t0 + i * 250).toISOString(),
    securityContext: { asNumber: 64496, asOrg: 'example transit', isp: 'example isp', domain: 'example.net', isProxy: false },
    severity: ok ? 'INFO' : 'WARN',
    debugContext: {
      debugData: { requestId: `req${hex(i, 12)}`, requestUri: '/idp/idx/identify', url: '/idp/idx/identify?', dtHash: hex(i * 2654435761, 16).repeat(4) }
    },
    legacyEventType: 'core.user_auth.login_success',
    transaction: { type: 'WEB', id: `tx${hex(i, 16)}`, detail: {} },
    uuid: `${hex(i, 8)}-b0c4-11ee-9d3a-${hex(i * 7, 12).slice(-12)}`,
    version: '0',
    request: { ipChain: [{ ip, geographicalContext: { city, country, geolocation: { lat, lon } }, version: 'V4', source: null }] },
    target: sso
      ? [{ id: '0oa1bench', type: 'AppInstance', alternateId: 'Salesforce Prod', displayName: 'Salesforce.com', detailEntry: { signOnModeType: 'SAML_2_0' } }]
      : [{ id: `00u${hex(u, 17)}`, type: 'User', alternateId: user, displayName: user.split('@')[0], detailEntry: null }]
  })
}

const generate = async (path: string, n: number, stress: boolean): Promise<void> => {
  const out = createWriteStream(path)
  const t0 = Date.parse('2025-01-06T08:00:00Z')
  let buf: string[] = []
  for (let i = 0; i < n; i++) {
    buf.push(event(i, t0, stress))
    if (buf.length === 5000) {
      if (!out.write(buf.join('\n') + '\n')) await new Promise<void>((ok) => out.once('drain', () => ok()))
      buf = []
    }
  }
  out.write(buf.length ? buf.join('\n') + '\n' : '')
  await new Promise<void>((ok, fail) => out.end((err?: Error | null) => (err ? fail(err) : ok())))
}

interface Phase {
  seconds: number
  analyzeSeconds?: number
  rows: number
  peakRssMb: number
  /** CPU seconds (user + system, all threads) of the timed work: less distorted than wall time on a shared machine. */
  cpuSeconds: number
  /** Peak RSS of the import itself, read when the session analysis starts. */
  importPeakRssMb?: number
  /** Size of the database file once closed. */
  fileMb: number
  /** Analysis again without any Sigma rule, and with the catalog plus the SigmaHQ set (seconds; CPU seconds of the rule step). */
  rules?: { none: number; all: number; allRules: number; sigmaStep: number; sigmaStepCpu: number; catalogStep: number }
}

// The public SigmaHQ rules, when the shared copy is beside the repository.
const SIGMAHQ = join(process.cwd(), '..', 'shared', 'sigma', 'rules')

/** Re-analyses the imported case with no rules, then with the catalog and the SigmaHQ set. */
const ruleTimes = async (db: CaseDb, catalogStep: number): Promise<Phase['rules']> => {
  const none = await analyzeCase(db, { rules: parseFiles([]) })
  const files = [...catalogFiles(), ...(existsSync(SIGMAHQ) ? await folderFiles(SIGMAHQ) : [])]
  const set = parseFiles(files)
  const all = await analyzeCase(db, { rules: set })
  return {
    none: none.ms / 1000,
    all: all.ms / 1000,
    allRules: set.rules.length,
    sigmaStep: all.steps['analyze.sigma'] / 1000,
    sigmaStepCpu: all.cpuSteps['analyze.sigma'] / 1000,
    catalogStep
  }
}

const fileMb = (path: string): number => Math.round(statSync(path).size / 1048576)
const peakRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024)
const cpuSince = (start: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(start)
  return (d.user + d.system) / 1e6
}

/** DuckDB alone, auto-detecting the schema: the reference the import is measured against. */
const bare = async (file: string, dir: string): Promise<Phase> => {
  const db = await DuckDBInstance.create(join(dir, 'bare.duckdb'))
  const c = await db.connect()
  const t = performance.now()
  const cpu = process.cpuUsage()
  await c.run('CREATE TABLE t AS SELECT * FROM read_json($file)', { file })
  const seconds = (performance.now() - t) / 1000
  const cpuSeconds = cpuSince(cpu)
  const rows = Number((await c.runAndReadAll('SELECT count(*) AS n FROM t')).getRowObjectsJS()[0].n)
  c.closeSync()
  db.closeSync()
  return { seconds, rows, peakRssMb: peakRssMb(), cpuSeconds, fileMb: fileMb(join(dir, 'bare.duckdb')) }
}

const full = async (file: string, dir: string): Promise<Phase> => {
  const db = await CaseDb.open(join(dir, 'case.duckdb'))
  let importPeakRssMb = 0
  let cpuSeconds = 0
  const cpu = process.cpuUsage()
  const summary = await runImport(db, [file], {
    onProgress: (p) => {
      if (p.phase === 'analyzing' || (p.phase === 'finished' && !importPeakRssMb)) {
        importPeakRssMb = peakRssMb()
        cpuSeconds = cpuSince(cpu)
      }
    }
  })
  // Outside the timing: the generator writes the line index into each uuid, so every stored record
  // number can be checked against the line it came from (the fast path numbers rows from their rowids).
  const sql = await db.connect()
  const [check] = await sql.manyCompiled<{ misnumbered: number }>(
    'bench.misnumbered',
    "SELECT count(*) FILTER (WHERE record_no <> ('0x' || left(json_extract_string(raw, '$.uuid'), 8))::BIGINT + 1) AS misnumbered FROM events"
  )
  const misnumbered = Number(check.misnumbered)
  const [last] = await sql.manyCompiled<{ ms: number | null }>(
    'bench.sigma-step',
    'SELECT json_extract(steps, \'$."analyze.sigma"\')::DOUBLE AS ms FROM analysis_runs ORDER BY 1 DESC LIMIT 1'
  )
  const catalogStep = Number(last?.ms ?? 0) / 1000
  sql.close()
  const rules = await ruleTimes(db, catalogStep)
  db.close()
  if (summary.files[0]?.error) throw new Error(summary.files[0].error)
  if (misnumbered) throw new Error(`${misnumbered} events carry a record number other than their line's`)
  process.stderr.write(`import engine: ${summary.files[0]?.engine}; record numbers match their lines\n`)
  return {
    seconds: summary.seconds,
    analyzeSeconds: summary.analyzeSeconds,
    rows: summary.newEvents,
    peakRssMb: peakRssMb(),
    importPeakRssMb,
    cpuSeconds,
    fileMb: fileMb(join(dir, 'case.duckdb')),
    rules
  }
}

/** How many SigmaHQ rules parse, apply to a source Afterlogin reads, and compile (with the reasons of the others). */
const coverage = async (): Promise<string[]> => {
  if (!existsSync(SIGMAHQ)) return [`SigmaHQ coverage: skipped, ${SIGMAHQ} is absent`]
  const checks = await checkRules(await folderFiles(SIGMAHQ))
  const n = (s: string) => checks.filter((c) => c.status === s).length
  const reasons = checks
    .filter((c) => c.status !== 'ok' && c.status !== 'not_applicable')
    .map((c) => `  ${c.status} ${c.path.slice(SIGMAHQ.length + 1)}: ${c.reason}`)
  const na = new Map<string, number>()
  for (const c of checks.filter((x) => x.status === 'not_applicable')) na.set(c.reason ?? '', (na.get(c.reason ?? '') ?? 0) + 1)
  return [
    `SigmaHQ coverage: ${checks.length} rules, ${checks.length - n('error')} parse, ${checks.length - n('error') - n('not_applicable')} apply to a supported source, ${n('ok')} compile; ${n('unsupported')} unsupported, ${n('error')} errors`,
    ...[...na].map(([r, k]) => `  not applicable ×${k}: ${r}`),
    ...reasons
  ]
}

const child = (phase: 'bare' | 'import', file: string): Phase => {
  const dir = mkdtempSync(join(tmpdir(), `afl-bench-${phase}-`))
  try {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--phase', phase, '--file', file, '--dir', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 20
    })
    return JSON.parse(out.trim().split('\n').at(-1)!) as Phase
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : undefined
}

const main = async (): Promise<void> => {
  const phase = arg('phase')
  if (phase === 'bare' || phase === 'import') {
    const result = await (phase === 'bare' ? bare : full)(arg('file')!, arg('dir')!)
    process.stdout.write(`${JSON.stringify(result)}\n`)
    return
  }
  const n = Number(arg('events') ?? process.env.BENCH_EVENTS ?? 1_000_000)
  const dir = join(tmpdir(), 'afterlogin-bench')
  mkdirSync(dir, { recursive: true })
  const stress = process.argv.includes('--stress')
  const file = join(dir, `okta-system-log-${stress ? 'stress' : 'realistic'}-${n}.ndjson`)
  if (!existsSync(file)) {
    process.stderr.write(`generating ${n.toLocaleString('en-US')} ${stress ? 'stress' : 'realistic'} Okta events → ${file}\n`)
    await generate(`${file}.part`, n, stress)
    execFileSync('mv', [`${file}.part`, file])
  }
  const mb = statSync(file).size / 1048576
  process.stderr.write(`input: ${file} (${mb.toFixed(0)} MB, ${n.toLocaleString('en-US')} events)\n`)
  const b = child('bare', file)
  const f = child('import', file)
  const total = f.seconds + (f.analyzeSeconds ?? 0)
  const row = (name: string, p: Phase, seconds: number) =>
    `${name.padEnd(34)} ${seconds.toFixed(2).padStart(8)} s ${Math.round(p.rows / seconds)
      .toLocaleString('en-US')
      .padStart(12)} ev/s ${(mb / seconds).toFixed(0).padStart(6)} MB/s ${String(p.peakRssMb).padStart(7)} MB RSS`
  const lines = [
    `${'phase'.padEnd(34)} ${'time'.padStart(10)} ${'events/s'.padStart(17)} ${'MB/s'.padStart(11)} ${'peak'.padStart(14)}`,
    row('DuckDB read_json (bare load)', b, b.seconds),
    row('Afterlogin import (store)', { ...f, peakRssMb: f.importPeakRssMb ?? f.peakRssMb }, f.seconds),
    `${'  + analyzeCase'.padEnd(34)} ${(f.analyzeSeconds ?? 0).toFixed(2).padStart(8)} s`,
    row('Afterlogin import + analyze', f, total),
    `ratio import/bare: ${(f.seconds / b.seconds).toFixed(2)}× (with analyze ${(total / b.seconds).toFixed(2)}×); rows: bare ${b.rows}, import ${f.rows}`,
    `CPU (user + system): bare ${b.cpuSeconds.toFixed(1)} s, import (store) ${f.cpuSeconds.toFixed(1)} s, ratio ${(f.cpuSeconds / b.cpuSeconds).toFixed(2)}×; load average ${loadavg()[0].toFixed(1)}`,
    `database file: bare ${b.fileMb} MB, case ${f.fileMb} MB (raw records, normalized columns, sessions and chains)`,
    ...(f.rules
      ? [
          `analysis without Sigma rules ${f.rules.none.toFixed(2)} s; with the catalog (import run) rule step ${f.rules.catalogStep.toFixed(2)} s; ` +
            `with catalog + SigmaHQ (${f.rules.allRules} rules) ${f.rules.all.toFixed(2)} s, rule step ${f.rules.sigmaStep.toFixed(2)} s (CPU ${f.rules.sigmaStepCpu.toFixed(2)} s), ` +
            `+${(f.rules.all - f.rules.none).toFixed(2)} s over no rules`
        ]
      : []),
    ...(await coverage())
  ]
  process.stdout.write(`${lines.join('\n')}\n`)
}

await main()
