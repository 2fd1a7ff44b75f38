import { existsSync } from 'node:fs'
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, importPKCS8, type CryptoKey, type JWK } from 'jose'

export interface SigningKey {
  kid: string
  privateKey: CryptoKey
  publicJwk: JWK
}

const ALG = 'RS256'

/**
 * The transmitter's RS256 key (2048-bit, the SSF interoperability profile). It lives outside every case
 * file: `AFTERLOGIN_SSF_SIGNING_KEY` (PKCS#8 PEM) when set, else `<data folder>/ssf/signing-key.pem`
 * created on first use with owner-only permissions.
 */
export const loadSigningKey = async (dataDir: string, pem?: string): Promise<SigningKey> => {
  let text = pem
  if (!text) {
    const dir = join(dataDir, 'ssf')
    const file = join(dir, 'signing-key.pem')
    if (existsSync(file)) text = await readFile(file, 'utf8')
    else {
      const { privateKey } = await generateKeyPair(ALG, { modulusLength: 2048, extractable: true })
      text = await exportPKCS8(privateKey)
      await mkdir(dir, { recursive: true, mode: 0o700 })
      await writeFile(file, text, { mode: 0o600, flag: 'wx' }).catch(async (err: NodeJS.ErrnoException) => {
        // Another process created it first: use theirs.
        if (err.code !== 'EEXIST') throw err
      })
      await chmod(file, 0o600)
      text = await readFile(file, 'utf8')
    }
  }
  const privateKey = await importPKCS8(text, ALG, { extractable: true })
  const full = await exportJWK(privateKey)
  const publicJwk: JWK = { kty: full.kty, n: full.n, e: full.e }
  const kid = await calculateJwkThumbprint(publicJwk)
  return { kid, privateKey, publicJwk: { ...publicJwk, kid, alg: ALG, use: 'sig' } }
}

export const jwksOf = (key: SigningKey): { keys: JWK[] } => ({ keys: [key.publicJwk] })
