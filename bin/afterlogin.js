#!/usr/bin/env node
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

// `afterlogin sessions --json | head -1`: once the reader has gone, the rest of the output has nowhere to go.
// Ending quietly with 0 is what shell pipelines expect (like SIGPIPE for C tools); any other stream error is real.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0)
  throw err
})
// A closed stderr must not turn a failure's exit code into a crash (or into success): its messages are dropped.
process.stderr.on('error', (err) => {
  if (err.code !== 'EPIPE') throw err
})

const entry = fileURLToPath(new URL('../out/cli/index.js', import.meta.url))
if (!existsSync(entry)) {
  console.error('afterlogin: not built yet — run `npm run build` first')
  process.exit(2)
}
const { main } = await import(entry)
process.exitCode = await main(process.argv.slice(2))
