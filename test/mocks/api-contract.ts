import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import Ajv, { type ValidateFunction } from 'ajv'
import { XMLParser } from 'fast-xml-parser'
import { OpenAPIBackend, type Operation } from 'openapi-backend'
import { parse as parseYaml } from 'yaml'
import type { Seen } from './mock-server'

/**
 * Checks one request a mock received against the provider's published API description in ../shared/api-specs
 * (SOURCES.md): [] when the description allows it, else what it does not allow. A mock built with a contract
 * answers 400 to anything else, so a connector can only pass against what the provider publishes.
 */
export type Contract = (req: Seen) => string[]

export const SPECS_DIR = join(import.meta.dirname, '..', '..', '..', 'shared', 'api-specs')
export const specsPresent = (): boolean => existsSync(join(SPECS_DIR, 'SOURCES.md'))

const ajv = () => new Ajv({ allErrors: true, coerceTypes: true, strict: false })

const ajvErrors = (v: ValidateFunction, where: string): string[] =>
  (v.errors ?? []).map(
    (e) =>
      `${where}${e.instancePath} ${e.message}${e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : ''}`
  )

const queryObject = (q: URLSearchParams): Record<string, string> => Object.fromEntries(q.entries())

const jsonBody = (req: Seen): unknown => (req.body.trim() ? (JSON.parse(req.body) as unknown) : undefined)

// ---------------------------------------------------------------------------------------------------------------
// Okta: the Management API's OpenAPI 3 description, through openapi-backend (path, method, parameters, body schema).

type Json = unknown

/** The "noExamples" build still points at components/examples it dropped; examples never constrain a request. */
const withoutExamples = (v: Json): Json =>
  Array.isArray(v)
    ? v.map(withoutExamples)
    : v && typeof v === 'object'
      ? Object.fromEntries(
          Object.entries(v)
            .filter(([k]) => k !== 'examples' && k !== 'example')
            .map(([k, x]) => [k, withoutExamples(x)])
        )
      : v

let oktaApi: Promise<OpenAPIBackend> | null = null

const loadOkta = (): Promise<OpenAPIBackend> =>
  (oktaApi ??= (async () => {
    const definition = withoutExamples(parseYaml(readFileSync(join(SPECS_DIR, 'okta-management.yaml'), 'utf8'))) as never
    const api = new OpenAPIBackend({ definition, quick: true, validate: true, strict: false })
    await api.init()
    return api
  })())

/** The published Okta operation a request matches (its parameters, security scopes), if any. */
export const oktaOperation = async (req: Seen): Promise<Operation | undefined> =>
  (await loadOkta()).matchOperation({ method: req.method.toLowerCase(), path: req.path, headers: {} })

