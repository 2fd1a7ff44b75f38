import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateHijackBundle } from '../../core/demo/bundle-generator'
import { CaseDb } from '../../core/store/case-db'
import { dispatch } from '../../core/dispatch'
import { Workbench } from '../../core/workbench'
import { CLI, ROOT, tempHome } from '../helpers/web-mode'
// @ts-expect-error plain ESM script, no declarations
import { generateOktaNdjson } from '../../scripts/stream-memory-check.mjs'

// kill -9 of a real `afterlogin import` process at points inside the import, then what an analyst does
// next: open the case, look at it, import the same bundle again.
let bundle: string
let big: string
const home = tempHome('afterlogin-crash-home-')
const made: string[] = [home]
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })))

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'out/cli/index.js'))) throw new Error('npm run build first')
  const dir = tempHome('afterlogin-crash-bundle-')
  made.push(dir)
  bundle = join(dir, 'bundle')
  mkdirSync(bundle)
  await generateHijackBundle(bundle, { seed: 5 })
  big = join(dir, 'okta-export.ndjson')
  await generateOktaNdjson(big, 6 * 1024 * 1024)
}, 60_000)

const importChild = (casePath: string, env: Record<string, string> = {}) =>
  spawn(process.execPath, [CLI, 'import', bundle, big, '--case', casePath], {
    env: { ...process.env, AFTERLOGIN_HOME: home, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })

const sqlRows = async (db: CaseDb, text: string) => {
  const sql = await db.connect()
  try {
    return (await sql.connection.runAndReadAll(text))
      .getRowObjectsJS()
      .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])))
  } finally {
    sql.connection.closeSync()
  }
}

/** Every file that has events in the case has exactly the events its committed import_files row says. */
const halfFiles = (db: CaseDb) =>
  sqlRows(
    db,
    `SELECT e.import_id, e.file_path, count(*) AS n, any_value(f.new_events) AS committed
     FROM events e LEFT JOIN import_files f ON f.import_id = e.import_id AND f.path = e.file_path
     GROUP BY ALL HAVING committed IS NULL OR committed <> n`
  )

describe('kill -9 during an import', () => {
  for (const killAfterMs of [350, 1200]) {
    it(`after ${killAfterMs} ms: the case opens whole, and importing again completes without duplicates`, async () => {
      const caseDir = tempHome('afterlogin-crash-case-')
      made.push(caseDir)
      const casePath = join(caseDir, 'case.duckdb')
      const child = importChild(casePath)
      await new Promise((ok) => setTimeout(ok, killAfterMs))
      const exited = child.exitCode !== null
      child.kill('SIGKILL')
      const [, signal] = await once(child, 'exit')
      expect(exited, 'the import finished before the kill: the crash was not exercised').toBe(false)
      expect(signal).toBe('SIGKILL')

      // The case opens, through the same workbench the UI uses.
      const wb = new Workbench({ dataDir: home, transport: 'web', version: 'test' })
      const info = await wb.open(casePath)
      expect(info.events).toBeGreaterThanOrEqual(0)
      const db = wb.requireCase().db
      expect(await halfFiles(db)).toEqual([])
      const [cut] = await sqlRows(db, 'SELECT status FROM imports ORDER BY started_at LIMIT 1')
      // A cut-off import reads as interrupted once the case is open again, never as still running.
      expect(['interrupted', 'never started']).toContain(cut?.status ?? 'never started')
      wb.close()

      // Importing the same bundle again finishes; every event is there once.
      const again = importChild(casePath)
      let out = ''
      again.stdout.on('data', (d) => (out += d))
      const [code] = await once(again, 'exit')
      expect(code).toBe(0)
      const summary = JSON.parse(out.trim().split('\n').at(-1)!) as { files: { events: number; error: string | null }[] }
      expect(summary.files.every((f) => f.error === null)).toBe(true)
      const expected = summary.files.reduce((n, f) => n + f.events, 0)

      const reopened = await CaseDb.open(casePath)
      try {
        const [c] = await sqlRows(reopened, 'SELECT count(*) AS n, count(DISTINCT uid) AS uids FROM events')
        expect(c).toEqual({ n: expected, uids: expected })
        expect(await halfFiles(reopened)).toEqual([])
      } finally {
        reopened.close()
      }
    }, 90_000)
  }
})

