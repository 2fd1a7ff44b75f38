import { useRef, useState } from 'react'
import { EXPORT_KINDS, type ExportKind, type ExportRecord } from '../../../contract'
import { api } from '../api'
import { fmtCount } from '../lib/format'
import { useNav } from '../state/nav-store'
import { transport } from '../transport'
import { downloadExport } from '../transport/web'
import { Popover } from './Popover'

const LABELS: Record<ExportKind, string> = {
  'report-html': 'Case report (printable HTML)',
  'events-ocsf': 'Events · OCSF JSON Lines',
  'findings-ocsf': 'Findings · OCSF Detection Finding',
  'events-csv': 'Events · CSV',
  'chains-csv': 'Chains · CSV',
  'events-parquet': 'Events · Parquet',
  'chains-parquet': 'Chains · Parquet'
}

/** The report first: it is what most analysts come for. */
const ORDER: ExportKind[] = ['report-html', ...EXPORT_KINDS.filter((k) => k !== 'report-html')]

/** Kinds that can be narrowed to the chain on screen; events exports always cover the whole case. */
const PER_CHAIN: ReadonlySet<ExportKind> = new Set(['report-html', 'findings-ocsf', 'chains-csv', 'chains-parquet'])

const fileName = (path: string): string => path.split(/[\\/]/).pop() ?? path
const size = (bytes: number): string => (bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1048576).toFixed(1)} MB`)

/**
 * Report and exports from the UI, through the export.run call: the core writes into the case folder's exports/
 * (the page never names a path). In web mode the file is then downloaded; the desktop app shows where it is.
 */
export const ExportMenu = () => {
  const [open, setOpen] = useState(false)
  const [running, setRunning] = useState<ExportKind | null>(null)
  const [done, setDone] = useState<ExportRecord | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [chainOnly, setChainOnly] = useState(true)
  const button = useRef<HTMLButtonElement>(null)
  const chainId = useNav((s) => (s.screen === 'investigation' ? s.chainId : null))

  const run = async (kind: ExportKind) => {
    setRunning(kind)
    setError(null)
    setDone(null)
    try {
      const narrowed = chainId && chainOnly && PER_CHAIN.has(kind) ? { chainId } : {}
      const rec = await api('export.run', { kind, ...narrowed })
      if (transport?.kind === 'web') await downloadExport(rec.id, fileName(rec.path))
      setDone(rec)
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err))
    } finally {
      setRunning(null)
    }
  }

  return (
    <>
      <button type="button" ref={button} onClick={() => setOpen((o) => !o)} aria-expanded={open} data-testid="export-menu">
        Report &amp; export
      </button>
      {open && (
        <Popover onClose={() => setOpen(false)} anchor={button} label="Report and export" className="export-popover" testId="export-popover">
          <section className="panel">
            <h3>Report &amp; export</h3>
            {chainId && (
              <label className="small">
                <input type="checkbox" checked={chainOnly} onChange={(e) => setChainOnly(e.target.checked)} data-testid="export-chain-only" /> only the open
                chain (report, findings, chains)
              </label>
            )}
            <ul className="export-kinds">
              {ORDER.map((kind) => (
                <li key={kind}>
                  <button
                    type="button"
                    className={kind === 'report-html' ? 'primary' : ''}
                    disabled={running !== null}
                    onClick={() => void run(kind)}
                    data-testid={`export-${kind}`}
                  >
                    {running === kind ? 'Writing…' : LABELS[kind]}
                  </button>
                </li>
              ))}
            </ul>
            {done && (
              <p className="small" data-testid="export-result" data-kind={done.kind} data-path={done.path}>
                {LABELS[done.kind]}: {fmtCount(done.rows)} {done.kind === 'report-html' ? 'evidence events' : 'rows'}, {size(done.bytes)}
                {transport?.kind === 'web' ? ', downloaded as ' : ', written to '}
                <code>{transport?.kind === 'web' ? fileName(done.path) : done.path}</code>
                <br />
                <span className="muted">sha256 {done.sha256.slice(0, 16)}…, also kept in the case folder’s exports/</span>
              </p>
            )}
            {error && (
              <p className="error-text" role="alert" data-testid="export-error">
                {error}
              </p>
            )}
          </section>
        </Popover>
      )}
    </>
  )
}
