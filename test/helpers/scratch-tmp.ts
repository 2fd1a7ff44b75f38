import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Vitest global setup: every scratch file a test, a CLI child or a browser makes goes under one folder per run
 * (TMPDIR is inherited by the workers and what they spawn), removed when the run ends, so a suite that writes
 * hundreds of megabytes of big-file fixtures leaves none of them behind.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'afterlogin-tests-'))
  process.env.TMPDIR = root
  return () => rmSync(root, { recursive: true, force: true })
}
