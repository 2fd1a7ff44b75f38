import type { IdentityMapEntry } from '../../contract/sessions'
import type { CaseDb } from '../store/case-db'

/** Logins are compared lower-cased and trimmed, as the importer stores identities. */
export const normalizeIdentity = (s: string): string => s.trim().toLowerCase()

export const listIdentityMap = (db: CaseDb): Promise<IdentityMapEntry[]> => db.many<IdentityMapEntry>('identity.map.list')

/**
 * Maps `alias` to `identity`. A chain of aliases (a → b, b → c) is refused rather than half-applied:
 * the map is applied in one step, so an alias must point at a final identity.
 */
export const setIdentityMapping = async (db: CaseDb, alias: string, identity: string): Promise<void> => {
  const a = normalizeIdentity(alias)
  const i = normalizeIdentity(identity)
  if (!a || !i) throw new Error('alias and identity must not be empty')
  if (a === i) throw new Error(`'${alias}' cannot be mapped to itself`)
  if (await db.one('identity.map.get', { alias: i })) throw new Error(`'${identity}' is itself an alias; map '${alias}' to the identity it stands for`)
  const aliasesOfAlias = (await listIdentityMap(db)).filter((e) => e.identity === a)
  if (aliasesOfAlias.length) throw new Error(`'${alias}' is already the identity of ${aliasesOfAlias.map((e) => `'${e.alias}'`).join(', ')}; clear those first`)
  await db.exec('identity.map.set', { alias: a, identity: i })
}

export const clearIdentityMapping = async (db: CaseDb, alias: string): Promise<boolean> => {
  const existed = await db.one('identity.map.get', { alias })
  if (existed) await db.exec('identity.map.clear', { alias })
  return !!existed
}
