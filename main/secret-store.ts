import { safeStorage } from 'electron'
import { existsSync, readFileSync } from 'node:fs'
import { rename, writeFile } from 'node:fs/promises'
import { EnvSecretStore, type SecretStore } from '../core/response/secret-store'

type Stored = Record<string, string>

/**
 * Connector settings entered in the desktop app, each value encrypted with Electron safeStorage (the OS
 * keychain: Keychain, DPAPI, libsecret/kwallet) in a JSON file beside the recent-cases list. Values set
 * here win over AFTERLOGIN_* variables. On Linux without a keyring, safeStorage falls back to a fixed
 * key ("basic_text"): that is not protection, so nothing is stored and the environment must be used.
 */
export class SafeStorageSecretStore implements SecretStore {
  private values: Stored
  private readonly env = new EnvSecretStore()

  constructor(private readonly file: string) {
    this.values = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Stored) : {}
  }

  get writable(): boolean {
    if (!safeStorage.isEncryptionAvailable()) return false
    return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text'
  }

  get(name: string) {
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
    if (!this.writable) throw new Error('the OS keychain is not available: set AFTERLOGIN_<CONNECTOR>_<SETTING> in the environment instead')
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
