import { existsSync } from 'node:fs'
import type { caseCalls } from '../../contract/case'
import type { CaseHost, Handlers } from '../host'
import { demoCasePath, newCasePath } from './case-files'
import { populateDemo } from '../demo/demo-case'
import { analyzeCase } from '../sessions/analyze'

type CaseHandlers = Pick<Handlers, keyof typeof caseCalls>

export const caseHandlers = (wb: CaseHost): CaseHandlers => ({
  'app.info': async () => ({
    name: 'Afterlogin',
    version: wb.options.version,
    transport: wb.options.transport,
    dataDir: wb.options.dataDir
  }),

  'case.create': async ({ name }) => wb.open(newCasePath(wb.options.dataDir, name), { name }),

  'case.open': async ({ id }) => {
    const entry = await wb.recent.find(id)
    if (!entry) throw new Error(`no recent case with id ${id}`)
    if (!existsSync(entry.path)) throw new Error(`the case file of '${entry.name}' is gone: ${entry.path}`)
    return wb.open(entry.path)
  },

  'case.openDemo': async () => {
    await wb.open(demoCasePath(wb.options.dataDir), { name: 'Demo — session hijack', demo: true })
    await populateDemo(wb)
    return wb.info()
  },

  'case.recent': async () => wb.recent.list(),

  'case.info': async () => (wb.openCase ? wb.info() : null),

  'case.analyze': async () => {
    await analyzeCase(wb.requireCase().db)
    return wb.info()
  }
})
