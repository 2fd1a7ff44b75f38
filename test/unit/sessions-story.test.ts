import { describe, expect, it } from 'vitest'
import type { ChainRow, Finding } from '../../contract/sessions'
import { listOf, reasonsInWords, tellStory, type FindingFacts, type StoryInput } from '../../core/sessions/story'

// Chains built by hand in the read model's shape: the story must follow from whatever the data says.
const finding = (over: Partial<Finding> & Pick<Finding, 'id' | 'category' | 'title'>): Finding => ({
  severity: 'high',
  detail: null,
  attack: [],
  owaspNhi: null,
  eventIds: [],
  sessionId: null,
  rule: null,
  afterPivot: false,
  ...over
})

const facts = (over: Partial<FindingFacts>): FindingFacts => ({
  kind: 'action',
  source: 'okta',
  app: null,
  events: 1,
  failures: 0,
  sourceTypes: [],
  targets: [],
  targetCount: 0,
  first: '2026-03-10T12:00:00.000Z',
  ...over
})

const chain = (over: Partial<ChainRow>): ChainRow => ({
  id: 'c1',
  identity: 'maria.chen@acme.example',
  identityType: 'human',
  actingFor: null,
  apps: ['okta'],
  ips: [],
  countries: [],
  start: '2026-03-10T08:10:00.000Z',
  end: '2026-03-10T13:49:28.000Z',
  events: 12,
  risk: 0,
  response: 'none',
  reasons: [],
  findings: [],
  pivot: null,
  ...over
})

const start = {
  source: 'okta',
  app: 'Okta',
  action: 'User login to Okta',
  sourceType: 'user.session.start',
  outcome: 'success',
  ip: '87.123.45.67',
  city: 'Frankfurt am Main',
  country: 'DE',
  asn: 3320,
  asOrg: 'Deutsche Telekom AG',
  vpn: false
}

const PIVOT_UID = 'okta:pivot'

/** A hijack as the read model gives it: a pivot with its changes, anomalies on the pivot event, actions after it. */
const hijack = (): StoryInput => {
  const findings = [
    finding({
      id: 'f-travel',
      category: 'impossible_travel',
      title: 'Impossible travel: Frankfurt am Main, DE → Sao Paulo, BR, 9830 km in 96 min',
      eventIds: ['sf:1', PIVOT_UID],
      afterPivot: true
    }),
    finding({
      id: 'f-fwd',
      category: 'mail_forwarding',
      title: 'Mail forwarding rule created → drop.box.2291@gmail.com',
      detail: 'Exchange:New-InboxRule',
      eventIds: ['m365:1'],
      afterPivot: true
    }),
    finding({
      id: 'f-share',
      category: 'external_share',
      title: 'Drive item shared outside the domain (6 events)',
      detail: 'drive:change_user_access',
      eventIds: ['gws:1'],
      afterPivot: true
    }),
    finding({
      id: 'f-token',
      category: 'credential_created',
      title: 'Personal access token created',
      detail: 'token deploy-bot, scopes repo, admin:org',
      eventIds: ['gh:1'],
      afterPivot: true
    }),
    finding({ id: 'f-before', category: 'data_export', severity: 'medium', title: 'Salesforce report exported', eventIds: ['sf:0'], afterPivot: false })
  ]
  return {
    chain: chain({
      apps: ['github', 'google_workspace', 'm365', 'okta', 'salesforce'],
      countries: ['BR', 'DE'],
      risk: 100,
      response: 'terminate-session',
      reasons: [
        'break-glass credential_created, external_share, mail_forwarding with context anomaly impossible_travel → terminate-session',
        'external_share (high, +51, after the pivot): Drive item shared outside the domain (6 events)',
        'impossible_travel (high, +47, after the pivot): Impossible travel: Frankfurt am Main, DE → Sao Paulo, BR, 9830 km in 96 min',
        'mail_forwarding (high, +45, after the pivot): Mail forwarding rule created → drop.box.2291@gmail.com',
        'credential_created (high, +45, after the pivot): Personal access token created',
        'data_export (medium, +20): Salesforce report exported'
      ],
      findings,
      pivot: {
        time: '2026-03-10T12:20:00.000Z',
        eventId: PIVOT_UID,
        changes: [
          { field: 'country', from: 'DE', to: 'BR' },
          { field: 'network', from: 'AS3320 Deutsche Telekom AG', to: 'AS26599 TELEFONICA BRASIL S.A' },
          { field: 'device', from: 'macOS Chrome', to: 'Linux Firefox' }
        ]
      }
    }),
    start,
    pivotEvent: { source: 'okta', app: 'Okta', action: 'User single sign on to app', sourceType: 'user.authentication.sso', target: 'Salesforce.com' },
    facts: new Map([
      ['f-travel', facts({ kind: 'anomaly', source: 'okta' })],
      [
        'f-fwd',
        facts({
          source: 'm365',
          app: 'Exchange',
          sourceTypes: ['Exchange:New-InboxRule'],
          targets: ['maria.chen@acme.example\\.'],
          targetCount: 1,
          first: '2026-03-10T12:30:00.000Z'
        })
      ],
      [
        'f-share',
        facts({
          source: 'google_workspace',
          sourceTypes: ['drive:change_user_access'],
          events: 6,
          targets: ['Board deck 0', 'Board deck 1', 'Board deck 2', 'Board deck 3', 'Board deck 4'],
          targetCount: 6,
          first: '2026-03-10T12:28:00.000Z'
        })
      ],
      ['f-token', facts({ source: 'github', targets: ['acme-corp'], targetCount: 1, first: '2026-03-10T12:32:00.000Z' })],
      ['f-before', facts({ source: 'salesforce', targets: ['/00O5g000001000'], targetCount: 1, first: '2026-03-10T09:00:00.000Z' })]
    ])
  }
}

