import { describe, expect, it } from 'vitest'
import { importedChains } from '../helpers/imported-chains'

// GitHub's audit log: a maintainer's token pushes a branch from a server rented by the hour (45.77.143.92, Vultr), and
// the push sets off a workflow run on that branch. The run's records (workflows.created_workflow_run /
// completed_workflow_run, under the pusher's login) name no address.
const VULTR = '45.77.143.92'
const REPO = 'quillon-bio/ml-pipeline'
const SHA = 'f41c09ab7e2d58c3b6a1e0d94f7c2b85a3e6d019'
const T0 = Date.parse('2026-03-11T16:10:05Z')

let n = 0
const base = (minutes: number, action: string) => ({
  '@timestamp': T0 + minutes * 60_000,
  created_at: T0 + minutes * 60_000,
  _document_id: `pR${String(++n).padStart(4, '0')}xQ2mZ7vK9tL3wB`,
  action,
  actor: 'praman-qb',
  actor_id: 141920387,
  actor_is_bot: false,
  org: 'quillon-bio',
  org_id: 98211734,
  business: 'quillon',
  repo: REPO,
  repo_id: 705873126,
  visibility: 'private',
  public_repo: false
})
const push = (minutes: number) => ({
  ...base(minutes, 'git.push'),
  actor_ip: VULTR,
  actor_location: { country_code: 'US' },
  repository: REPO,
  repository_public: false,
  ref: 'refs/heads/ci/cache-warmup',
  after: SHA,
  hashed_token: 'CWpV0Gv096MI6keXgrIuTuwFn8NHXACVzNWuCJj6qb4=',
  programmatic_access_type: 'Personal access token (classic)',
  token_scopes: 'repo,workflow',
  transport_protocol_name: 'http',
  user_agent: 'git/2.43.0'
})
const run = (minutes: number, action: 'created' | 'completed', opts: { branch?: string; event?: string; sha?: string; id?: number } = {}) => ({
  ...base(minutes, `workflows.${action}_workflow_run`),
  event: opts.event ?? 'push',
  head_branch: opts.branch ?? 'ci/cache-warmup',
  head_sha: opts.sha ?? SHA,
  name: opts.branch === 'main' ? 'ci' : 'cache-warmup',
  workflow_id: 91004872,
  workflow_run_id: opts.id ?? 13801944520,
  run_attempt: 1,
  ...(action === 'completed' ? { conclusion: 'success' } : {}),
  user_agent: 'GitHub Actions'
})

/** The finding that names the push, and the ids of the records it names. */
const pushFinding = async (records: object[]) => {
  const { chains } = await importedChains('github.json', records)
  const f = chains.flatMap((c) => c.findings).find((x) => x.eventIds.some((id) => id.endsWith((records[0] as { _document_id: string })._document_id)))!
  return { title: f.title, ids: f.eventIds.map((id) => id.replace(/^github:/, '')) }
}

describe('the workflow runs a reported push set off', () => {
  it('names the runs of the pushed branch and commit, started and finished, in the finding that names the push', async () => {
    const records = [push(0), run(1, 'created'), run(4, 'completed')]
    const f = await pushFinding(records)
    expect(f.ids.sort()).toEqual(records.map((r) => r._document_id).sort())
    expect(f.title).toMatch(/ — with the workflow run it set off: cache-warmup on ci\/cache-warmup$/)
  })

  it('leaves runs of another branch or commit, runs not started by a push, and runs more than an hour later alone', async () => {
    const records = [
      push(0),
      run(1, 'created', { branch: 'main', id: 1 }),
      run(1, 'created', { sha: '0000000000000000000000000000000000000abc', id: 2 }),
      run(2, 'created', { event: 'schedule', id: 3 }),
      run(75, 'created', { id: 4 })
    ]
    const f = await pushFinding(records)
    expect(f.ids).toEqual([records[0]._document_id])
    expect(f.title).not.toContain('workflow run')
  })
})
