import { useEffect, useState } from 'react'
import type { EventDetail } from '../../../contract'
import { api } from '../api'
import { errorText } from '../lib/format'
import { useInvestigation } from '../state/investigation-store'
import { FindingsList } from './FindingsList'

/** Raw records are JSON for most sources and a CSV line for some (Salesforce): pretty-print only what parses. */
export const prettyRaw = (raw: string): string => {
  try {
    return JSON.stringify(JSON.parse(raw), null, 2)
  } catch {
    return raw
  }
}

const show = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v))

export const EventDetailView = ({ uid }: { uid: string }) => {
  const openEvent = useInvestigation((s) => s.openEvent)
  const [detail, setDetail] = useState<EventDetail | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [copied, setCopied] = useState(false)

  useEffect(() => {
    let live = true
    setDetail(null)
    setError(null)
    api('event.get', { uid }).then(
      (d) => live && setDetail(d),
      (e: unknown) => live && setError(errorText(e))
    )
    return () => {
      live = false
    }
  }, [uid])

  const raw = detail ? prettyRaw(detail.raw) : ''
  const copy = () => {
    void navigator.clipboard.writeText(raw).then(
      () => setCopied(true),
      () => setError('the clipboard is not available here; select the text instead')
    )
  }

  return (
    <section className="event-detail" data-testid="event-detail">
      <div className="section-head">
        <h3>Event</h3>
        <button type="button" className="ghost" onClick={() => openEvent(null)} data-testid="event-close" aria-label="Close event">
          ✕
        </button>
      </div>
      {error && <p className="error-text">{error}</p>}
      {!detail && !error && <p className="muted small">Loading record…</p>}
      {detail && (
        <>
          <div className="kv fields" data-testid="event-fields">
            {Object.entries(detail.fields)
              .filter(([, v]) => v !== null && v !== '' && !(Array.isArray(v) && v.length === 0))
              .map(([k, v]) => (
                <Field key={k} name={k} value={show(v)} />
              ))}
          </div>
          <p className="muted small mono">
            {detail.provenance.filePath} · record {detail.provenance.recordNo} · import {detail.provenance.importId}
          </p>
          {detail.findings.length > 0 && <FindingsList findings={detail.findings} />}
          <div className="section-head">
            <h3>Raw record</h3>
            <button type="button" onClick={copy} data-testid="copy-raw">
              {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
          <pre className="raw" data-testid="raw-record">
            {raw}
          </pre>
        </>
      )}
    </section>
  )
}

const Field = ({ name, value }: { name: string; value: string }) => (
  <>
    <span className="k">{name}</span>
    <span className="v mono" title={value}>
      {value}
    </span>
  </>
)
