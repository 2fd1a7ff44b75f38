import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runImport } from '../../core/import/index'
import { Workbench } from '../../core/workbench'
import { ROOT } from '../helpers/web-mode'

type Rec = Record<string, any>
const example = (rule: string, kind: 'match' | 'nomatch' = 'match'): Rec =>
  structuredClone(JSON.parse(readFileSync(join(ROOT, `policies/sigma/${rule}.examples.json`), 'utf8'))[kind][0])

/** Imports the Entra sign-ins and the unified audit log records into one case and returns its findings. */
const findings = async (signIns: Rec[], audit: Rec[]) => {
  const dir = await mkdtemp(join(tmpdir(), 'afterlogin-strict-'))
  try {
    await writeFile(join(dir, 'signins.json'), JSON.stringify({ value: signIns }))
    await writeFile(join(dir, 'm365.json'), JSON.stringify(audit))
    const wb = new Workbench({ dataDir: join(dir, 'home'), transport: 'web', version: 'test' })
    await wb.open(join(dir, 'case.duckdb'))
    try {
      const summary = await runImport(wb.requireCase().db, [join(dir, 'signins.json'), join(dir, 'm365.json')])
      expect(summary.files.map((f) => f.source).sort()).toEqual(['entra', 'm365'])
      return (await wb.handlers['chains.list']({ offset: 0, limit: 100, sort: 'risk', filter: {} })).rows.flatMap((c) => c.findings)
    } finally {
      wb.close()
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

// A delegate's read of another person's mailbox (m365/mailbox-read-by-other, `routine: strict`): the network of the
// reader's first sign-in in the case does not make it theirs, for a backdoor account reads from its very first.
describe('strict routine rules (afterlogin.routine: strict)', () => {
  it("reports another person's mail read from the address of the reader's first sign-in", async () => {
    const read = example('m365/mailbox-read-by-other')
    read.ClientIP = read.ClientIPAddress = '203.0.113.66'
    const signIn = example('entra/device-code-sign-in', 'nomatch')
    Object.assign(signIn, {
      id: 'strict-signin-1',
      createdDateTime: '2026-11-24T06:10:14Z',
      userPrincipalName: read.UserId,
      ipAddress: '203.0.113.66',
      authenticationProtocol: 'none',
      appDisplayName: 'Office 365 Exchange Online',
      clientAppUsed: 'Browser',
      userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      isInteractive: true,
      conditionalAccessStatus: 'success',
      status: { errorCode: 0 },
      riskEventTypes_v2: [],
      riskLevelDuringSignIn: 'none',
      riskLevelAggregated: 'none'
    })
    delete signIn.originalTransferMethod
    const exported = (await findings([signIn], [read])).filter((f) => f.category === 'data_export')
    expect(exported).toHaveLength(1)
    expect(exported[0].title).toContain(read.MailboxOwnerUPN)
  })
})
