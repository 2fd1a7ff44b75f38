import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/web-mode'
// @ts-expect-error plain ESM script (also run as `npm run security:check`), no type declarations
import { highFindings, scanElectron } from '../../scripts/security-check.mjs'

interface Finding {
  id: string
  severity: string
  file: string | null
  line: number
}

describe('Electronegativity over the shipped bundles', () => {
  it('reports no HIGH finding in out/', async () => {
    const findings: Finding[] = await scanElectron(join(ROOT, 'out'))
    expect(highFindings(findings)).toEqual([])
    // The scan really looked at the window: it sees the BrowserWindow in the main bundle.
    expect(findings.some((f) => f.file === 'out/main/index.js')).toBe(true)
  }, 60_000)

  it('fails on a window without context isolation', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const dir = mkdtempSync(join(tmpdir(), 'afterlogin-eneg-'))
    writeFileSync(
      join(dir, 'main.js'),
      "const { BrowserWindow } = require('electron')\nnew BrowserWindow({ webPreferences: { contextIsolation: false, nodeIntegration: true } })\n"
    )
    const high: Finding[] = highFindings(await scanElectron(dir))
    expect(high.map((f) => f.id)).toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK']))
  }, 60_000)
})
