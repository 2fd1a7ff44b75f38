import type { CallInput, CallName, CallResult, PushEvents, PushName } from '../../contract'
import { transport } from './transport'

/** Typed call to the core; throws CallError with the core's message. */
export const api = <N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>> => {
  if (!transport) return Promise.reject(new Error('no connection to the Afterlogin core'))
  return transport.call(name, input)
}

export const onPush = <N extends PushName>(name: N, fn: (payload: PushEvents[N]) => void): (() => void) =>
  transport ? transport.on(name, fn) : () => undefined
