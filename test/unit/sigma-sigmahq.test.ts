import { existsSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkRules } from '../../core/detect/sigma/check'
import { folderFiles } from '../../core/detect/sigma/load'

// The public SigmaHQ rules for the log sources Afterlogin reads: all of them load without an exception, every
// rule parses, and every one that applies to a supported source (and is not deprecated) compiles and runs.
const ROOT = join(import.meta.dirname, '..', '..')
const SIGMAHQ = join(ROOT, '..', 'shared', 'sigma', 'rules')
const present = existsSync(SIGMAHQ)

describe.skipIf(!present)('SigmaHQ rules (../shared/sigma/rules)', () => {
  it('parse, apply and compile, with a named reason for each that does not', async () => {
    const files = await folderFiles(SIGMAHQ)
    expect(files.length).toBeGreaterThan(200)
    const checks = await checkRules(files)
    const deprecated = new Set(files.filter((f) => /^status:\s*deprecated/m.test(f.text)).map((f) => f.path))
    const count = (s: string) => checks.filter((c) => c.status === s).length
    const notOk = checks.filter((c) => c.status !== 'ok').map((c) => `${c.status} ${relative(SIGMAHQ, c.path)}: ${c.reason}`)
    process.stdout.write(
      `SigmaHQ: ${files.length} files, ${checks.length} rules: ${checks.length - count('error')} parse, ${count('ok')} apply to a supported source and compile, ` +
        `${count('not_applicable')} not applicable, ${count('unsupported')} unsupported, ${count('error')} errors\n${notOk.join('\n')}\n`
    )
    for (const c of checks) expect(c.reason === null || c.reason.length > 0).toBe(true)
    expect(checks.filter((c) => c.status === 'error').map((c) => `${c.path}: ${c.reason}`)).toEqual([])
    const failing = checks.filter((c) => c.status === 'unsupported' && !deprecated.has(c.path))
    expect(failing.map((c) => `${relative(SIGMAHQ, c.path)}: ${c.reason}`)).toEqual([])
    // Every not-applicable verdict names the logsource it could not map.
    for (const c of checks.filter((x) => x.status === 'not_applicable')) expect(c.reason).toMatch(/logsource .* maps to no Afterlogin source/)
    expect(readFileSync(files[0].path, 'utf8').length).toBeGreaterThan(0)
  }, 120_000)
})
