import type { DetectionRule, FilterRule, LoadedRule } from './types'

/** Whether a filter's logsource covers a rule's: each field the filter gives (category, product, service) is the rule's. */
const covers = (filter: FilterRule, rule: DetectionRule): boolean =>
  rule.source === filter.source &&
  (['category', 'product', 'service'] as const).every((k) => {
    const want = filter.logsource[k]
    return typeof want !== 'string' || want.toLowerCase() === String(rule.logsource[k] ?? '').toLowerCase()
  })

const names = (filter: FilterRule, rule: DetectionRule): boolean =>
  filter.rules === 'any' || filter.rules.some((r) => r === rule.meta.id || (rule.meta.name !== null && r === rule.meta.name))

/**
 * The rules with the global filters applied: a detection rule a filter names, under a logsource the filter's covers,
 * matches only where its own condition and the filter's both hold (pySigma: `(rule) and (filter)`). Correlations are
 * left as they are; they are built from the filtered rules' matches.
 */
export const applyFilters = (rules: LoadedRule[], filters: FilterRule[]): LoadedRule[] =>
  filters.length
    ? rules.map((rule) => {
        if (rule.kind !== 'detection') return rule
        const mine = filters.filter((f) => covers(f, rule) && names(f, rule))
        return mine.length ? { ...rule, detection: { k: 'and', items: [rule.detection, ...mine.map((f) => f.detection)] } } : rule
      })
    : rules
