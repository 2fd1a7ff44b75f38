import type { Rec, SourceMapping } from './types'
import { flagOf, httpOutcome, pickText } from './values'

// GitHub organization / enterprise audit log and user security log (REST and streamed): https://docs.github.com/en/organizations/keeping-your-organization-secure/managing-security-settings-for-your-organization/audit-log-events-for-your-organization
/**
 * An event an AI agent caused (`actor_is_agent`, with the `agent_session_id` of the agent's task):
 * https://docs.github.com/en/copilot/reference/enterprise-administrators/agentic-audit-log-events
 */
const agentic = (r: Rec): boolean => flagOf(r.actor_is_agent) === true

const REFUSED = /fail|rejected|(?<!access_)denied/

export const github: SourceMapping = {
  id: 'github',
  detect: (r) =>
    typeof r.action === 'string' &&
    r.action.includes('.') &&
    r.actor !== undefined &&
    (r['@timestamp'] !== undefined || r.created_at !== undefined) &&
    // An organization's or enterprise's entry names it; a user's security log entry (codespaces, personal tokens,
    // SSH keys) names no organization but carries the audit log's own _document_id.
    (r.org !== undefined || r.business !== undefined || r.org_id !== undefined || r.business_id !== undefined || r._document_id !== undefined),
  nativeId: '_document_id',
  time: ['@timestamp', 'created_at', 'timestamp'],
  sourceType: 'action',
  category: [
    [/sso_response|oauth_authorization|^user\.login|two_factor_authentication\.(enabled|disabled)?|personal_access_token\.access/, 'authentication'],
    [
      /^(personal_access_token|oauth_access|oauth_application|integration_installation|programmatic_access)|token|deploy_key|actions_secret|secret_scanning/,
      'api_activity'
    ],
    [/git\.clone|git\.fetch|repo\.download|\.export|archive|migration/, 'data_access'],
    [/forking|public|visibility|access|collaborator|invite|add_member|outside_collaborator/, 'sharing'],
    [/(^org|^team|^business)\.(add|remove|update)_member|block_user|membership|two_factor/, 'account_change'],
    [/^(org|business|enterprise|team|repo|hook|protected_branch|repository_ruleset|members_can|private_repository_forking|org_credential)/, 'admin']
  ],
  // Streaming and SIEM copies carry the request's outcome; an API request event its HTTP status; the audit log
  // itself says it only in some action names: a push a branch protection rejected, a token request denied. An
  // owner withdrawing an app's access (org.oauth_app_access_denied) is the owner's action done, not a refusal.
  outcome: (r) => {
    const stated = pickText(r, ['outcome', 'data.outcome'])
    if (stated) return stated
    return httpOutcome(pickText(r, ['status_code', 'data.status_code'])) ?? (REFUSED.test(String(r.action)) ? 'failure' : undefined)
  },
  actorId: 'actor_id',
  actorName: 'actor',
  actorType: (r) => {
    const actor = pickText(r, 'actor') ?? ''
    if (agentic(r) || /copilot/i.test(actor)) return 'agent'
    if (/\[bot\]$/i.test(actor) || actor === 'github-actions') return 'service'
    // A machine user: a user account (actor_is_bot false, which only rules out apps) named as a bot, by GitHub's convention.
    if (/(^|[-_])bot$|^bot[-_]/i.test(actor)) return 'service'
    if (pickText(r, 'programmatic_access_type')?.includes('server-to-server')) return 'service'
    return actor ? 'human' : 'unknown'
  },
  identity: (r) => (agentic(r) ? pickText(r, 'actor') : pickText(r, ['external_identity_nameid', 'actor'])),
  // An agentic event (Copilot's coding agent) names the person who started it in `user`.
  actingFor: (r) => (agentic(r) ? pickText(r, 'user') : null),
  app: () => 'GitHub',
  // A token id is the session's credential only where the event was made with a token (programmatic_access_type,
  // hashed_token): on an owner's approval of a token request, or an SSO authorization made in the browser, it names the
  // token the action was about, whose requester and later user are other sessions.
  sessionKeys: {
    hashed_token: 'hashed_token',
    token_id: (r) => (pickText(r, ['programmatic_access_type', 'hashed_token']) ? pickText(r, 'token_id') : undefined),
    external_identity_nameid: 'external_identity_nameid'
  },
  srcIp: 'actor_ip',
  userAgent: 'user_agent',
  geoCountry: ['actor_location.country_code', 'actor_location.country_name'],
  // Git events (git.clone, git.push, git.fetch) name the repository as `repository`, the others as `repo`.
  targetType: (r) => (r.repo || r.repository ? 'repository' : r.user ? 'user' : r.team ? 'team' : r.org ? 'organization' : undefined),
  targetId: ['repo_id', 'user_id', 'team_id', 'org_id'],
  targetName: ['repo', 'repository', 'user', 'team', 'org', 'business'],
  // An API request's HTTP status (the REST API's audit entries for it).
  refusal: ['status_code', 'data.status_code']
}
