/**
 * npm run bench:import [-- --events N] [-- --runs N] [-- --stress] — the import benchmark.
 *
 * Generates N synthetic Okta System Log events as NDJSON in the OS temp folder (once; reused while the size
 * matches): realistic sessions by default, or with --stress every session anomalous (see `shape`). Then, `--runs`
 * times (default 5), each in a fresh child process so memory figures do not mix:
 *   bare    DuckDB's own `CREATE TABLE t AS SELECT * FROM read_json(file)` into a case-like database file
 *   import  Afterlogin's import as the CLI runs it (detect, parse, normalize, store, dedupe, analysis with the
 *           shipped catalog and, when ../shared/sigma/rules exists, the SigmaHQ rules in the case's rule folder)
 * and prints the bare load, the time to first chain, import + analysis complete, CPU, peak RSS and file sizes as
 * min / median / max, with the ratios to the bare load taken run by run.
 */
import { execFileSync } from 'node:child_process'
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DuckDBInstance } from '@duckdb/node-api'
import { checkRules } from '../core/detect/sigma/check'
import { caseRuleDir, catalogFiles, folderFiles, loadCaseRules, parseFiles } from '../core/detect/sigma/load'
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
  /** From the start of the import until the case answered its ranked chain list. */
  firstChainSeconds?: number
  /** From the start of the import until it returned: stored, analysed, every rule run. */
  completeSeconds?: number
  rows: number
  /** Peak RSS of the whole process when the timed work ended. */
  peakRssMb: number
  /** CPU seconds (user + system, all threads) of the timed work: less distorted than wall time on a shared machine. */
  cpuSeconds: number
  /** Size of the database file once closed. */
  fileMb: number
  /** How many Sigma rules the import's analysis loaded (catalog + the case's rule folder). */
  rules?: number
  /** Analysis again without any Sigma rule and with the catalog alone (first run only): what the rules cost. */
  ruleTimes?: { none: number; catalog: number; catalogStep: number; allStep: number }
}

// The public SigmaHQ rules, when the shared copy is beside the repository.
const SIGMAHQ = join(process.cwd(), '..', 'shared', 'sigma', 'rules')

