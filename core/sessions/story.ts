import type { ChainRow, Finding, PivotChange, StoryPart } from '../../contract/sessions'
import { notPlaceholder } from '../sources/values'
import { categoryWords, countryName, identityTypeWords, isContextChange, pivotFieldWords, responseIdWords, responseWords, sourceLabel } from './story-labels'

/** Where the chain began: its first event, and the first event that names a place or a network. */
export interface StoryStart {
  source: string
  app: string | null
  action: string | null
  sourceType: string | null
  outcome: string
  ip: string | null
  city: string | null
  /** ISO 3166-1 alpha-2. */
  country: string | null
  asn: number | null
  asOrg: string | null
  vpn: boolean
}

/** The event at the chain's pivot. */
export interface StoryPivotEvent {
  source: string
  app: string | null
  action: string | null
  sourceType: string | null
  target: string | null
}

/** What one finding rests on, beyond the finding itself: read from its events. */
export interface FindingFacts {
  kind: string
  source: string | null
  app: string | null
  events: number
  failures: number
  /** The log's own event types of its events: a detail that only repeats them says nothing new. */
  sourceTypes: string[]
  /** Names of what its events touched, first ones by time (the chain's own identity left out). */
  targets: string[]
  /** How many distinct targets there were in all. */
  targetCount: number
  first: string | null
}

export interface StoryInput {
  chain: ChainRow
  start: StoryStart | null
  pivotEvent: StoryPivotEvent | null
  /** Facts per finding id; a finding without facts is told from its title and detail alone. */
  facts: ReadonlyMap<string, FindingFacts>
}

export interface Story {
  text: string
  parts: StoryPart[]
}

/** Lists in a story are capped so that a chain with hundreds of findings or targets still reads in a breath. */
export const STORY_LIMITS = { apps: 6, findingsPerApp: 4, targets: 3, weighed: 3 } as const
const MAX_DETAIL = 160

const capitalise = (s: string): string => (s ? s[0].toUpperCase() + s.slice(1) : s)
const uncapitalise = (s: string): string => (s ? s[0].toLowerCase() + s.slice(1) : s)
const quote = (s: string): string => `“${s}”`
const sentence = (s: string): string => (/[.!?]$/.test(s) ? s : `${s}.`)

/** "a, b and c"; past `limit` items "a, b, c and 4 more". */
export const listOf = (items: string[], limit = Infinity, more = 'more'): string => {
  const shown = items.slice(0, limit)
  const rest = items.length - shown.length
  if (rest > 0) return `${shown.join(', ')} and ${rest} ${more}`
  if (shown.length <= 1) return shown.join('')
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`
}

/** UTC, minutes: "2026-03-10 08:10". */
const clock = (iso: string): string => {
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 16).replace('T', ' ')
}
const sameDay = (a: string, b: string): boolean => clock(a).slice(0, 10) === clock(b).slice(0, 10)

const span = (start: string, end: string): string =>
  clock(start) === clock(end)
    ? `at ${clock(start)} UTC`
    : sameDay(start, end)
      ? `from ${clock(start)} to ${clock(end).slice(11)} UTC`
      : `from ${clock(start)} UTC to ${clock(end)} UTC`

const elapsed = (from: string, to: string): string | null => {
  const minutes = Math.round((Date.parse(to) - Date.parse(from)) / 60_000)
  if (!Number.isFinite(minutes) || minutes < 1) return null
  if (minutes < 60) return `${minutes} min`
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  return h < 48 ? `${h} h${m ? ` ${m} min` : ''}` : `${Math.round(h / 24)} days`
}

/** The app as the analyst knows it: the source's name, and the log's own app when it says more ("Microsoft 365 (Exchange)"). */
const appName = (source: string, app: string | null): string => {
  const name = sourceLabel(source)
  return app && app.toLowerCase() !== name.toLowerCase() ? `${name} (${app})` : name
}

const network = (asn: number | null, org: string | null): string | null => (asn !== null ? `AS${asn}${org ? ` ${org}` : ''}` : org)

const who = ({ chain }: StoryInput): string => {
  const subject = chain.identity === '(unknown)' ? 'An actor its records do not identify' : chain.identity
  const kind =
    chain.identityType === 'agent'
      ? chain.actingFor
        ? `an AI agent acting for ${chain.actingFor}`
        : 'an AI agent whose records do not name the identity it acts for'
      : identityTypeWords(chain.identityType)
  const apps = chain.apps.map(sourceLabel)
  const where = apps.length ? ` in ${apps.length === 1 ? 'one app' : `${apps.length} apps`} (${listOf(apps, STORY_LIMITS.apps)})` : ''
  const events = `${chain.events} ${chain.events === 1 ? 'event' : 'events'}`
  return `${subject}, ${kind}, was active${where}: ${events} ${span(chain.start, chain.end)}.`
}

const started = (start: StoryStart | null): string | null => {
  if (!start) return null
  const action = start.action ?? start.sourceType
  const first = `It started in ${appName(start.source, start.app)}${action ? ` with ${start.outcome === 'failure' ? 'a failed ' : ''}${quote(action)}` : ''}`
  const place = [start.city, start.country ? countryName(start.country) : null].filter((p): p is string => !!p).join(', ')
  const net = network(start.asn, start.asOrg)
  const around = [start.ip, net, start.vpn ? 'a VPN' : null].filter((p): p is string => !!p).join(', ')
  if (!place && !around) return `${first}; its records name no place or network.`
  return `${first}, from ${place || 'an unknown place'}${around ? ` (${around})` : ''}.`
}

/** A change's values in words: country codes with their names. */
const changeWords = (c: PivotChange): string => {
  const value = (v: string) => (c.field === 'country' && /^[A-Z]{2}$/.test(v) ? `${countryName(v)} (${v})` : v || 'none')
  return `${pivotFieldWords(c.field)} ${value(c.from)} → ${value(c.to)}`
}

/** An anomaly raised on the pivot's own event: it is the evidence of the change, told with the pivot. */
const atPivot = (f: Finding, input: StoryInput): boolean =>
  !!input.chain.pivot && input.facts.get(f.id)?.kind === 'anomaly' && f.eventIds.includes(input.chain.pivot.eventId)

const pivotPart = (input: StoryInput): string => {
  const { chain, pivotEvent } = input
  const pivot = chain.pivot
  if (!pivot) {
    return chain.findings.length ? 'Its context (country, network, device) did not change within the chain: it has no pivot.' : ''
  }
  const into = elapsed(chain.start, pivot.time)
  const when = `At ${sameDay(chain.start, pivot.time) ? `${clock(pivot.time).slice(11)} UTC` : `${clock(pivot.time)} UTC`}${into ? ` (${into} in)` : ''}`
  const action = pivotEvent ? (pivotEvent.action ?? pivotEvent.sourceType) : null
  const target = notPlaceholder(pivotEvent?.target ?? null)
  const event = pivotEvent
    ? ` with ${appName(pivotEvent.source, pivotEvent.app)}${action ? ` ${quote(action)}` : ''}${target && target !== chain.identity ? ` on ${target}` : ''}`
    : ''
  const changes = pivot.changes.length ? `: ${pivot.changes.map(changeWords).join('; ')}` : ''
  const flagged = chain.findings.filter((f) => atPivot(f, input)).map((f) => f.title)
  return `${when}, the session's context changed${event}${changes}.${flagged.length ? ` Flagged at the change: ${flagged.map(sentence).join(' ')}` : ''}`
}

