import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Vitest global setup: every scratch file a test, a CLI child or a browser makes goes under one folder per run
 * (TMPDIR is inherited by the workers and what they spawn), removed when the run ends. Each test file gets its
 * own folder inside it, removed when the file is done (scratch-per-file.ts), so the big-file fixtures of one
 * file are gone before the next starts.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'afterlogin-tests-'))
  process.env.TMPDIR = root
  process.env.AFTERLOGIN_TEST_SCRATCH = root
  return () => rmSync(root, { recursive: true, force: true })
}
