import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { ImportProgress, ImportSummary } from '../../contract/imports'
import { stampNewCase } from '../../core/case/case-info'
import { runImport } from '../../core/import'
import { openCaseDb } from '../../core/case/open-case-db'
import { parse, printJson, UsageError, type Command } from '../command'

const mb = (n: number): string => `${(n / 1048576).toFixed(1)} MB`

/** One line redrawn in place on a terminal: bar, files, bytes, events, current file. */
const drawProgress = (p: ImportProgress): void => {
  const width = 28
  const frac = p.bytesTotal ? Math.min(1, p.bytesDone / p.bytesTotal) : p.filesTotal ? p.filesDone / p.filesTotal : 0
  const bar = '█'.repeat(Math.round(frac * width)).padEnd(width, '░')
  const what = p.phase === 'analyzing' ? 'analyzing sessions…' : (p.currentFile ?? '')
  const line = `${bar} ${Math.round(frac * 100)}% ${p.filesDone}/${p.filesTotal} files ${mb(p.bytesDone)}/${mb(p.bytesTotal)} ${p.events.toLocaleString('en-US')} events ${what}`
  const cols = process.stderr.columns || 120
  process.stderr.write(`\r${line.slice(0, cols - 1).padEnd(cols - 1)}`)
}

/** The summary line promised by the CLI contract (see docs/import.md). */
const summaryLine = (s: ImportSummary) => ({
  case: s.case,
  files: s.files.map((f) => ({
    path: f.path,
    source: f.source,
    format: f.format,
    events: f.events,
    newEvents: f.newEvents,
    rejected: f.rejected,
    error: f.error
  })),
  events: s.events,
  newEvents: s.newEvents,
  rejected: s.rejected,
  seconds: s.seconds,
  analyzeSeconds: s.analyzeSeconds,
  firstChainSeconds: s.firstChainSeconds,
  analysisError: s.analysisError
})

export const importCommand: Command = {
  name: 'import',
  summary: 'import log files, folders and archives into a case (created if missing)',
  usage: 'afterlogin import <path>... --case FILE.duckdb',
  async run(argv) {
    const { values, positionals } = parse(argv, { case: { type: 'string' } }, true)
    if (!values.case) throw new UsageError('--case FILE.duckdb is required')
    if (positionals.length === 0) throw new UsageError('give at least one file, folder or archive to import')
    const missing = positionals.filter((p) => !existsSync(p))
    if (missing.length) throw new UsageError(`no such file or folder: ${missing.join(', ')}`)
    const casePath = resolve(values.case)
    await mkdir(dirname(casePath), { recursive: true })
    const db = await openCaseDb(casePath)
    const controller = new AbortController()
    const stop = () => controller.abort(new Error('interrupted'))
    process.once('SIGINT', stop)
    try {
      await stampNewCase(
        db,
        casePath
          .split(/[\\/]/)
          .pop()!
          .replace(/\.duckdb$/, ''),
        false
      )
      const tty = process.stderr.isTTY
      const summary = await runImport(db, positionals, {
        signal: controller.signal,
        progressMs: 100,
        onProgress: tty ? drawProgress : undefined
      })
      if (tty) process.stderr.write('\n')
      for (const f of summary.files) if (f.error) process.stderr.write(`afterlogin import: ${f.path}: ${f.error}\n`)
      if (summary.analysisError) process.stderr.write(`afterlogin import: ${summary.analysisError}\n`)
      printJson(summaryLine(summary))
      return summary.status === 'done' && !summary.analysisError ? 0 : 1
    } finally {
      process.off('SIGINT', stop)
      db.close()
    }
  }
}
