import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getCurrentFuseWire } from '@electron/fuses'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/web-mode'
import { expectShippedFuses } from '../helpers/fuses'
import { fakeElectron } from '../helpers/fake-electron'

const require = createRequire(join(ROOT, 'package.json'))
const asar = require('@electron/asar') as { listPackage: (archive: string, o?: object) => string[] }

// The real electron-builder pipeline (file selection, asar, asarUnpack, afterPack fuses, sanity checks) run
// for the `dir` target against a stand-in Electron distribution, since Electron's binary cannot be downloaded
// here. The installers (AppImage, deb, dmg, nsis) need further tool downloads and are exercised only in release CI.
describe('electron-builder --dir with a stand-in Electron', () => {
  it('packs the built app into app.asar, unpacks DuckDB, and flips the fuses of the binary', async () => {
    if (!existsSync(join(ROOT, 'out/main/index.js'))) throw new Error('npm run build first')
    const work = mkdtempSync(join(tmpdir(), 'afterlogin-dist-'))
    try {
      await packAndCheck(work)
    } finally {
      // The unpacked app holds a copy of the production node_modules (~200 MB).
      rmSync(work, { recursive: true, force: true })
    }
  }, 120_000)
})

/** Runs electron-builder for the `dir` target in `work` and checks what it produced. */
const packAndCheck = async (work: string): Promise<void> => {
  const electronDist = join(work, 'electron')
  mkdirSync(join(electronDist, 'locales'), { recursive: true })
  mkdirSync(join(electronDist, 'resources'))
  fakeElectron(join(electronDist, 'electron'))
  writeFileSync(join(electronDist, 'locales/en-US.pak'), 'stand-in')
  const out = join(work, 'dist')
  const run = spawnSync(
    process.execPath,
    [
      require.resolve('electron-builder/cli.js'),
      '--linux',
      'dir',
      '--config',
      'electron-builder.yml',
      `-c.electronDist=${electronDist}`,
      `-c.directories.output=${out}`
    ],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ELECTRON_BUILDER_OFFLINE: 'true' }, timeout: 90_000 }
  )
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0)
  expect(run.stdout).toMatch(/electron fuses flipped and verified/)

  const app = join(out, 'linux-unpacked')
  const files = asar.listPackage(join(app, 'resources/app.asar'), { isPack: false })
  expect(files).toEqual(expect.arrayContaining(['/package.json', '/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html']))
  const own = files.filter((f) => f !== '/node_modules' && !f.startsWith('/node_modules/'))
  // Nothing but the three bundles and package.json: no sources, tests, CLI bundle or source maps ship.
  expect(own.filter((f) => !/^\/(out\/(main|preload|renderer)(\/|$)|out$|package\.json$)/.test(f))).toEqual([])
  expect(files.some((f) => f.endsWith('.map'))).toBe(false)
  expect(files).toContain('/node_modules/@duckdb/node-api/package.json')
  expect(files.some((f) => f.startsWith('/node_modules/electron/'))).toBe(false)
  expect(files.some((f) => f.startsWith('/node_modules/vitest/'))).toBe(false)
  expect(existsSync(join(app, 'resources/app.asar.unpacked/node_modules/@duckdb/node-bindings-linux-x64/duckdb.node'))).toBe(true)
  expect(existsSync(join(app, 'resources/app.asar.unpacked/node_modules/@duckdb/node-bindings-linux-x64/libduckdb.so'))).toBe(true)

  const wire = await getCurrentFuseWire(join(app, 'afterlogin'))
  expectShippedFuses(wire)
}
