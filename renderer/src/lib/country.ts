let names: Intl.DisplayNames | undefined

/** An ISO 3166-1 alpha-2 code with the country's English name beside it: `SG (Singapore)`; the code alone if unknown. */
export const countryLabel = (code: string): string => {
  names ??= new Intl.DisplayNames(['en'], { type: 'region' })
  try {
    const name = names.of(code)
    return name && name !== code ? `${code} (${name})` : code
  } catch {
    return code
  }
}

export const countriesLabel = (codes: string[]): string => codes.map(countryLabel).join(', ')
