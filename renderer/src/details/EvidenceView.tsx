import type { LinkEvidence } from '../../../contract'
import { fmtDuration } from '../lib/format'
import { stitchRuleLabel } from '../../../contract/labels'

/** Why two sessions were joined: the rule, the fields that matched on both sides, and the time between them. */
export const EvidenceView = ({ evidence }: { evidence: LinkEvidence }) => (
  <div className="evidence" data-testid="stitch-evidence">
    <div className="kv">
      <span className="k">rule</span>
      <span className="v" title={evidence.rule}>
        {stitchRuleLabel(evidence.rule)}
      </span>
      <span className="k">time delta</span>
      <span className="v mono">{fmtDuration(evidence.deltaSeconds)}</span>
      {Object.entries(evidence.matched).map(([field, value]) => (
        <FieldRow key={field} field={field} value={value} />
      ))}
    </div>
  </div>
)

const FieldRow = ({ field, value }: { field: string; value: string }) => (
  <>
    <span className="k">= {field}</span>
    <span className="v mono" title={value}>
      {value}
    </span>
  </>
)
