import { describe, expect, it } from 'vitest'
import { importedChains } from '../helpers/imported-chains'
import { ruleExample } from '../helpers/rule-examples'

type Rec = Record<string, any>
const example = (rule: string): Rec => ruleExample(rule)

/** The attempt findings of a case holding `records` as one vendor file, by the values they quote. */
const attempts = async (name: string, content: unknown): Promise<string[]> =>
  (await importedChains(name, content)).chains
    .flatMap((c) => c.findings)
    .filter((f) => f.category === 'attempt')
    .map((f) => f.title)

// A refusal that is also how an owner takes back what was given (`afterlogin.withdraws`, detect.withdrawn).
describe('refusals that withdraw what the case shows given', () => {
  it("does not report an owner denying an OAuth app's access after approving it, and reports a denial of another app", async () => {
    const approved: Rec = { ...example('github/oauth-app-access-approved'), oauth_application: 'NightSync', url: 'https://nightjar-sync.net' }
    const at = approved.created_at as number
    // The withdrawal names the app by its URL only; the refusal of a request names another app.
    const withdrawn: Rec = {
      ...example('github/oauth-app-access-request-denied'),
      _document_id: 'wd-1',
      '@timestamp': at + 3_600_000,
      created_at: at + 3_600_000
    }
    delete withdrawn.oauth_application
    delete withdrawn.oauth_application_id
    delete withdrawn.user
    withdrawn.url = 'https://nightjar-sync.net'
    // A denial that names no member who asked, for an app the case never saw approved: still a refusal.
    const refused: Rec = { ...example('github/oauth-app-access-request-denied'), _document_id: 'wd-2', '@timestamp': at + 60_000, created_at: at + 60_000 }
    delete refused.user
    const found = await attempts('github.json', [approved, withdrawn, refused])
    expect(found).toHaveLength(1)
    expect(found[0]).toContain('GitBackup Cloud')
    expect(found[0]).not.toContain('nightjar')
  })

  it('does not report a Slack app restricted after it was installed, and reports one restricted before its approval', async () => {
    const installed = example('slack/app-installed-or-approved')
    const restricted = (id: string, app: string, at: number): Rec => {
      const r = structuredClone(example('slack/app-or-connect-request-refused'))
      r.id = id
      r.date_create = at
      r.entity.app = { ...installed.entity.app, id: app, name: `App ${app}` }
      return r
    }
    const at = installed.date_create as number
    const approvedLater: Rec = { ...structuredClone(installed), id: 'inst-2', action: 'app_approved', date_create: at + 7200 }
    approvedLater.entity.app.id = 'A07LATER0001'
    const found = await attempts('slack.json', {
      entries: [installed, restricted('rs-1', installed.entity.app.id, at + 600), restricted('rs-2', 'A07LATER0001', at + 300), approvedLater]
    })
    expect(found).toHaveLength(1)
    expect(found[0]).toContain('App A07LATER0001')
    expect(found[0]).not.toContain(`App ${installed.entity.app.id}`)
  })
})
