import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

/** The data folder (recent cases, demo case, new cases): AFTERLOGIN_HOME, else ~/.afterlogin. */
export const defaultDataDir = (): string => (process.env.AFTERLOGIN_HOME ? resolve(process.env.AFTERLOGIN_HOME) : join(homedir(), '.afterlogin'))
