import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline/promises'
import { CONNECTOR_IDS, RESPONSE_ACTIONS, type ActionSummary, type ConnectorId, type ResponseAction, type ResponsePreview } from '../../contract'
import { defaultDataDir } from '../../core/paths'
import { KeyringSecretStore } from '../../core/response/keyring-store'
import { actionDetail, listActions } from '../../core/response/outbox'
import { ResponseService } from '../../core/response/response-service'
import { openCaseFile } from '../../core/case/open-case'
import { PushChannel } from '../../core/emitter'
import type { CaseDb } from '../../core/store/case-db'
import { parse, printJson, UsageError, type Command } from '../command'

const oneOf = <T extends string>(list: readonly T[], value: string | undefined, flag: string): T => {
  if (!value) throw new UsageError(`--${flag} is required (${list.join(', ')})`)
  if (!(list as readonly string[]).includes(value)) throw new UsageError(`--${flag} must be one of ${list.join(', ')}; got '${value}'`)
  return value as T
}

/** The preview an analyst reads before confirming, on stderr so stdout stays one JSON line. */
const describe = (p: ResponsePreview): string => {
  const lines = [`${p.action} for ${p.identity}${p.sessionKey ? ` (session ${p.sessionKey})` : ''}`]
  for (const plan of p.plans) {
    lines.push(``, `${plan.label} → ${plan.target}${plan.configured ? '' : `  [not configured: ${plan.missing.join(', ')}]`}`)
    for (const c of plan.calls) lines.push(`  ${c.method} ${c.url}${c.body ? ` ${JSON.stringify(c.body)}` : ''}${c.repeat ? `  (${c.repeat})` : ''}`)
    lines.push(`  cuts: ${plan.cuts.join('; ')}`, `  does not cut: ${plan.doesNotCut.join('; ')}`, `  residual access: ${plan.residual}`)
    for (const n of plan.notes) lines.push(`  note: ${n}`)
  }
  return lines.join('\n')
}

const confirm = async (question: string): Promise<boolean> => {
  const rl = createInterface({ input: process.stdin, output: process.stderr })
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim())
  } finally {
    rl.close()
  }
}

const resultLine = async (db: CaseDb, a: ActionSummary) => {
  const d = await actionDetail(db, a.id)
  const calls = a.dryRun
    ? d.plan.calls.map((c) => ({ method: c.method, url: c.url, status: 'not-sent', attempts: 0 }))
    : d.calls.map((c) => ({ method: c.method, url: c.url, status: c.status, attempts: c.attempts }))
  return { id: a.id, status: a.status, ...(a.error ? { error: a.error } : {}), calls }
}

const exitFor = (s: ActionSummary['status']): number => (s === 'done' || s === 'dry-run' ? 0 : 1)

export const respond: Command = {
  name: 'respond',
  summary: 'preview, confirm and send a response action through a connector',
  usage:
    'afterlogin respond --case FILE --connector ID --action ACTION --identity WHO [--session ID] [--chain ID] --reason TEXT [--analyst NAME] [--dry-run] [--yes]\n' +
    '       afterlogin respond --case FILE --list | --resume ACTION_ID --reason TEXT [--resend-unsafe] [--yes]',
  async run(argv) {
    const { values } = parse(argv, {
      case: { type: 'string' },
      connector: { type: 'string' },
      action: { type: 'string' },
      identity: { type: 'string' },
      session: { type: 'string' },
      chain: { type: 'string' },
      reason: { type: 'string' },
      analyst: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      yes: { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
      resume: { type: 'string' },
      'resend-unsafe': { type: 'boolean', default: false }
    })
    if (!values.case) throw new UsageError('--case FILE.duckdb is required')
    if (!existsSync(values.case)) throw new UsageError(`no case file at ${values.case}`)
    const dataDir = defaultDataDir()
    // The settings saved in the app apply here too; AFTERLOGIN_* variables fill in what they leave unset.
    const secrets = new KeyringSecretStore(join(dataDir, 'connector-settings.json'))
    const { db } = await openCaseFile(values.case)
    try {
      // The same service the app's handlers use, over this case alone; the CLI waits for every run itself.
      const svc = new ResponseService({ db: () => db, push: new PushChannel(), secrets, dataDir })
      if (values.list) {
        await svc.recover(db)
        for (const a of await listActions(db, values.chain ?? null, 1000)) printJson(a)
        return 0
      }
      const reason = values.reason?.trim() ?? ''
      if (reason.length < 3) throw new UsageError('--reason TEXT is required: say why (it goes into the audit trail)')
      const ask = async (what: string): Promise<boolean> => {
        if (values.yes) return true
        if (!process.stdin.isTTY) {
          process.stderr.write('afterlogin respond: refusing to send without confirmation: pass --yes (no terminal to ask on)\n')
          return false
        }
        return confirm(`${what} [y/N] `)
      }
      if (values.resume) {
        await svc.recover(db)
        const d = await actionDetail(db, values.resume)
        process.stderr.write(`${d.connector} ${d.action} for ${d.identity}: ${d.status}\n`)
        for (const c of d.calls) process.stderr.write(`  #${c.callNo} ${c.method} ${c.url}: ${c.status}${c.safeToRepeat ? '' : ' (not safe to repeat)'}\n`)
        if (!(await ask('Resume this action?'))) return 1
        const a = await svc.resume(values.resume, reason, values.analyst, values['resend-unsafe'], { wait: true })
        printJson(await resultLine(db, a))
        return exitFor(a.status)
      }
      const connector = oneOf<ConnectorId>(CONNECTOR_IDS, values.connector, 'connector')
      const action = oneOf<ResponseAction>(RESPONSE_ACTIONS, values.action, 'action')
      const identity = values.identity?.trim()
      if (!identity) throw new UsageError('--identity WHO is required')
      const request = { connectors: [connector], action, identity, chainId: values.chain, sessionId: values.session }
      const preview = await svc.preview(request)
      const plan = preview.plans[0]
      if (!plan.supported) throw new Error(`${plan.label} cannot ${action}: ${plan.notes.join('; ')}`)
      if (!plan.configured && !values['dry-run']) throw new Error(`${plan.label} is not configured: set ${plan.missing.join(', ')} (or use --dry-run)`)
      process.stderr.write(`${describe(preview)}\n\n`)
      // A dry run sends nothing, so there is nothing to confirm; it is still recorded with its reason.
      if (!values['dry-run'] && !(await ask(`Send ${plan.calls.length} call(s) to ${plan.label}?`))) return 1
      const [a] = await svc.execute({ ...request, reason, analyst: values.analyst, dryRun: values['dry-run'] }, { wait: true })
      printJson(await resultLine(db, a))
      return exitFor(a.status)
    } finally {
      db.close()
    }
  }
}
