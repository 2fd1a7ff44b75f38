import { z } from 'zod'

/**
 * A policy file's schema: its format version, its kind (a file of one kind is never read as another), an
 * optional description, and the body's own keys; nothing else.
 */
export const policyFile = <K extends string, S extends z.ZodRawShape>(kind: K, body: S) =>
  z.object({ version: z.number().int().min(1), kind: z.literal(kind), description: z.string().optional(), ...body }).strict()
