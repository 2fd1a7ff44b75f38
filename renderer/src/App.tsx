import { useEffect } from 'react'
import { onPush } from './api'
import { useCase } from './state/case-store'
import { useNav, type Screen } from './state/nav-store'
import { useSessions } from './state/sessions-store'
import { transport } from './transport'
import { CasePicker } from './screens/CasePicker'
import { CaseHome } from './screens/CaseHome'
import { Sessions } from './screens/Sessions'
import { Investigation } from './screens/Investigation'
import { Audit } from './screens/Audit'
import { Settings } from './screens/Settings'
import { TopBar } from './components/TopBar'
import { ResponseLayer } from './response/ResponseLayer'
import type { CaseInfo } from '../../contract'

const ScreenOf = ({ screen, info }: { screen: Screen; info: CaseInfo }) => {
  switch (screen) {
    case 'home':
      return <CaseHome info={info} />
    case 'sessions':
      return <Sessions />
    case 'investigation':
      return <Investigation />
    case 'audit':
      return <Audit />
    case 'settings':
      return <Settings />
    default: {
      const never: never = screen
      throw new Error(`unknown screen ${String(never)}`)
    }
  }
}

export const App = () => {
  const status = useCase((s) => s.status)
  const current = useCase((s) => s.current)
  const start = useCase((s) => s.start)
  const setCurrent = useCase((s) => s.setCurrent)
  const screen = useNav((s) => s.screen)
  const caseId = current?.id ?? null

  useEffect(() => {
    void start()
    return onPush('case.changed', setCurrent)
  }, [start, setCurrent])

  // Another case: its chains and its filters are not this one's.
  useEffect(() => {
    useNav.getState().reset()
    useSessions.getState().switchCase(caseId)
  }, [caseId])

  if (!transport) {
    return (
      <div className="fatal" data-testid="no-transport">
        <h1>Afterlogin</h1>
        <p>This page has no connection to the Afterlogin core. Open it with the URL that `afterlogin web` printed (it carries the access token).</p>
      </div>
    )
  }

  return (
    <div
      className="shell"
      data-ready={status === 'ready' || status === 'error' ? 'true' : 'false'}
      data-testid="shell"
      data-screen={current ? screen : 'picker'}
    >
      <TopBar />
      <main className={`content content-${current ? screen : 'picker'}`}>{current ? <ScreenOf screen={screen} info={current} /> : <CasePicker />}</main>
      <ResponseLayer />
    </div>
  )
}
