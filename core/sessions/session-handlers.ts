import type { sessionCalls } from '../../contract/sessions'
import { policyView } from '../policies/policy-view'
import type { CaseHost, Handlers } from '../host'
import { listIdentityMap } from '../identity/identity-map'
import { caseEdits } from './edits'
import { chainGraph } from './graph'
import { chainEvents, chainTimeline, getChain, getEvent, listChains, listFindings } from './read-model'

export const sessionHandlers = (wb: CaseHost): Pick<Handlers, keyof typeof sessionCalls> => {
  const db = () => wb.requireCase().db
  // After an edit the UI refreshes on case.changed.
  const edits = () => caseEdits(db(), async () => wb.push.emit('case.changed', await wb.info()))
  return {
    'chains.list': (input) => listChains(db(), input),
    'chains.get': ({ id }) => getChain(db(), id),
    'chains.graph': (input) => chainGraph(db(), input),
    'chains.events': (input) => chainEvents(db(), input),
    'chains.timeline': ({ id, buckets }) => chainTimeline(db(), id, buckets),
    'event.get': ({ uid }) => getEvent(db(), uid),
    'findings.list': ({ chainId }) => listFindings(db(), chainId),
    'policies.get': () => policyView(db().path),
    'identity.map.list': () => listIdentityMap(db()),
    'identity.map.set': ({ alias, identity }) => edits().mapIdentity(alias, identity),
    'identity.map.clear': ({ alias }) => edits().clearIdentity(alias),
    'links.reject': ({ id, reason }) => edits().rejectLink(id, reason)
  }
}
