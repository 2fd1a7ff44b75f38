import { memo, useEffect, useRef, useState, type DragEvent } from 'react'
import type { ImportFileResult } from '../../../contract'
import { filesFromDrop, filesFromInput } from './dropped-files'
import { useImports, type ImportCard } from './import-store'
import './import.css'

const fmt = new Intl.NumberFormat('en-US')
const mb = (n: number): string => `${(n / 1048576).toFixed(n < 10 * 1048576 ? 1 : 0)} MB`

const fraction = (c: ImportCard): number => {
  if (c.phase === 'finished') return 1
  if (c.phase === 'uploading') return c.uploaded ? (c.uploaded.done / c.uploaded.total) * 0.2 : 0
  const p = c.progress
  if (!p) return 0.02
  const read = p.bytesTotal ? p.bytesDone / p.bytesTotal : p.filesTotal ? p.filesDone / p.filesTotal : 0
  return p.phase === 'analyzing' ? 0.97 : Math.min(0.95, read)
}

const phaseText = (c: ImportCard): string => {
  switch (c.phase) {
    case 'uploading':
      return c.uploaded ? `uploading ${c.uploaded.done}/${c.uploaded.total} files` : 'uploading…'
    case 'reading': {
      const p = c.progress
      if (!p) return 'starting…'
      return `${p.filesDone}/${p.filesTotal} files · ${mb(p.bytesDone)} of ${mb(p.bytesTotal)} · ${fmt.format(p.events)} events${p.currentFile ? ` · ${p.currentFile}` : ''}`
    }
    case 'analyzing':
      return `${fmt.format(c.progress?.events ?? 0)} events stored · analyzing sessions…`
    case 'finished':
      return `${c.status ?? 'done'} · ${fmt.format(c.files.reduce((a, f) => a + f.newEvents, 0))} new events${c.seconds !== null ? ` in ${c.seconds.toFixed(1)} s` : ''}`
    case 'failed':
      return c.error ?? 'failed'
    default: {
      const never: never = c.phase
      return never
    }
  }
}

const ResultRow = memo(({ f }: { f: ImportFileResult }) => (
  <tr data-testid="import-result-row" data-path={f.path} className={f.error ? 'failed' : undefined}>
    <td className="path" title={f.path}>
      {f.path}
    </td>
    <td data-col="source">{f.source ?? '—'}</td>
    <td className="num" data-col="events">
      {fmt.format(f.events)}
    </td>
    <td className="num" data-col="new">
      {fmt.format(f.newEvents)}
    </td>
    <td className="num" data-col="rejected">
      {fmt.format(f.rejected)}
    </td>
    <td data-col="error" className="error">
      {f.error ?? ''}
    </td>
  </tr>
))

const Card = memo(({ card }: { card: ImportCard }) => {
  const cancel = useImports((s) => s.cancel)
  const running = card.phase === 'reading' || card.phase === 'analyzing' || card.phase === 'uploading'
  const pct = Math.round(fraction(card) * 100)
  return (
    <div className="import-card" data-testid="import-card" data-import-id={card.importId ?? ''} data-phase={card.phase} data-status={card.status ?? ''}>
      <div className="import-card-head">
        <span className="import-label" title={card.label}>
          {card.label}
        </span>
        {running && card.importId && (
          <button className="link" data-testid="import-cancel" onClick={() => void cancel(card.importId!)}>
            Cancel
          </button>
        )}
      </div>
      <div
        className="import-bar"
        data-testid="import-progress"
        data-phase={card.phase}
        role="progressbar"
        aria-valuenow={pct}
        aria-valuemin={0}
        aria-valuemax={100}
      >
        <div className={`import-bar-fill ${card.phase}`} style={{ width: `${pct}%` }} />
      </div>
      <div className="import-phase muted" data-testid="import-phase">
        {phaseText(card)}
      </div>
      {card.files.length > 0 && (
        <table className="grid import-results" data-testid="import-results">
          <thead>
            <tr>
              <th>File</th>
              <th>Source</th>
              <th className="num">Events</th>
              <th className="num">New</th>
              <th className="num">Rejected</th>
              <th>Error</th>
            </tr>
          </thead>
          <tbody>
            {card.files.map((f) => (
              <ResultRow key={f.path} f={f} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
})

/**
 * Drop files, folders or archives (zip, tar.gz, gz) onto the case. The desktop app passes their paths to
 * the core; web mode uploads them into the case folder first. One progress bar and one result table per import.
 */
export const ImportPanel = () => {
  const cards = useImports((s) => s.cards)
  const start = useImports((s) => s.start)
  const loadPast = useImports((s) => s.loadPast)
  const [over, setOver] = useState(false)
  const fileInput = useRef<HTMLInputElement>(null)
  const folderInput = useRef<HTMLInputElement>(null)

  useEffect(() => {
    void loadPast()
  }, [loadPast])

  const onDrop = (e: DragEvent<HTMLDivElement>): void => {
    e.preventDefault()
    setOver(false)
    void filesFromDrop(e.dataTransfer).then(start)
  }

  return (
    <div className="panel import-panel" data-testid="import-panel">
      <h3>Import logs</h3>
      <div
        className={`import-dropzone${over ? ' over' : ''}`}
        data-testid="import-dropzone"
        onDragOver={(e) => {
          e.preventDefault()
          e.dataTransfer.dropEffect = 'copy'
          setOver(true)
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <p>Drop log files, folders or bundles (.zip, .tar.gz, .gz) here</p>
        <p className="muted">
          Okta, Entra ID, Microsoft 365, Google Workspace, Slack, GitHub, Salesforce, CloudTrail and other JSON/CSV logs — detected from content.
        </p>
        <div className="import-pick">
          <button onClick={() => fileInput.current?.click()} data-testid="import-pick-files">
            Choose files…
          </button>
          <button onClick={() => folderInput.current?.click()} data-testid="import-pick-folder">
            Choose a folder…
          </button>
        </div>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          data-testid="import-file-input"
          onChange={(e) => {
            void start(filesFromInput(e.currentTarget.files))
            e.currentTarget.value = ''
          }}
        />
        <input
          ref={folderInput}
          type="file"
          hidden
          data-testid="import-folder-input"
          {...{ webkitdirectory: '' }}
          onChange={(e) => {
            void start(filesFromInput(e.currentTarget.files))
            e.currentTarget.value = ''
          }}
        />
      </div>
      {cards.length > 0 && (
        <div className="import-cards" data-testid="import-list">
          {cards.map((c) => (
            <Card key={c.key} card={c} />
          ))}
        </div>
      )}
    </div>
  )
}
