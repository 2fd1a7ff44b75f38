import { z } from 'zod'
import { calls, isCallName, type CallName, type Outcome } from '../contract'
import type { Handlers } from './host'

/** Turns a zod failure into one line an analyst can act on: `name: expected string`. */
export const describeZodError = (err: z.ZodError): string =>
  err.issues
    .map((issue) => {
      const where = issue.path.length ? issue.path.join('.') : 'input'
      return `${where}: ${issue.message}`
    })
    .join('; ')

/**
 * The single entry point every transport uses: unknown name → error, input parsed by the
 * contract's zod schema, handler errors turned into `{ok:false}` so nothing throws across a boundary.
 */
export const dispatch = async (wb: { readonly handlers: Handlers }, name: string, rawInput: unknown): Promise<Outcome<unknown>> => {
  if (!isCallName(name)) return { ok: false, error: `unknown call '${name}'` }
  const parsed = calls[name].input.safeParse(rawInput ?? {})
  if (!parsed.success) return { ok: false, error: `${name}: ${describeZodError(parsed.error)}` }
  try {
    const handler = wb.handlers[name] as (input: unknown) => Promise<unknown>
    return { ok: true, value: await handler(parsed.data) }
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) }
  }
}

export type { CallName }
