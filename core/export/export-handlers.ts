import type { exportCalls } from '../../contract/exports'
import type { Handlers, Workbench } from '../workbench'

export const exportHandlers = (_wb: Workbench): Pick<Handlers, keyof typeof exportCalls> => ({})
