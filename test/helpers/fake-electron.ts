import { writeFileSync } from 'node:fs'

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'

/**
 * A stand-in Electron binary for packaging tests (the real one cannot be downloaded here): opaque bytes
 * around the fuse sentinel, then wire version 1, its length and one state byte per fuse
 * ('1' on, '0' off), by default Electron's own defaults.
 */
export const fakeElectron = (path: string, wire = '101100011'): void =>
  writeFileSync(
    path,
    Buffer.concat([Buffer.from('\x7fELF'), Buffer.alloc(512, 7), Buffer.from(SENTINEL), Buffer.from([1, wire.length]), Buffer.from(wire), Buffer.alloc(256)]),
    { mode: 0o755 }
  )
