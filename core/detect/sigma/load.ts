import { readdir, readFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { defaultDataDir } from '../../paths'
import { parseRuleFile } from './parse-rule'
import { applyFilters } from './filters'
import type { FilterRule, LoadedRule, RuleCheck } from './types'

/** The shipped catalog, inlined by Vite at build time like the SQL and the JSON policies. */
const catalog = import.meta.glob('../../../policies/sigma/**/*.{yml,yaml}', { query: '?raw', import: 'default', eager: true }) as Record<string, string>

export interface RuleFile {
  /** Where it came from: `policies/sigma/…` for the catalog, else the file's absolute path. */
  path: string
  text: string
}

export interface RuleSet {
  /** Detection rules (global filters applied) and correlations. */
  rules: LoadedRule[]
  /** The global filters, already applied to `rules`. */
  filters: FilterRule[]
  checks: RuleCheck[]
  files: RuleFile[]
}

export const catalogFiles = (): RuleFile[] =>
  Object.entries(catalog)
    .map(([key, text]) => ({ path: key.replace(/^.*\/policies\/sigma\//, 'policies/sigma/'), text }))
    .sort((a, b) => a.path.localeCompare(b.path))

/** Every `.yml`/`.yaml` file under a folder (recursively, in name order); a missing folder holds none. */
export const folderFiles = async (dir: string): Promise<RuleFile[]> => {
  let entries
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw new Error(`cannot read the rule folder ${dir}: ${(err as Error).message}`)
  }
  const files = entries
    .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort()
  return Promise.all(files.map(async (path) => ({ path, text: await readFile(path, 'utf8') })))
}

/** Parses files one by one: a file that cannot be read or parsed is reported with its reason; the others load. */
export const parseFiles = (files: RuleFile[]): RuleSet => {
  const set: RuleSet = { rules: [], filters: [], checks: [], files }
  for (const f of files) {
    const parsed = parseRuleFile(f.text, f.path)
    set.rules.push(...parsed.rules)
    set.filters.push(...parsed.filters)
    set.checks.push(...parsed.checks)
  }
  // Global filters tune the rules of every folder, the shipped catalog's too.
  set.rules = applyFilters(set.rules, set.filters)
  return set
}

/** The folder a case keeps its own rules in: `<case folder>/rules/`, beside its `policies/`. */
export const caseRuleDir = (casePath: string): string => join(dirname(casePath), 'rules')

/** App-wide settings (`settings.json` in the data folder): the rule folders every case also loads. */
export const settingsRuleFolders = async (dataDir = defaultDataDir()): Promise<string[]> => {
  const path = join(dataDir, 'settings.json')
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw new Error(`cannot read ${path}: ${(err as Error).message}`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new Error(`${path} is not valid JSON: ${(err as Error).message}`)
  }
  const folders = (json as { ruleFolders?: unknown }).ruleFolders
  if (folders === undefined) return []
  if (!Array.isArray(folders) || !folders.every((f) => typeof f === 'string')) throw new Error(`${path}: ruleFolders must be a list of folder paths`)
  return folders.map((f) => resolve(dataDir, f))
}

/** The rules analysis runs for a case: the shipped catalog, the case's own rule folder, then the settings' folders. */
export const loadCaseRules = async (casePath: string | null): Promise<RuleSet> => {
  const dirs = [...(casePath ? [caseRuleDir(casePath)] : []), ...(await settingsRuleFolders())]
  const own = (await Promise.all(dirs.map(folderFiles))).flat()
  return parseFiles([...catalogFiles(), ...own])
}

export const displayPath = (path: string, root: string): string => (path.startsWith('policies/') ? path : relative(root, path) || path)
