import { sqlFiles, type SqlFile } from './sql-files'

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

export class QueryRegistry {
  private readonly queries = new Map<string, NamedQuery>()

  constructor(files: SqlFile[]) {
    for (const file of files) {
      if (file.path.startsWith('migrations/')) continue
      for (const q of parseQueryFile(file)) {
        const twin = this.queries.get(q.name)
        if (twin) throw new Error(`query '${q.name}' is declared twice: queries/${twin.file} and queries/${q.file}`)
        this.queries.set(q.name, q)
      }
    }
  }

  get(name: string): NamedQuery {
    const q = this.queries.get(name)
    if (!q) throw new Error(`unknown query '${name}'`)
    return q
  }

  names(): string[] {
    return [...this.queries.keys()].sort()
  }
}

let shared: QueryRegistry | undefined
export const queries = (): QueryRegistry => (shared ??= new QueryRegistry(sqlFiles()))

export interface Migration {
  version: number
  name: string
  sql: string
}

export const migrationsFrom = (files: SqlFile[]): Migration[] => {
  const list = files
    .filter((f) => f.path.startsWith('migrations/'))
    .map((f) => {
      const m = /^migrations\/(\d+)-([\w-]+)\.sql$/.exec(f.path)
      if (!m) throw new Error(`queries/${f.path}: migrations are named NNN-name.sql`)
      return { version: Number(m[1]), name: m[2], sql: f.text }
    })
    .sort((a, b) => a.version - b.version)
  list.forEach((m, i) => {
    if (i > 0 && list[i - 1].version === m.version) throw new Error(`two migrations share version ${m.version}`)
  })
  return list
}
