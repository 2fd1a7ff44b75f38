import { importPKCS8, SignJWT } from 'jose'
import { checkBaseUrl, isObject, parseJson, sendHttp } from '../http'
import { field, str } from './common'
import type { ConnectorConfig } from '../types'

const SCOPES = ['https://www.googleapis.com/auth/admin.directory.user', 'https://www.googleapis.com/auth/admin.directory.user.security']
const cache = new Map<string, { token: string; expires: number }>()

interface ServiceAccountKey {
  client_email: string
  private_key: string
  token_uri?: string
}

const parseKey = (text: string): ServiceAccountKey => {
  const k = parseJson(text)
  if (!isObject(k) || !str(k.client_email) || !str(k.private_key))
    throw new Error('AFTERLOGIN_GOOGLE_SERVICE_ACCOUNT is not a service-account key (JSON with client_email and private_key)')
  return { client_email: String(k.client_email), private_key: String(k.private_key), token_uri: str(k.token_uri) ?? undefined }
}

/**
 * An access token for the Admin SDK: the static `TOKEN` when set, else a service account with domain-wide
 * delegation acting as the admin in `SUBJECT` (RFC 7523 JWT bearer grant, signed with the key's RS256 key).
 */
export const googleToken = async (cfg: ConnectorConfig): Promise<string> => {
  const fixed = cfg.get('TOKEN')
  if (fixed) return fixed
  const raw = cfg.get('SERVICE_ACCOUNT')
  const subject = cfg.get('SUBJECT')
  if (!raw || !subject) throw new Error('set AFTERLOGIN_GOOGLE_TOKEN, or AFTERLOGIN_GOOGLE_SERVICE_ACCOUNT and AFTERLOGIN_GOOGLE_SUBJECT')
  const key = parseKey(raw)
  const tokenUrl = cfg.get('TOKEN_URL') ?? key.token_uri ?? 'https://oauth2.googleapis.com/token'
  checkBaseUrl(tokenUrl, 'the Google token URL')
  const cacheKey = `${tokenUrl} ${key.client_email} ${subject}`
  const hit = cache.get(cacheKey)
  if (hit && hit.expires > Date.now() + 60_000) return hit.token
  const now = Math.floor(Date.now() / 1000)
  const assertion = await new SignJWT({ scope: SCOPES.join(' ') })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .setIssuer(key.client_email)
    .setSubject(subject)
    .setAudience(tokenUrl)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(await importPKCS8(key.private_key, 'RS256'))
  const reply = await sendHttp(
    {
      method: 'POST',
      url: tokenUrl,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString()
    },
    AbortSignal.timeout(20_000)
  )
  const body = parseJson(reply.text)
  const token = str(field(body, 'access_token'))
  // Only the OAuth error code: descriptions can echo the request.
  if (reply.status !== 200 || !token) throw new Error(`Google token endpoint answered HTTP ${reply.status} ${str(field(body, 'error')) ?? ''}`.trim())
  cache.set(cacheKey, { token, expires: Date.now() + (Number(field(body, 'expires_in')) || 3600) * 1000 })
  return token
}
