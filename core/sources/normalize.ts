import { createHash } from 'node:crypto'
import { parseTime } from './time'
import type { ActorType, Field, Lookup, NormalizedEvent, Outcome, Rec, SourceMapping } from './types'
import { SERVICE_NAME, isAiClient } from './agents'
import { vouchesOf } from './signs'
import { countryCode } from './country'
import { asNumberOf, cleanIp, flagOf, isLookup, isObject, lookup, lowerLogin, notPlaceholder, num, pick, pickAll, pickText, text } from './values'

export type Mapped = { ok: true; event: NormalizedEvent } | { ok: false; reason: string }

export const SUCCESS = /^(success|succeeded|successful|ok|allow|allowed|pass|passed|true|yes|1|s|0 ?- ?success)$/i
export const FAILURE = /fail|denied|deny|error|invalid|block|reject|locked|unauthori|^(false|no|f)$/i

export const outcomeOf = (v: unknown): Outcome => {
  if (v === true) return 'success'
  if (v === false) return 'failure'
  const s = text(v)
  if (s === null) return 'unknown'
  if (SUCCESS.test(s)) return 'success'
  if (FAILURE.test(s)) return 'failure'
  return 'unknown'
}

// Clients that say in their user agent that an AI agent, not a person, is acting.
export const AGENT_UA =
  /\b(ChatGPT-User|ChatGPT-Agent|OpenAI|Claude-User|Claude-Code|ClaudeBot|Anthropic|MCP|LangChain|LangGraph|LlamaIndex|Semantic-Kernel|AutoGen|CrewAI|strands-agents|bedrock-agentcore|Devin|Copilot-Agent|OperatorAgent)\b/i

/**
 * The uid as a record proposes it: `source:native id` (with `#n` for the n-th event of a record that carries
 * several), else `source:digest` of the record. A native id already taken by another record (sanitized
 * exports reuse placeholder ids) is settled when the file is stored: that record becomes
 * `source:native id:digest` (queries/import/stage.sql).
 */
export const eventUid = (source: string, nativeId: string | null, raw: string, view: number): string => {
  if (nativeId) return `${source}:${nativeId}${view ? `#${view}` : ''}`
  return `${source}:${createHash('sha1')
    .update(raw)
    .update(view ? `#${view}` : '')
    .digest('hex')
    .slice(0, 20)}`
}

/**
 * Which of a record's several events a uid names (the `#n` eventUid writes after a native id), read back; undefined
 * for a record's only event, and where the uid does not show it (a digest, a clashing id's `:digest` suffix).
 */
export const eventViewOf = (uid: string | null): number | undefined => {
  const view = uid ? /#(\d+)$/.exec(uid) : null
  return view ? Number(view[1]) : undefined
}

/**
 * Applies one source's declared mapping to one view of a record. `raw` is the record's verbatim text.
 */
export const normalize = (m: SourceMapping, r: Rec, raw: string, view = 0): Mapped => {
  const timeUs = timeOf(m, r)
  if (typeof timeUs === 'string') return { ok: false, reason: timeUs }
  const sourceType = pickText(r, m.sourceType)
  const action = pickText(r, m.action) ?? sourceType
  const probe = `${sourceType ?? ''} ${action ?? ''}`
  const category = m.category.find(([re]) => re.test(probe))?.[1] ?? 'other'

  const outcome =
    m.outcome === undefined ? 'unknown' : isLookup<Outcome>(m.outcome) ? (lookup(r, m.outcome) ?? 'unknown') : outcomeOf(pick(r, m.outcome as Field))
  const userAgent = pickText(r, m.userAgent)
  const app = pickText(r, m.app)
  let actorType: ActorType = m.actorType === undefined ? 'unknown' : typeof m.actorType === 'function' ? m.actorType(r) : (lookup(r, m.actorType) ?? 'unknown')
  const actorName = notPlaceholder(pickText(r, m.actorName))
  const identity = lowerLogin(pick(r, m.identity))
  // A user account named as a service account (svc-…, integration.…) is a service: the log's "user" is the account's kind.
  if ((actorType === 'human' || actorType === 'unknown') && SERVICE_NAME.test(identity ?? actorName ?? '')) actorType = 'service'
  if (actorType !== 'human' && AGENT_UA.test(`${userAgent ?? ''} ${app ?? ''}`)) actorType = 'agent'
  // A machine actor the log names as an AI client (an Okta OAuth client, a GitHub or Google app) is an agent.
  if (actorType === 'service' && isAiClient(actorName)) actorType = 'agent'

  const actorId = notPlaceholder(pickText(r, m.actorId))
  // An actor does not act for itself.
  const actingFor = lowerLogin(pick(r, m.actingFor))

  const keys: Record<string, string> = {}
  let sessionKey: string | null = null
  for (const [name, field] of Object.entries(m.sessionKeys ?? {})) {
    const v = pickText(r, field)
    if (v === null) continue
    keys[name] = v
    sessionKey ??= v
  }

  return {
    ok: true,
    event: {
      uid: eventUid(m.id, pickText(r, m.nativeId), raw, view),
      source: m.id,
      sourceType,
      category,
      action,
      outcome,
      timeUs,
      actorId,
      actorName,
      actorType,
      identity,
      app,
      sessionKey,
      sessionKeys: Object.keys(keys).length ? keys : null,
      srcIp: cleanIp(pick(r, m.srcIp)),
      userAgent,
      deviceId: pickText(r, m.deviceId),
      geoCity: pickText(r, m.geoCity),
      geoCountry: countryCode(pickText(r, m.geoCountry)),
      geoLat: num(pick(r, m.geoLat)),
      geoLon: num(pick(r, m.geoLon)),
      asNumber: asNumberOf(pick(r, m.asNumber)),
      asOrg: pickText(r, m.asOrg),
      actingFor: actingFor === identity ? null : actingFor,
      netProxy: flagOf(pick(r, m.netProxy)),
      deviceManaged: flagOf(pick(r, m.deviceManaged)),
      vouches: vouchesOf(m, r),
      targetType: pickText(r, m.targetType),
      targetId: pickText(r, m.targetId),
      targetName: pickText(r, m.targetName)
    }
  }
}

/** The first candidate that parses as a time; a reason when some are present and none parse; null when none is present. */
const timeOf = (m: SourceMapping, r: Rec): number | null | string => {
  const values = pickAll(r, m.time)
  for (const v of values) {
    const us = parseTime(v)
    if (typeof us === 'number') return us
  }
  return values.length ? `${m.id}: unreadable time ${JSON.stringify(values[0]).slice(0, 80)}` : null
}
