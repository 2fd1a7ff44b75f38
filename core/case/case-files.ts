import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import type { CaseSummary } from '../../contract'

/** Where a case lives: its own folder holding `case.duckdb` and whatever the case stages (uploads). */
export const caseIdFor = (path: string): string => createHash('sha256').update(resolve(path)).digest('hex').slice(0, 16)

export const caseFolder = (casePath: string): string => dirname(resolve(casePath))

const slug = (name: string): string =>
  name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40) || 'case'

export const newCasePath = (dataDir: string, name: string): string => join(dataDir, 'cases', `${slug(name)}-${Date.now().toString(36)}`, 'case.duckdb')

export const demoCasePath = (dataDir: string): string => join(dataDir, 'cases', 'demo', 'case.duckdb')

/** The recent-cases list: a small JSON file in the data folder, written atomically. */
export class RecentCases {
  private readonly file: string

  constructor(dataDir: string) {
    this.file = join(dataDir, 'recent.json')
  }

  async list(): Promise<CaseSummary[]> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.file, 'utf8'))
      return Array.isArray(parsed) ? (parsed as CaseSummary[]) : []
    } catch {
      return []
    }
  }

  async find(id: string): Promise<CaseSummary | undefined> {
    return (await this.list()).find((c) => c.id === id)
  }

  async touch(entry: CaseSummary): Promise<void> {
    const rest = (await this.list()).filter((c) => c.id !== entry.id)
    const next = [entry, ...rest].slice(0, 20)
    await mkdir(dirname(this.file), { recursive: true })
    const tmp = `${this.file}.${process.pid}.tmp`
    await writeFile(tmp, JSON.stringify(next, null, 2))
    await rename(tmp, this.file)
  }
}
