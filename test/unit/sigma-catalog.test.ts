import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseRuleFile } from '../../core/detect/sigma/parse-rule'
import { runImport } from '../../core/import/index'
import { analyzeCase } from '../../core/sessions/analyze'
import { Workbench } from '../../core/workbench'

// Every catalog rule against its own examples, through the real import and analysis: every `match` record
// raises a finding from this rule, no `nomatch` record raises a risky-action finding (a failed variant may
// raise an `attempt`), and every `attempts` record (the action refused) raises an attempt from this rule and no
// risky-action finding. All examples go into one fresh case (each rule's records in files of their own; the
// catalog's analysis is per event, so rules do not see each other's records as theirs), and there is one test
// per rule file, named by it, so that an author sees exactly which rule fails.
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

interface Examples {
  match?: unknown[]
  nomatch?: unknown[]
  /** The rule's action as its vendor records it refused: an attempt, never the action. */
  attempts?: unknown[]
  /** Values the rule's findings on the match records must name (in their title or detail). */
  quotes?: string[]
}

interface Hit {
  category: string
  kind: string
  rule_ids: string[]
  text: string
}

const files = ruleFiles(CATALOG)
const examplesOf = (file: string): Examples | null => {
  const path = file.replace(/\.yml$/, '.examples.json')
  if (!existsSync(path)) return null
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Examples
  } catch {
    return null
  }
}

// Routine rules (afterlogin.routine) are reported everywhere in this case, though their matches from a known network
// raise nothing: another rule's near miss that is a routine rule's action (a user's own password change beside an
// admin's reset: the record matched only routine rules of other files) is those rules' to test, and is not counted
// against the near miss.
const parsedFiles = new Map(files.map((f) => [f, parseRuleFile(readFileSync(f, 'utf8'), relative(ROOT, f))]))
const routineIds = new Set([...parsedFiles.values()].flatMap((p) => p.rules.filter((r) => r.meta.routine).map((r) => r.meta.id)))

let dir: string
let wb: Workbench
let importErrors: string[] = []
/** Findings per stored record text: the line each example was written as. */
const byRaw = new Map<string, Hit[]>()
/** The rules that matched each stored record itself (a finding can gather several records of a session). */
const rulesOf = new Map<string, string[]>()
const stored = new Set<string>()
const prevHome = process.env.AFTERLOGIN_HOME

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'afterlogin-sigma-catalog-'))
  // No rule folders from the analyst's own settings: only the shipped catalog runs.
  process.env.AFTERLOGIN_HOME = join(dir, 'home')
  const inputs: string[] = []
  for (const [i, file] of files.entries()) {
    const ex = examplesOf(file)
    if (!ex) continue
    for (const kind of ['match', 'nomatch', 'attempts'] as const) {
      const recs = Array.isArray(ex[kind]) ? ex[kind] : []
      if (!recs.length) continue
      const path = join(dir, 'in', `${String(i).padStart(4, '0')}-${kind}.ndjson`)
      await mkdir(dirname(path), { recursive: true })
      await writeFile(path, recs.map((r) => JSON.stringify(r)).join('\n') + '\n')
      inputs.push(path)
    }
  }
  wb = new Workbench({ dataDir: join(dir, 'home'), transport: 'web', version: 'test' })
  await wb.open(join(dir, 'case', 'case.duckdb'))
  if (!inputs.length) return
  const summary = await runImport(wb.requireCase().db, inputs)
  importErrors = summary.files.filter((f) => f.error).map((f) => `${f.path}: ${f.error}`)
  // The examples of every rule share names and addresses: a routine rule's match would look like one from a network
  // its identity used before (afterlogin.routine, tested in detect-routine-familiar.test.ts), and a rule that wants
  // corroboration would find another rule's examples beside it or none (afterlogin.corroborated, tested in
  // detect-corroborated.test.ts), so both are reported anyway.
  await analyzeCase(wb.requireCase().db, { reportEverywhere: true })
  const sql = await wb.requireCase().db.connect()
  try {
    const reader = await sql.connection.runAndReadAll(`
      SELECT e.raw, f.category, f.kind, f.title || ' ' || f.detail AS text,
             coalesce((SELECT list(r.id) FROM finding_rules fr, unnest(fr.rules) AS u(n) JOIN sigma_rules r ON r.rule_no = u.n WHERE fr.finding_id = f.id), []) AS rule_ids
      FROM events e LEFT JOIN finding_events fe ON fe.eid = e.rowid LEFT JOIN findings f ON f.id = fe.finding_id`)
    const perRecord = await sql.connection.runAndReadAll(`
      SELECT e.raw, list(r.id) AS ids FROM events e JOIN rule_matches m ON m.eid = e.rowid JOIN sigma_rules r ON r.rule_no = m.rule_no GROUP BY e.raw`)
    for (const r of perRecord.getRowObjectsJS()) rulesOf.set(String(r.raw), (r.ids as string[]) ?? [])
    for (const r of reader.getRowObjectsJS()) {
      const raw = String(r.raw)
      stored.add(raw)
      if (r.category === null) continue
      byRaw.set(raw, [
        ...(byRaw.get(raw) ?? []),
        { category: String(r.category), kind: String(r.kind), rule_ids: (r.rule_ids as string[]) ?? [], text: String(r.text) }
      ])
    }
  } finally {
    sql.connection.closeSync()
  }
}, 600_000)