export const oktaContract = async (): Promise<Contract> => {
  const api = await loadOkta()
  return (req) => {
    const request = {
      method: req.method.toLowerCase(),
      path: req.path,
      query: queryObject(req.query),
      headers: { 'content-type': 'application/json' },
      body: jsonBody(req)
    }
    const op: Operation | undefined = api.matchOperation(request)
    if (!op) return [`${req.method} ${req.path}: no such operation in the Okta Management API`]
    const declared = new Set((op.parameters ?? []).map((p) => ('in' in p && p.in === 'query' ? p.name : null)).filter(Boolean))
    const stray = [...req.query.keys()].filter((k) => !declared.has(k)).map((k) => `${op.operationId}: query parameter ${k} is not declared`)
    const result = api.validateRequest(request, op)
    return [...stray, ...(result.errors ?? []).map((e) => `${op.operationId}${e.instancePath} ${e.message ?? ''}`.trim())]
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Slack: the Web API's OpenAPI 2 snapshot. Every method takes its arguments as GET query or POST form alike
// (https://docs.slack.dev/apis/web-api/#basics), so both are read as one argument object, validated by ajv.

interface SwaggerParam {
  name: string
  in: string
  required?: boolean
  type?: string
}

/**
 * Changes Slack published after the 2021 snapshot, each with its reference page:
 * admin.users.session.invalidate takes user_id and session_id only since 2025-01-15
 * (https://docs.slack.dev/reference/methods/admin.users.session.invalidate, changelog 2025-01-15).
 */
export const SLACK_CHANGES: Record<string, { drop?: string[]; add?: SwaggerParam[] }> = {
  '/admin.users.session.invalidate': { drop: ['team_id'], add: [{ name: 'user_id', in: 'formData', required: true, type: 'string' }] }
}

export const slackContract = (changes = SLACK_CHANGES): Contract => {
  const spec = JSON.parse(readFileSync(join(SPECS_DIR, 'slack-web-api.json'), 'utf8')) as {
    paths: Record<string, Record<string, { parameters?: SwaggerParam[] }>>
  }
  const validators = new Map<string, ValidateFunction>()
  const validatorFor = (method: string): ValidateFunction | null => {
    const ops = spec.paths[method]
    if (!ops) return null
    let v = validators.get(method)
    if (!v) {
      const change = changes[method] ?? {}
      const params = [...Object.values(ops).flatMap((op) => op.parameters ?? []), ...(change.add ?? [])]
        // The token travels as an Authorization header, which the description also allows.
        .filter((p) => p.name !== 'token' && !(change.drop ?? []).includes(p.name) && (p.in === 'formData' || p.in === 'query'))
      const properties = Object.fromEntries(
        params.map((p) => [p.name, { type: p.type === 'integer' ? 'integer' : p.type === 'boolean' ? 'boolean' : 'string' }])
      )
      const required = [...new Set(params.filter((p) => p.required).map((p) => p.name))]
      v = ajv().compile({ type: 'object', properties, required, additionalProperties: false })
      validators.set(method, v)
    }
    return v
  }
  return (req) => {
    const method = req.path.replace(/^\/api/, '')
    const v = validatorFor(method)
    if (!v) return [`${method}: no such Web API method`]
    if (!/^Bearer xox|^Bearer /.test(String(req.headers.authorization ?? ''))) return [`${method}: the token must travel as Authorization: Bearer`]
    const args = { ...queryObject(req.query), ...queryObject(new URLSearchParams(req.method === 'POST' ? req.body : '')) }
    return v(args) ? [] : ajvErrors(v, method)
  }
}

// ---------------------------------------------------------------------------------------------------------------
// GitHub: Enterprise Cloud endpoints with their parameters (octokit's generated list, from GitHub's OpenAPI).

interface GithubEndpoint {
  method: string
  url: string
  documentationUrl: string
  parameters: { name: string; in: string; type: string; required: boolean }[]
}

/**
 * Endpoints common to github.com and GHEC are not in the GHEC-only list; these are copied in its format from
 * their reference pages (linked), so the same check covers them.
 */
export const GITHUB_COMMON: GithubEndpoint[] = [
  {
    method: 'GET',
    url: '/orgs/{org}',
    documentationUrl: 'https://docs.github.com/en/enterprise-cloud@latest/rest/orgs/orgs#get-an-organization',
    parameters: [{ name: 'org', in: 'PATH', type: 'string', required: true }]
  },
  {
    method: 'GET',
    url: '/orgs/{org}/members/{username}',
    documentationUrl: 'https://docs.github.com/en/enterprise-cloud@latest/rest/orgs/members#check-organization-membership-for-a-user',
    parameters: [
      { name: 'org', in: 'PATH', type: 'string', required: true },
      { name: 'username', in: 'PATH', type: 'string', required: true }
    ]
  },
  {
    method: 'DELETE',
    url: '/orgs/{org}/members/{username}',
    documentationUrl: 'https://docs.github.com/en/enterprise-cloud@latest/rest/orgs/members#remove-an-organization-member',
    parameters: [
      { name: 'org', in: 'PATH', type: 'string', required: true },
      { name: 'username', in: 'PATH', type: 'string', required: true }
    ]
  }
]

const templateRegex = (url: string): RegExp => new RegExp(`^${url.replace(/\{[^}]+\}/g, '[^/]+')}$`)

let githubEndpoints: { e: GithubEndpoint; match: RegExp; query: ValidateFunction; body: ValidateFunction }[] | null = null

export const githubContract = (): Contract => {
  githubEndpoints ??= compileGithub()
  const endpoints = githubEndpoints
  return (req) => {
    const found = endpoints.find((x) => x.e.method === req.method && x.match.test(req.path))
    if (!found) return [`${req.method} ${req.path}: no such GitHub Enterprise Cloud endpoint`]
    const errors = found.query(queryObject(req.query)) ? [] : ajvErrors(found.query, `${found.e.url} query`)
    const body = jsonBody(req) ?? {}
    return found.body(body) ? errors : [...errors, ...ajvErrors(found.body, `${found.e.url} body`)]
  }
}

const compileGithub = () => {
  const validator = ajv()
  const listed = JSON.parse(readFileSync(join(SPECS_DIR, 'github-ghec-endpoints.json'), 'utf8')) as GithubEndpoint[]
  return [...listed, ...GITHUB_COMMON].map((e) => {
    const params = e.parameters.filter((p) => p.in === 'QUERY' || p.in === 'BODY')
    const schema = (where: string) => {
      const ps = params.filter((p) => p.in === where)
      return {
        type: 'object',
        properties: Object.fromEntries(ps.map((p) => [p.name, p.type === 'integer' ? { type: 'integer' } : p.type === 'boolean' ? { type: 'boolean' } : {}])),
        required: ps.filter((p) => p.required).map((p) => p.name),
        additionalProperties: false
      }
    }
    return { e, match: templateRegex(e.url), query: validator.compile(schema('QUERY')), body: validator.compile(schema('BODY')) }
  })
}

// ---------------------------------------------------------------------------------------------------------------
// Microsoft Graph v1.0: the OData CSDL (entity sets, singletons, navigation, bound actions), parsed with
// fast-xml-parser; each request path is resolved through the model and its body validated by ajv.

interface XmlNode {
  [k: string]: unknown
}

interface EntityType {
  base: string | null
  properties: Map<string, string>
  navigation: Map<string, string>
}

interface BoundAction {
  binding: string
  params: Map<string, string>
}

const list = (v: unknown): XmlNode[] => (Array.isArray(v) ? (v as XmlNode[]) : v ? [v as XmlNode] : [])
const attr = (n: XmlNode, k: string): string => String(n[`@_${k}`] ?? '')
/** graph.user / microsoft.graph.user → user; collections keep their wrapper. */
const local = (t: string): string => t.replace(/(microsoft\.graph|graph)\./g, '')

interface GraphModel {
  types: Map<string, EntityType>
  actions: Map<string, BoundAction[]>
  roots: Map<string, string>
}

let graphModel: GraphModel | null = null

const loadGraph = (): GraphModel => {
  if (graphModel) return graphModel
  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_' }).parse(readFileSync(join(SPECS_DIR, 'msgraph-v1.0.csdl'), 'utf8')) as XmlNode
  const schemas = list((xml['edmx:Edmx'] as XmlNode)['edmx:DataServices'] && ((xml['edmx:Edmx'] as XmlNode)['edmx:DataServices'] as XmlNode).Schema)
  const schema = schemas.find((s) => attr(s, 'Namespace') === 'microsoft.graph')
  if (!schema) throw new Error('the CSDL has no microsoft.graph schema')
  const types = new Map<string, EntityType>()
  for (const t of [...list(schema.EntityType), ...list(schema.ComplexType)]) {
    types.set(attr(t, 'Name'), {
      base: attr(t, 'BaseType') ? local(attr(t, 'BaseType')) : null,
      properties: new Map(list(t.Property).map((p) => [attr(p, 'Name'), local(attr(p, 'Type'))])),
      navigation: new Map(list(t.NavigationProperty).map((p) => [attr(p, 'Name'), local(attr(p, 'Type'))]))
    })
  }
  const actions = new Map<string, BoundAction[]>()
  for (const a of list(schema.Action)) {
    if (attr(a, 'IsBound') !== 'true') continue
    const params = list(a.Parameter)
    const binding = params.find((p) => attr(p, 'Name') === 'bindingParameter')
    if (!binding) continue
    const entry = {
      binding: local(attr(binding, 'Type')),
      params: new Map(params.filter((p) => p !== binding).map((p) => [attr(p, 'Name'), local(attr(p, 'Type'))]))
    }
    actions.set(attr(a, 'Name'), [...(actions.get(attr(a, 'Name')) ?? []), entry])
  }
  const container = schema.EntityContainer as XmlNode
  const roots = new Map<string, string>([
    ...list(container.EntitySet).map((s): [string, string] => [attr(s, 'Name'), `Collection(${local(attr(s, 'EntityType'))})`]),
    ...list(container.Singleton).map((s): [string, string] => [attr(s, 'Name'), local(attr(s, 'Type'))])
  ])
  graphModel = { types, actions, roots }
  return graphModel
}

/** A type and its base types, by name, most derived first. */
const lineageNames = (m: GraphModel, type: string): string[] => {
  const out: string[] = []
  for (let name: string | null = type; name && m.types.has(name); name = m.types.get(name)?.base ?? null) out.push(name)
  return out
}
const lineage = (m: GraphModel, type: string): EntityType[] => lineageNames(m, type).map((n) => m.types.get(n)!)

/** Whether an action bound to `binding` can be invoked on a path of type `type` (derived types inherit). */
const bindsTo = (m: GraphModel, binding: string, type: string): boolean => {
  const coll = /^Collection\((.+)\)$/
  const b = coll.exec(binding)
  const t = coll.exec(type)
  if (!!b !== !!t) return false
  return lineageNames(m, t ? t[1] : type).includes(b ? b[1] : binding)
}

const edmSchema = (t: string): object => {
  const coll = /^Collection\((.+)\)$/.exec(t)
  if (coll) return { type: 'array', items: edmSchema(coll[1]) }
  if (t === 'Edm.Boolean') return { type: 'boolean' }
  if (t === 'Edm.String' || t === 'Edm.Guid' || t === 'Edm.DateTimeOffset') return { type: 'string' }
  if (/^Edm\.(Int\d+|Double|Decimal)$/.test(t)) return { type: 'number' }
  return {}
}

export const graphContract = (): Contract => {
  const m = loadGraph()
  return (req) => {
    if (req.path.endsWith('/oauth2/v2.0/token')) return [] // the identity platform's token endpoint, not Graph
    const segs = req.path
      .replace(/^\/v1\.0\/?/, '')
      .split('/')
      .filter(Boolean)
      .map(decodeURIComponent)
    const root = m.roots.get(segs[0] ?? '')
    if (!root) return [`/${segs[0]}: no such entity set or singleton in Graph v1.0`]
    let type: string = root
    for (const [i, seg] of segs.slice(1).entries()) {
      const last = i === segs.length - 2
      const coll = /^Collection\((.+)\)$/.exec(type)
      const action = (m.actions.get(seg) ?? []).find((a) => bindsTo(m, a.binding, type))
      if (action) {
        if (!last) return [`${seg}: an action ends the path`]
        if (req.method !== 'POST') return [`${seg}: an action is invoked with POST`]
        const schema = {
          type: 'object',
          properties: Object.fromEntries([...action.params].map(([k, t]) => [k, edmSchema(t)])),
          required: [...action.params.keys()],
          additionalProperties: false
        }
        const v = ajv().compile(schema)
        return v(jsonBody(req) ?? {}) ? [] : ajvErrors(v, seg)
      }
      if (coll) {
        type = coll[1] // a key segment
        continue
      }
      const nav: string | undefined = lineage(m, type)
        .map((t) => t.navigation.get(seg))
        .find(Boolean)
      if (!nav) return [`${seg}: ${type} has no navigation property or bound action of that name`]
      type = nav
    }
    const coll = /^Collection\((.+)\)$/.exec(type)
    const entity = coll ? coll[1] : type
    const props = new Map(lineage(m, entity).flatMap((t) => [...t.properties]))
    const errors: string[] = []
    for (const [k, v] of req.query) {
      if (k === '$select') for (const p of v.split(',')) if (!props.has(p)) errors.push(`$select: ${entity} has no property ${p}`)
      if (k === '$top' && (!coll || !/^\d+$/.test(v))) errors.push('$top applies to a collection, as an integer')
      if (!['$select', '$top', '$filter', '$expand', '$orderby', '$count', '$search', '$skiptoken'].includes(k))
        errors.push(`query option ${k} is not an OData system query option`)
    }
    if (req.method === 'GET') return errors
    if (req.method === 'PATCH' && !coll) {
      const v = ajv().compile({ type: 'object', properties: Object.fromEntries([...props].map(([k, t]) => [k, edmSchema(t)])), additionalProperties: false })
      return v(jsonBody(req) ?? {}) ? errors : [...errors, ...ajvErrors(v, entity)]
    }
    return [...errors, `${req.method} on ${type} is not an operation the model offers here`]
  }
}
