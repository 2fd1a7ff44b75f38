import { describe, expect, it } from 'vitest'
import { importedChains } from '../helpers/imported-chains'

// GitHub's audit log names a token by `token_id` both when the token made the call (with programmatic_access_type and
// hashed_token) and when the action was about the token (a member's request for it, an owner's approval in the
// browser). Only the first makes the token a session.
const at = Date.parse('2026-11-30T10:00:00Z')
const base = { org: 'northwind-labs', org_id: 77310025, business: 'northwind', business_id: 4410, actor_location: { country_code: 'DE' } }
const request = {
  ...base,
  _document_id: 'tok-req-1',
  '@timestamp': at,
  created_at: at,
  action: 'personal_access_token.request_created',
  actor: 'lena-dev',
  actor_id: 1001,
  actor_ip: '198.51.100.23',
  user_agent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  token_id: 991,
  permissions_added: { repository: { contents: 'read' } }
}
const approval = {
  ...base,
  _document_id: 'tok-grant-1',
  '@timestamp': at + 600_000,
  created_at: at + 600_000,
  action: 'personal_access_token.access_granted',
  actor: 'dana-ops',
  actor_id: 1002,
  actor_ip: '203.0.113.41',
  user_agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  user: 'lena-dev',
  token_id: 991
}
const clone = {
  ...base,
  _document_id: 'tok-use-1',
  '@timestamp': at + 1_200_000,
  created_at: at + 1_200_000,
  action: 'git.clone',
  actor: 'lena-dev',
  actor_id: 1001,
  actor_ip: '198.51.100.23',
  user_agent: 'git/2.43.0',
  repo: 'northwind-labs/notebooks',
  repository_public: false,
  programmatic_access_type: 'Fine-grained personal access token',
  hashed_token: 'k3X9pQ2wZ7vB1nM5cR8tY4uI6oP0aS3dF5gH7jK9lQ=',
  token_id: 991
}

describe('GitHub sessions keyed by the token that made the call', () => {
  it("keeps an owner's approval of a token out of the session the token makes, and reads no new browser into it", async () => {
    const { source, chains } = await importedChains('github.json', [request, approval, clone])
    expect(source).toBe('github')
    expect(chains.flatMap((c) => c.findings).map((f) => f.category)).not.toContain('device_change')
    // The owner's approval is a chain of the owner's own, not a step of the requester's token session.
    expect(chains.find((c) => c.identity === 'dana-ops')).toBeDefined()
  })
})
