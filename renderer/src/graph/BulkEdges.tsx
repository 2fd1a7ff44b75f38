import { memo, useMemo } from 'react'
import { ViewportPortal } from '@xyflow/react'
import { useInvestigation } from '../state/investigation-store'
import { bulkPaths } from './bulk-edges'

/** Action and resource edges, drawn under the nodes inside the viewport as two paths (see bulk-edges.ts). */
const BulkEdgesView = () => {
  const graph = useInvestigation((s) => s.graph)
  const nodes = useInvestigation((s) => s.nodes)
  const paths = useMemo(() => (graph ? bulkPaths(graph, nodes) : null), [graph, nodes])
  if (!paths) return null
  return (
    <ViewportPortal>
      <svg className="bulk-edges" width="1" height="1" aria-hidden="true">
        <path className="bulk-action" d={paths.action} />
        <path className="bulk-resource" d={paths.resource} />
      </svg>
    </ViewportPortal>
  )
}

export const BulkEdges = memo(BulkEdgesView)
