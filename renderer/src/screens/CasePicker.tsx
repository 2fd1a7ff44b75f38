import { useState, type FormEvent } from 'react'
import { useCase } from '../state/case-store'

const when = (iso: string): string => new Date(iso).toISOString().replace('T', ' ').slice(0, 16) + ' UTC'

/** Creates or opens a case; `onDone` runs once one is open (the Cases popover closes then). */
export const CasePicker = ({ onDone }: { onDone?: () => void }) => {
  const recent = useCase((s) => s.recent)
  const create = useCase((s) => s.create)
  const open = useCase((s) => s.open)
  const openDemo = useCase((s) => s.openDemo)
  const busy = useCase((s) => s.status === 'busy')
  const [name, setName] = useState('')
  const then = (opened: Promise<boolean>) => void opened.then((ok) => ok && onDone?.())

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (name.trim()) then(create(name.trim()))
  }

  return (
    <section className="picker panel" data-testid="case-picker">
      <h2>Cases</h2>
      <form onSubmit={submit} className="row">
        <input
          aria-label="New case name"
          placeholder="New case name, e.g. INC-2291 okta session reuse"
          value={name}
          onChange={(e) => setName(e.target.value)}
          data-testid="new-case-name"
        />
        <button type="submit" disabled={busy || !name.trim()} data-testid="create-case">
          Create
        </button>
        <button type="button" onClick={() => then(openDemo())} disabled={busy} data-testid="open-demo">
          Open demo case
        </button>
      </form>
      <h3>Recent</h3>
      {recent.length === 0 ? (
        <p className="muted">No recent cases yet.</p>
      ) : (
        <ul className="recent" data-testid="recent-cases">
          {recent.map((c) => (
            <li key={c.id}>
              <button type="button" className="link" onClick={() => then(open(c.id))} disabled={busy} data-testid="recent-case">
                {c.name}
              </button>
              {c.demo && <span className="tag">demo</span>}
              <span className="muted small">opened {when(c.openedAt)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
