import { NotACaseFileError } from '../core/case/case-file-guard'
import { UsageError, type Command } from './command'
import { exportCommand } from './commands/export'
import { importCommand } from './commands/import'
import { reportCommand } from './commands/report'
import { web } from './commands/web'
import { respond } from './commands/respond'
import { audit } from './commands/audit'
import { ssfJwks } from './commands/ssf-jwks'
import { sessionsCommand } from './commands/sessions'
import { graphCommand } from './commands/graph'
import { rulesCommand } from './commands/rules'

const commands: Command[] = [web, importCommand, exportCommand, reportCommand, respond, audit, ssfJwks, sessionsCommand, graphCommand, rulesCommand]

const help = (): string =>
  [
    'usage: afterlogin <command> [options]',
    '',
    ...commands.map((c) => `  ${c.usage.padEnd(58)} ${c.summary}`),
    '',
    'Environment: AFTERLOGIN_HOME (data folder, default ~/.afterlogin)'
  ].join('\n')

export const main = async (argv: string[]): Promise<number> => {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${help()}\n`)
    return name ? 0 : 2
  }
  const command = commands.find((c) => c.name === name)
  if (!command) {
    process.stderr.write(`afterlogin: unknown command '${name}'\n${help()}\n`)
    return 2
  }
  try {
    return await command.run(rest)
  } catch (err) {
    // A --case that names some other file is the user's mistake, not a failed run: exit 2, like a bad flag.
    if (err instanceof NotACaseFileError) {
      process.stderr.write(`afterlogin ${name}: ${err.message}\n`)
      return 2
    }
    if (err instanceof UsageError) {
      process.stderr.write(`afterlogin ${name}: ${err.message}\nusage: ${command.usage}\n`)
      return 2
    }
    process.stderr.write(`afterlogin ${name}: ${(err as Error).message}\n`)
    return 1
  }
}
