import { describe, expect, it } from 'vitest'
import { columnGuard, columnTwins } from '../../core/detect/sigma/columns'
import { fragmentOf, rowGuard } from '../../core/detect/sigma/text-guard'
import { parseRuleFile } from '../../core/detect/sigma/parse-rule'
import type { DetectionRule, SigmaSource } from '../../core/detect/sigma/types'

// Column guards narrow the rows a rule reads, so a guard must hold for every record the rule matches: these are
// the tricky cases where a column and the record's own text differ (trimming, placeholders, numbers, lists).
const EMPTY = { paths: new Map(), wrappers: [] }

const detectionOf = (detection: string, logsource = 'product: okta') => {
  const text = `title: t\nid: t\nlogsource:\n  ${logsource}\ndetection:\n${detection.replace(/^/gm, '  ')}\n`
  const [rule] = parseRuleFile(text, 't.yml').rules as DetectionRule[]
  return rule.detection
}
const guardOf = (detection: string, source: SigmaSource = 'okta', logsource?: string) => columnGuard(detectionOf(detection, logsource), source, EMPTY)

describe('column guards', () => {
  it('maps a field to the column the source fills from it first', () => {
    const okta = columnTwins('okta')
    expect(okta.get('displayMessage')).toEqual({ column: 'action', kind: 'text' })
    expect(okta.get('securityContext.isProxy')).toEqual({ column: 'net_proxy', kind: 'flag' })
    // A later spelling of a list fills the column only when the first is empty: not a copy of the record.
    expect(okta.get('actor.alternateId')).toBeUndefined()
    expect(columnTwins('generic').size).toBe(0)
  })

  it('guards plain values, wildcards and lists of them', () => {
    expect(guardOf('sel:\n  displayMessage: User attempted unauthorized access to app\ncondition: sel')).toEqual({
      k: 'or',
      items: [{ k: 'like', column: 'action', like: 'User attempted unauthorized access to app', cased: false }]
    })
    expect(guardOf('sel:\n  displayMessage|contains:\n    - Max sign\n    - locked\ncondition: sel')).toEqual({
      k: 'or',
      items: [
        { k: 'like', column: 'action', like: '%Max sign%', cased: false },
        { k: 'like', column: 'action', like: '%locked%', cased: false }
      ]
    })
    expect(guardOf('sel:\n  securityContext.isProxy: "True"\ncondition: sel')).toEqual({ k: 'or', items: [{ k: 'flag', column: 'net_proxy', value: true }] })
  })

  it("guards an exact value through the import's lookup table: the column holds the word the value maps to", () => {
    expect(columnTwins('okta').get('outcome.result')).toMatchObject({ column: 'outcome', kind: 'lookup' })
    const word = (v: string) => guardOf(`sel:\n  outcome.result: ${v}\ncondition: sel`)
    expect(word('FAILURE')).toEqual({ k: 'or', items: [{ k: 'like', column: 'outcome', like: 'failure', cased: true }] })
    expect(word('deny')).toEqual({ k: 'or', items: [{ k: 'like', column: 'outcome', like: 'failure', cased: true }] })
    // A value the table does not name is stored as 'unknown'; a pattern could be any value, so it has no guard.
    expect(word('SKIPPED')).toEqual({ k: 'or', items: [{ k: 'like', column: 'outcome', like: 'unknown', cased: true }] })
    expect(guardOf('sel:\n  outcome.result|contains: FAIL\ncondition: sel')).toBeNull()
  })

  it('gives no guard where the column could miss a match', () => {
    const none = [
      // Blank at an end: the column holds the value trimmed.
      'sel:\n  displayMessage|endswith: " app"\ncondition: sel',
      'sel:\n  displayMessage|startswith: "User "\ncondition: sel',
      // A pattern a placeholder matches: the column holds NULL (or the next spelling) for it.
      'sel:\n  displayMessage: "-"\ncondition: sel',
      'sel:\n  displayMessage|contains: "n/a"\ncondition: sel',
      'sel:\n  displayMessage: "*"\ncondition: sel',
      // Numbers may be spelled differently in the record and in the column.
      'sel:\n  displayMessage: 1.50\ncondition: sel',
      // Single-character wildcards at an end could stand for a blank.
      'sel:\n  displayMessage: "?app"\ncondition: sel',
      // Tests other than patterns, negations, keywords, and an or with an unguarded branch.
      'sel:\n  displayMessage|re: "^User"\ncondition: sel',
      'sel:\n  displayMessage: x\ncondition: not sel',
      'sel:\n  - needle\ncondition: sel',
      'a:\n  displayMessage: x\nb:\n  legacyEventType: y\ncondition: a or b',
      // A field that is not a column, or a flag pattern that is not a flag.
      'sel:\n  legacyEventType: core.user_auth.login_failed\ncondition: sel',
      'sel:\n  securityContext.isProxy: "t*"\ncondition: sel'
    ]
    for (const d of none) expect(guardOf(d), d).toBeNull()
  })

  it('keeps the guarded half of an and, and event-type tests inside an or', () => {
    expect(guardOf('a:\n  displayMessage: Locked out\n  legacyEventType: y\ncondition: a')).toMatchObject({ k: 'and', items: [{ k: 'or' }] })
    const g = guardOf('a:\n  eventType: user.session.start\nb:\n  displayMessage: Locked out\ncondition: a or b')
    expect(JSON.stringify(g)).toContain('"column":"source_type"')
    expect(JSON.stringify(g)).toContain('"column":"action"')
  })

  it('reads no column for a field the records hold in arrays or inside a collector copy', () => {
    const arrays = { paths: new Map([['displaymessage', [{ keys: ['displayMessage'], arrays: [true], texts: [false] }]]]), wrappers: [] }
    expect(columnGuard(detectionOf('sel:\n  displayMessage: x\ncondition: sel'), 'okta', arrays)).toBeNull()
    const wrapped = { paths: new Map(), wrappers: ['_raw'] }
    expect(columnGuard(detectionOf('sel:\n  displayMessage: x\ncondition: sel'), 'okta', wrapped)).toBeNull()
  })
})

