import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadPolicies, riskyActionsSchema } from '../../core/policies/policies'
import { scoreChain, type ScoreInput } from '../../core/detect/score'
import { cleanIp, countryCode, enrichIps, isReserved } from '../../core/enrich/ip-geo'
import riskyActions from '../../policies/risky-actions.json'
import classification from '../../policies/identity-classification.json'

const dirs: string[] = []
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

describe('shipped policies', () => {
  it('validate, carry a version, and give every anomaly MITRE ids, and OWASP NHI ids unless it is about people only', async () => {
    const p = await loadPolicies(null)
    expect(p.origin).toEqual({ riskyActions: 'default', classification: 'default', response: 'default', vpnAsns: 'default' })
    for (const file of [p.riskyActions, p.classification, p.response]) expect(file.version).toBeGreaterThanOrEqual(1)
    for (const [name, a] of Object.entries(p.riskyActions.anomalies)) {
      expect(a.attack.length, name).toBeGreaterThan(0)
      // What a person took around a send to a personal address, and the mail a person's mailbox sent on to an address
      // a finding reported, are told of people only.
      if (name === 'personal_exfiltration' || name === 'forwarded_mail') expect(a.owaspNhi).toBeNull()
      else expect(a.owaspNhi, name).toMatch(/^NHI\d+:2025$/)
    }
    // Risky actions are Sigma rules now (policies/sigma): the file keeps no rule list.
    expect('rules' in p.riskyActions).toBe(false)
  })

  it('take a case-local copy over the shipped file and name an invalid one with its reason', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'afterlogin-policy-'))
    dirs.push(dir)
    await mkdir(join(dir, 'policies'))
    const edited = { ...riskyActions, version: 7, reads: riskyActions.reads.slice(0, 3) }
    await writeFile(join(dir, 'policies', 'risky-actions.json'), JSON.stringify(edited))
    const p = await loadPolicies(join(dir, 'case.duckdb'))
    expect(p.riskyActions.version).toBe(7)
    expect(p.riskyActions.reads).toHaveLength(3)
    expect(p.origin.riskyActions).toBe(join(dir, 'policies', 'risky-actions.json'))
    expect(p.origin.response).toBe('default')

    await writeFile(join(dir, 'policies', 'risky-actions.json'), JSON.stringify({ ...edited, reads: [{ ...edited.reads[0], source: 'exfil', types: '(' }] }))
    await expect(loadPolicies(join(dir, 'case.duckdb'))).rejects.toThrow(/risky-actions\.json is not a valid policy[\s\S]*(source|regular expression)/)
    await writeFile(join(dir, 'policies', 'risky-actions.json'), JSON.stringify(edited))
    await writeFile(join(dir, 'policies', 'response-policy.json'), '{ not json')
    await expect(loadPolicies(join(dir, 'case.duckdb'))).rejects.toThrow(/not valid JSON/)
  })

  it('fill the anomalies a copy from an earlier version does not name from the shipped file, keeping the ones it does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'afterlogin-policy-'))
    dirs.push(dir)
    await mkdir(join(dir, 'policies'))
    const { scripted_sign_in: _new, flagged_network: _newer, ...older } = riskyActions.anomalies
    const copy = { ...riskyActions, anomalies: { ...older, new_network: { ...older.new_network, severity: 'high' } } }
    await writeFile(join(dir, 'policies', 'risky-actions.json'), JSON.stringify(copy))
    const p = await loadPolicies(join(dir, 'case.duckdb'))
    expect(p.riskyActions.anomalies.new_network.severity).toBe('high')
    expect(p.riskyActions.anomalies.scripted_sign_in.clients).toBe(riskyActions.anomalies.scripted_sign_in.clients)
    expect(p.riskyActions.anomalies.flagged_network.title).toBe(riskyActions.anomalies.flagged_network.title)
    // An anomaly the copy names is checked as written.
    await writeFile(
      join(dir, 'policies', 'risky-actions.json'),
      JSON.stringify({ ...copy, anomalies: { ...copy.anomalies, new_network: { severity: 'high' } } })
    )
    await expect(loadPolicies(join(dir, 'case.duckdb'))).rejects.toThrow(/risky-actions\.json is not a valid policy[\s\S]*new_network/)
  })

  it('read a copy written before detections were Sigma rules, keeping its settings and leaving its regex rules aside', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'afterlogin-policy-'))
    dirs.push(dir)
    await mkdir(join(dir, 'policies'))
    const legacy = {
      ...riskyActions,
      version: 3,
      rules: [{ id: 'okta.api-token', source: 'okta', types: '^system\\.api_token\\.create$', category: 'credential_created' }]
    }
    await writeFile(join(dir, 'policies', 'risky-actions.json'), JSON.stringify(legacy))
    const p = await loadPolicies(join(dir, 'case.duckdb'))
    expect(p.riskyActions.version).toBe(3)
    expect(p.riskyActions).not.toHaveProperty('rules')
    expect(p.riskyActions.anomalies).toEqual(riskyActions.anomalies)
  })

  it("read the organisation's declared mail domains from a case copy of the identity classification (lower-cased; a copy without them declares none; a text that is no domain is named)", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'afterlogin-policy-'))
    dirs.push(dir)
    await mkdir(join(dir, 'policies'))
    const file = join(dir, 'policies', 'identity-classification.json')
    await writeFile(file, JSON.stringify({ ...classification, internalDomains: ['Contoso.com', 'mail.contoso.co.uk'] }))
    expect((await loadPolicies(join(dir, 'case.duckdb'))).classification.internalDomains).toEqual(['contoso.com', 'mail.contoso.co.uk'])
    const older: Record<string, unknown> = { ...classification }
    delete older.internalDomains
    await writeFile(file, JSON.stringify(older))
    expect((await loadPolicies(join(dir, 'case.duckdb'))).classification.internalDomains).toEqual([])
    await writeFile(file, JSON.stringify({ ...classification, internalDomains: ['@contoso.com'] }))
    await expect(loadPolicies(join(dir, 'case.duckdb'))).rejects.toThrow(/identity-classification\.json is not a valid policy[\s\S]*mail domain/)
  })

  it('refuses look-around, which DuckDB cannot run', () => {
    const bad = { ...riskyActions, reads: [{ ...riskyActions.reads[0], types: '^(?!user)' }] }
    expect(riskyActionsSchema.safeParse(bad).success).toBe(false)
  })
})

