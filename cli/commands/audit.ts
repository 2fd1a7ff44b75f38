import { existsSync } from 'node:fs'
import { verifyAudit } from '../../core/audit/audit'
import { auditCsv, auditJson } from '../../core/audit/audit-export'
import { openCaseDb } from '../../core/case/open-case-db'
import { parse, printJson, UsageError, type Command } from '../command'

export const audit: Command = {
  name: 'audit',
  summary: 'export (JSON, CSV) or verify the case’s hash-chained audit trail',
  usage: 'afterlogin audit --case FILE (--json | --csv | --verify)',
  async run(argv) {
    const { values } = parse(argv, {
      case: { type: 'string' },
      json: { type: 'boolean', default: false },
      csv: { type: 'boolean', default: false },
      verify: { type: 'boolean', default: false }
    })
    if (!values.case) throw new UsageError('--case FILE.duckdb is required')
    const modes = [values.json, values.csv, values.verify].filter(Boolean).length
    if (modes !== 1) throw new UsageError('choose exactly one of --json, --csv, --verify')
    if (!existsSync(values.case)) throw new UsageError(`no case file at ${values.case}`)
    const db = await openCaseDb(values.case)
    try {
      if (values.verify) {
        const v = await verifyAudit(db)
        printJson(v)
        if (!v.ok) process.stderr.write(`afterlogin audit: the audit trail is broken: ${v.problem}\n`)
        return v.ok ? 0 : 1
      }
      process.stdout.write(values.csv ? await auditCsv(db) : `${await auditJson(db)}\n`)
      return 0
    } finally {
      db.close()
    }
  }
}
