import type { CallName } from './index'

/**
 * Every call's name and nothing else: the preload bundles this list (not the zod schemas) to give the
 * page one method per call. The compiler refuses a name the contract lacks; a unit test refuses a
 * contract call missing here.
 */
export const CALL_NAMES = [
  'app.info',
  'case.create',
  'case.open',
  'case.openDemo',
  'case.recent',
  'case.info',
  'case.analyze',
  'import.start',
  'import.cancel',
  'import.list',
  'chains.list',
  'chains.get',
  'chains.graph',
  'chains.events',
  'chains.timeline',
  'event.get',
  'findings.list',
  'policies.get',
  'rules.list',
  'rules.yaml',
  'identity.map.list',
  'identity.map.set',
  'identity.map.clear',
  'links.reject',
  'response.connectors',
  'response.configure',
  'response.test',
  'response.preview',
  'response.execute',
  'response.actions',
  'response.action',
  'response.resume',
  'response.settle',
  'audit.list',
  'audit.verify',
  'audit.export',
  'response.ssf.jwks',
  'export.run',
  'export.list'
] as const satisfies readonly CallName[]

/** The IPC channel of one call, written once for main (which handles it) and preload (which invokes it). */
export const callChannel = (name: CallName): string => `afterlogin:${name}`

/** The IPC channel a push event travels on from main to the page. */
export const pushChannel = (name: string): string => `afterlogin:push:${name}`
