// Electronegativity over what the desktop app ships (out/main, out/preload, out/renderer), failing on HIGH.
// The tool's CLI always exits 0, so this wrapper runs its programmatic runner and judges the findings itself.
// Usage: node scripts/security-check.mjs [dir]   (after `npm run build`; exit 1 on any HIGH finding)
import { createRequire } from 'node:module'
import { existsSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const ROOT = resolve(fileURLToPath(import.meta.url), '../..')

// The one check that phones home (GitHub's Electron release list); it is replaced by keeping Electron current
// through npm and `npm audit`, so the scan stays offline and deterministic.
const OFFLINE_EXCLUDED = ['AvailableSecurityFixesGlobalCheck']

/** Runs the scan and returns plain findings: {id, severity, confidence, file, line, column, sample}. */
export const scanElectron = async (input = join(ROOT, 'out'), electronVersion = electronVersionOf()) => {
  if (!existsSync(input)) throw new Error(`security-check: ${input} does not exist (run npm run build first)`)
  const run = require('@doyensec/electronegativity')
  const quiet = silenceConsole()
  let result
  try {
    result = await run({ input, excludeFromScan: OFFLINE_EXCLUDED, electronVersionOverride: electronVersion })
  } finally {
    quiet.restore()
  }
  const unreadable = result.errors.filter((e) => !e.tolerable)
  if (unreadable.length) {
    // A file the scanner could not parse was not checked: that is a failure, not a pass.
    throw new Error(`security-check: could not parse ${unreadable.map((e) => `${e.file} (${e.message})`).join(', ')}`)
  }
  return result.issues.map((i) => ({
    id: i.id,
    severity: i.severity.name,
    confidence: i.confidence.name,
    file: i.file === 'N/A' ? null : relative(ROOT, i.file),
    line: i.location.line,
    column: i.location.column,
    sample: (i.sample ?? '').slice(0, 160)
  }))
}

export const highFindings = (findings) => findings.filter((f) => f.severity === 'HIGH' || f.severity === 'CRITICAL')

const electronVersionOf = () => require(join(ROOT, 'node_modules/electron/package.json')).version

// The runner tries to fetch translations first and logs when offline; that noise is not a finding.
const silenceConsole = () => {
  const log = console.log
  console.log = () => undefined
  return { restore: () => (console.log = log) }
}

const main = async () => {
  const findings = await scanElectron(process.argv[2] ? resolve(process.argv[2]) : undefined)
  for (const f of findings) {
    const where = f.file ? `${f.file}:${f.line}:${f.column}` : '(global)'
    process.stdout.write(`${f.severity.padEnd(13)} ${f.id.padEnd(40)} ${where}\n`)
  }
  const high = highFindings(findings)
  process.stdout.write(`electronegativity: ${findings.length} findings, ${high.length} high\n`)
  return high.length ? 1 : 0
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
