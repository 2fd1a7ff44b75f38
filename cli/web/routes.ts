import type { Workbench } from '../../core/workbench'
import type { RouteHandler } from './server'

/** Authenticated routes the web mode adds beyond the contract calls (file staging for imports). */
export const webRoutes = (_wb: Workbench): Record<string, RouteHandler> => ({})
