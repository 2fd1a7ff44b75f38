import type { responseCalls } from '../../contract/response'
import type { Handlers, Workbench } from '../workbench'

export const responseHandlers = (_wb: Workbench): Pick<Handlers, keyof typeof responseCalls> => ({})
