import type { CallName, PushName } from '../../../contract'
import { CallError, type DesktopBridge, type Transport } from './types'

export const desktopTransport = (bridge: DesktopBridge): Transport => ({
  kind: 'desktop',
  async call(name, input) {
    const method = bridge.calls[name as CallName]
    if (!method) throw new CallError(name, `the desktop bridge has no call '${name}'`)
    const out = await method(input)
    if (!out.ok) throw new CallError(name, out.error)
    return out.value as never
  },
  on(name, listener) {
    return bridge.on(name as PushName, listener as (payload: unknown) => void)
  },
  async importInput(files) {
    return { paths: bridge.pathsOf(files.map((f) => f.file)) }
  }
})
