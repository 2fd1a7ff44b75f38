import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { statementNamesSource } from '../../core/store/query-file'
import { queries } from '../../core/store/query-registry'
import type { StatementName } from '../../core/store/statement-names'
import { testQueryNames } from '../helpers/test-queries'

const root = join(import.meta.dirname, '..', '..')

describe('statement names', () => {
  it('core/store/statement-names.ts lists exactly the statements in queries/ (npm run queries:names rewrites it)', () => {
    const written = readFileSync(join(root, 'core', 'store', 'statement-names.ts'), 'utf8')
    expect(written).toBe(statementNamesSource(queries().names()))
    const known: StatementName = 'case.counts'
    // @ts-expect-error a misspelt statement name fails the typecheck (npm run typecheck covers test/)
    const misspelt: StatementName = 'case.countz'
    expect(queries().names()).toContain(known)
    expect(queries().names()).not.toContain(misspelt)
  })

  it('keeps test-only statements out of the shipped registry, and their names apart from shipped ones', () => {
    const shipped = new Set(queries().names())
    expect(testQueryNames().length).toBeGreaterThan(0)
    expect(testQueryNames().filter((n) => shipped.has(n))).toEqual([])
    expect(shipped.has('import.test.events')).toBe(false)
  })
})
