import { readFile, stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { checkRules } from '../../core/detect/sigma/check'
import { folderFiles } from '../../core/detect/sigma/load'
import { parse, printJson, UsageError, type Command } from '../command'

export const rulesCommand: Command = {
  name: 'rules',
  summary: 'check Sigma rule files: ok, not applicable, unsupported or error (line and reason)',
  usage: 'afterlogin rules check DIR|FILE.yml [--json]',
  async run(argv) {
    const [sub, ...rest] = argv
    if (sub !== 'check') throw new UsageError(sub ? `unknown subcommand '${sub}'` : 'a subcommand is required: check')
    const { values, positionals } = parse(rest, { json: { type: 'boolean', default: false } }, true)
    if (positionals.length !== 1) throw new UsageError('one folder (or rule file) to check is required')
    const target = resolve(positionals[0])
    const info = await stat(target).catch(() => null)
    if (!info) throw new Error(`${positionals[0]} does not exist`)
    const files = info.isDirectory() ? await folderFiles(target) : [{ path: target, text: await readFile(target, 'utf8') }]
    const checks = await checkRules(files)
    if (values.json) printJson(checks.map((c) => ({ path: c.path, id: c.id, title: c.title, status: c.status, reason: c.reason })))
    else {
      for (const c of checks)
        process.stdout.write(`${c.status.padEnd(15)}${c.path}${c.title ? `  ${c.title}` : ''}${c.reason ? `\n               ${c.reason}` : ''}\n`)
      const count = (s: string) => checks.filter((c) => c.status === s).length
      process.stdout.write(
        `${checks.length} rules: ${count('ok')} ok, ${count('not_applicable')} not applicable, ${count('unsupported')} unsupported, ${count('error')} errors\n`
      )
    }
    return checks.some((c) => c.status === 'error') ? 1 : 0
  }
}
