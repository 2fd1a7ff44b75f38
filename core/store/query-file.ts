import type { SqlFile } from './sql-files'

export interface NamedQuery {
  name: string
  sql: string
  file: string
}

const header = /^--\s*name:\s*([a-z][\w.-]*)\s*$/gim

/**
 * Splits a file into statements, each introduced by a `-- name: x` line (Bruno's convention).
 * Text before the first header is a file comment and is ignored.
 */
export const parseQueryFile = (file: SqlFile): NamedQuery[] => {
  const marks = [...file.text.matchAll(header)]
  return marks.map((mark, i) => {
    const start = mark.index! + mark[0].length
    const end = i + 1 < marks.length ? marks[i + 1].index : file.text.length
    const sql = file.text.slice(start, end).trim().replace(/;\s*$/, '')
    if (!sql) throw new Error(`queries/${file.path}: statement '${mark[1]}' is empty`)
    return { name: mark[1], sql, file: file.path }
  })
}

/**
 * The text of core/store/statement-names.ts: every shipped statement's name as one union type, so a misspelt
 * name fails the typecheck. `npm run queries:names` writes it; test/unit/statement-names.test.ts keeps it fresh.
 */
export const statementNamesSource = (names: string[]): string =>
  [
    '// Generated from queries/**/*.sql by `npm run queries:names` (test/unit/statement-names.test.ts checks it is fresh).',
    '/** The name of a statement in queries/ (its `-- name:` header). */',
    'export type StatementName =',
    ...names.map((n) => `  | '${n}'`),
    ''
  ].join('\n')
