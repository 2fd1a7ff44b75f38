import type { ChainRow } from '../../contract/sessions'
import { openAnalysedCase } from '../../core/sessions/open-analysed'
import { chainRecord } from '../../core/sessions/chain-record'
import { listChains } from '../../core/sessions/read-model'
import { chainStories } from '../../core/sessions/story-read'
import { parse, printJson, UsageError, type Command } from '../command'

const PAGE = 500

export const sessionsCommand: Command = {
  name: 'sessions',
  summary: 'list the chains of a case, riskiest first',
  usage: 'afterlogin sessions --case FILE.duckdb [--json | --story] [--limit N]',
  async run(argv) {
    const { values } = parse(argv, {
      case: { type: 'string' },
      json: { type: 'boolean', default: false },
      story: { type: 'boolean', default: false },
      limit: { type: 'string' }
    })
    if (!values.case) throw new UsageError('--case is required')
    if (values.json && values.story) throw new UsageError('--json and --story exclude each other (the JSON carries each story)')
    const limit = values.limit === undefined ? Infinity : Number(values.limit)
    if (!(limit === Infinity || (Number.isInteger(limit) && limit > 0))) throw new UsageError(`--limit must be a positive integer, got ${values.limit}`)
    const db = await openAnalysedCase(values.case)
    try {
      const rows: ChainRow[] = []
      for (let offset = 0; rows.length < limit; offset += PAGE) {
        const page = await listChains(db, { offset, limit: Math.min(PAGE, limit - rows.length), sort: 'risk', filter: {} })
        rows.push(...page.rows)
        if (page.rows.length === 0 || offset + page.rows.length >= page.total) break
      }
      if (values.json) {
        const stories = await chainStories(db, rows)
        printJson(rows.map((c) => chainRecord(c, stories.get(c.id)?.text ?? '')))
      } else if (values.story) {
        const stories = await chainStories(db, rows)
        process.stdout.write(rows.map((c) => `== ${c.identity} · ${c.id} · risk ${c.risk} · ${c.response}\n\n${stories.get(c.id)?.text ?? ''}\n`).join('\n'))
      } else {
        process.stdout.write(`${'RISK'.padEnd(5)}${'RESPONSE'.padEnd(19)}${'TYPE'.padEnd(9)}${'IDENTITY'.padEnd(36)}${'APPS'.padEnd(44)}EVENTS  ID\n`)
        for (const c of rows)
          process.stdout.write(
            `${String(c.risk).padEnd(5)}${c.response.padEnd(19)}${c.identityType.padEnd(9)}${c.identity.slice(0, 34).padEnd(36)}${c.apps.join(',').slice(0, 42).padEnd(44)}${String(c.events).padEnd(8)}${c.id}\n`
          )
      }
      return 0
    } finally {
      db.close()
    }
  }
}
