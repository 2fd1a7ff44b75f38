import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseQueryFile, type NamedQuery } from '../../core/store/query-file'

/** The statements only tests run (test/queries/*.sql): read here, never shipped with the product. */
const dir = join(import.meta.dirname, '..', 'queries')
const registry = new Map(
  readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .flatMap((f) => parseQueryFile({ path: f, text: readFileSync(join(dir, f), 'utf8') }))
    .map((q) => [q.name, q])
)

export const testQueryNames = (): string[] => [...registry.keys()].sort()

/** A test-only statement by name, to pass to the store's `many`, `one` and `exec` like a shipped one. */
export const testQuery = (name: string): NamedQuery => {
  const q = registry.get(name)
  if (!q) throw new Error(`unknown test query '${name}' (test/queries/*.sql)`)
  return q
}
