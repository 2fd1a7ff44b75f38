import { vi } from 'vitest'
import { main } from '../../cli/index'

/**
 * Runs the CLI in this process (no build needed) and hands back its exit code and what it wrote on stdout and
 * stderr; `home` becomes AFTERLOGIN_HOME first when given.
 */
export const runCli = async (args: string[], home?: string): Promise<{ code: number; out: string; err: string }> => {
  let out = ''
  let err = ''
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true))
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true))
  if (home !== undefined) process.env.AFTERLOGIN_HOME = home
  try {
    const code = await main(args)
    return { code, out, err }
  } finally {
    stdout.mockRestore()
    stderr.mockRestore()
  }
}
