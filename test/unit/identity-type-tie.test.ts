import { describe, expect, it } from 'vitest'
import { importedChains } from '../helpers/imported-chains'

// GitHub's organization audit log: a developer's push a branch protection refused (her own action: a person), and
// the workflow runs her pull request started, which GitHub records under her login with the Actions app's
// server-to-server token (a service's event).
let n = 0
const entry = (action: string, extra: object) => ({
  '@timestamp': 1773154113997 + ++n * 60000,
  _document_id: `tie-${String(n).padStart(8, '0')}`,
  action,
  actor: 'hbecker-dev',
  actor_id: 91544028,
  actor_is_bot: false,
  actor_location: { country_code: 'DE' },
  created_at: 1773154113997 + n * 60000,
  org: 'halvard-analytics',
  org_id: 61829304,
  repo: 'halvard-analytics/pricing-engine',
  repo_id: 688201937,
  public_repo: false,
  visibility: 'private',
  ...extra
})
const push = () => entry('protected_branch.rejected_ref_update', { actor_ip: '87.160.44.212', user_agent: 'git/2.43.0', branch: 'refs/heads/main' })
const run = () =>
  entry('workflows.completed_workflow_run', {
    actor_ip: '20.171.44.9',
    user_agent: 'launch/production',
    programmatic_access_type: 'GitHub App server-to-server token',
    hashed_token: 'rS3aoo/PtDJ1nQaY/OnPLrsPrCgXduP1HuEULpO39kU=',
    event: 'pull_request',
    name: 'test-and-build',
    conclusion: 'success'
  })

const typeOf = async (records: object[]) => [...new Set((await importedChains('github.json', records)).chains.map((c) => c.identityType))]

describe('an identity typed by what its records say', () => {
  it('is the type they give most often, and the person on a tie', async () => {
    expect(await typeOf([run(), push()])).toEqual(['human'])
    expect(await typeOf([push(), run(), run()])).toEqual(['service'])
  })
})
