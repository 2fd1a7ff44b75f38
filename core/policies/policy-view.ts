import type { CallResult } from '../../contract'
import type { CasePolicies } from '../../contract/sessions'
import { loadPolicies } from './policies'

/** The policies in force for a case, each with where it came from (built in, the data folder, the case folder). */
export const policyView = async (casePath: string): Promise<CallResult<'policies.get'>> => {
  const p = await loadPolicies(casePath)
  const of = (key: keyof CasePolicies) => ({ origin: p.origin[key], value: p[key] as unknown as Record<string, unknown> })
  return { riskyActions: of('riskyActions'), classification: of('classification'), response: of('response'), vpnAsns: of('vpnAsns') }
}
