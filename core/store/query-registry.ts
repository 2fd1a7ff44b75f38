import { parseQueryFile, type NamedQuery } from './query-file'
import { sqlFiles, type SqlFile } from './sql-files'

export { parseQueryFile, type NamedQuery } from './query-file'

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