describe('IP clean-up and enrichment', () => {
  it.each([
    ['203.0.113.7:51234', '203.0.113.7'],
    ['[2001:db8::1]:443', '2001:db8::1'],
    ['  87.123.45.67 ', '87.123.45.67'],
    ['::ffff:87.123.45.67', '87.123.45.67'],
    ['fe80::1%eth0', 'fe80::1'],
    ['Salesforce.com IP', null],
    ['ec2.amazonaws.com', null],
    ['REDACTED', null],
    ['999.1.1.1', null]
  ])('%s → %s', (raw, clean) => expect(cleanIp(raw)).toBe(clean))

  it('keeps private and documentation ranges unknown', () => {
    for (const ip of ['10.1.2.3', '192.168.0.1', '172.16.5.5', '100.64.0.1', '198.51.100.2', '203.0.113.9', '192.0.2.1', '::1', 'fd00::1', '2001:db8::5'])
      expect(isReserved(ip), ip).toBe(true)
    for (const ip of ['87.123.45.67', '189.40.50.60', '2a00:1450::1']) expect(isReserved(ip), ip).toBe(false)
  })

  it('normalizes country names and codes', () => {
    expect(countryCode('Germany')).toBe('DE')
    expect(countryCode('de')).toBe('DE')
    expect(countryCode('United States')).toBe('US')
    expect(countryCode('France')).toBe('FR')
    expect(countryCode('United Kingdom')).toBe('GB')
    // ICU names withdrawn codes after today's countries too (VD "Vietnam", HV "Burkina Faso"): today's code wins.
    for (const [name, code] of [
      ['Vietnam', 'VN'],
      ['Yemen', 'YE'],
      ['Benin', 'BJ'],
      ['Burkina Faso', 'BF'],
      ['Zimbabwe', 'ZW'],
      ['Vanuatu', 'VU'],
      ['Curaçao', 'CW'],
      ['Myanmar (Burma)', 'MM'],
      ['Serbia', 'RS']
    ])
      expect(countryCode(name)).toBe(code)
    expect(countryCode('Atlantis')).toBeNull()
    // The spellings logs write for ICU's names: the short name, "and" for "&", "Saint", no accents, a plain apostrophe.
    for (const [name, code] of [
      ['Hong Kong', 'HK'],
      ['Macao', 'MO'],
      ['Myanmar', 'MM'],
      ['Bosnia and Herzegovina', 'BA'],
      ['Trinidad and Tobago', 'TT'],
      ['Saint Lucia', 'LC'],
      ["Cote d'Ivoire", 'CI'],
      ["Côte d'Ivoire", 'CI'],
      ['Sao Tome and Principe', 'ST'],
      ['Curacao', 'CW'],
      ['Palestine', 'PS'],
      ['Tanzania, United Republic of', 'TZ']
    ])
      expect(countryCode(name), name).toBe(code)
    expect(countryCode('Korea')).toBeNull()
  })

  it("prefers the log's own geo and network, falls back to DB-IP, keeps a record's context for reserved ranges and never looks them up", async () => {
    const rows = await enrichIps(
      [
        { raw: '189.40.50.60:8080', city: null, country: null, lat: null, lon: null },
        { raw: '87.123.45.67', city: 'Paris', country: 'France', lat: 48.85, lon: 2.35 },
        { raw: '198.51.100.7', city: 'Paris', country: 'France', lat: 48.85, lon: 2.35 },
        { raw: 'Salesforce.com IP', city: null, country: null, lat: null, lon: null },
        { raw: '10.1.2.3', city: null, country: null, lat: null, lon: null },
        { raw: '203.0.113.9', city: null, country: null, lat: null, lon: null, asn: 64500, as_org: 'Example Transit' },
        { raw: '87.123.45.68', city: null, country: null, lat: null, lon: null, asn: 3320, as_org: 'Deutsche Telekom AG' }
      ],
      []
    )
    expect(rows[0]).toMatchObject({ ip: '189.40.50.60', country: 'BR', origin: 'mmdb' })
    expect(rows[0].lat).toBeLessThan(0)
    expect(rows[1]).toMatchObject({ country: 'FR', city: 'Paris', lat: 48.85, origin: 'log' })
    // A documentation address with the record's own geo (as Okta writes for sanitised exports) keeps it.
    expect(rows[2]).toMatchObject({ origin: 'log', country: 'FR', city: 'Paris', lat: 48.85 })
    expect(rows[3]).toMatchObject({ ip: null, origin: 'unknown' })
    expect(rows[4]).toMatchObject({ origin: 'private', country: null, lat: null, asn: null })
    expect(rows[5]).toMatchObject({ origin: 'log', country: null, lat: null, asn: 64500, as_org: 'Example Transit' })
    expect(rows[6]).toMatchObject({ asn: 3320, as_org: 'Deutsche Telekom AG' })
    expect(rows[6].country).not.toBeNull()
  })
})

