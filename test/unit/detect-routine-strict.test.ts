import { describe, expect, it } from 'vitest'
import { importedBundle } from '../helpers/imported-chains'
import { ruleExample } from '../helpers/rule-examples'

type Rec = Record<string, any>

/** The Entra sign-ins and the unified audit log records imported into one case: its findings. */
const findings = async (signIns: Rec[], audit: Rec[]) => {
  const { sources, chains } = await importedBundle({ 'signins.json': { value: signIns }, 'm365.json': audit })
  expect(sources).toEqual(['entra', 'm365'])
  return chains.flatMap((c) => c.findings)
}

// A delegate's read of another person's mailbox (m365/mailbox-read-by-other, `routine: strict`): the network of the
// reader's first sign-in in the case does not make it theirs, for a backdoor account reads from its very first.
describe('strict routine rules (afterlogin.routine: strict)', () => {
  it("reports another person's mail read from the address of the reader's first sign-in", async () => {
    const read = ruleExample('m365/mailbox-read-by-other')
    read.ClientIP = read.ClientIPAddress = '203.0.113.66'
    const signIn = ruleExample('entra/device-code-sign-in', 'nomatch')
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
