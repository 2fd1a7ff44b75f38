import { describe, expect, it } from 'vitest'
import { columnGuard, columnTwins } from '../../core/detect/sigma/columns'
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
