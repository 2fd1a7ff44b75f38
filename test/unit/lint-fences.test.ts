import { ESLint } from 'eslint'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * The fences in eslint.config.js are the house rules made executable; each must be able to fail. Every case
 * lints a small module as if it lived at the given path in the tree, and names the rule it must trip.
 */
const root = resolve(__dirname, '../..')
const eslint = new ESLint({ cwd: root })

const lint = async (path: string, code: string): Promise<string[]> => {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, path) })
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`)
}

describe('lint fences', () => {
  it.each([
    ['the renderer importing the core', 'renderer/src/fence.ts', "import { log } from '../../core/log'\nexport const a = log\n", 'boundaries/dependencies'],
    [
      'the renderer importing main',
      'renderer/src/fence.ts',
      "import { hardenedWindowOptions } from '../../main/window-options'\nexport const a = hardenedWindowOptions\n",
      'boundaries/dependencies'
    ],
    [
      'the renderer importing Node',
      'renderer/src/fence.ts',
      "import { readFile } from 'node:fs/promises'\nexport const a = readFile\n",
      'no-restricted-imports'
    ],
    [
      'the renderer importing Node without the prefix',
      'renderer/src/fence.ts',
      "import { join } from 'path'\nexport const a = join\n",
      'no-restricted-imports'
    ],
    ['the contract importing Node', 'contract/fence.ts', "import { join } from 'node:path'\nexport const a = join\n", 'no-restricted-imports'],
    ['the core importing Electron', 'core/fence.ts', "import { app } from 'electron'\nexport const a = app\n", 'no-restricted-imports'],
    ['the CLI importing Electron', 'cli/fence.ts', "import { app } from 'electron'\nexport const a = app\n", 'no-restricted-imports'],
    ['preload importing the core', 'preload/fence.ts', "import { log } from '../core/log'\nexport const a = log\n", 'boundaries/dependencies'],
    ['the core importing the renderer', 'core/fence.ts', "import { App } from '../renderer/src/App'\nexport const a = App\n", 'boundaries/dependencies'],
    ['SQL text in the core', 'core/fence.ts', "export const q = 'SELECT uid FROM events WHERE source = 1'\n", 'no-restricted-syntax'],
    ['SQL in a template in the CLI', 'cli/fence.ts', 'export const q = (t: string) => `DELETE FROM ${t} WHERE 1`\n', 'no-restricted-syntax'],
    ['a transaction written by hand', 'core/import/fence.ts', "export const q = 'BEGIN TRANSACTION'\n", 'no-restricted-syntax'],
    ['a setting built by interpolation', 'core/sessions/fence.ts', "export const q = (m: string) => `SET memory_limit = '${m}'`\n", 'no-restricted-syntax'],
    ['an explicit any', 'core/fence.ts', 'export const a = (x: any) => x\n', '@typescript-eslint/no-explicit-any'],
    [
      'the core opening DuckDB itself',
      'core/fence.ts',
      "import { DuckDBInstance } from '@duckdb/node-api'\nexport const a = DuckDBInstance\n",
      'no-restricted-imports'
    ],
    [
      'main opening a DuckDB connection',
      'main/fence.ts',
      "import type { DuckDBConnection } from '@duckdb/node-api'\nexport type A = DuckDBConnection\n",
      'no-restricted-imports'
    ],
    [
      'the core reaching past the store to its connection',
      'core/import/fence.ts',
      "import type { Sql } from '../store/case-db'\nexport const a = (sql: Sql) => sql.connection.interrupt()\n",
      'no-restricted-syntax'
    ],
    [
      'a compiler reaching past the store to its connection',
      'core/detect/sigma/fence.ts',
      "import type { Sql } from '../../store/case-db'\nexport const a = (sql: Sql, t: string) => sql.connection.run(t)\n",
      'no-restricted-syntax'
    ]
  ])('refuses %s', async (_what, path, code, rule) => {
    expect((await lint(path, code)).some((m) => m.startsWith(`${rule}:`))).toBe(true)
  })

  it('lets each layer import what it may', async () => {
    expect(await lint('renderer/src/fence.ts', "import { calls } from '../../contract'\nexport const a = calls\n")).toEqual([])
    expect(await lint('preload/fence.ts', "import { calls } from '../contract'\nexport const a = calls\n")).toEqual([])
    expect(await lint('core/fence.ts', "import { log } from './log'\nexport const a = log\n")).toEqual([])
    expect(await lint('main/fence.ts', "import { app } from 'electron'\nimport { log } from '../core/log'\nexport const a = [app, log]\n")).toEqual([])
    expect(await lint('core/store/fence.ts', "export const q = 'SELECT 1 AS one'\n")).toEqual([])
    expect(await lint('core/fence.ts', "export const words = 'Select a case to begin'\n")).toEqual([])
    expect(await lint('core/import/fence.ts', "import { listValue } from '@duckdb/node-api'\nexport const a = listValue\n")).toEqual([])
    expect(await lint('core/response/connectors/salesforce.ts', "export const soql = 'SELECT Id FROM User LIMIT 1'\n")).toEqual([])
  })

  it('refuses an import cycle', async () => {
    const cycle = new ESLint({ cwd: root, ignore: false })
    const [a] = await cycle.lintFiles([resolve(root, 'test/fixtures/lint-fences/cycle-a.ts')])
    expect(a.messages.map((m) => m.ruleId)).toContain('import-x/no-cycle')
  })
})