const part = (input: StoryInput, kind: string): string => tellStory(input).parts.find((p) => p.kind === kind)?.text ?? ''

describe('a chain with a pivot', () => {
  const input = hijack()
  const story = tellStory(input)

  it('names who, where the session started and the pivot with each change from → to', () => {
    expect(story.parts.map((p) => p.kind)).toEqual(['who', 'start', 'pivot', 'before', 'after', 'response'])
    expect(part(input, 'who')).toBe(
      'maria.chen@acme.example, a human identity, was active in 5 apps (GitHub, Google Workspace, Microsoft 365, Okta and Salesforce): 12 events from 2026-03-10 08:10 to 13:49 UTC.'
    )
    expect(part(input, 'start')).toBe(
      'It started in Okta with “User login to Okta”, from Frankfurt am Main, Germany (87.123.45.67, AS3320 Deutsche Telekom AG).'
    )
    const pivot = part(input, 'pivot')
    expect(pivot).toMatch(/^At 12:20 UTC \(4 h 10 min in\), the session's context changed with Okta “User single sign on to app” on Salesforce\.com: /)
    expect(pivot).toContain('country Germany (DE) → Brazil (BR)')
    expect(pivot).toContain('network AS3320 Deutsche Telekom AG → AS26599 TELEFONICA BRASIL S.A')
    expect(pivot).toContain('device macOS Chrome → Linux Firefox')
    // The anomaly raised on the pivot's own event is told with the pivot, not among the actions.
    expect(pivot).toContain('Flagged at the change: Impossible travel: Frankfurt am Main, DE → Sao Paulo, BR, 9830 km in 96 min.')
    expect(part(input, 'after')).not.toContain('Impossible travel')
  })

  it('tells what was done after the pivot per app, in the order first flagged, quoting titles and indicators', () => {
    const after = part(input, 'after')
    expect(after).toMatch(/^After the pivot, in Google Workspace: .*\. In Microsoft 365: .*\. In GitHub: .*\.$/)
    // The title's own indicator is quoted as the finding gives it; a detail that only names event types is not.
    expect(after).toContain('Mail forwarding rule created → drop.box.2291@gmail.com')
    expect(after).not.toContain('Exchange:New-InboxRule')
    expect(after).not.toContain('drive:change_user_access')
    // A detail with indicators is quoted; the targets of the finding's events are named, capped with "and N more".
    expect(after).toContain('Personal access token created: token deploy-bot, scopes repo, admin:org — “acme-corp”')
    expect(after).toContain('Drive item shared outside the domain (6 events) — “Board deck 0”, “Board deck 1”, “Board deck 2” and 3 more')
    expect(part(input, 'before')).toBe('Before the pivot, in Salesforce: Salesforce report exported — “/00O5g000001000”.')
  })

  it('says why the response follows, in words and without ids', () => {
    const response = part(input, 'response')
    expect(response).toMatch(/^Recommended: terminating the session \(risk 100 of 100\)\. /)
    expect(response).toContain(
      'Break-glass actions (credential created, external share and mail forwarding) came together with context anomalies (impossible travel)'
    )
    expect(response).toContain(
      'Weighed most: external share (high, after the pivot), impossible travel (high, after the pivot), mail forwarding (high, after the pivot) and 2 more findings.'
    )
    expect(response).not.toMatch(/[a-z]+_[a-z]+|terminate-session/)
  })

  it('joins its paragraphs with blank lines as the text', () => {
    expect(story.text).toBe(story.parts.map((p) => p.text).join('\n\n'))
  })
})

describe('a chain without a pivot', () => {
  it('with findings: says the context never changed and tells the findings per app', () => {
    const input: StoryInput = {
      chain: chain({
        identity: 'svc-deploy',
        identityType: 'service',
        apps: ['aws'],
        risk: 100,
        response: 'revoke-tokens',
        reasons: ['privilege_change (critical, +47): Administrator policy attached (2 events)'],
        findings: [
          finding({
            id: 'p',
            category: 'privilege_change',
            severity: 'critical',
            title: 'Administrator policy attached (2 events)',
            detail: 'iam.amazonaws.com:AttachRolePolicy, iam.amazonaws.com:AttachUserPolicy'
          })
        ]
      }),
      start: {
        ...start,
        source: 'aws',
        app: 'signin.amazonaws.com',
        action: 'ConsoleLogin',
        city: null,
        country: 'NG',
        asn: null,
        asOrg: null,
        ip: '41.58.10.20'
      },
      pivotEvent: null,
      facts: new Map([['p', facts({ source: 'aws', sourceTypes: ['iam.amazonaws.com:AttachRolePolicy', 'iam.amazonaws.com:AttachUserPolicy'], events: 2 })]])
    }
    const story = tellStory(input)
    expect(story.parts.map((p) => p.kind)).toEqual(['who', 'start', 'pivot', 'actions', 'response'])
    expect(part(input, 'who')).toContain('svc-deploy, a service account, was active in one app (AWS)')
    expect(part(input, 'start')).toBe('It started in AWS (signin.amazonaws.com) with “ConsoleLogin”, from Nigeria (41.58.10.20).')
    expect(part(input, 'pivot')).toMatch(/did not change within the chain: it has no pivot/)
    expect(part(input, 'actions')).toBe('In AWS: Administrator policy attached (2 events).')
    expect(part(input, 'response')).toBe('Recommended: revoking its tokens (risk 100 of 100). Weighed most: privilege change (critical).')
  })

  it('with no findings: a short factual story', () => {
    const input: StoryInput = {
      chain: chain({ events: 1, end: '2026-03-10T08:10:00.000Z' }),
      start: { ...start, ip: null, city: null, country: null, asn: null, asOrg: null },
      pivotEvent: null,
      facts: new Map()
    }
    expect(tellStory(input).text).toBe(
      [
        'maria.chen@acme.example, a human identity, was active in one app (Okta): 1 event at 2026-03-10 08:10 UTC.',
        'It started in Okta with “User login to Okta”; its records name no place or network.',
        'No finding was raised, so no response is recommended.'
      ].join('\n\n')
    )
  })

  it('spanning days, with a VPN start and a failed first action', () => {
    const input: StoryInput = {
      chain: chain({ end: '2026-03-12T09:00:00.000Z' }),
      start: { ...start, outcome: 'failure', vpn: true },
      pivotEvent: null,
      facts: new Map()
    }
    expect(part(input, 'who')).toContain('from 2026-03-10 08:10 UTC to 2026-03-12 09:00 UTC')
    expect(part(input, 'start')).toBe(
      'It started in Okta with a failed “User login to Okta”, from Frankfurt am Main, Germany (87.123.45.67, AS3320 Deutsche Telekom AG, a VPN).'
    )
  })
})

describe('an agent chain', () => {
  it('names the identity the agent acts for, or says its records do not', () => {
    const agent = chain({ identity: 'microsoft 365 copilot', identityType: 'agent', actingFor: 'dana.hr@acme.example', apps: ['m365'] })
    expect(part({ chain: agent, start: null, pivotEvent: null, facts: new Map() }, 'who')).toMatch(
      /^microsoft 365 copilot, an AI agent acting for dana\.hr@acme\.example, was active in one app \(Microsoft 365\)/
    )
    const alone = chain({ ...agent, actingFor: null })
    expect(part({ chain: alone, start: null, pivotEvent: null, facts: new Map() }, 'who')).toContain(
      'an AI agent whose records do not name the identity it acts for'
    )
  })

  it('reads the scorer saying a response does not apply to an agent', () => {
    expect(reasonsInWords(['step-up does not apply to a agent identity → revoke-tokens'])).toEqual([
      'Step-up authentication does not apply to an AI agent, so revoking its tokens instead.'
    ])
  })
})

describe('a chain with many findings', () => {
  const many = Array.from({ length: 40 }, (_, i) =>
    finding({ id: `f${i}`, category: i % 2 ? 'external_share' : 'data_export', title: `Finding ${i}`, severity: 'medium' })
  )
  const input: StoryInput = {
    chain: chain({
      apps: ['salesforce', 'google_workspace', 'slack', 'github', 'aws', 'okta', 'm365', 'entra'],
      findings: many,
      risk: 90,
      response: 'revoke-tokens',
      reasons: many.map((f) => `${f.category} (medium, +10): ${f.title}`)
    }),
    start: null,
    pivotEvent: null,
    facts: new Map(
      many.map((f, i) => [
        f.id,
        facts({
          source: i % 2 ? 'google_workspace' : 'salesforce',
          first: `2026-03-10T1${i % 2}:00:00.000Z`,
          targets: ['a', 'b', 'c', 'd', 'e'],
          targetCount: 250
        })
      ])
    )
  }

  it('caps apps, findings per app, targets and weighed reasons with "and N more"', () => {
    const story = tellStory(input)
    expect(part(input, 'who')).toContain('(Salesforce, Google Workspace, Slack, GitHub, AWS, Okta and 2 more)')
    const actions = part(input, 'actions')
    expect(actions).toMatch(/^In Salesforce: .*; and 16 more findings\. In Google Workspace: .*; and 16 more findings\.$/)
    expect(actions).toContain('Finding 0 — “a”, “b”, “c” and 247 more')
    expect(actions.match(/Finding \d+/g)).toHaveLength(8)
    expect(part(input, 'response')).toContain('Weighed most: data export (medium), external share (medium), data export (medium) and 37 more findings.')
    expect(story.text.length).toBeLessThan(1500)
  })
})

describe('indicators and failures', () => {
  it('does not repeat a target the title already quotes, and says when every attempt failed', () => {
    const f = finding({ id: 'x', category: 'attempt', title: 'Role assignment refused: Global Administrator', eventIds: ['e'] })
    const input: StoryInput = {
      chain: chain({ apps: ['entra'], findings: [f], risk: 20, response: 'monitor' }),
      start: null,
      pivotEvent: null,
      facts: new Map([['x', facts({ source: 'entra', events: 2, failures: 2, targets: ['Global Administrator', 'eve@evil.example'], targetCount: 2 })]])
    }
    expect(part(input, 'actions')).toBe('In Entra ID: attempted and failed: Role assignment refused: Global Administrator — “eve@evil.example”.')
    const partly = { ...input, facts: new Map([['x', facts({ source: 'entra', events: 3, failures: 1 })]]) }
    expect(part(partly, 'actions')).toBe('In Entra ID: Role assignment refused: Global Administrator (1 of 3 attempts failed).')
  })

  it('says a refused risky action was attempted once, with the refusal its finding names', () => {
    const f = finding({
      id: 'k',
      category: 'attempt',
      title: 'Attempted: Okta API token created → backup-admin — refused: INSUFFICIENT_PERMISSIONS',
      eventIds: ['e']
    })
    const input: StoryInput = {
      chain: chain({ apps: ['okta'], findings: [f], risk: 20, response: 'monitor' }),
      start: null,
      pivotEvent: null,
      facts: new Map([['k', facts({ source: 'okta', events: 1, failures: 1 })]])
    }
    expect(part(input, 'actions')).toBe('In Okta: attempted and failed: Okta API token created → backup-admin — refused: INSUFFICIENT_PERMISSIONS.')
  })

  it('tells a change of place, network or device by its title alone, and leaves long evidence to the finding', () => {
    const hop = finding({
      id: 'h',
      category: 'impossible_travel',
      title: 'Impossible travel: Osaka, JP → London, GB, 9499 km in 0 min',
      detail: 'from aws:1 at … to aws:2 at …'
    })
    const admin = finding({
      id: 'a',
      category: 'unusual_admin',
      title: 'First admin action by this identity',
      detail: `no admin action since ${'x'.repeat(200)}`
    })
    const input: StoryInput = {
      chain: chain({ apps: ['aws'], findings: [hop, admin] }),
      start: null,
      pivotEvent: null,
      facts: new Map([
        ['h', facts({ kind: 'anomaly', source: 'aws', events: 2, failures: 1, targets: ['user'], targetCount: 1 })],
        ['a', facts({ kind: 'anomaly', source: 'aws', targets: ['critical-data-bucket'], targetCount: 1 })]
      ])
    }
    expect(part(input, 'actions')).toBe(
      'In AWS: Impossible travel: Osaka, JP → London, GB, 9499 km in 0 min; First admin action by this identity — “critical-data-bucket”.'
    )
  })

  it("never names a placeholder as the pivot event's target", () => {
    const input = hijack()
    const story = tellStory({ ...input, pivotEvent: { ...input.pivotEvent!, target: 'unknown' } })
    expect(story.parts.find((p) => p.kind === 'pivot')!.text).toMatch(/with Okta “User single sign on to app”: country/)
  })

  it('quotes a reason it cannot read rather than dropping it', () => {
    expect(reasonsInWords(['ip_change always recommends step-up', 'a reason from a newer scorer'])).toEqual([
      'New network always calls for step-up authentication.',
      'A reason from a newer scorer.'
    ])
  })

  it('lists in words', () => {
    expect(listOf([])).toBe('')
    expect(listOf(['a'])).toBe('a')
    expect(listOf(['a', 'b', 'c'])).toBe('a, b and c')
    expect(listOf(['a', 'b', 'c', 'd'], 2)).toBe('a, b and 2 more')
  })
})
