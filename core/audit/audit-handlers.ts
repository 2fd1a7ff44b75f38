import type { CaseHost, Handlers } from '../host'
import { auditPage, verifyAudit } from './audit'
import { auditCsv, auditJson } from './audit-export'

/** The audit trail belongs to the case (analyst edits, response actions, interruptions), not to one domain. */
export type AuditCallName = 'audit.list' | 'audit.verify' | 'audit.export'

export const auditHandlers = (wb: CaseHost): Pick<Handlers, AuditCallName> => {
  const db = () => wb.requireCase().db
  return {
    'audit.list': async ({ offset, limit }) => auditPage(db(), offset, limit),
    'audit.verify': async () => verifyAudit(db()),
    'audit.export': async ({ format }) => ({ format, text: format === 'csv' ? await auditCsv(db()) : await auditJson(db()) })
  }
}
