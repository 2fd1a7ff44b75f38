import { valueTests } from './modifiers'
import { parseCondition } from './condition'
import { RuleProblem, type Detection, type ValueTest } from './types'

type Scalar = string | number | boolean | null
/** Line of a node at a path in the YAML document (null when the path has no node). */
export type LineOf = (path: (string | number)[]) => number | null

const isScalar = (v: unknown): v is Scalar => v === null || ['string', 'number', 'boolean'].includes(typeof v)
const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

const fieldItem = (key: string, value: unknown, at: (string | number)[], lineOf: LineOf): Detection => {
  const line = lineOf(at)
  const [field, ...mods] = key.split('|')
  const values = Array.isArray(value) ? value : [value]
  if (!values.length) throw new RuleProblem('error', `"${key}" has an empty list of values`, line)
  for (const v of values) if (!isScalar(v)) throw new RuleProblem('error', `"${key}": values must be strings, numbers, booleans or null`, line)
  const { tests, all } = valueTests(
    mods.map((m) => m.toLowerCase()),
    values as Scalar[],
    line
  )
  // A map key with modifiers and no field name is a keyword search with those modifiers.
  if (!field) return { k: 'keywords', tests, all }
  return { k: 'field', field, tests, all }
}

const mapItem = (m: Record<string, unknown>, at: (string | number)[], lineOf: LineOf): Detection => {
  const items = Object.entries(m).map(([k, v]) => fieldItem(k, v, [...at, k], lineOf))
  if (!items.length) throw new RuleProblem('error', 'an empty selection', lineOf(at))
  return items.length === 1 ? items[0] : { k: 'and', items }
}

const search = (value: unknown, at: (string | number)[], lineOf: LineOf): Detection => {
  if (isMap(value)) return mapItem(value, at, lineOf)
  if (Array.isArray(value)) {
    if (!value.length) throw new RuleProblem('error', 'an empty search list', lineOf(at))
    // A list of maps is an OR of the maps; a list of plain values is a keyword search.
    if (value.every(isMap)) {
      const items = value.map((m, i) => mapItem(m, [...at, i], lineOf))
      return items.length === 1 ? items[0] : { k: 'or', items }
    }
    if (value.every(isScalar)) return { k: 'keywords', ...valueTests([], value, lineOf(at)) }
    throw new RuleProblem('error', 'a search list mixes maps and plain values', lineOf(at))
  }
  if (isScalar(value) && value !== null) return { k: 'keywords', ...valueTests([], [value], lineOf(at)) }
  throw new RuleProblem('error', 'a search identifier must hold a map or a list', lineOf(at))
}

/**
 * The detection section as one boolean tree (condition applied to its search identifiers). `section`: where it is in
 * the document (a global filter's is `filter`, whose `rules` key is no search identifier).
 */
export const parseDetection = (det: unknown, lineOf: LineOf, section: 'detection' | 'filter' = 'detection'): Detection => {
  if (!isMap(det)) throw new RuleProblem('error', `${section} must be a map`, lineOf([section]))
  const searches = new Map<string, Detection>()
  for (const [name, value] of Object.entries(det)) {
    if (name === 'condition' || name === 'timeframe' || (section === 'filter' && name === 'rules')) continue
    searches.set(name, search(value, [section, name], lineOf))
  }
  if ('timeframe' in det)
    throw new RuleProblem('unsupported', 'detection timeframe (Sigma 1 aggregation): write a correlation rule', lineOf([section, 'timeframe']))
  const cond = det.condition
  const line = lineOf([section, 'condition'])
  if (cond === undefined) throw new RuleProblem('error', `${section} has no condition`, lineOf([section]))
  const conds = Array.isArray(cond) ? cond : [cond]
  if (!conds.length || !conds.every((c) => typeof c === 'string')) throw new RuleProblem('error', 'condition must be a string (or a list of strings)', line)
  const trees = (conds as string[]).map((c) => parseCondition(c, searches, line))
  return trees.length === 1 ? trees[0] : { k: 'or', items: trees }
}

/** Every value test of a detection, nested ones (an `any`, a `not`) included: what checks and placeholders look through. */
export const valueTestsOf = (d: Detection): ValueTest[] => {
  const flat = (t: ValueTest): ValueTest[] => [t, ...(t.t === 'any' ? t.tests.flatMap(flat) : t.t === 'not' ? flat(t.test) : [])]
  switch (d.k) {
    case 'and':
    case 'or':
      return d.items.flatMap(valueTestsOf)
    case 'not':
      return valueTestsOf(d.item)
    case 'field':
    case 'keywords':
      return d.tests.flatMap(flat)
    case 'const':
      return []
    default: {
      const never: never = d
      throw new Error(`unknown detection ${String(never)}`)
    }
  }
}
