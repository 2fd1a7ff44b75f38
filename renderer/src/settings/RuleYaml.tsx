import { useEffect, useState } from 'react'
import { api } from '../api'

/** A loaded rule file's YAML, fetched when shown. */
export const RuleYaml = ({ path }: { path: string }) => {
  const [text, setText] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    api('rules.yaml', { path }).then(
      (r) => setText(r.text),
      (err: Error) => setError(err.message)
    )
  }, [path])
  if (error) return <p className="error-text small">{error}</p>
  if (text === null) return <p className="muted small">Loading…</p>
  return (
    <pre className="raw" data-testid="rule-yaml">
      {text}
    </pre>
  )
}
