/**
 * Sigma strings: `*` and `?` are wildcards, a backslash escapes `*`, `?` and itself; any other backslash is
 * plain text (specification "Escape Character"). Tokens are literal text or a wildcard.
 */
export type Token = { lit: string } | '*' | '?'

export const tokenize = (value: string): Token[] => {
  const out: Token[] = []
  let lit = ''
  const flush = () => {
    if (lit) out.push({ lit })
    lit = ''
  }
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]
    if (ch === '\\' && i + 1 < value.length && '*?\\'.includes(value[i + 1])) {
      lit += value[++i]
    } else if (ch === '*' || ch === '?') {
      flush()
      out.push(ch)
    } else lit += ch
  }
  flush()
  return out
}

/** Plain text, wildcards escaped: the form a modifier's computed value (base64, windash) takes. */
export const escapeText = (text: string): string => text.replace(/[\\*?]/g, (c) => `\\${c}`)

export const hasWildcard = (tokens: Token[]): boolean => tokens.some((t) => typeof t === 'string')

export const literalOf = (tokens: Token[]): string => tokens.map((t) => (typeof t === 'string' ? t : t.lit)).join('')

/** The LIKE pattern (escape character `\`) of a token list. */
export const likePattern = (tokens: Token[]): string =>
  tokens.map((t) => (t === '*' ? '%' : t === '?' ? '_' : t.lit.replace(/[\\%_]/g, (c) => `\\${c}`))).join('')

/** A LIKE pattern's characters (escape `\\`): `%`, `_` or a literal, escapes resolved. */
export const likeChars = (like: string): { lit: boolean; ch: string }[] => {
  const out: { lit: boolean; ch: string }[] = []
  for (let i = 0; i < like.length; i++) {
    const ch = like[i]
    if (ch === '\\' && i + 1 < like.length) out.push({ lit: true, ch: like[++i] })
    else out.push({ lit: ch !== '%' && ch !== '_', ch })
  }
  return out
}

/** A LIKE pattern (escape `\\`, case-insensitive) as a JS regex over a whole value. */
export const likeRegex = (like: string): RegExp => {
  const re = likeChars(like)
    .map((c) => (c.lit ? c.ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&') : c.ch === '%' ? '[\\s\\S]*' : '[\\s\\S]'))
    .join('')
  return new RegExp(`^${re}$`, 'i')
}
