import type { RuleInfo, ruleCalls } from '../../../contract/rules'
import type { CaseHost, Handlers } from '../../host'
import { loadCaseRules } from './load'

/** The rules the case's last analysis loaded, and the YAML of one of them (never a file the page names freely). */
export const ruleHandlers = (host: CaseHost): Pick<Handlers, keyof typeof ruleCalls> => {
  const db = () => host.requireCase().db
  return {
    'rules.list': async () => (await db().many<RuleInfo>('sigma.rule-list')).map((r) => ({ ...r, hits: Number(r.hits) })),
    'rules.yaml': async ({ path }) => {
      const file = (await loadCaseRules(db().path)).files.find((f) => f.path === path)
      if (!file) throw new Error(`no loaded rule file ${path}`)
      return { path: file.path, text: file.text }
    }
  }
}
