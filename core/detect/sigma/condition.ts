import { RuleProblem, type Detection } from './types'

type Tok = { k: 'and' | 'or' | 'not' | '(' | ')' } | { k: 'of'; quant: 'one' | 'all'; pattern: string } | { k: 'id'; name: string }

const tokens = (text: string, line: number | null): Tok[] => {
  if (text.includes('|')) throw new RuleProblem('unsupported', 'aggregation in the condition (Sigma 1 `| count()`): write a correlation rule', line)
  const words = text
    .replace(/([()])/g, ' $1 ')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
  const out: Tok[] = []
  for (let i = 0; i < words.length; i++) {
    const w = words[i]
    const lw = w.toLowerCase()
    if (lw === 'and' || lw === 'or' || lw === 'not' || w === '(' || w === ')') out.push({ k: lw as 'and' })
    else if ((lw === '1' || lw === 'any' || lw === 'all') && words[i + 1]?.toLowerCase() === 'of') {
      const pattern = words[i + 2]
      if (!pattern || pattern === '(' || pattern === ')') throw new RuleProblem('error', `"${w} of" needs a name pattern or "them"`, line)
      out.push({ k: 'of', quant: lw === 'all' ? 'all' : 'one', pattern })
      i += 2
    } else if (/^\d+$/.test(w) && words[i + 1]?.toLowerCase() === 'of') {
      throw new RuleProblem('error', `"${w} of" is not Sigma: only "1 of" and "all of"`, line)
    } else if (/^[\w.*-]+$/.test(w)) out.push({ k: 'id', name: w })
    else throw new RuleProblem('error', `unexpected "${w}" in the condition`, line)
  }
  return out
}

const globRe = (pattern: string): RegExp => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\-]/g, '\\$&').replace(/\*/g, '.*')}$`)

/**
 * Parses a condition (`not` binds tighter than `and`, `and` than `or`; `1 of`/`all of` a name pattern or
 * `them`, which leaves out identifiers starting with `_`) into a tree over the search identifiers.
 */
export const parseCondition = (text: string, searches: Map<string, Detection>, line: number | null): Detection => {
  const toks = tokens(text, line)
  let pos = 0
  const peek = () => toks[pos]
  const expect = (k: Tok['k']) => {
    if (peek()?.k !== k) throw new RuleProblem('error', `condition "${text}": expected ${k === ')' ? '")"' : k}`, line)
    pos++
  }
  const named = (pattern: string): Detection[] => {
    const names = pattern === 'them' ? [...searches.keys()].filter((n) => !n.startsWith('_')) : [...searches.keys()].filter((n) => globRe(pattern).test(n))
    if (!names.length) throw new RuleProblem('error', `condition "${text}": no search identifier matches "${pattern}"`, line)
    return names.map((n) => searches.get(n)!)
  }
  const or = (): Detection => {
    const items = [and()]
    while (peek()?.k === 'or') {
      pos++
      items.push(and())
    }
    return items.length === 1 ? items[0] : { k: 'or', items }
  }
  const and = (): Detection => {
    const items = [not()]
    while (peek()?.k === 'and') {
      pos++
      items.push(not())
    }
    return items.length === 1 ? items[0] : { k: 'and', items }
  }
  const not = (): Detection => {
    if (peek()?.k === 'not') {
      pos++
      return { k: 'not', item: not() }
    }
    return atom()
  }
  const atom = (): Detection => {
    const t = peek()
    if (!t) throw new RuleProblem('error', `condition "${text}" ends too early`, line)
    pos++
    switch (t.k) {
      case '(': {
        const inner = or()
        expect(')')
        return inner
      }
      case 'id': {
        const d = searches.get(t.name)
        if (!d) throw new RuleProblem('error', `condition names "${t.name}", which the detection does not define`, line)
        return d
      }
      case 'of': {
        const items = named(t.pattern)
        return items.length === 1 ? items[0] : { k: t.quant === 'all' ? 'and' : 'or', items }
      }
      case 'and':
      case 'or':
      case 'not':
      case ')':
        throw new RuleProblem('error', `condition "${text}": unexpected "${t.k}"`, line)
      default: {
        const never: never = t
        throw new Error(`unknown token ${String(never)}`)
      }
    }
  }
  const tree = or()
  if (pos < toks.length) throw new RuleProblem('error', `condition "${text}": unexpected "${JSON.stringify(toks[pos])}"`, line)
  return tree
}
