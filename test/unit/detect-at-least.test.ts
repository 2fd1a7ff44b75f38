import { describe, expect, it } from 'vitest'
import { parseRuleFile } from '../../core/detect/sigma/parse-rule'
import { importedChains } from '../helpers/imported-chains'
import { ruleExample } from '../helpers/rule-examples'

// Slack downloads (policies/sigma/slack/file-downloaded.yml: routine, afterlogin.atLeast 2) from an address nobody in
// the case had used: one download in a session is everyday work, two are reported.
type Rec = Record<string, any>
const download: Rec = ruleExample('slack/file-downloaded')
let n = 0
const downloads = (email: string, count: number, session: number): Rec[] =>
  Array.from({ length: count }, (_, i) => {
    const r = structuredClone(download)
    r.id = `7c1e9a20-0000-4a4b-9c8d-${String(++n).padStart(12, '0')}`
    r.date_create = 1764669340 + i * 40
    r.actor = { type: 'user', user: { ...r.actor.user, email, id: `W0${email.length}X${session}` } }
    r.context = { ...r.context, ip_address: '185.220.101.47', session_id: session }
    return r
  })

describe('afterlogin.atLeast', () => {
  it('reports downloads from a new network only when one session takes at least two', async () => {
    const { source, chains } = await importedChains('slack.json', {
      entries: [...downloads('ana@northwind.example', 1, 101), ...downloads('ben@northwind.example', 2, 102), ...downloads('cho@northwind.example', 3, 103)]
    })
    expect(source).toBe('slack')
    const flagged = chains.filter((c) => c.findings.some((f) => f.category === 'data_export')).map((c) => c.identity)
    expect(flagged.sort()).toEqual(['ben@northwind.example', 'cho@northwind.example'])
  })

  // The session's other takings count too: a workspace export started beside one download (another rule of the
  // category), or a second download refused, make two.
  it('counts the session’s other takings of its category, and the tries refused', async () => {
    const [one] = downloads('gus@northwind.example', 1, 107)
    const exported: Rec = structuredClone(ruleExample('slack/workspace-export-started-or-downloaded'))
    Object.assign(exported, { id: '7c1e9a20-0000-4a4b-9c8d-e00000000001', date_create: one.date_create + 120, actor: one.actor })
    exported.context = { ...exported.context, ip_address: one.context.ip_address, session_id: 107 }
    const [alone] = downloads('hal@northwind.example', 1, 108)
    const { chains } = await importedChains('slack.json', { entries: [one, exported, alone] })
    const reported = chains.flatMap((c) => c.findings.filter((f) => f.category === 'data_export').flatMap((f) => f.eventIds))
    expect(reported).toContain(`slack:${one.id}`)
    expect(reported).not.toContain(`slack:${alone.id}`)
  })

  // Downloads are everyday work: from the network of the user's first sign-in in the case they are the user's.
  it('does not report downloads from where the user first signed in', async () => {
    const [login] = downloads('dee@northwind.example', 1, 104)
    login.action = 'user_login'
    login.entity = { type: 'user', user: login.actor.user }
    login.date_create -= 600
    const { chains } = await importedChains('slack.json', { entries: [login, ...downloads('dee@northwind.example', 3, 104)] })
    expect(chains.filter((c) => c.findings.some((f) => f.category === 'data_export'))).toEqual([])
  })

  // Slack's own verdict on the address (its session anomaly) makes one download from it enough: the intruder's Tor
  // exit is not where anyone works.
  it('reports a single download from an address a vendor flagged', async () => {
    const anomaly: Rec = ruleExample('slack/session-anomaly')
    const [one] = downloads('eve@northwind.example', 1, 105)
    const flagged: Rec = { ...structuredClone(anomaly), date_create: one.date_create - 300, actor: one.actor, entity: { type: 'user', user: one.actor.user } }
    flagged.context = { ...flagged.context, ip_address: one.context.ip_address, session_id: 105 }
    flagged.details = { ...flagged.details, ip_address: one.context.ip_address }
    // Another person's single download from a new address no verdict spoke against stays everyday work.
    const [other] = downloads('fay@northwind.example', 1, 106)
    other.context = { ...other.context, ip_address: '203.0.113.77' }
    const { chains } = await importedChains('slack.json', { entries: [flagged, one, other] })
    const exported = chains.filter((c) => c.findings.some((f) => f.category === 'data_export')).map((c) => c.identity)
    expect(exported).toEqual(['eve@northwind.example'])
  })

  it('is a whole number of matches, 1 or more', () => {
    const rule = (v: string): string[] =>
      parseRuleFile(
        `title: t\nlogsource:\n  product: slack\ndetection:\n  s:\n    action: x\n  condition: s\nafterlogin:\n  atLeast: ${v}\n`,
        't.yml'
      ).checks.map((c) => c.status)
    expect(rule('3')).toEqual(['ok'])
    expect(rule('0')).toEqual(['error'])
    expect(rule('1.5')).toEqual(['error'])
  })
})
