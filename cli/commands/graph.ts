import { chainGraph } from '../../core/sessions/graph'
import { openAnalysedCase } from '../../core/sessions/open-analysed'
import { parse, printJson, UsageError, type Command } from '../command'

export const graphCommand: Command = {
  name: 'graph',
  summary: 'print the cross-app graph of one chain as JSON',
  usage: 'afterlogin graph --case FILE.duckdb --session CHAIN_ID [--json] [--expand NODE]...',
  async run(argv) {
    const { values } = parse(argv, {
      case: { type: 'string' },
      session: { type: 'string' },
      json: { type: 'boolean', default: false },
      expand: { type: 'string', multiple: true }
    })
    if (!values.case) throw new UsageError('--case is required')
    if (!values.session) throw new UsageError('--session is required (a chain id from `afterlogin sessions`)')
    const db = await openAnalysedCase(values.case)
    try {
      // A session id (s…) is accepted too: it opens the chain that session belongs to.
      const owner = values.session.startsWith('s') ? await db.one<{ chain_id: string }>('chains.of-session', { id: values.session }) : undefined
      const graph = await chainGraph(db, { id: owner?.chain_id ?? values.session, expand: values.expand ?? [] })
      if (values.json) printJson(graph)
      else {
        for (const n of graph.nodes)
          process.stdout.write(`${n.kind.padEnd(9)}${(n.app ?? '').padEnd(18)}${String(n.count).padEnd(8)}${n.risky ? '!' : ' '} ${n.label}  [${n.id}]\n`)
        for (const e of graph.edges)
          process.stdout.write(
            `${e.kind.padEnd(9)}${e.source} → ${e.target}${e.evidence ? `  (${e.evidence.rule}, ${e.evidence.deltaSeconds}s)` : ''}${e.anomaly ? `  (${e.anomaly})` : ''}\n`
          )
        if (graph.hidden) process.stdout.write(`… ${graph.hidden} more nodes: expand an action node with --expand\n`)
      }
      return 0
    } finally {
      db.close()
    }
  }
}
