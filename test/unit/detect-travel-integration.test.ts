import { describe, expect, it } from 'vitest'
import { importedChains } from '../helpers/imported-chains'

// Slack audit log entries: an admin signs in at the London office, and three minutes later her identity provider's
// provisioning integration creates a new hire's account under her token, from the provider's servers in Virginia.
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
const admin = { type: 'user', user: { id: 'W05BTADMIN1', name: 'Hannah Okafor', email: 'hannah.okafor@blackthorn.games', team: 'E05BT7GQ2KD' } }
const location = { type: 'workspace', id: 'T05BT7H1L9C', name: 'Blackthorn Games', domain: 'blackthorn-studio' }

const entries = (provisioningUa: string) => ({
  entries: [
    {
      id: 'a1b2c3d4-0001-4000-8000-000000000001',
      date_create: 1773131400,
      action: 'user_login',
      actor: admin,
      entity: { type: 'user', user: admin.user },
      context: { location, ua: CHROME, ip_address: '81.144.218.34', session_id: 7301938475012 },
      details: null
    },
    {
      id: 'a1b2c3d4-0002-4000-8000-000000000002',
      date_create: 1773131580,
      action: 'user_created',
      actor: admin,
      entity: { type: 'user', user: { id: 'U0AKWATNB3X', name: 'Kenji Watanabe', email: 'kenji.watanabe@blackthorn.games', team: 'E05BT7GQ2KD' } },
      // The same session as her sign-in, so that the hop would be measured inside one chain.
      context: { location, ua: provisioningUa, ip_address: '52.94.133.131', session_id: 7301938475012 },
      details: null
    }
  ]
})

const travel = async (provisioningUa: string) =>
  (await importedChains('slack.json', entries(provisioningUa))).chains.flatMap((c) => c.findings).filter((f) => f.category === 'impossible_travel')

describe('impossible travel and the services that act for a person', () => {
  it('does not measure a hop to an event a provisioning integration ran for the person: it is where the service runs', async () => {
    expect(await travel('OKTA Slack Integration')).toEqual([])
  })

  it('measures the same hop when the person’s own browser made the second event', async () => {
    expect((await travel(CHROME)).map((f) => f.title)).toEqual([expect.stringMatching(/^Impossible travel: .*GB → .*US/)])
  })
})
