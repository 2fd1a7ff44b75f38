import type { z } from 'zod'
import type { CallSpec } from './define'
import { caseCalls } from './case'
import { exportCalls } from './exports'
import { importCalls } from './imports'
import { responseCalls } from './response'
import { ruleCalls } from './rules'
import { sessionCalls } from './sessions'

export * from './define'
export * from './case'
export * from './events'
export * from './exports'
export * from './imports'
export * from './labels'
export * from './response'
export * from './rules'
export * from './sessions'

/** Every call the renderer can make, by name. Transports and the core are typed from this one map. */
export const calls = {
  ...caseCalls,
  ...importCalls,
  ...sessionCalls,
  ...ruleCalls,
  ...responseCalls,
  ...exportCalls
} as const

export type Calls = typeof calls
export type CallName = keyof Calls
export type CallInput<N extends CallName> = z.input<Calls[N]['input']>
export type CallParsed<N extends CallName> = z.output<Calls[N]['input']>
export type CallResult<N extends CallName> = Calls[N] extends CallSpec<z.ZodType, infer R> ? R : never

export const isCallName = (name: string): name is CallName => Object.hasOwn(calls, name)
