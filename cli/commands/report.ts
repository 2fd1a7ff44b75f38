import { parse, printJson, UsageError, type Command } from '../command'
import { exportToPath } from './export-common'

export const reportCommand: Command = {
  name: 'report',
  summary: 'write the printable HTML case report (every statement linked to its evidence)',
  usage: 'afterlogin report --case FILE --out report.html [--chain ID] [--force]',
  async run(argv) {
    const { values } = parse(argv, {
      case: { type: 'string' },
      out: { type: 'string' },
      chain: { type: 'string' },
      force: { type: 'boolean', default: false }
    })
    if (!values.case) throw new UsageError('--case FILE.duckdb is required')
    if (!values.out) throw new UsageError('--out PATH is required')
    printJson(await exportToPath(values.case, 'report-html', values.out, { chainId: values.chain, force: values.force }))
    return 0
  }
}
