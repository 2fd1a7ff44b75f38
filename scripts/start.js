#!/usr/bin/env node
// `npm start`: build when needed, then open the desktop window — or, where Electron's binary could not be
// downloaded (its host is outside the npm registry), say so in one line and start the local web mode.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const built = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'out/cli/index.js'].map((p) => join(root, p))

const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((max, e) => {
    const p = join(dir, e.name)
    return Math.max(max, e.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }, 0)

const stale = () => {
  if (!built.every(existsSync)) return true
  const oldest = Math.min(...built.map((p) => statSync(p).mtimeMs))
  return ['main', 'preload', 'renderer', 'core', 'contract', 'cli', 'queries'].some((d) => newest(join(root, d)) > oldest)
}

if (stale()) {
  const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}

const electronBinary = () => {
  const dir = join(root, 'node_modules', 'electron')
  const file = join(dir, 'path.txt')
  if (!existsSync(file)) return null
  const bin = join(dir, 'dist', readFileSync(file, 'utf8').trim())
  return existsSync(bin) ? bin : null
}

const bin = electronBinary()
const child = bin
  ? spawn(bin, [join(root, 'out/main/index.js')], { stdio: 'inherit' })
  : (console.log('Electron binary not available on this machine — starting the local web mode instead; open the URL below.'),
    spawn(process.execPath, [join(root, 'bin/afterlogin.js'), 'web', ...process.argv.slice(2)], { stdio: 'inherit' }))
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
child.on('exit', (code) => process.exit(code ?? 0))
