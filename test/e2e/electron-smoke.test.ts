import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/web-mode'

/** Where Electron's binary was downloaded (a user's machine), drive the real window; elsewhere say skipped. */
const electronBinary = (): string | null => {
  try {
    const dir = join(createRequire(import.meta.url).resolve('electron'), '..')
    const rel = join(dir, 'path.txt')
    if (!existsSync(rel)) return null
    const bin = join(dir, 'dist', readFileSync(rel, 'utf8').trim())
    return existsSync(bin) ? bin : null
  } catch {
    return null
  }
}

const binary = electronBinary()

describe('desktop window (Electron)', () => {
  it.skipIf(!binary)('opens the hardened window and shows the demo case', async () => {
    const { _electron } = await import('playwright-core')
    const app = await _electron.launch({ executablePath: binary!, args: [join(ROOT, 'out/main/index.js')] })
    const win = await app.firstWindow()
    await win.locator('[data-testid="shell"][data-ready="true"]').waitFor()
    expect(await win.evaluate('typeof require')).toBe('undefined')
    await app.close()
  })
})
