import { useEffect, useState } from 'react'
import type { CasePolicies, PolicyInEffect } from '../../../contract'
import { api } from '../api'
import { RulesViewer } from './RulesViewer'

const originText = (origin: string): string => (origin === 'default' ? 'Built-in default' : `This case's own copy: ${origin}`)

/** The policies the open case applies: the shipped defaults, overridden file by file by the case's policies/ folder. */
export const usePolicies = (): { policies: CasePolicies | null; error: string | null } => {
  const [policies, setPolicies] = useState<CasePolicies | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    api('policies.get', {}).then(setPolicies, (err: Error) => setError(err.message))
  }, [])
  return { policies, error }
}

export const JsonViewer = ({ title, policy, testId }: { title: string; policy: PolicyInEffect; testId: string }) => (
  <details className="panel" data-testid={testId}>
    <summary>
      <h3 className="inline">{title}</h3> <span className="muted small">{originText(policy.origin)}</span>
    </summary>
    <pre className="raw">{JSON.stringify(policy.value, null, 2)}</pre>
  </details>
)

export const PolicyViewers = () => {
  const { policies, error } = usePolicies()
  if (error) return <p className="panel error-text">Policies could not be loaded: {error}</p>
  if (!policies) return <p className="panel muted">Loading the case's policies…</p>
  return (
    <>
      <RulesViewer />
      <JsonViewer title="Mass access and anomalies" policy={policies.riskyActions} testId="risky-actions" />
      <JsonViewer title="Identity classification" policy={policies.classification} testId="classification" />
      <JsonViewer title="Response policy" policy={policies.response} testId="response-policy" />
      <JsonViewer title="Known VPN and secure-access networks" policy={policies.vpnAsns} testId="vpn-asns" />
    </>
  )
}
