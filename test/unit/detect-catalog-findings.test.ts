import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importedChains } from '../helpers/imported-chains'
import { ruleExample } from '../helpers/rule-examples'
import { ROOT } from '../helpers/web-mode'

// Three admin changes of one Okta session, each matched by a rule of its own in the same category (admin_change):
// each is reported by its rule, with what it changed, not folded under the worst rule's title.
type Rec = Record<string, any>
const example = (rule: string): Rec => ruleExample(`okta/${rule}`)
const rules = ['identity-provider-changed', 'trusted-origin-changed', 'application-changed']
const titleOf = (rule: string): string => /^title: (.+)$/m.exec(readFileSync(join(ROOT, 'policies/sigma/okta', `${rule}.yml`), 'utf8'))![1]

const session = (): Rec[] =>
  rules.map((rule, i) => {
    const r = structuredClone(example(rule))
    r.uuid = `5d1f0c8e-7a3b-4c2d-9e1f-00000000000${i}`
    r.published = new Date(Date.parse('2026-11-30T16:30:00Z') + i * 60_000).toISOString()
    r.actor = { ...r.actor, id: '00u8q2k1xNVAdmin0697', alternateId: 'nadia.ferreira@northwind-labs.com', displayName: 'Nadia Ferreira' }
    r.authenticationContext = { ...r.authenticationContext, rootSessionId: 'idxHijacked01', externalSessionId: 'idxHijacked01' }
    r.client = { ...r.client, ipAddress: '185.220.101.47' }
    return r
  })

describe('catalog findings', () => {
  it("names each of a session's changes by its own rule, with its own values, and counts the category once in the risk", async () => {
    const records = session()
    const { source, chains } = await importedChains('okta.json', records)
    expect(source).toBe('okta')
    expect(chains).toHaveLength(1)
    const admin = chains[0].findings.filter((f) => f.category === 'admin_change')
    expect(admin.map((f) => f.title.split(' → ')[0]).sort()).toEqual(rules.map(titleOf).sort())
    // Every change's own record is the proof of exactly one of them, and each title quotes its target.
    expect(admin.flatMap((f) => f.eventIds).sort()).toEqual(records.map((r) => `okta:${r.uuid}`).sort())
    for (const [i, rule] of rules.entries()) {
      const f = admin.find((x) => x.title.startsWith(titleOf(rule)))!
      expect(f.eventIds).toEqual([`okta:${records[i].uuid}`])
      for (const t of records[i].target ?? []) if (t.displayName) expect(f.title).toContain(t.displayName)
    }
    expect(chains[0].reasons.filter((r) => r.startsWith('admin_change '))).toHaveLength(1)
  })
})

// A vendor's verdict on a sign-in (a context rule) that the tenant refused: the finding says it was refused, and why.
describe('a refused sign-in a context rule flagged', () => {
  it('says why it was refused', async () => {
    const rec: Rec = ruleExample('entra/token-theft-risk-detected')
    rec.status = { errorCode: 50173, failureReason: 'The provided grant has expired due to it being revoked.', additionalDetails: null }
    const { source, chains } = await importedChains('entra_signins.json', { value: [rec] })
    expect(source).toBe('entra')
    const [f] = chains.flatMap((c) => c.findings).filter((x) => x.category === 'rule_match')
    expect(f.title).toContain('refused: 50173: The provided grant has expired due to it being revoked.')
  })
})

// A value that two rules matching the same event both quote (the user and address of a sign-in Okta refused from an
// anonymizing proxy: the policy rule's and the proxy rule's) is named once, and so is the reason it was refused.
describe('the values a finding quotes', () => {
  it('names each value once', async () => {
    const rec: Rec = ruleExample('okta/sign-in-denied-by-policy')
    rec.client = { ...rec.client, ipAddress: '185.220.101.47' }
    rec.securityContext = { ...rec.securityContext, isProxy: true, asOrg: 'tor exit node operator' }
    const { chains } = await importedChains('okta.json', [rec])
    const [f] = chains.flatMap((c) => c.findings).filter((x) => x.category === 'attempt' && x.title.includes(' → '))
    const quoted = f.title.split(' → ')[1].split(' — ')[0].split(', ')
    expect(quoted).toContain(rec.actor.alternateId)
    expect(quoted).toEqual([...new Set(quoted)])
    // Why it was refused is quoted already: not said again.
    expect(f.title.split(rec.outcome.reason)).toHaveLength(2)
  })
})