/** A detail that only names the event types of the finding's own events (a catalog's match list) adds nothing. */
const detailWorthQuoting = (f: Finding, facts: FindingFacts | undefined): string | null => {
  const detail = f.detail?.trim()
  // Long evidence (both events of a hop, every id) belongs to the finding's own view, not to a story.
  if (!detail || f.title.includes(detail) || detail.length > MAX_DETAIL) return null
  const types = new Set(facts?.sourceTypes ?? [])
  return detail.split(/,\s*/).every((part) => types.has(part)) ? null : detail
}

/** The text names `name` as a whole (not as part of a longer word: "d" is not in "Finding"). */
const mentions = (text: string, name: string): boolean => {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`(?:^|[^\\p{L}\\p{N}])${escaped}(?:$|[^\\p{L}\\p{N}])`, 'u').test(text)
}

/** How an attempt finding's title begins (queries/detect/findings.sql). */
const ATTEMPTED = 'Attempted: '

export const findingWords = (f: Finding, facts: FindingFacts | undefined): string => {
  // A change of place, network or device says it all in its title; its events' targets are incidental.
  if (isContextChange(f.category)) return f.title
  const detail = detailWorthQuoting(f, facts)
  const said = `${f.title} ${detail ?? ''}`
  // Indicators the title or detail already quote are not repeated.
  const targets = (facts?.targets ?? []).filter((t) => !mentions(said, t))
  const hidden = (facts?.targets.length ?? 0) - targets.length
  const more = Math.max(0, (facts?.targetCount ?? 0) - hidden - targets.length)
  const shown = targets.slice(0, STORY_LIMITS.targets).map(quote)
  const rest = more + Math.max(0, targets.length - shown.length)
  const named = shown.length ? ` — ${rest ? `${shown.join(', ')} and ${rest} more` : listOf(shown)}` : ''
  // A failed attempt is not the action: say so, and how many of its events failed.
  const failed = facts && facts.failures > 0 ? (facts.failures >= facts.events ? 'attempted and failed: ' : '') : ''
  const partly = facts && facts.failures > 0 && facts.failures < facts.events ? ` (${facts.failures} of ${facts.events} attempts failed)` : ''
  // An attempt finding's "Attempted: " is what "attempted and failed" already says.
  const title = failed && f.title.startsWith(ATTEMPTED) ? f.title.slice(ATTEMPTED.length) : f.title
  return `${failed}${title}${detail ? `: ${detail}` : ''}${partly}${named}`
}

