import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runImport } from '../../core/import'
import { CaseDb } from '../../core/store/case-db'
import { ROOT } from '../helpers/web-mode'
import { testQuery } from '../helpers/test-queries'

// Real public exports shared beside the repo (never copied into it); skipped when absent.
const SAMPLES = join(ROOT, '..', 'shared', 'samples')
const present = existsSync(join(SAMPLES, 'SOURCES.md'))

const TRUE_SOURCE: Record<string, string> = {
  okta_system_log: 'okta',
  entra_id: 'entra',
  m365_unified_audit: 'm365',
  google_workspace_reports: 'google_workspace',
  slack_audit: 'slack',
  github_audit: 'github',
  salesforce: 'salesforce',
  aws_cloudtrail: 'aws',
  other_saas: 'generic'
}

/** Event counts per file, from the provenance table of SOURCES.md. */
const expectedCounts = (): Map<string, number> => {
  const text = readFileSync(join(SAMPLES, 'SOURCES.md'), 'utf8')
  const counts = new Map<string, number>()
  for (const m of text.matchAll(/^\| `([^`]+)` \| (\d+) \|/gm)) counts.set(m[1], Number(m[2]))
  return counts
}

const sampleFiles = (): string[] =>
  present
    ? Object.keys(TRUE_SOURCE).flatMap((dir) =>
        existsSync(join(SAMPLES, dir))
          ? readdirSync(join(SAMPLES, dir))
              .sort()
              .map((f) => `${dir}/${f}`)
          : []
      )
    : []

describe.skipIf(!present)('shared sample exports', () => {
  const counts = present ? expectedCounts() : new Map<string, number>()

  it.each(sampleFiles())('%s imports with its true source and at least 95 percent of its events', async (file) => {
    const db = await CaseDb.open(join(mkdtempSync(join(tmpdir(), 'afl-sample-')), 'case.duckdb'))
    try {
      const summary = await runImport(db, [join(SAMPLES, file)])
      expect(summary.files).toHaveLength(1)
      const [result] = summary.files
      expect(result.error).toBeNull()
      expect(result.source).toBe(TRUE_SOURCE[file.split('/')[0]])
      const expected = counts.get(file)
      expect(expected, `SOURCES.md lists ${file}`).toBeGreaterThan(0)
      const stored = await db.one<{ n: number; sources: number }>(testQuery('import.file.event-count'), { file_path: result.path })
      expect(stored!.n).toBeGreaterThanOrEqual(Math.ceil(expected! * 0.95))
      // Every stored event came from this file and kept its raw record.
      expect(result.newEvents).toBe(stored!.n)
    } finally {
      db.close()
    }
  })

  it('imports the whole folder, and a second import adds nothing', async () => {
    const db = await CaseDb.open(join(mkdtempSync(join(tmpdir(), 'afl-samples-')), 'case.duckdb'))
    try {
      const first = await runImport(db, [SAMPLES])
      const logs = first.files.filter((f) => !f.path.endsWith('.md'))
      expect(logs.every((f) => f.error === null)).toBe(true)
      expect(first.newEvents).toBeGreaterThan(1000)
      const again = await runImport(db, [SAMPLES])
      expect(again.files.map((f) => [f.path, f.events, f.error])).toEqual(first.files.map((f) => [f.path, f.events, f.error]))
      expect(again.events).toBe(first.events)
      expect(again.newEvents).toBe(0)
    } finally {
      db.close()
    }
  })
})
