// Writes core/store/statement-names.ts from queries/ (run after adding, renaming or removing a statement).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { parseQueryFile, statementNamesSource } from '../core/store/query-file'

const root = join(import.meta.dirname, '..', 'queries')
const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.sql'))
  .map((f) => ({ path: relative(root, join(root, f)).split('\\').join('/'), text: readFileSync(join(root, f), 'utf8') }))
const names = files
  .filter((f) => !f.path.startsWith('migrations/'))
  .flatMap((f) => parseQueryFile(f).map((q) => q.name))
  .sort()
writeFileSync(join(import.meta.dirname, '..', 'core', 'store', 'statement-names.ts'), statementNamesSource(names))
