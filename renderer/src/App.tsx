import { useEffect } from 'react'
import { onPush } from './api'
import { useCase } from './state/case-store'
import { transport } from './transport'
import { CasePicker } from './screens/CasePicker'
import { CaseHome } from './screens/CaseHome'
import { TopBar } from './components/TopBar'

export const App = () => {
  const status = useCase((s) => s.status)
  const current = useCase((s) => s.current)
  const start = useCase((s) => s.start)
  const setCurrent = useCase((s) => s.setCurrent)

  useEffect(() => {
    void start()
    return onPush('case.changed', setCurrent)
  }, [start, setCurrent])

  if (!transport) {
    return (
      <div className="fatal" data-testid="no-transport">
        <h1>Afterlogin</h1>
        <p>This page has no connection to the Afterlogin core. Open it with the URL that `afterlogin web` printed (it carries the access token).</p>
      </div>
    )
  }

  return (
    <div className="shell" data-ready={status !== 'starting' ? 'true' : 'false'} data-testid="shell">
      <TopBar />
      <main className="content">{current ? <CaseHome info={current} /> : <CasePicker />}</main>
    </div>
  )
}
