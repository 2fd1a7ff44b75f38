import { MAIL_DOMAIN } from '../../policies/policies'
import type { Sql } from '../../store/case-db'
import { valueTestsOf } from './detection'
import { placeholderNames } from './modifiers'
import type { LoadedRule } from './types'

/** The values a case gives a Sigma placeholder (`%name%` with the `expand` modifier), by name. */
export type Placeholders = (name: string) => string[]

/** Consumer mail services: a personal address there is never the organisation's, whoever signs in with it. */
const CONSUMER: ReadonlySet<string> = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'yahoo.com',
  'ymail.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'pm.me',
  'gmx.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  'mail.com',
  'yandex.com',
  'yandex.ru',
  'mail.ru',
  'zoho.com',
  'tutanota.com',
  'tuta.io',
  'qq.com',
  '163.com',
  '126.com',
  'fastmail.com',
  'hey.com',
  'users.noreply.github.com'
])

/** The consumer mail services, sorted: a rule's %consumer_mail_domains%, and detect.personal-exfiltration's $consumer. */
export const consumerMailDomains = (): string[] => [...CONSUMER].sort()

/** A domain the organisation can own: a mail domain, never a consumer service's. */
const ownable = (domain: string): boolean => MAIL_DOMAIN.test(domain) && !CONSUMER.has(domain)

export interface IdentityDomain {
  domain: string
  identities: number
  signed_in: boolean
}

/**
 * The organisation's own mail domains among its identities' (`sigma.identity-domains`): those of identities that
 * signed in or administered the tenant; in a case where nobody did, those most identities share. Consumer mail services never count.
 */
export const internalDomains = (rows: IdentityDomain[]): string[] => {
  const own = rows.filter((r) => ownable(r.domain))
  const signedIn = own.filter((r) => r.signed_in)
  const most = Math.max(0, ...own.map((r) => Number(r.identities)))
  return (signedIn.length ? signedIn : own.filter((r) => Number(r.identities) === most)).map((r) => r.domain).sort()
}

/**
 * The placeholders a case fills, as pySigma's processing pipelines fill them for a SIEM:
 * - `internal_domains`: the organisation's own mail domains: those the identity classification policy declares
 *   (`declared`), those of the case's identities (internalDomains), and those the organisation's own records name as
 *   its own (`sigma.record-domains`: a verified or federated Entra domain, an accepted domain, a Google secondary
 *   domain, a Drive share Google still calls internal). A rule tells a recipient inside the organisation from one
 *   outside it.
 * - `consumer_mail_domains`: the consumer mail services (gmail.com, outlook.com, proton.me …): a rule tells a file
 *   shared with someone's personal address from one shared with another organisation.
 * - `internal_aws_accounts`: the AWS accounts whose CloudTrail records the case holds (`sigma.aws-accounts`). A rule
 *   tells a snapshot shared with the organisation's backup account from one shared with a stranger's.
 * Any other placeholder has no value, and a value made of it matches nothing. Each is read only when a rule uses it.
 */
export const casePlaceholders = async (sql: Sql, rules: LoadedRule[], declared: string[] = []): Promise<Placeholders> => {
  const used = new Set(
    rules
      .filter((r) => r.kind === 'detection')
      .flatMap((r) => valueTestsOf(r.detection))
      .flatMap((t) => (t.t === 'expand' ? placeholderNames(t.template).map((n) => n.toLowerCase()) : []))
  )
  const values = new Map<string, string[]>()
  if (used.has('internal_domains')) {
    const seen = internalDomains(await sql.many<IdentityDomain>('sigma.identity-domains'))
    const named = (await sql.many<{ domain: string }>('sigma.record-domains')).map((r) => r.domain).filter(ownable)
    values.set('internal_domains', [...new Set([...declared.map((d) => d.toLowerCase()), ...seen, ...named])].sort())
  }
  if (used.has('consumer_mail_domains')) values.set('consumer_mail_domains', consumerMailDomains())
  if (used.has('internal_aws_accounts'))
    values.set(
      'internal_aws_accounts',
      (await sql.many<{ account: string }>('sigma.aws-accounts')).map((r) => r.account)
    )
  return (name) => values.get(name.toLowerCase()) ?? []
}
