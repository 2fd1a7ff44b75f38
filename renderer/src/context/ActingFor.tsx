import './context.css'

/** An agent's chain names the identity the agent acted for, beside the agent itself. */
export const ActingFor = ({ identity, actingFor }: { identity: string; actingFor: string | null }) =>
  actingFor ? (
    <span className="acting-for small" data-testid="chain-acting-for" title={`${identity} is an AI agent acting with ${actingFor}'s delegated access`}>
      <span className="muted">acting for</span> <strong>{actingFor}</strong>
    </span>
  ) : null