describe('risk score and recommended response', () => {
  const row = (category: string, kind: 'action' | 'anomaly', sev: number, type = 'human', count = 1): ScoreInput => ({
    chain_id: 'c1',
    identity_type: type,
    kind,
    category,
    sev_rank: sev,
    count,
    title: category,
    detail: null
  })
  it('recommends terminating a session whose break-glass action comes with a context anomaly', async () => {
    const { response } = await loadPolicies(null)
    const s = scoreChain('c1', [row('data_export', 'action', 3, 'human', 20), row('impossible_travel', 'anomaly', 3)], response)
    expect(s.response).toBe('terminate-session')
    expect(s.risk).toBeGreaterThan(60)
    expect(s.reasons[0]).toMatch(/break-glass data_export with context anomaly impossible_travel/)
  })
  it('only watches the same export without an anomaly, and stays quiet without findings', async () => {
    const { response } = await loadPolicies(null)
    expect(scoreChain('c1', [row('data_export', 'action', 3)], response)).toMatchObject({ risk: 30, response: 'monitor' })
    expect(scoreChain('c1', [], response)).toEqual({ id: 'c1', risk: 0, response: 'none', reasons: [] })
  })
  it('does not ask a service account for step-up, and caps the score at 100', async () => {
    const { response } = await loadPolicies(null)
    const svc = scoreChain('c1', [row('privilege_change', 'action', 3, 'service'), row('mfa_change', 'action', 2, 'service')], response)
    expect(svc.response).toBe('revoke-tokens')
    expect(svc.reasons.at(-1)).toMatch(/step-up does not apply to a service identity/)
    const many = scoreChain(
      'c1',
      ['data_export', 'external_share', 'mail_forwarding', 'credential_created'].map((c) => row(c, 'action', 4)),
      response
    )
    expect(many.risk).toBe(100)
  })
  it('always terminates on activity after a revocation', async () => {
    const { response } = await loadPolicies(null)
    expect(scoreChain('c1', [row('post_revocation', 'anomaly', 4)], response).response).toBe('terminate-session')
  })
})
