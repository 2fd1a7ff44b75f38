import type { StoredPath } from '../../sources/sql-projection'
import { columnGuard, columnTwins } from './columns'
import { Compiler, typePins } from './compile'
import { indexRecords, type FieldIndex } from './fields'
import { RuleProblem, type DetectionRule, type LoadedRule, type SigmaSource } from './types'

/**
 * A rule that pins no event type and has no column guard (columns.ts) tests every record of its source: each
 * analysis would parse every record for it. The fast path reads what such rules read in the parse that maps the
 * record and stores it in `events.rule_values` (the file's row names the paths); the analysis tests those values.
 */
export const testsEveryRecord = (rule: DetectionRule, index: FieldIndex, twins = columnTwins(rule.source)): boolean =>
  typePins(rule.detection, rule.source) === null && columnGuard(rule.detection, rule.source, index, twins) === null

/**
 * The values the rules of `source` that test every record read (their tests and their `fields`), as JSON paths
 * and keys, from a file's first records: the keys are spelled as those records spell them, as the analysis reads
 * them. None when a collector wrapped the records (the rules read inside the wrapper, which the import unwraps).
 */
export const everyRecordPaths = (rules: readonly LoadedRule[], source: SigmaSource, samples: string[]): StoredPath[] => {
  const index = indexRecords(samples)
  if (index.wrappers.length) return []
  const twins = columnTwins(source)
  const c = new Compiler(index, source, 'x_')
  for (const rule of rules) {
    if (rule.kind !== 'detection' || rule.source !== source || !testsEveryRecord(rule, index, twins)) continue
    try {
      c.compile(rule.detection)
      for (const f of rule.meta.fields) c.text(f)
    } catch (err) {
      // A rule that does not compile does not run either.
      if (!(err instanceof RuleProblem)) throw err
    }
  }
  return c.heads.map((path, i) => ({ path, keys: c.headKeys[i] }))
}
