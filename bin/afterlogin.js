#!/usr/bin/env node
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const entry = fileURLToPath(new URL('../out/cli/index.js', import.meta.url))
if (!existsSync(entry)) {
  console.error('afterlogin: not built yet — run `npm run build` first')
  process.exit(2)
}
const { main } = await import(entry)
process.exitCode = await main(process.argv.slice(2))
