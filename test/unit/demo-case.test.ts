import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Workbench } from '../../core/workbench'

const dirs: string[] = []
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

describe('demo case', () => {
  it('imports the generated hijack bundle on first open and leaves it alone afterwards', async () => {
    const home = await mkdtemp(join(tmpdir(), 'afterlogin-demo-'))
    dirs.push(home)
    const wb = new Workbench({ dataDir: home, transport: 'web', version: 'test' })
    try {
      const info = await wb.handlers['case.openDemo']({})
      expect(info.events).toBeGreaterThan(1500)
      const files = await readdir(join(home, 'cases', 'demo', 'bundle'))
      expect(files.filter((f) => f.startsWith('part-')).length).toBe(11)
      const top = (await wb.handlers['chains.list']({ offset: 0, limit: 5, sort: 'risk', filter: {} })).rows[0]
      expect(top.identity).toBe('maria.chen@acme.example')
      expect(top.response).toBe('terminate-session')
      wb.close()
      const again = await wb.handlers['case.openDemo']({})
      expect(again.events).toBe(info.events)
    } finally {
      wb.close()
    }
  }, 120_000)
})
