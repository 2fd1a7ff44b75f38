import { createRoot } from 'react-dom/client'
import '@xyflow/react/dist/base.css'
import '../src/styles.css'
import '../src/screens.css'
import '../src/graph/graph.css'
import { GraphView } from '../src/graph/GraphView'
import { runLayout } from '../src/graph/run-layout'
import { layoutInputOf, toFlowNodes } from '../src/graph/to-flow'
import { useInvestigation } from '../src/state/investigation-store'
import { syntheticChain } from './synthetic-graph'

// Benchmark harness (built by scripts/bench-graph.ts, never shipped): the product's graph view drawing a
// synthetic chain of ?nodes=N nodes, so frame rates can be measured past what the core would send.
const size = Number(new URLSearchParams(location.search).get('nodes') ?? 2000)
const graph = syntheticChain(size)
useInvestigation.setState({ chainId: 'bench', openedAt: performance.now(), status: 'layout' })
void runLayout(layoutInputOf(graph)).then((layout) => useInvestigation.setState({ graph, nodes: toFlowNodes(graph, layout), status: 'ready' }))

createRoot(document.getElementById('root')!).render(
  <div style={{ height: '100vh', display: 'flex', flexDirection: 'column' }}>
    <GraphView />
  </div>
)
