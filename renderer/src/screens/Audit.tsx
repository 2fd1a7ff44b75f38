import { AuditTab } from '../response/AuditTab'

export const Audit = () => (
  <section className="audit-screen" data-testid="audit-screen">
    <AuditTab />
  </section>
)
