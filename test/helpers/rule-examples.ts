import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './web-mode'

/**
 * The first `kind` example of a shipped rule (policies/sigma/RULE.examples.json, RULE as `okta/name`): read afresh on
 * every call, so the test may change it in place.
 */
export const ruleExample = (rule: string, kind: 'match' | 'nomatch' = 'match'): Record<string, any> =>
  JSON.parse(readFileSync(join(ROOT, `policies/sigma/${rule}.examples.json`), 'utf8'))[kind][0]
