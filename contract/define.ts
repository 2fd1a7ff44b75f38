import type { z } from 'zod'

/** One call the UI can make: its input schema, and (as a phantom type) what it resolves to. */
export interface CallSpec<I extends z.ZodType = z.ZodType, R = unknown> {
  readonly input: I
  readonly result?: R
}

/** `call<Result>()(inputSchema)` — the result type is declared, the input is checked at run time. */
export const call =
  <R>() =>
  <I extends z.ZodType>(input: I): CallSpec<I, R> => ({ input })

/** What every transport returns: never a thrown error across a process boundary. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string }