afterAll(async () => {
  wb?.close()
  if (prevHome === undefined) delete process.env.AFTERLOGIN_HOME
  else process.env.AFTERLOGIN_HOME = prevHome
  await rm(dir, { recursive: true, force: true })
})

describe('Sigma catalog rules against their own examples', () => {
  it('has rules, and every example file imports', () => {
    expect(files.length).toBeGreaterThan(0)
    expect(importErrors).toEqual([])
  })

  for (const file of files) {
    const name = relative(ROOT, file)
    it(name, () => {
      const examplesPath = file.replace(/\.yml$/, '.examples.json')
      expect(existsSync(examplesPath), `${name} has no ${relative(ROOT, examplesPath)}`).toBe(true)
      const examples = examplesOf(file)
      expect(examples, `${relative(ROOT, examplesPath)} is not valid JSON`).not.toBeNull()
      expect(Array.isArray(examples!.match) && examples!.match.length > 0, 'examples.match is empty').toBe(true)
      expect(Array.isArray(examples!.nomatch) && examples!.nomatch.length > 0, 'examples.nomatch is empty').toBe(true)
      const parsed = parsedFiles.get(file)!
      expect(parsed.checks.map((c) => `${c.status}${c.reason ? `: ${c.reason}` : ''}`)).toEqual(parsed.checks.map(() => 'ok'))
      const ids = parsed.rules.map((r) => r.meta.id)
      const reportsAttempts = parsed.rules.some((r) => r.meta.category === 'attempt')
      const said: string[] = []
      examples!.match!.forEach((rec, i) => {
        const raw = JSON.stringify(rec)
        expect(stored.has(raw), `match record #${i + 1} was not imported as an event`).toBe(true)
        // The record itself matched the rule (a finding gathers the records of a session, so its rules alone could
        // come from a neighbour), and a finding of the rule names it.
        expect(
          (rulesOf.get(raw) ?? []).some((id) => ids.includes(id)),
          `match record #${i + 1} was not matched by this rule`
        ).toBe(true)
        const own = (byRaw.get(raw) ?? []).filter((h) => h.rule_ids.some((id) => ids.includes(id)) && (reportsAttempts || h.category !== 'attempt'))
        expect(own.length, `match record #${i + 1} raised no finding from this rule`).toBeGreaterThan(0)
        said.push(...own.map((h) => h.text))
      })
      for (const quote of examples!.quotes ?? [])
        expect(
          said.some((t) => t.includes(quote)),
          `no finding names "${quote}"`
        ).toBe(true)
      for (const [i, rec] of (examples!.attempts ?? []).entries()) {
        const raw = JSON.stringify(rec)
        expect(stored.has(raw), `attempts record #${i + 1} was not imported as an event`).toBe(true)
        const hits = byRaw.get(raw) ?? []
        expect(
          hits.some((h) => h.category === 'attempt' && h.rule_ids.some((id) => ids.includes(id))),
          `attempts record #${i + 1} raised no attempt from this rule`
        ).toBe(true)
        expect(
          hits.filter((h) => h.kind === 'action' && RISKY.includes(h.category)).map((h) => h.category),
          `attempts record #${i + 1} raised a risky-action finding`
        ).toEqual([])
      }
      examples!.nomatch!.forEach((rec, i) => {
        const raw = JSON.stringify(rec)
        expect(stored.has(raw), `nomatch record #${i + 1} was not imported as an event`).toBe(true)
        const matched = rulesOf.get(raw) ?? []
        const othersRoutine = matched.length > 0 && matched.every((id) => routineIds.has(id) && !ids.includes(id))
        const risky = othersRoutine ? [] : (byRaw.get(raw) ?? []).filter((h) => h.kind === 'action' && RISKY.includes(h.category))
        expect(
          risky.map((h) => `${h.category} from ${h.rule_ids.join(', ')}`),
          `nomatch record #${i + 1} raised a risky-action finding`
        ).toEqual([])
        // A rule that reports attempts itself: its near misses raise nothing from it, attempt or not.
        if (reportsAttempts)
          expect(
            (rulesOf.get(raw) ?? []).filter((id) => ids.includes(id)),
            `nomatch record #${i + 1} matched this rule`
          ).toEqual([])
      })
    })
  }
})