/** The findings as one sentence per app, apps in the order they were first flagged: "In Salesforce: …. In GitHub: …". */
const byApp = (findings: Finding[], input: StoryInput): string => {
  const groups = new Map<string, { first: string; items: string[] }>()
  for (const f of findings) {
    const facts = input.facts.get(f.id)
    const key = facts?.source ? appName(facts.source, null) : 'the chain'
    const first = facts?.first ?? input.chain.end
    const g = groups.get(key) ?? { first, items: [] }
    if (first < g.first) g.first = first
    g.items.push(findingWords(f, facts))
    groups.set(key, g)
  }
  return [...groups]
    .sort((a, b) => a[1].first.localeCompare(b[1].first) || a[0].localeCompare(b[0]))
    .map(([app, g]) => {
      const shown = g.items.slice(0, STORY_LIMITS.findingsPerApp)
      const rest = g.items.length - shown.length
      return sentence(`In ${app}: ${shown.join('; ')}${rest ? `; and ${rest} more ${rest === 1 ? 'finding' : 'findings'}` : ''}`)
    })
    .join(' ')
}

const actionParts = (input: StoryInput): StoryPart[] => {
  const { chain } = input
  const told = chain.findings.filter((f) => !atPivot(f, input))
  if (!told.length) return []
  const lead = (prefix: string, list: Finding[]) => `${prefix}, ${uncapitalise(byApp(list, input))}`
  if (!chain.pivot) return [{ kind: 'actions', text: byApp(told, input) }]
  const before = told.filter((f) => !f.afterPivot)
  const after = told.filter((f) => f.afterPivot)
  const out: StoryPart[] = []
  if (before.length) out.push({ kind: 'before', text: lead('Before the pivot', before) })
  if (after.length) out.push({ kind: 'after', text: lead('After the pivot', after) })
  return out
}

const BREAK_GLASS = /^break-glass (.+) with context anomaly (.+) → (\S+)$/
const ALWAYS = /^(\S+) always recommends (\S+)$/
const NOT_APPLY = /^(\S+) does not apply to an? (\w+) identity → (\S+)$/
const WEIGHED = /^(\S+) \((\w+), \+(\d+)(, after the pivot)?\): /

const idList = (ids: string): string => listOf(ids.split(/,\s*/).map(categoryWords))

/** The scorer's reasons (see core/detect/score.ts, which writes them) in words; one it does not know is quoted. */
export const reasonsInWords = (reasons: string[]): string[] => {
  const out: string[] = []
  const weighed: string[] = []
  for (const reason of reasons) {
    let m: RegExpMatchArray | null
    if ((m = reason.match(BREAK_GLASS)))
      out.push(
        `Break-glass actions (${idList(m[1])}) came together with context anomalies (${idList(m[2])}), the mark of a session in someone else's hands, which calls for ${responseIdWords(m[3])}.`
      )
    else if ((m = reason.match(ALWAYS))) out.push(`${capitalise(categoryWords(m[1]))} always calls for ${responseIdWords(m[2])}.`)
    else if ((m = reason.match(NOT_APPLY)))
      out.push(
        `${capitalise(responseIdWords(m[1]))} does not apply to ${m[2] === 'agent' ? 'an AI agent' : `a ${m[2]} identity`}, so ${responseIdWords(m[3])} instead.`
      )
    else if ((m = reason.match(WEIGHED))) weighed.push(`${categoryWords(m[1])} (${m[2]}${m[4] ? ', after the pivot' : ''})`)
    else out.push(sentence(capitalise(reason)))
  }
  if (weighed.length)
    out.push(`Weighed most: ${listOf(weighed, STORY_LIMITS.weighed, weighed.length - STORY_LIMITS.weighed === 1 ? 'more finding' : 'more findings')}.`)
  return out
}

const responsePart = ({ chain }: StoryInput): string => {
  if (!chain.findings.length && chain.response === 'none') return 'No finding was raised, so no response is recommended.'
  const head = `Recommended: ${responseWords(chain.response)} (risk ${chain.risk} of 100).`
  const why = reasonsInWords(chain.reasons)
  return why.length ? `${head} ${why.join(' ')}` : head
}

/** The chain told in plain words from its own data: who, where it started, the pivot, what was done, and why the response. */
export const tellStory = (input: StoryInput): Story => {
  const parts: StoryPart[] = [{ kind: 'who', text: who(input) }]
  const start = started(input.start)
  if (start) parts.push({ kind: 'start', text: start })
  const pivot = pivotPart(input)
  if (pivot) parts.push({ kind: 'pivot', text: pivot })
  parts.push(...actionParts(input))
  parts.push({ kind: 'response', text: responsePart(input) })
  return { text: parts.map((p) => p.text).join('\n\n'), parts }
}