/** Re-analyses the imported case without rules and with the catalog alone. */
const ruleTimes = async (db: CaseDb, allStep: number): Promise<Phase['ruleTimes']> => {
  const none = await analyzeCase(db, { rules: parseFiles([]) })
  const catalog = await analyzeCase(db, { rules: parseFiles(catalogFiles()) })
  return { none: none.ms / 1000, catalog: catalog.ms / 1000, catalogStep: catalog.steps['analyze.sigma'] / 1000, allStep }
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

/**
 * Afterlogin's import as the CLI runs it, with the SigmaHQ rules in the case's own rule folder beside the shipped
 * catalog (as an analyst brings a team's rules), then, outside the timing, checks and (first run) the rule costs.
 */
const full = async (file: string, dir: string, first: boolean): Promise<Phase> => {
  if (existsSync(SIGMAHQ)) cpSync(SIGMAHQ, caseRuleDir(join(dir, 'case.duckdb')), { recursive: true })
  const rules = (await loadCaseRules(join(dir, 'case.duckdb'))).rules.length
  const db = await CaseDb.open(join(dir, 'case.duckdb'))
  const cpu = process.cpuUsage()
  const t = performance.now()
  const summary = await runImport(db, [file])
  const completeSeconds = (performance.now() - t) / 1000
  const cpuSeconds = cpuSince(cpu)
  const peak = peakRssMb()
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
  sql.close()
  const times = first ? await ruleTimes(db, Number(last?.ms ?? 0) / 1000) : undefined
  db.close()
  if (summary.files[0]?.error) throw new Error(summary.files[0].error)
  if (misnumbered) throw new Error(`${misnumbered} events carry a record number other than their line's`)
  if (summary.firstChainSeconds === null) throw new Error('the import left no chain to open')
  return {
    seconds: summary.seconds,
    analyzeSeconds: summary.analyzeSeconds,
    completeSeconds,
    firstChainSeconds: summary.firstChainSeconds,
    rows: summary.newEvents,
    peakRssMb: peak,
    cpuSeconds,
    fileMb: fileMb(join(dir, 'case.duckdb')),
    rules,
    ruleTimes: times
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

const child = (phase: 'bare' | 'import', file: string, first = false): Phase => {
  const dir = mkdtempSync(join(tmpdir(), `afl-bench-${phase}-`))
  try {
    const args = [fileURLToPath(import.meta.url), '--phase', phase, '--file', file, '--dir', dir, ...(first ? ['--first'] : [])]
    const out = execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 })
    return JSON.parse(out.trim().split('\n').at(-1)!) as Phase
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : undefined
}

/** min, median and max of a figure over the runs. */
const spread = (xs: number[]): [number, number, number] => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return [s[0], s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, s[s.length - 1]]
}

const table = (rows: [string, number[], (n: number) => string][]): string[] => [
  `${'figure'.padEnd(44)} ${'min'.padStart(9)} ${'median'.padStart(9)} ${'max'.padStart(9)}`,
  ...rows.map(
    ([name, xs, fmt]) =>
      `${name.padEnd(44)} ${spread(xs)
        .map((x) => fmt(x).padStart(9))
        .join(' ')}`
  )
]

const main = async (): Promise<void> => {
  const phase = arg('phase')
  if (phase === 'bare' || phase === 'import') {
    const result = phase === 'bare' ? await bare(arg('file')!, arg('dir')!) : await full(arg('file')!, arg('dir')!, process.argv.includes('--first'))
    process.stdout.write(`${JSON.stringify(result)}\n`)
    return
  }
  const n = Number(arg('events') ?? process.env.BENCH_EVENTS ?? 1_000_000)
  const runs = Number(arg('runs') ?? 5)
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${arg('runs')}`)
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
  process.stderr.write(`input: ${file} (${mb.toFixed(0)} MB, ${n.toLocaleString('en-US')} events), ${runs} runs of bare load then import\n`)
  const pairs: { b: Phase; f: Phase }[] = []
  for (let i = 0; i < runs; i++) {
    const b = child('bare', file)
    const f = child('import', file, i === 0)
    pairs.push({ b, f })
    process.stderr.write(
      `run ${i + 1}: bare ${b.seconds.toFixed(2)} s, first chain ${f.firstChainSeconds!.toFixed(2)} s, complete ${f.completeSeconds!.toFixed(2)} s ` +
        `(store ${f.seconds.toFixed(2)} + analysis ${f.analyzeSeconds!.toFixed(2)}), peak ${f.peakRssMb} MB; load average ${loadavg()[0].toFixed(1)}\n`
    )
  }
  const of = (pick: (p: { b: Phase; f: Phase }) => number) => pairs.map(pick)
  const s2 = (x: number) => `${x.toFixed(2)} s`
  const ratio = (x: number) => `${x.toFixed(2)}×`
  const first = pairs[0].f
  const lines = [
    `${n.toLocaleString('en-US')} ${stress ? 'stress' : 'realistic'} Okta events, ${mb.toFixed(0)} MB; ${runs} runs; rules loaded by the import: ${first.rules} (shipped catalog${existsSync(SIGMAHQ) ? ' + SigmaHQ in the case rule folder' : `; SigmaHQ absent at ${SIGMAHQ}`})`,
    ...table([
      ['DuckDB read_json (bare load)', of((p) => p.b.seconds), s2],
      ['time to first chain', of((p) => p.f.firstChainSeconds!), s2],
      ['import + analysis complete', of((p) => p.f.completeSeconds!), s2],
      ['  of which store (import)', of((p) => p.f.seconds), s2],
      ['  of which analysis', of((p) => p.f.analyzeSeconds!), s2],
      ['first chain / bare (run by run)', of((p) => p.f.firstChainSeconds! / p.b.seconds), ratio],
      ['complete / bare (run by run)', of((p) => p.f.completeSeconds! / p.b.seconds), ratio],
      ['events/s to complete', of((p) => p.f.rows / p.f.completeSeconds!), (x) => Math.round(x).toLocaleString('en-US')],
      ['CPU s (user + system): bare', of((p) => p.b.cpuSeconds), s2],
      ['CPU s (user + system): import + analysis', of((p) => p.f.cpuSeconds), s2],
      ['peak RSS, bare (MB)', of((p) => p.b.peakRssMb), String],
      ['peak RSS, import + analysis (MB)', of((p) => p.f.peakRssMb), String],
      ['database file, bare (MB)', of((p) => p.b.fileMb), String],
      ['case file (MB)', of((p) => p.f.fileMb), String]
    ]),
    `rows: bare ${pairs[0].b.rows}, import ${first.rows}; load average at the end ${loadavg()[0].toFixed(1)}`,
    ...(first.ruleTimes
      ? [
          `rules (run 1, analysis again): without Sigma rules ${first.ruleTimes.none.toFixed(2)} s; catalog alone ${first.ruleTimes.catalog.toFixed(2)} s ` +
            `(rule step ${first.ruleTimes.catalogStep.toFixed(2)} s); in the import, catalog + case rules ${first.ruleTimes.allStep.toFixed(2)} s alongside the sessions`
        ]
      : []),
    ...(await coverage())
  ]
  process.stdout.write(`${lines.join('\n')}\n`)
}

await main()
