import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'

// Setup file: this test file's scratch folder, inside the run's (scratch-tmp.ts), removed after its last hook.
const dir = mkdtempSync(join(process.env.AFTERLOGIN_TEST_SCRATCH ?? tmpdir(), 'file-'))
process.env.TMPDIR = dir
afterAll(() => rmSync(dir, { recursive: true, force: true }))
