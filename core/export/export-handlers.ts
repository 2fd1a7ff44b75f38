import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { exportCalls } from '../../contract/exports'
import type { CaseHost, Handlers } from '../host'
import { runExport } from './export-case'
import { caseExportPath, exportContextOf, listExports } from './export-service'

export const exportHandlers = (wb: CaseHost): Pick<Handlers, keyof typeof exportCalls> => ({
  'export.run': async ({ kind, chainId }) => {
    const open = wb.requireCase()
    const dest = caseExportPath(open.summary.path, kind)
    await mkdir(dirname(dest), { recursive: true })
    return runExport(exportContextOf(open, wb.options.version), kind, dest, chainId)
  },
  'export.list': async () => listExports(wb.requireCase().db)
})
