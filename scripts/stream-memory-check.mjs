// Does a big NDJSON import stream? Imports a small and a large synthetic Okta System Log file through the
// built CLI and compares the import process's peak RSS. Flat memory means the large file costs (nearly)
// no more memory than the small one.
// Usage: npm run build && node scripts/stream-memory-check.mjs [--gb 2] [--keep]   (exit 1 when memory grows)
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const ROOT = resolve(fileURLToPath(import.meta.url), '../..')
const CLI = join(ROOT, 'bin', 'afterlogin.js')
const MB = 1024 * 1024

/** One System Log event shaped like /api/v1/logs output, varied by index (ids, time, IP, session). */
export const oktaEvent = (i) =>
  JSON.stringify({
    uuid: `b7d6c1e0-${String(i).padStart(12, '0')}-4f1a-9a61-0c8f3e${String(i % 1e6).padStart(6, '0')}`,
    published: new Date(Date.UTC(2025, 0, 1) + i * 250).toISOString(),
    eventType: i % 7 === 0 ? 'user.authentication.sso' : i % 11 === 0 ? 'user.session.end' : 'user.session.start',
    version: '0',
    severity: 'INFO',
    legacyEventType: 'core.user_auth.login_success',
    displayMessage: 'User login to Okta',
    actor: {
      id: `00u${(i % 5000).toString(36).padStart(17, 'x')}`,
      type: 'User',
      alternateId: `user${i % 5000}@acme.example`,
      displayName: `User ${i % 5000}`,
      detailEntry: null
    },
    client: {
      userAgent: {
        rawUserAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
        os: 'Mac OS X',
        browser: 'SAFARI'
      },
      zone: 'null',
      device: 'Computer',
      id: null,
      ipAddress: `198.51.${(i >> 8) % 256}.${i % 256}`,
      geographicalContext: { city: 'Lisbon', state: 'Lisbon', country: 'Portugal', postalCode: '1000-001', geolocation: { lat: 38.7223, lon: -9.1393 } }
    },
    outcome: { result: 'SUCCESS', reason: null },
    transaction: { type: 'WEB', id: `Zx${i.toString(36)}`, detail: {} },
    debugContext: { debugData: { requestId: `Zx${i.toString(36)}AAB`, requestUri: '/idp/idx/authenticators/poll', url: '/idp/idx/authenticators/poll?' } },
    authenticationContext: {
      authenticationProvider: null,
      credentialProvider: null,
      credentialType: null,
      issuer: null,
      interface: null,
      authenticationStep: 0,
      externalSessionId: `idx${(i >> 6).toString(36)}`
    },
    securityContext: { asNumber: 64496, asOrg: 'example transit', isp: 'example isp', domain: 'example.net', isProxy: false },
    target: [{ id: '0oa1b2c3d4', type: 'AppInstance', alternateId: 'Salesforce', displayName: 'Salesforce.com', detailEntry: null }]
  })

/** Streams `bytes` worth of NDJSON to `path` (with backpressure, so generating costs no memory either). */
export const generateOktaNdjson = async (path, bytes) => {
  const out = createWriteStream(path)
  let written = 0
  let i = 0
  while (written < bytes) {
    let chunk = ''
    while (chunk.length < 4 * MB) chunk += `${oktaEvent(i++)}\n`
    written += Buffer.byteLength(chunk)
    if (!out.write(chunk)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
  return { events: i, bytes: statSync(path).size }
}

const kb = (status, field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024

/** Runs `afterlogin import FILE --case CASE` and samples its peak resident memory (VmHWM) until it exits. */
export const importPeakRss = async (file, casePath) => {
  const child = spawn(process.execPath, [CLI, 'import', file, '--case', casePath], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AFTERLOGIN_HOME: join(casePath, '..', 'home') }
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  let peak = 0
  const started = performance.now()
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, kb(readFileSync(`/proc/${child.pid}/status`, 'utf8'), 'VmHWM'))
    } catch {
      // The process has just exited; the last sample stands.
    }
  }, 50)
  const [code] = await once(child, 'exit')
  clearInterval(timer)
  const summary = stdout.trim().split('\n').at(-1)
  if (code !== 0) throw new Error(`import exited ${code}: ${stderr.slice(-500)}`)
  return { peak, seconds: (performance.now() - started) / 1000, summary: JSON.parse(summary) }
}

/** Imports a small and a large file; memory is flat when the large one's peak stays within the allowance. */
export const compareStreaming = async ({ smallBytes, largeBytes, dir }) => {
  const runs = []
  for (const [name, bytes] of [
    ['small', smallBytes],
    ['large', largeBytes]
  ]) {
    const file = join(dir, `${name}.ndjson`)
    const gen = await generateOktaNdjson(file, bytes)
    const run = await importPeakRss(file, join(dir, `${name}-case`, 'case.duckdb'))
    rmSync(file)
    runs.push({ name, ...gen, ...run })
  }
  const [small, large] = runs
  return { small, large, growth: large.peak - small.peak }
}

const main = async () => {
  const { values } = parseArgs({ options: { gb: { type: 'string', default: '2' }, keep: { type: 'boolean', default: false } } })
  if (!existsSync(join(ROOT, 'out', 'cli', 'index.js'))) throw new Error('run `npm run build` first')
  const largeBytes = Math.round(Number(values.gb) * 1024 * MB)
  const dir = mkdtempSync(join(tmpdir(), 'afterlogin-stream-'))
  try {
    // A quarter-size file first: large enough to fill whatever buffers the import caps itself to, so the
    // comparison shows growth with input size, not the warm-up to a fixed cap.
    const r = await compareStreaming({ smallBytes: Math.max(64 * MB, largeBytes / 4), largeBytes, dir })
    for (const x of [r.small, r.large]) {
      process.stdout.write(
        `${x.name.padEnd(6)} ${(x.bytes / MB).toFixed(0).padStart(6)} MB  ${String(x.events).padStart(9)} events  ${x.seconds.toFixed(1).padStart(6)} s  peak RSS ${(x.peak / MB).toFixed(0)} MB  (${x.summary.newEvents} new; import ${x.summary.seconds} s, analysis ${x.summary.analyzeSeconds ?? '?'} s)\n`
      )
    }
    // Flat: a 4× larger file may cost at most 256 MB more at peak, not anything like its own size.
    const allowance = 256 * MB
    const flat = r.growth <= allowance
    process.stdout.write(
      `peak RSS growth ${(r.growth / MB).toFixed(0)} MB for ${((r.large.bytes - r.small.bytes) / MB).toFixed(0)} MB more input: ${flat ? 'flat' : 'NOT flat'}\n`
    )
    return flat ? 0 : 1
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`${err.message}\n`)
      process.exit(2)
    }
  )
}
