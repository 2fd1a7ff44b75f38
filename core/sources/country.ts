// Logs name countries as ISO codes (`DE`, GitHub `actor_location.country_code`, Entra `countryOrRegion`) or as
// English names (Okta `client.geographicalContext.country` "United States"): the case stores ISO 3166-1 alpha-2.

// ICU still names withdrawn codes after today's countries (DD "Germany", VD "Vietnam", HV "Burkina Faso"): it
// replaces each by today's code when it canonicalizes a locale, so a code that does not survive that is withdrawn.
// Grouping, private-use and reserved codes name no country.
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'ZZ', 'XA', 'XB', 'XK'])
const current = (code: string): boolean => !NOT_COUNTRIES.has(code) && new Intl.Locale(`und-${code}`).region === code
// Names logs use that ICU's English display names do not.
const ALIASES: readonly (readonly [string, string])[] = [
  ['united states of america', 'US'],
  ['usa', 'US'],
  ['u.s.', 'US'],
  ['uk', 'GB'],
  ['great britain', 'GB'],
  ['england', 'GB'],
  ['russia', 'RU'],
  ['russian federation', 'RU'],
  ['south korea', 'KR'],
  ['korea, republic of', 'KR'],
  ['czech republic', 'CZ'],
  ['viet nam', 'VN'],
  ['iran, islamic republic of', 'IR'],
  ['taiwan, province of china', 'TW'],
  ['hong kong sar', 'HK'],
  ['hong kong sar china', 'HK'],
  ['the netherlands', 'NL'],
  ['holland', 'NL'],
  ['turkey', 'TR'],
  ['türkiye', 'TR'],
  ['macau', 'MO'],
  ['ivory coast', 'CI'],
  ['uae', 'AE'],
  ['burma', 'MM'],
  ['swaziland', 'SZ'],
  ['macedonia', 'MK'],
  ['cape verde', 'CV'],
  ['palestine', 'PS'],
  ['state of palestine', 'PS'],
  ['north korea', 'KP'],
  ["korea, democratic people's republic of", 'KP'],
  ['republic of korea', 'KR'],
  ['democratic republic of the congo', 'CD'],
  ['congo, the democratic republic of the', 'CD'],
  ['congo, democratic republic of the', 'CD'],
  ['dr congo', 'CD'],
  ['republic of the congo', 'CG'],
  ['congo', 'CG'],
  ['brunei darussalam', 'BN'],
  ["lao people's democratic republic", 'LA'],
  ['syrian arab republic', 'SY'],
  ['holy see', 'VA'],
  ['moldova, republic of', 'MD'],
  ['republic of moldova', 'MD'],
  ['tanzania, united republic of', 'TZ'],
  ['united republic of tanzania', 'TZ'],
  ['venezuela, bolivarian republic of', 'VE'],
  ['bolivia, plurinational state of', 'BO'],
  ['micronesia, federated states of', 'FM'],
  ['virgin islands, british', 'VG'],
  ['virgin islands, u.s.', 'VI'],
  ['the bahamas', 'BS'],
  ['the gambia', 'GM'],
  ['east timor', 'TL'],
  ['saint vincent and the grenadines', 'VC']
]

/**
 * The spellings of one ICU name that logs write: without accents ("Sao Tome"), with a straight apostrophe ("Cote
 * d'Ivoire"), "and" for "&" ("Bosnia and Herzegovina"), "Saint" for "St.", without ICU's qualifier ("Myanmar" for
 * "Myanmar (Burma)", "Hong Kong" for "Hong Kong SAR China").
 */
const spellings = (name: string): string[] => {
  const out = new Set([name, name.replace(/[\u2018\u2019]/g, "'")])
  for (const n of [...out]) out.add(n.normalize('NFD').replace(/\p{M}/gu, ''))
  for (const n of [...out]) out.add(n.replace(/ & /g, ' and '))
  for (const n of [...out]) {
    out.add(n.replace(/^st\. /, 'saint '))
    out.add(n.replace(/\s*\([^)]*\)/g, ''))
    out.add(n.replace(/ sar china$/, ''))
  }
  return [...out]
}

let table: Map<string, string> | undefined

/** Lower-cased country name → ISO code, from ICU's English region names (in the spellings logs write) plus aliases. */
export const countryNames = (): ReadonlyMap<string, string> => {
  if (table) return table
  const t = new Map<string, string>()
  const names = new Intl.DisplayNames(['en'], { type: 'region' })
  for (let a = 65; a <= 90; a++)
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b)
      const name = names.of(code)
      if (name && name !== code && current(code)) for (const n of spellings(name.toLowerCase())) if (!t.has(n)) t.set(n, code)
    }
  for (const [alias, code] of ALIASES) if (!t.has(alias)) t.set(alias, code)
  return (table = t)
}

/** A country as ISO 3166-1 alpha-2 (`Germany` → `DE`, `de` → `DE`); null for what names no country. */
export const countryCode = (value: string | null | undefined): string | null => {
  if (!value) return null
  const v = value.trim()
  if (/^[A-Za-z]{2}$/.test(v)) return v.toUpperCase()
  return countryNames().get(v.toLowerCase()) ?? null
}
