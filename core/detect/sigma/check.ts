import { Sql } from '../../store/case-db'
import type { FieldIndex } from './fields'
import { catalogFiles, parseFiles, type RuleFile } from './load'
import { candidateOf, groupStatement, type RuleRun } from './run'
import { valueTestsOf } from './detection'
import type { Detection, RuleCheck } from './types'

/** The regular expressions a detection tests, as DuckDB will run them. */
const regexes = (d: Detection): string[] => valueTestsOf(d).flatMap((t) => (t.t === 're' ? [t.re] : []))

const EMPTY: FieldIndex = { paths: new Map(), wrappers: [] }

/**
 * Validates rule files without a case: each parsed rule is compiled and its statement run by DuckDB over an
 * empty events table (so what DuckDB refuses, such as a regex RE2 cannot read, is found here too);
 * a correlation or a global filter must name rules of these files or of the shipped catalog. One verdict per rule
 * document, in file order.
 */
export const checkRules = async (files: RuleFile[]): Promise<RuleCheck[]> => {
  const set = parseFiles(files)
  const known = [...set.rules, ...parseFiles(catalogFiles()).rules]
  const missing = (refs: string[]) => refs.filter((ref) => !known.some((r) => r.meta.id === ref || r.meta.name === ref))
  const sql = await Sql.standalone(':memory:')
  try {
    await sql.exec('sigma.check-events')
    await sql.exec('sigma.hits-table')
    const checkOf = (path: string, id: string) => set.checks.find((c) => c.path === path && c.id === id && c.status === 'ok')
    for (const filter of set.filters) {
      const check = checkOf(filter.meta.path, filter.meta.id)
      const absent = filter.rules === 'any' ? [] : missing(filter.rules)
      if (check && absent.length) Object.assign(check, { status: 'error', reason: `filter names rules that are not loaded: ${absent.join(', ')}` })
    }
    for (const [i, rule] of set.rules.entries()) {
      const check = checkOf(rule.meta.path, rule.meta.id)
      if (!check) continue
      if (rule.kind === 'correlation') {
        const absent = missing(rule.rules)
        if (absent.length) Object.assign(check, { status: 'error', reason: `correlation names rules that are not loaded: ${absent.join(', ')}` })
        continue
      }
      const run: RuleRun = { ruleNo: i + 1, rule, status: 'ok', reason: null }
      const stmt = groupStatement(rule.source, EMPTY, [candidateOf(run, rule.source, EMPTY, () => [])], 'k')
      if (!stmt) {
        Object.assign(check, { status: run.status, reason: run.reason })
        continue
      }
      try {
        await sql.execCompiled(`sigma.check ${rule.meta.id}`, stmt.sql, stmt.params)
        // An empty table never compiles a pattern: each regex is tried once on its own.
        for (const re of regexes(rule.detection)) await sql.exec('sigma.check-regex', { re })
      } catch (err) {
        Object.assign(check, { status: 'error', reason: `DuckDB refused the compiled rule: ${(err as Error).message.split('\n')[0]}` })
      }
    }
    return set.checks
  } finally {
    sql.close()
  }
}
