import type { sessionCalls } from '../../contract/sessions'
import type { Handlers, Workbench } from '../workbench'

const pending = (name: string) => async (): Promise<never> => {
  throw new Error(`${name} is not available yet`)
}

export const sessionHandlers = (_wb: Workbench): Pick<Handlers, keyof typeof sessionCalls> => ({
  'chains.list': pending('chains.list'),
  'chains.get': pending('chains.get'),
  'chains.graph': pending('chains.graph'),
  'chains.events': pending('chains.events'),
  'chains.timeline': pending('chains.timeline'),
  'event.get': pending('event.get'),
  'findings.list': pending('findings.list'),
  'identity.map.list': pending('identity.map.list'),
  'identity.map.set': pending('identity.map.set'),
  'identity.map.clear': pending('identity.map.clear'),
  'links.reject': pending('links.reject')
})
