import type { importCalls } from '../../contract/imports'
import type { CaseHost, Handlers } from '../host'
import { runImport } from './index'
import { listImports } from './import-list'
import { importInputs } from './import-inputs'
import { removeUploads } from './uploads'

/**
 * Imports run in the background: `import.start` answers with the id at once, progress and the final
 * summary arrive as `import.progress` push events, and `case.changed` follows with the new counts.
 */
export const importHandlers = (wb: CaseHost): Pick<Handlers, keyof typeof importCalls> => {
  const running = new Map<string, AbortController>()

  return {
    'import.start': async ({ paths, uploads }) => {
      const open = wb.requireCase()
      const { inputs, labels } = await importInputs(wb.options.transport, open.db.path, paths, uploads)
      const controller = new AbortController()
      const db = open.db
      const started = new Promise<string>((ok, fail) => {
        wb.track(
          runImport(db, inputs, {
            signal: controller.signal,
            labels,
            onStart: (id) => {
              running.set(id, controller)
              ok(id)
            },
            onProgress: (p) => wb.push.emit('import.progress', p)
          })
        )
          .then(async (summary) => {
            running.delete(summary.id)
            if (uploads?.length) await removeUploads(db.path, uploads)
            if (wb.openCase?.db === db) wb.push.emit('case.changed', await wb.info())
          })
          .catch((err: unknown) => fail(err))
      })
      return { importId: await started }
    },

    'import.cancel': async ({ importId }) => {
      const c = running.get(importId)
      if (!c) return { cancelled: false }
      c.abort(new Error('import cancelled'))
      return { cancelled: true }
    },

    'import.list': async ({ limit }) => listImports(wb.requireCase().db, limit)
  }
}
