import classificationDefault from '../../policies/identity-classification.json'
import type { Rec } from './types'
import { pickText } from './values'

/**
 * Names of AI clients and agents as vendor logs spell them in an app or client name (M365
 * AppAccessContext.ClientAppName, Entra appDisplayName / servicePrincipalName, Slack app and bot names, Okta OAuth
 * client names): Microsoft 365 Copilot, Copilot Studio agents, Salesforce Agentforce and Einstein, ChatGPT connectors, Claude, Gemini, Glean… A name
 * alone makes an actor an agent only where the log says an app acted (a client app with delegated access, a
 * service-principal sign-in, a bot actor), never for a person signing in to such an app.
 */
const AI_CLIENT =
  /\b(copilot|chatgpt|openai|gpt-?\d|claude|anthropic|gemini|duet ai|glean|perplexity|mistral|llama|langchain|langgraph|autogen|crewai|semantic kernel|mcp|llm|agentforce|einstein|ai[ -]?(agent|assistant)|agent(ic)?|assistant)\b/i

/** "AI" as a word of its own in capitals (Recap AI), or an .ai product name (Otter.ai): case matters, "ai" alone is too short. */
const AI_WORD = /\bAI\b|\w\.ai\b/

export const isAiClient = (name: string | null): boolean => name !== null && (AI_CLIENT.test(name) || AI_WORD.test(name))

/** isAiClient as one RE2 expression, for the fast path's SQL: AI_CLIENT without case, AI_WORD with it. */
export const AI_CLIENT_RE2 = `(?i:${AI_CLIENT.source})|${AI_WORD.source}`

/**
 * The M365 agent acting in a unified audit record: the Copilot interaction's agent (AgentName, else the app it ran
 * in), or the client app with delegated access whose name is an AI client. Null for records of people and plain
 * services. Unified audit log schema: https://learn.microsoft.com/purview/audit-copilot
 */
export const m365Agent = (r: Rec): string | null => {
  const op = pickText(r, 'Operation') ?? ''
  const type = pickText(r, 'RecordType') ?? ''
  if (/^CopilotInteraction$/i.test(op) || type === '261' || /^copilotinteraction$/i.test(type))
    return pickText(r, ['AgentName', 'CopilotEventData.AgentName']) ?? 'Microsoft 365 Copilot'
  const client = pickText(r, ['AppAccessContext.ClientAppName', 'ClientAppName'])
  return isAiClient(client) ? client : null
}

/**
 * Service accounts as the shipped identity classification names them (policies/identity-classification.json: svc-…,
 * …@….iam.gserviceaccount.com, integration.…, ci-…, workload identities, role ARNs). A log that records such an account
 * as an ordinary user (Okta `User`, Salesforce `Standard`, a CloudTrail IAM user) says what kind of account it is,
 * not who operates it: its name says the rest, as the identity classification reads it (names before the log's type).
 */
const SERVICE_NAMES = classificationDefault.service.patterns.map((p) => `(?:${p})`).join('|')
export const SERVICE_NAME = new RegExp(SERVICE_NAMES, 'i')
/** SERVICE_NAME as one RE2 expression, for the fast path's SQL. */
export const SERVICE_NAME_RE2 = `(?i)${SERVICE_NAMES}`
