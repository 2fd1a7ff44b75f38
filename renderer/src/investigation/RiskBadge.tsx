import type { RecommendedResponse } from '../../../contract'
import { responseLabel } from '../../../contract/labels'

export const riskLevel = (risk: number): 'critical' | 'high' | 'medium' | 'low' | 'none' =>
  risk >= 80 ? 'critical' : risk >= 60 ? 'high' : risk >= 35 ? 'medium' : risk > 0 ? 'low' : 'none'

export const RiskBadge = ({ risk }: { risk: number }) => (
  <span className={`risk risk-${riskLevel(risk)}`} title={`risk ${risk} of 100`} data-testid="risk">
    {risk}
  </span>
)

export const ResponseTag = ({ response }: { response: RecommendedResponse }) => (
  <span className={`resp resp-${response}`} data-testid="response" data-response={response}>
    {responseLabel(response)}
  </span>
)
