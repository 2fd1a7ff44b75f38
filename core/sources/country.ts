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
  ['cape verde', 'CV']
]

let table: Map<string, string> | undefined

/** Lower-cased country name → ISO code, from ICU's English region names plus the aliases logs use. */
export const countryNames = (): ReadonlyMap<string, string> => {
  if (table) return table
  const t = new Map<string, string>()
  const names = new Intl.DisplayNames(['en'], { type: 'region' })
  for (let a = 65; a <= 90; a++)
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b)
      const name = names.of(code)
      if (name && name !== code && current(code) && !t.has(name.toLowerCase())) t.set(name.toLowerCase(), code)
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
