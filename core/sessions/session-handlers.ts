import type { CasePolicies, sessionCalls } from '../../contract/sessions'
import { loadPolicies } from '../detect/policies'
import { appendAudit } from '../audit/audit'
import { clearIdentityMapping, listIdentityMap, setIdentityMapping } from '../identity/identity-map'
import type { CaseHost, Handlers } from '../host'
import { analyzeCase } from './analyze'
import { chainGraph } from './graph'
import { chainEvents, chainTimeline, getChain, getEvent, listChains, listFindings } from './read-model'

const ANALYST = 'analyst'

export const sessionHandlers = (wb: CaseHost): Pick<Handlers, keyof typeof sessionCalls> => {
  const db = () => wb.requireCase().db
  /** After an edit the whole case is re-analysed; the UI refreshes on case.changed. */
  const reanalyze = async () => {
    await analyzeCase(db())
    wb.push.emit('case.changed', await wb.info())
  }
  return {
    'chains.list': (input) => listChains(db(), input),
    'chains.get': ({ id }) => getChain(db(), id),
    'chains.graph': (input) => chainGraph(db(), input),
    'chains.events': (input) => chainEvents(db(), input),
    'chains.timeline': ({ id, buckets }) => chainTimeline(db(), id, buckets),
    'event.get': ({ uid }) => getEvent(db(), uid),
    'findings.list': ({ chainId }) => listFindings(db(), chainId),
    'policies.get': async () => {
      const p = await loadPolicies(db().path)
      const of = (key: keyof CasePolicies) => ({ origin: p.origin[key], value: p[key] as unknown as Record<string, unknown> })
      return { riskyActions: of('riskyActions'), classification: of('classification'), response: of('response'), vpnAsns: of('vpnAsns') }
    },
    'identity.map.list': () => listIdentityMap(db()),
    'identity.map.set': async ({ alias, identity }) => {
      await setIdentityMapping(db(), alias, identity)
      await appendAudit(db(), { actor: ANALYST, kind: 'identity.map', subject: alias.toLowerCase(), detail: { op: 'set', alias, identity } })
      await reanalyze()
      return listIdentityMap(db())
    },
    'identity.map.clear': async ({ alias }) => {
      if (await clearIdentityMapping(db(), alias)) {
        await appendAudit(db(), { actor: ANALYST, kind: 'identity.map', subject: alias.toLowerCase(), detail: { op: 'clear', alias } })
        await reanalyze()
      }
      return listIdentityMap(db())
    },
    'links.reject': async ({ id, reason }) => {
      const link = await db().one<{ id: string; from_session: string; to_session: string; rule: string; rejected: boolean; chain_id: string }>('links.one', { id })
      if (!link) throw new Error(`no link ${id} in this case`)
      if (!link.rejected) {
        await db().run('links.reject', { id, from_session: link.from_session, to_session: link.to_session, rule: link.rule, reason: reason ?? '' })
        await appendAudit(db(), { actor: ANALYST, kind: 'link.reject', subject: id, detail: { from: link.from_session, to: link.to_session, rule: link.rule, reason: reason ?? null } })
        await reanalyze()
      }
      // The parent's chain keeps its id (its root did not change); the rejected session now stands apart.
      const chain = await db().one<{ chain_id: string }>('chains.of-session', { id: link.from_session })
      return getChain(db(), chain?.chain_id ?? link.chain_id)
    }
  }
}
