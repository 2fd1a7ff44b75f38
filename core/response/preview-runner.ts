import type { PlannedCall } from '../../contract'
import type { CallRunner, CallSpec } from './types'

/** Runs a connector's script without sending anything: lookups answer with their placeholders. */
export class PreviewRunner implements CallRunner {
  readonly preview = true
  readonly calls: PlannedCall[] = []

  async call<T>(spec: CallSpec, placeholder?: T): Promise<T> {
    this.calls.push({
      method: spec.method,
      // Placeholders pass through the same encoding as real values; show them as written.
      url: spec.url.replace(/%7B([^/?&]*?)%7D/g, (_m, inner: string) => `{${decodeURIComponent(inner)}}`),
      body: spec.body ?? null,
      purpose: spec.purpose,
      kind: spec.kind,
      safeToRepeat: spec.safeToRepeat,
      repeat: spec.repeat ?? null
    })
    return placeholder as T
  }

  async callAllowMissing<T>(spec: CallSpec, placeholder?: T): Promise<T | null> {
    return this.call(spec, placeholder)
  }
}
