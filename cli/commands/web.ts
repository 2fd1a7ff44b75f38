import { fileURLToPath } from 'node:url'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Workbench } from '../../core/workbench'
import { assertCaseFileOrMissing } from '../../core/case/case-file-guard'
import { defaultDataDir } from '../../core/paths'
import { KeyringSecretStore } from '../../core/response/keyring-store'
import { VERSION } from '../../core/version'
import { startWebServer } from '../web/server'
import { webRoutes } from '../web/routes'
import { parse, UsageError, type Command } from '../command'

export const rendererDir = (): string => fileURLToPath(new URL('../renderer/', import.meta.url))

export const web: Command = {
  name: 'web',
  summary: 'serve the workbench UI on 127.0.0.1 (local web mode)',
  usage: 'afterlogin web [--case FILE.duckdb [--no-create]] [--port N]',
  async run(argv) {
    const { values } = parse(argv, { case: { type: 'string' }, 'no-create': { type: 'boolean', default: false }, port: { type: 'string', default: '0' } })
    const port = Number(values.port)
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0–65535, got ${values.port}`)
    if (values['no-create'] && !values.case) throw new UsageError('--no-create only applies with --case')
    // A mistyped --case must not silently become an empty case: say so, or refuse with --no-create.
    // An existing file that is not a case is refused before anything starts (NotACaseFileError, exit 2).
    const caseFile = values.case ? resolve(values.case) : null
    if (caseFile && (await assertCaseFileOrMissing(caseFile)) === 'missing') {
      if (values['no-create']) throw new UsageError(`no case file at ${caseFile} (--no-create: not creating one)`)
      process.stderr.write(`afterlogin web: no case file at ${caseFile}: creating a new, empty case there\n`)
    }
    const dir = rendererDir()
    if (!existsSync(`${dir}/index.html`)) {
      console.error('afterlogin: the renderer is not built — run `npm run build` first')
      return 1
    }
    const dataDir = defaultDataDir()
    // Connector settings entered in the page: secrets in the OS keyring (memory only when none answers).
    const secrets = new KeyringSecretStore(join(dataDir, 'connector-settings.json'))
    const workbench = new Workbench({ dataDir, transport: 'web', version: VERSION, secrets })
    if (caseFile) await workbench.open(caseFile)
    const server = await startWebServer({ workbench, rendererDir: dir, port, routes: webRoutes(workbench) })
    process.stdout.write(`${server.url}\n`)
    await new Promise<void>((done) => {
      const stop = () => {
        void server.close().then(() => {
          workbench.close()
          done()
        })
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
    return 0
  }
}
