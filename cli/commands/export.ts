import type { ExportKind } from '../../contract'
import { parse, printJson, UsageError, type Command } from '../command'
import { exportToPath } from './export-common'

const KINDS: Record<string, Partial<Record<string, ExportKind>>> = {
  events: { ocsf: 'events-ocsf', csv: 'events-csv', parquet: 'events-parquet' },
  findings: { ocsf: 'findings-ocsf' },
  chains: { csv: 'chains-csv', parquet: 'chains-parquet' }
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'export events (OCSF, CSV, Parquet), findings (OCSF) or chains (CSV, Parquet) to a file',
  usage: 'afterlogin export --case FILE --what events|findings|chains --format ocsf|csv|parquet --out PATH [--chain ID] [--force]',
  async run(argv) {
    const { values } = parse(argv, {
      case: { type: 'string' },
      what: { type: 'string', default: 'events' },
      format: { type: 'string' },
      out: { type: 'string' },
      chain: { type: 'string' },
      force: { type: 'boolean', default: false }
    })
    if (!values.case) throw new UsageError('--case FILE.duckdb is required')
    if (!values.out) throw new UsageError('--out PATH is required')
    const formats = KINDS[values.what]
    if (!formats) throw new UsageError(`--what must be events, findings or chains, got ${values.what}`)
    const format = values.format ?? Object.keys(formats)[0]
    const kind = formats[format]
    if (!kind) throw new UsageError(`${values.what} export as ${format} is not offered; use ${Object.keys(formats).join(' or ')}`)
    if (values.chain && values.what === 'events') throw new UsageError('--chain applies to findings and chains exports')
    printJson(await exportToPath(values.case, kind, values.out, { chainId: values.chain, force: values.force }))
    return 0
  }
}