/** Imports into the case and kill -9s the process once its files are stored and its analysis builds the sessions. */
const killDuringAnalysis = async (casePath: string): Promise<string | null> => {
  // The analysis names each step on stderr when traced.
  const child = importChild(casePath, { AFTERLOGIN_ANALYZE_TRACE: '1' })
  let err = ''
  child.stderr.on('data', (d) => (err += d))
  await new Promise<void>((ok, fail) => {
    const t = setInterval(() => {
      if (err.includes('analyze: analyze.ev')) {
        clearInterval(t)
        ok()
      } else if (child.exitCode !== null) {
        clearInterval(t)
        fail(new Error(`the import ended before its analysis was reached: ${err}`))
      }
    }, 5)
  })
  child.kill('SIGKILL')
  const [, signal] = (await once(child, 'exit')) as [number | null, string | null]
  return signal
}

describe('kill -9 during the analysis that ends an import', () => {
  it('the case opens and says its analysis is incomplete; sessions analyses it again before listing', async () => {
    const caseDir = tempHome('afterlogin-crash-analysis-')
    made.push(caseDir)
    const casePath = join(caseDir, 'case.duckdb')
    expect(await killDuringAnalysis(casePath)).toBe('SIGKILL')

    const wb = new Workbench({ dataDir: home, transport: 'web', version: 'test' })
    const info = await wb.open(casePath)
    expect(info.events).toBeGreaterThan(0)
    expect(info.analysis).toEqual({ complete: false, analysedEvents: null })
    wb.close()

    // The CLI's sessions finds the analysis missing, says so, and analyses before listing.
    const sessions = spawnSync(process.execPath, [CLI, 'sessions', '--case', casePath, '--json', '--limit', '3'], {
      env: { ...process.env, AFTERLOGIN_HOME: home },
      encoding: 'utf8'
    })
    expect(sessions.status, sessions.stderr).toBe(0)
    expect(sessions.stderr).toMatch(/last analysis covered none of \d+ events .*analysing again/)
    expect((JSON.parse(sessions.stdout) as unknown[]).length).toBeGreaterThan(0)

    const after = new Workbench({ dataDir: home, transport: 'web', version: 'test' })
    const done = await after.open(casePath)
    expect(done.analysis).toEqual({ complete: true, analysedEvents: done.events })
    after.close()
  }, 90_000)

  it('an import added after the last analysis, cut off before its own: the case names how many events were analysed', async () => {
    const caseDir = tempHome('afterlogin-crash-analysis-')
    made.push(caseDir)
    const casePath = join(caseDir, 'case.duckdb')
    const first = spawnSync(process.execPath, [CLI, 'import', bundle, '--case', casePath], {
      env: { ...process.env, AFTERLOGIN_HOME: home },
      encoding: 'utf8'
    })
    expect(first.status, first.stderr).toBe(0)
    const analysed = (JSON.parse(first.stdout.trim().split('\n').at(-1)!) as { newEvents: number }).newEvents

    expect(await killDuringAnalysis(casePath)).toBe('SIGKILL')

    const wb = new Workbench({ dataDir: home, transport: 'web', version: 'test' })
    const info = await wb.open(casePath)
    expect(info.events).toBeGreaterThan(analysed)
    expect(info.analysis).toEqual({ complete: false, analysedEvents: analysed })
    // What the case home's "Analyse now" calls.
    const again = await dispatch(wb, 'case.analyze', {})
    expect(again).toMatchObject({ ok: true, value: { analysis: { complete: true, analysedEvents: info.events } } })
    wb.close()
  }, 90_000)
})
