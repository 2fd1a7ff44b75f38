import { useEffect, useState } from 'react'
import { IDENTITY_TYPES, RESPONSES, type IdentityType, type RecommendedResponse } from '../../../contract'
import { useCase } from '../state/case-store'
import { useSessions } from '../state/sessions-store'
import { identityTypeLabel, responseLabel, sourceLabel } from '../../../contract/labels'

export const SessionFilters = () => {
  const filter = useSessions((s) => s.filter)
  const setFilter = useSessions((s) => s.setFilter)
  const sources = useCase((s) => s.current?.sources ?? [])
  const [text, setText] = useState(filter.text ?? '')

  // Typing should not fire a query per keystroke; coming back to the list with the same text fires none.
  useEffect(() => {
    const next = text.trim() || undefined
    if (next === useSessions.getState().filter.text) return
    const t = setTimeout(() => setFilter({ text: next }), 250)
    return () => clearTimeout(t)
  }, [text, setFilter])

  return (
    <div className="filters row" data-testid="session-filters">
      <input
        className="grow"
        placeholder="Filter by identity, IP, country, app…  ( / )"
        value={text}
        onChange={(e) => setText(e.target.value)}
        data-testid="filter-text"
        id="session-filter-text"
      />
      <select
        value={filter.identityType ?? ''}
        onChange={(e) => setFilter({ identityType: (e.target.value || undefined) as IdentityType | undefined })}
        data-testid="filter-type"
        aria-label="Identity type"
      >
        <option value="">any identity</option>
        {IDENTITY_TYPES.map((t) => (
          <option key={t} value={t}>
            {identityTypeLabel(t)}
          </option>
        ))}
      </select>
      <select value={filter.app ?? ''} onChange={(e) => setFilter({ app: e.target.value || undefined })} data-testid="filter-app" aria-label="App">
        <option value="">any app</option>
        {sources.map((s) => (
          <option key={s.source} value={s.source}>
            {sourceLabel(s.source)}
          </option>
        ))}
      </select>
      <select
        value={filter.response ?? ''}
        onChange={(e) => setFilter({ response: (e.target.value || undefined) as RecommendedResponse | undefined })}
        data-testid="filter-response"
        aria-label="Recommended response"
      >
        <option value="">any response</option>
        {RESPONSES.map((r) => (
          <option key={r} value={r}>
            {responseLabel(r)}
          </option>
        ))}
      </select>
    </div>
  )
}
