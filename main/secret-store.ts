import { safeStorage } from 'electron'
import { existsSync, readFileSync } from 'node:fs'
import { rename, writeFile } from 'node:fs/promises'
import { EnvSecretStore, type SecretStore } from '../core/response/secret-store'

type Stored = Record<string, string>

/**
 * Connector settings entered in the desktop app, each value encrypted with Electron safeStorage (the OS
 * keychain: Keychain, DPAPI, libsecret/kwallet) in a JSON file beside the recent-cases list. Values set
 * here win over AFTERLOGIN_* variables. On Linux without a keyring, safeStorage falls back to a fixed
 * key ("basic_text"): that is not protection, so nothing is written and values entered are kept in this
 * process's memory for the session only.
 */
export class SafeStorageSecretStore implements SecretStore {
  private values: Stored
  private readonly memory = new Map<string, string>()
  private readonly env = new EnvSecretStore()
  readonly writable = true

  constructor(private readonly file: string) {
    this.values = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Stored) : {}
  }

  private get sealing(): boolean {
    if (!safeStorage.isEncryptionAvailable()) return false
    return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text'
  }

  get storage(): 'keychain' | 'memory' {
    return this.sealing ? 'keychain' : 'memory'
  }

  get storageNote(): string | null {
    return this.sealing
      ? null
      : 'no OS keychain is available (safeStorage has no keyring backend): settings entered here are kept in memory until Afterlogin quits'
  }

  get(name: string) {
    const held = this.memory.get(name)
    if (held) return { value: held, origin: 'settings' as const }
    const sealed = this.values[name]
    if (sealed) {
      try {
        return { value: safeStorage.decryptString(Buffer.from(sealed, 'base64')), origin: 'settings' as const }
      } catch {
        // Sealed under another OS account or keyring: unusable here, so the environment decides.
      }
    }
    return this.env.get(name)
  }

  async set(name: string, value: string): Promise<void> {
    if (!this.sealing) {
      // Never written in clear: without a keychain the value lives in this process only.
      if (value) this.memory.set(name, value)
      else this.memory.delete(name)
      return
    }
    const next = { ...this.values }
    if (value) next[name] = safeStorage.encryptString(value).toString('base64')
    else delete next[name]
    // Write then rename, so a crash never leaves half a settings file.
    const tmp = `${this.file}.tmp`
    await writeFile(tmp, JSON.stringify(next, null, 2), { mode: 0o600 })
    await rename(tmp, this.file)
    this.values = next
  }
}
