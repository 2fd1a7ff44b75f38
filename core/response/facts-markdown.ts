import type { ConnectorId } from '../../contract'
import { CONNECTOR_IDS, RESPONSE_ACTIONS } from '../../contract'
import { CONNECTORS } from './connectors'
import { planFor } from './planner'
import { EnvSecretStore } from './secret-store'

export const FACTS_START = '<!-- connector-facts:start (generated from core/response/connectors; `npm run docs:connectors` rewrites it) -->'
export const FACTS_END = '<!-- connector-facts:end -->'

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')
const items = (xs: string[]): string => xs.map(cell).join('; ') || '—'

/** A call as the docs show it: method and path, without the configured base (which the reader sets). */
const shown = (method: string, url: string, body: unknown): string => {
  const path = url.replace(/^\{AFTERLOGIN_[A-Z]+_URL\}/, '').replace(/^https?:\/\/[^/]+/, '')
  const form = body && typeof body === 'object' && 'Action' in body ? ` ${String((body as { Action: unknown }).Action)}` : ''
  return `\`${method} ${path || '/'}\`${form}`
}

/** A stand-in identity per connector that its target parser accepts (GitHub wants a login, AWS a principal). */
const sampleIdentity = (id: ConnectorId): string => (id === 'github' ? 'alice-acme' : id === 'aws' ? 'alice' : 'alice@acme.example')

/**
 * The connectors section of docs/connectors.md, generated from each connector's facts table and the calls its
 * script makes in preview, so the documentation cannot drift from what the preview shows.
 */
export const connectorFactsMarkdown = async (): Promise<string> => {
  const out: string[] = [FACTS_START, '']
  for (const id of CONNECTOR_IDS) {
    const c = CONNECTORS[id]
    out.push(`### ${c.label} (\`${id}\`)`, '')
    out.push('| action | calls (preview) | cuts | does not cut | residual access | least privilege | rests on |', '|---|---|---|---|---|---|---|')
    for (const action of RESPONSE_ACTIONS) {
      const doc = c.actions[action]
      if (!doc) {
        out.push(`| ${action} | not offered | ${cell(c.unsupported[action] ?? '')} | | | | |`)
        continue
      }
      const identity = sampleIdentity(id)
      const plan = await planFor(
        id,
        action,
        { identity, action, sessionKey: null, account: null, knownKeys: [], actionId: '{action id}' },
        new EnvSecretStore({}),
        '{data folder}'
      )
      const calls = plan.calls.map((k) => shown(k.method, k.url, k.body) + (k.repeat ? ` (${cell(k.repeat)})` : '')).join(' → ') || '—'
      const notes = doc.notes?.length ? `<br>${items(doc.notes)}` : ''
      out.push(
        `| ${action} | ${calls} | ${items(doc.cuts)} | ${items(doc.doesNotCut)} | ${cell(doc.residual)}${notes} | ${items(doc.permissions)} | ${doc.docs.map((u) => `<${u}>`).join(' ')} |`
      )
    }
    out.push('')
  }
  out.push(FACTS_END)
  return out.join('\n')
}

/** Replaces the generated block of a document; throws when the markers are missing. */
export const withFacts = (doc: string, block: string): string => {
  const a = doc.indexOf(FACTS_START)
  const b = doc.indexOf(FACTS_END)
  if (a < 0 || b < a) throw new Error('the document has no connector-facts markers')
  return doc.slice(0, a) + block + doc.slice(b + FACTS_END.length)
}
