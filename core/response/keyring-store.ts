import { Entry } from '@napi-rs/keyring'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { isSecretSetting } from './config'
import { EnvSecretStore, type SecretStore } from './secret-store'

/** The OS keyring as the store sees it; tests pass a stand-in, web mode the real one. */
export interface Keyring {
  get(name: string): string | null
  set(name: string, value: string): void
  delete(name: string): void
}

const SERVICE = 'afterlogin'

/** The OS keyring through @napi-rs/keyring: Keychain, Windows Credential Manager, Secret Service (D-Bus). */
export const osKeyring = (): Keyring => ({
  get: (name) => new Entry(SERVICE, name).getPassword() ?? null,
  set: (name, value) => new Entry(SERVICE, name).setPassword(value),
  delete: (name) => void new Entry(SERVICE, name).deletePassword()
})

/**
 * Whether the keyring answers, by writing, reading and deleting a probe entry. On Linux without a Secret
 * Service (a server, CI as root, no D-Bus session) every call fails: the reason is kept for the settings screen.
 */
export const probeKeyring = (keyring: Keyring): string | null => {
  const name = 'probe'
  try {
    keyring.set(name, 'ok')
    const back = keyring.get(name)
    keyring.delete(name)
    return back === 'ok' ? null : 'the OS keyring did not return what was stored'
  } catch (err) {
    return `the OS keyring is not available (${(err as Error).message})`
  }
}

interface SettingsFile {
  /** Non-secret settings only (URLs, org names, tenant ids); secrets never reach this file. */
  values: Record<string, string>
}

/**
 * Connector settings for web mode: non-secret values in `<data folder>/connector-settings.json`, secrets in
 * the OS keyring. Without a keyring, a secret entered is kept in this process's memory for the session and
 * never written to disk. Values entered win over AFTERLOGIN_* variables, which keep working for automation.
 */
export class KeyringSecretStore implements SecretStore {
  readonly writable = true
  readonly storage: 'keychain' | 'memory'
  readonly storageNote: string | null
  private values: Record<string, string>
  private readonly secrets = new Map<string, string>()
  private readonly env: EnvSecretStore

  constructor(
    private readonly file: string,
    private readonly keyring: Keyring | null = osKeyring(),
    env: NodeJS.ProcessEnv = process.env
  ) {
    this.env = new EnvSecretStore(env)
    const problem = keyring ? probeKeyring(keyring) : 'no OS keyring is configured'
    this.storage = problem ? 'memory' : 'keychain'
    this.storageNote = problem ? `${problem}: secrets entered here are kept in memory until Afterlogin stops, never on disk` : null
    this.values = existsSync(file) ? this.read() : {}
  }

  private read(): Record<string, string> {
    const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<SettingsFile>
    const values = parsed.values ?? {}
    // A file edited by hand must not smuggle a secret into clear text: those names are ignored.
    return Object.fromEntries(Object.entries(values).filter(([k, v]) => typeof v === 'string' && !isSecretSetting(k)))
  }

  get(name: string) {
    if (isSecretSetting(name)) {
      const held = this.secrets.get(name) ?? (this.storage === 'keychain' ? this.fromKeyring(name) : null)
      if (held) return { value: held, origin: 'settings' as const }
      return this.env.get(name)
    }
    const value = this.values[name]
    return value ? { value, origin: 'settings' as const } : this.env.get(name)
  }

  private fromKeyring(name: string): string | null {
    try {
      const v = this.keyring?.get(name) ?? null
      if (v) this.secrets.set(name, v)
      return v
    } catch {
      return null
    }
  }

  async set(name: string, value: string): Promise<void> {
    if (isSecretSetting(name)) {
      if (this.storage === 'keychain' && this.keyring) {
        if (value) this.keyring.set(name, value)
        else if (this.fromKeyring(name) !== null) this.keyring.delete(name)
      }
      if (value) this.secrets.set(name, value)
      else this.secrets.delete(name)
      return
    }
    const next = { ...this.values }
    if (value) next[name] = value
    else delete next[name]
    mkdirSync(dirname(this.file), { recursive: true })
    // Write then rename, so a crash never leaves half a settings file.
    const tmp = `${this.file}.tmp`
    writeFileSync(tmp, JSON.stringify({ values: next } satisfies SettingsFile, null, 2), { mode: 0o600 })
    renameSync(tmp, this.file)
    this.values = next
  }
}
