import type { importCalls } from '../../contract/imports'
import type { Handlers, Workbench } from '../workbench'

export const importHandlers = (_wb: Workbench): Pick<Handlers, keyof typeof importCalls> => ({})