describe('text guards', () => {
  it('look for the longest run of characters every JSON writer keeps as they are', () => {
    expect(fragmentOf('%/reports/password-health/%')).toBe('password-health')
    expect(fragmentOf('core.user\\_auth.login\\_failed')).toBe('core.user_auth.login_failed')
    expect(fragmentOf('Max sign in%')).toBe('Max sign in')
    // Split at characters a writer may escape: quotes, slashes, <>&'+, anything outside ASCII.
    expect(fragmentOf('%a"quoted"value%')).toBe('quoted')
    expect(fragmentOf('%x+y<z>w&v%')).toBeNull()
    expect(fragmentOf('%déjà-vu-again%')).toBe('-vu-again')
  })

  it('give none worth a scan for short runs, numbers and wildcards', () => {
    for (const like of ['%abc%', '%12345%', '1E30', '%1.5e10%', '%', 'ab_cd%ef']) expect(fragmentOf(like), like).toBeNull()
  })

  it('read a column where there is one, and keep one scan of an and', () => {
    const twins = columnTwins('okta')
    const guard = (d: string) => rowGuard(detectionOf(d), 'okta', EMPTY, twins)
    expect(guard('sel:\n  displayMessage: Locked out\ncondition: sel')).toMatchObject({ k: 'or', items: [{ k: 'like', column: 'action' }] })
    // The outcome's column first, then one scan of the text for the reason no column holds.
    expect(guard("sel:\n  outcome.reason: 'FastPass declined phishing attempt'\n  outcome.result: FAILURE\ncondition: sel")).toEqual({
      k: 'and',
      items: [
        { k: 'or', items: [{ k: 'like', column: 'outcome', like: 'failure', cased: true }] },
        { k: 'or', items: [{ k: 'text', fragment: 'FastPass declined phishing attempt', cased: false }] }
      ]
    })
    expect(guard('sel:\n  legacyEventType|cased: core.user_auth.login_failed\ncondition: sel')).toEqual({
      k: 'or',
      items: [{ k: 'text', fragment: 'core.user_auth.login_failed', cased: true }]
    })
    // A regular expression, a negation, or an or with a branch that has none: every record is read.
    for (const d of [
      'sel:\n  legacyEventType|re: ^core\ncondition: sel',
      'sel:\n  legacyEventType: core.user_auth.login_failed\ncondition: not sel',
      'a:\n  legacyEventType: core.user_auth.login_failed\nb:\n  legacyEventType|re: x\ncondition: a or b'
    ])
      expect(guard(d), d).toBeNull()
  })
})
