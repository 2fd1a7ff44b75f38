import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jwksOf, loadSigningKey } from '../../core/response/ssf-keys'
import { launchChromium } from '../helpers/chromium'
import { startWebMode, tempHome, type WebMode } from '../helpers/web-mode'
import { startGithubMock } from '../mocks/github-mock'
import { startGoogleMock } from '../mocks/google-mock'
import { startGraphMock } from '../mocks/graph-mock'
import type { MockServer } from '../mocks/mock-server'
import { startOktaMock } from '../mocks/okta-mock'
import { startSalesforceMock } from '../mocks/salesforce-mock'
import { startSlackMock } from '../mocks/slack-mock'
import { mockEnv } from '../mocks/providers'
import { startSsfReceiver } from '../mocks/ssf-receiver-mock'
import { AppPage } from './pages/app-page'
import { ResponsePage } from './pages/response-page'

// The demo case is the generated hijack bundle: its top chain is maria.chen's, across
// okta, m365, google_workspace, salesforce, slack and github.
const MARIA = 'maria.chen@acme.example'

const oktaUsers = [{ id: '00u1maria', login: MARIA, status: 'ACTIVE' as const, clients: [], sessions: ['1028e256e63dba0e89633b137'] }]
const graphUsers = [{ id: 'b1e1-maria', upn: MARIA, accountEnabled: true, revoked: 0, risk: 'none' as const }]
const googleUsers = [{ primaryEmail: MARIA, id: '2001', suspended: false, changePasswordAtNextLogin: false, signOuts: 0, tokens: [] }]
const slackUsers = [{ id: 'U0ACME101', email: MARIA, resets: 0, sessions: [] }]
const org = {
  name: 'acme',
  members: ['maria-acme'],
  credentials: [{ credential_id: 42, login: 'maria-acme', credential_type: 'personal access token', token_last_eight: 'deadbeef' }]
}
const sfUsers = [{ id: '005MARIA0000001', username: MARIA, loginId: '0Yw000000000002', frozen: false, sessions: ['0Ak5e00000MariaA', '0Ak5e00000MariaB'] }]

let web: WebMode
let browser: Browser
const mocks: MockServer[] = []
const home = tempHome()
let receiver: Awaited<ReturnType<typeof startSsfReceiver>>

beforeAll(async () => {
  const [okta, graph, google, slack, github, salesforce] = await Promise.all([
    startOktaMock(oktaUsers),
    startGraphMock(graphUsers),
    startGoogleMock(googleUsers),
    startSlackMock(slackUsers),
    startGithubMock(org),
    startSalesforceMock(sfUsers)
  ])
  receiver = await startSsfReceiver({
    jwks: async () => jwksOf(await loadSigningKey(home)) as never,
    issuer: 'https://afterlogin.test/ssf',
    audience: 'https://receiver.test'
  })
  mocks.push(okta, graph, google, slack, github, salesforce, receiver)
  const env = {
    ...mockEnv('okta', okta),
    ...mockEnv('entra', graph),
    ...mockEnv('google', google),
    ...mockEnv('slack', slack),
    ...mockEnv('github', github),
    ...mockEnv('salesforce', salesforce),
    AFTERLOGIN_SSF_URL: `${receiver.url}/security/api/v1/security-events`,
    // The receiver’s authorization_header, sent exactly as given.
    AFTERLOGIN_SSF_TOKEN: `Bearer ${receiver.token}`,
    AFTERLOGIN_SSF_ISSUER: 'https://afterlogin.test/ssf',
    AFTERLOGIN_SSF_AUDIENCE: 'https://receiver.test'
  }
  // Throttling on the way: Okta answers the first session wipe with 429 E0000047.
  okta.inject(/^DELETE \/api\/v1\/users\/00u1maria\/sessions$/, 'rate-limit')
  ;[web, browser] = await Promise.all([startWebMode({ home, env }), launchChromium()])
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await web?.stop()
  for (const m of mocks) await m.close()
})

describe('responding from the investigation graph', () => {
  it('terminates the hijacked chain’s sessions across its apps, live, and lists it in the audit tab', { timeout: 120_000 }, async () => {
    const app = new AppPage(await browser.newPage({ viewport: { width: 1440, height: 900 } }))
    const rsp = new ResponsePage(app.page)
    await app.open(web.url)
    await rsp.openTopChain()
    await rsp.respondFromIdentityNode()

    await expect.poll(() => app.byTestId('response-identity').textContent()).toBe(MARIA)
    // The chain recommends termination: it is preselected, with a connector for every app in the chain.
    expect(await rsp.action('terminate-session').isChecked()).toBe(true)
    for (const id of ['okta', 'entra', 'google', 'slack', 'github', 'salesforce', 'ssf']) expect(await rsp.connector(id).isChecked(), id).toBe(true)

    await rsp.preview()
    await expect.poll(() => rsp.plan('entra').textContent()).toContain('revokeSignInSessions')
    expect(await rsp.plan('okta').textContent()).toContain('Residual access')
    expect(await app.byTestId('response-confirm').isDisabled()).toBe(true)
    await app.screenshot('response-preview')

    await rsp.confirm('Okta session replayed from another country; exports and a forwarding rule followed', 'dana')
    const final: Record<string, string> = {}
    for (const id of ['okta', 'entra', 'google', 'slack', 'github', 'salesforce', 'ssf']) final[id] = await rsp.finalStatus(id)
    expect(final).toEqual({ okta: 'done', entra: 'done', google: 'done', slack: 'done', github: 'done', salesforce: 'done', ssf: 'done' })
    await app.screenshot('response-live-status')

    expect(oktaUsers[0].sessions).toEqual([])
    expect(graphUsers[0].revoked).toBe(1)
    expect(googleUsers[0].signOuts).toBe(1)
    expect(slackUsers[0].resets).toBe(1)
    expect(org.credentials).toEqual([])
    expect(sfUsers[0].sessions).toEqual([])
    await receiver.settled()
    expect(receiver.received.map((r) => r.verified)).toEqual([true])

    await rsp.openAuditTab()
    await expect.poll(() => rsp.auditActions().count()).toBe(7)
    expect(await rsp.verify()).toBe('true')
    await app.screenshot('response-audit')
    expect(app.errors).toEqual([])
  })
})
