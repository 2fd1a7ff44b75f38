import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'

// Electron cannot run here: safeStorage is mocked at the edge with a reversible stand-in cipher.
const backend = { available: true, name: 'gnome_libsecret' }
vi.mock('electron', () => ({
  safeStorage: {
    isEncryptionAvailable: () => backend.available,
    getSelectedStorageBackend: () => backend.name,
    encryptString: (s: string) => Buffer.from(`sealed:${Buffer.from(s).toString('hex')}`),
    decryptString: (b: Buffer) => Buffer.from(b.toString().replace(/^sealed:/, ''), 'hex').toString()
  }
}))

const { SafeStorageSecretStore } = await import('../../main/secret-store')

describe('desktop connector settings', () => {
  it('stores values sealed, reads them back, and lets them win over the environment', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'afterlogin-secrets-')), 'connector-settings.json')
    vi.stubEnv('AFTERLOGIN_OKTA_URL', 'https://from-env.okta.com')
    const store = new SafeStorageSecretStore(file)
    expect(store.get('OKTA_URL')).toEqual({ value: 'https://from-env.okta.com', origin: 'env' })
    await store.set('OKTA_TOKEN', '00secret-okta-token')
    await store.set('OKTA_URL', 'https://acme.okta.com')
    expect(readFileSync(file, 'utf8')).not.toContain('00secret-okta-token')
    const again = new SafeStorageSecretStore(file)
    expect(again.get('OKTA_TOKEN')).toEqual({ value: '00secret-okta-token', origin: 'settings' })
    expect(again.get('OKTA_URL')?.value).toBe('https://acme.okta.com')
    await again.set('OKTA_URL', '')
    expect(again.get('OKTA_URL')?.origin).toBe('env')
    vi.unstubAllEnvs()
  })

  it('keeps values in memory only, never on disk, without a real keychain', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'afterlogin-secrets-')), 'connector-settings.json')
    backend.name = 'basic_text'
    const store = new SafeStorageSecretStore(file)
    expect(store.storage).toBe('memory')
    expect(store.storageNote).toMatch(/no OS keychain/)
    await store.set('OKTA_TOKEN', '00memory-only-token')
    expect(store.get('OKTA_TOKEN')).toEqual({ value: '00memory-only-token', origin: 'settings' })
    expect(existsSync(file)).toBe(false)
    expect(new SafeStorageSecretStore(file).get('OKTA_TOKEN')).toBeUndefined()
    backend.name = 'gnome_libsecret'
  })
})

describe('configuring connectors from the desktop', () => {
  it('stores settings through the contract and never lets a stored token follow a new URL silently', async () => {
    const { Workbench } = await import('../../core/workbench')
    const { dispatch } = await import('../../core/dispatch')
    const dir = mkdtempSync(join(tmpdir(), 'afterlogin-desktop-'))
    const wb = new Workbench({ dataDir: dir, transport: 'desktop', version: 't', secrets: new SafeStorageSecretStore(join(dir, 'connector-settings.json')) })
    const first = await dispatch(wb, 'response.configure', { connector: 'okta', values: { URL: 'https://acme.okta.com', TOKEN: '00stored-token-1234' } })
    expect(first.ok).toBe(true)
    const okta = (first as { value: { id: string; configured: boolean; origin: string; url: string }[] }).value.find((c) => c.id === 'okta')!
    expect(okta).toMatchObject({ configured: true, origin: 'settings', url: 'https://acme.okta.com' })
    expect(JSON.stringify(first)).not.toContain('00stored-token-1234')
    const moved = await dispatch(wb, 'response.configure', { connector: 'okta', values: { URL: 'https://elsewhere.example' } })
    expect(moved).toMatchObject({ ok: false, error: expect.stringMatching(/needs TOKEN entered again/) })
    const both = await dispatch(wb, 'response.configure', { connector: 'okta', values: { URL: 'https://acme2.okta.com', TOKEN: '00other-token-5678' } })
    expect(both.ok).toBe(true)
    const unknown = await dispatch(wb, 'response.configure', { connector: 'okta', values: { PASSWORD: 'x' } })
    expect(unknown.ok).toBe(false)
  })
})
