import { describe, expect, it } from 'vitest'
import { gwsActivity, type Net } from '../helpers/gws-activity'
import { importedChains } from '../helpers/imported-chains'

// Google Workspace: Daan's mail forwarded to an outside mailbox (a user_accounts forwarding change, reported by the
// catalog), and Gmail's delivery records of his mail before and after, each naming its destinations.
const DAAN = 'daan.visser@tessellate.example'
const HOME: Net = { ip: '84.241.197.12', asn: 33915, region: 'NL' }
const OUTSIDE = 'dvisser.mailarchive@gmx.example'

const forwarding = (time: string) =>
  gwsActivity(DAAN, time, 'user_accounts', 'email_forwarding_change', 'email_forwarding_out_of_domain', HOME, [
    { name: 'email_forwarding_destination_address', value: OUTSIDE }
  ])
const delivery = (time: string, subject: string, to: string[]) => {
  const d = gwsActivity(DAAN, time, 'gmail', 'delivery_type', 'delivery', HOME, [
    {
      name: 'event_info',
      messageValue: {
        parameter: [
          { name: 'mail_event_type', intValue: '11' },
          { name: 'success', boolValue: true }
        ]
      }
    },
    {
      name: 'message_info',
      messageValue: {
        parameter: [
          { name: 'subject', value: subject },
          { name: 'source', messageValue: { parameter: [{ name: 'address', value: 'alerts@bank.example' }] } },
          { name: 'destination', multiMessageValue: to.map((address) => ({ parameter: [{ name: 'address', value: address }] })) }
        ]
      }
    }
  ])
  delete (d as { ipAddress?: string }).ipAddress
  return d
}

const forwarded = async (items: object[]) =>
  (await importedChains('gws.json', { kind: 'admin#reports#activities', items })).chains
    .flatMap((c) => c.findings)
    .filter((f) => f.category === 'forwarded_mail')
    .map((f) => [f.eventIds.length, f.title])

describe('mail delivered to an address a finding reported forwarding to (forwarded_mail)', () => {
  it('names the deliveries to the outside address after the forwarding, not before it nor to other addresses', async () => {
    expect(
      await forwarded([
        delivery('2026-03-10T08:00:00.000Z', 'Statement February', [DAAN, OUTSIDE]),
        forwarding('2026-03-10T09:00:00.000Z'),
        delivery('2026-03-10T11:00:00.000Z', 'Statement March', [DAAN, OUTSIDE]),
        delivery('2026-03-10T11:30:00.000Z', 'Lunch?', [DAAN, 'friend@elsewhere.example'])
      ])
    ).toEqual([[1, `Mail delivered to an address a finding reported mail being forwarded to (${OUTSIDE}): delivery → Statement March`]])
  })

  it('names nothing without such a finding', async () => {
    expect(await forwarded([delivery('2026-03-10T11:00:00.000Z', 'Statement March', [DAAN, OUTSIDE])])).toEqual([])
  })
})
