import { mkdtempSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses'
import { describe, expect, it } from 'vitest'
import { fakeElectron } from '../helpers/fake-electron'
import { ROOT } from '../helpers/web-mode'
import { expectShippedFuses } from '../helpers/fuses'
// @ts-expect-error plain ESM hook script run by electron-builder, no type declarations
import afterPack, { electronBinary, FUSES, verifyFuses } from '../../scripts/electron-fuses.mjs'

const require = createRequire(join(ROOT, 'package.json'))
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config')
const { DebugLogger } = require('builder-util')

const loadConfig = async () => getConfig(ROOT, join(ROOT, 'electron-builder.yml'), null)

describe('electron-builder configuration', () => {
  it('passes electron-builder’s own schema validation (and a broken one does not)', async () => {
    const config = await loadConfig()
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
    await expect(validateConfiguration({ ...config, asarUnpackk: ['x'] }, new DebugLogger(false))).rejects.toThrow(/asarUnpackk/)
  })

  it('packs the app into an asar with DuckDB’s native binding unpacked', async () => {
    const config = await loadConfig()
    expect(config.asar).toBe(true)
    expect(config.asarUnpack).toContain('node_modules/@duckdb/**')
    const { minimatch } = require('minimatch') as { minimatch: (p: string, g: string, o?: object) => boolean }
    // Every native file DuckDB installs here is covered by an asarUnpack pattern.
    const natives = ['node_modules/@duckdb/node-bindings-linux-x64/duckdb.node', 'node_modules/@duckdb/node-bindings-linux-x64/libduckdb.so']
    for (const file of natives) expect(config.asarUnpack.some((g: string) => minimatch(file, g, { dot: true }))).toBe(true)
    expect(config.npmRebuild).toBe(false)
    expect(config.files[0].filter ?? config.files).toEqual(expect.arrayContaining(['out/main/**', 'out/preload/**', 'out/renderer/**', '!**/*.map']))
  })

  it('targets AppImage + deb, dmg and nsis, publishes nothing, and flips fuses after packing', async () => {
    const config = await loadConfig()
    expect(config.linux.target).toEqual(['AppImage', 'deb'])
    expect(config.mac.target).toEqual(['dmg'])
    expect(config.mac.hardenedRuntime).toBe(true)
    expect(config.win.target).toEqual(['nsis'])
    expect(config.publish).toBeNull()
    expect(config.afterPack).toBe('./scripts/electron-fuses.mjs')
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
    expect(pkg.scripts.dist).toMatch(/npm run build && electron-builder --config electron-builder\.yml/)
    expect(pkg.main).toBe('out/main/index.js')
    expect(pkg.dependencies.electron).toBeUndefined()
  })
})

describe('Electron fuses', () => {
  it('sets every fuse explicitly, with the hardening ones off/on', () => {
    expect(FUSES.strictlyRequireAllFuses).toBe(true)
    expect(FUSES[FuseV1Options.RunAsNode]).toBe(false)
    expect(FUSES[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false)
    expect(FUSES[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false)
    expect(FUSES[FuseV1Options.EnableCookieEncryption]).toBe(true)
    expect(FUSES[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true)
    expect(FUSES[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true)
    const known = Object.values(FuseV1Options).filter((v) => typeof v === 'number')
    for (const index of known) expect(typeof FUSES[index], FuseV1Options[index as number]).toBe('boolean')
  })

  it('the afterPack hook flips a binary’s wire and verifies it by reading it back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'afterlogin-fuses-'))
    fakeElectron(join(dir, 'afterlogin'))
    const context = { appOutDir: dir, electronPlatformName: 'linux', packager: { executableName: 'afterlogin', appInfo: { productFilename: 'Afterlogin' } } }
    expect(electronBinary(context)).toBe(join(dir, 'afterlogin'))
    expect(electronBinary({ ...context, electronPlatformName: 'win32' })).toBe(join(dir, 'Afterlogin.exe'))
    expect(electronBinary({ ...context, electronPlatformName: 'darwin' })).toBe(join(dir, 'Afterlogin.app'))
    await afterPack(context)
    const wire = await getCurrentFuseWire(join(dir, 'afterlogin'))
    expectShippedFuses(wire)
  })

  it('refuses a binary whose wire has a fuse nobody decided on, and names a fuse left in the wrong state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'afterlogin-fuses-'))
    fakeElectron(join(dir, 'afterlogin'), '1011000111')
    const context = { appOutDir: dir, electronPlatformName: 'linux', packager: { executableName: 'afterlogin', appInfo: { productFilename: 'Afterlogin' } } }
    await expect(afterPack(context)).rejects.toThrow(/strictlyRequireAllFuses/)
    fakeElectron(join(dir, 'untouched'))
    await expect(verifyFuses(join(dir, 'untouched'))).rejects.toThrow(/RunAsNode.*EnableNodeOptionsEnvironmentVariable/)
  })
})
