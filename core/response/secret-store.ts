/**
 * Where connector settings and credentials come from. The core only reads through this interface:
 * the CLI and web mode use the environment, the desktop app adds settings encrypted with Electron
 * safeStorage (main/secret-store.ts). Names are `<CONNECTOR>_<SETTING>`, e.g. `OKTA_TOKEN`.
 */
export interface SecretStore {
  get(name: string): { value: string; origin: 'env' | 'settings' } | undefined
  /** Whether `set` is accepted (the settings stores; the environment is read-only). */
  readonly writable: boolean
  /** Where a secret given to `set` is kept: the OS keychain, or only this process's memory when none answers. */
  readonly storage: 'keychain' | 'memory' | 'none'
  /** Why secrets are not in the keychain, in words for the settings screen; null when they are. */
  readonly storageNote: string | null
  /** Stores a value; an empty string clears it. */
  set(name: string, value: string): Promise<void>
}

export const ENV_PREFIX = 'AFTERLOGIN_'

export const envName = (name: string): string => `${ENV_PREFIX}${name}`

/** Settings from `AFTERLOGIN_<NAME>` environment variables; read-only. */
export class EnvSecretStore implements SecretStore {
  readonly writable = false
  readonly storage = 'none' as const
  readonly storageNote = 'settings come from AFTERLOGIN_* environment variables here'
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  get(name: string) {
    const value = this.env[envName(name)]
    return value ? { value, origin: 'env' as const } : undefined
  }

  async set(): Promise<void> {
    throw new Error('settings come from the environment here: set AFTERLOGIN_<CONNECTOR>_<SETTING> and restart')
  }
}
