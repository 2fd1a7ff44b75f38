import { parseArgs, type ParseArgsConfig } from 'node:util'

export interface Command {
  name: string
  summary: string
  usage: string
  /** Returns the exit code: 0 ok, 1 the work failed (partly), 2 usage error. */
  run(argv: string[]): Promise<number>
}

export class UsageError extends Error {}

/** parseArgs with strict options; unknown flags become a UsageError (exit 2). */
export const parse = <T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, allowPositionals = false) => {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true })
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
}

/** Machine-readable output goes to stdout as one JSON document per line. */
export const printJson = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value)}\n`)
}
