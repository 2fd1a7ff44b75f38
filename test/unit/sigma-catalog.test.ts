import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseRuleFile } from '../../core/detect/sigma/parse-rule'
import { runImport } from '../../core/import/index'
import { Workbench } from '../../core/workbench'

// Every catalog rule against its own examples, each in a fresh case through the real import and analysis:
// every `match` record raises a finding from this rule, no `nomatch` record raises a risky-action finding
// (a failed variant may raise an `attempt`). One test per rule file, named by it.
const ROOT = join(import.meta.dirname, '..', '..')
const CATALOG = join(ROOT, 'policies', 'sigma')
const RISKY = ['data_export', 'external_share', 'mail_forwarding', 'credential_created', 'oauth_grant', 'privilege_change', 'admin_change', 'mfa_change']

const ruleFiles = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile() && e.name.endsWith('.yml'))
        .map((e) => join(e.parentPath, e.name))
        .sort()
    : []

interface Hit {
  record_no: number
  file: string
  category: string
  kind: string
  rule_ids: string[]
}

let dir: string
const prevHome = process.env.AFTERLOGIN_HOME

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'afterlogin-sigma-catalog-'))
  // No rule folders from the analyst's own settings: only the shipped catalog runs.
  process.env.AFTERLOGIN_HOME = join(dir, 'home')
})

afterAll(async () => {
  if (prevHome === undefined) delete process.env.AFTERLOGIN_HOME
  else process.env.AFTERLOGIN_HOME = prevHome
  await rm(dir, { recursive: true, force: true })
})

const findingsOf = async (wb: Workbench): Promise<Hit[]> => {
  const sql = await wb.requireCase().db.connect()
  const reader = await sql.connection.runAndReadAll(`
    SELECT e.record_no, e.file_path AS file, f.category, f.kind,
           coalesce((SELECT list(r.id) FROM finding_rules fr, unnest(fr.rules) AS u(n) JOIN sigma_rules r ON r.rule_no = u.n WHERE fr.finding_id = f.id), []) AS rule_ids
    FROM finding_events fe JOIN findings f ON f.id = fe.finding_id JOIN events e ON e.rowid = fe.eid`)
  sql.connection.closeSync()
  return reader.getRowObjectsJS().map((r) => ({
    record_no: Number(r.record_no),
    file: String(r.file),
    category: String(r.category),
    kind: String(r.kind),
    rule_ids: (r.rule_ids as string[]) ?? []
  }))
}

const files = ruleFiles(CATALOG)

// Concurrent: each case waits mostly on its own DuckDB file, so several run side by side.
describe.concurrent('Sigma catalog rules against their own examples', () => {
  it('has rules', () => {
    expect(files.length).toBeGreaterThan(0)
  })

  for (const file of files) {
    const name = relative(ROOT, file)
    it(name, async () => {
      const examplesPath = file.replace(/\.yml$/, '.examples.json')
      expect(existsSync(examplesPath), `${name} has no ${relative(ROOT, examplesPath)}`).toBe(true)
      const examples = JSON.parse(readFileSync(examplesPath, 'utf8')) as { match?: unknown[]; nomatch?: unknown[] }
      expect(Array.isArray(examples.match) && examples.match.length > 0, 'examples.match is empty').toBe(true)
      expect(Array.isArray(examples.nomatch) && examples.nomatch.length > 0, 'examples.nomatch is empty').toBe(true)
      const parsed = parseRuleFile(readFileSync(file, 'utf8'), name)
      expect(parsed.checks.map((c) => `${c.status}${c.reason ? `: ${c.reason}` : ''}`)).toEqual(parsed.checks.map(() => 'ok'))
      const ids = parsed.rules.map((r) => r.meta.id)
      const reportsAttempts = parsed.rules.some((r) => r.meta.category === 'attempt')

      const caseDir = join(dir, name.replace(/[^\w.-]+/g, '_'))
      await mkdir(join(caseDir, 'in'), { recursive: true })
      const matchFile = join(caseDir, 'in', 'match.ndjson')
      const nomatchFile = join(caseDir, 'in', 'nomatch.ndjson')
      await writeFile(matchFile, examples.match!.map((r) => JSON.stringify(r)).join('\n') + '\n')
      await writeFile(nomatchFile, examples.nomatch!.map((r) => JSON.stringify(r)).join('\n') + '\n')
      const wb = new Workbench({ dataDir: join(caseDir, 'home'), transport: 'web', version: 'test' })
      try {
        await wb.open(join(caseDir, 'case', 'case.duckdb'))
        const summary = await runImport(wb.requireCase().db, [matchFile, nomatchFile])
        expect(summary.files.filter((f) => f.error)).toEqual([])
        const hits = await findingsOf(wb)
        const inFile = (f: string, n: number) => hits.filter((h) => h.file.endsWith(f) && h.record_no === n)
        examples.match!.forEach((_, i) => {
          const own = inFile('match.ndjson', i + 1).filter((h) => h.rule_ids.some((id) => ids.includes(id)) && (reportsAttempts || h.category !== 'attempt'))
          expect(own.length, `match record #${i + 1} raised no finding from this rule`).toBeGreaterThan(0)
        })
        examples.nomatch!.forEach((_, i) => {
          const risky = inFile('nomatch.ndjson', i + 1).filter((h) => h.kind === 'action' && RISKY.includes(h.category))
          expect(risky.map((h) => `${h.category} from ${h.rule_ids.join(', ')}`), `nomatch record #${i + 1} raised a risky-action finding`).toEqual([])
        })
      } finally {
        wb.close()
      }
    })
  }
})
