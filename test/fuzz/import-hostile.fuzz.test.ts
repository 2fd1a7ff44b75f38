import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, posix, win32 } from 'node:path'
import { once } from 'node:events'
import { gzipSync } from 'node:zlib'
import fc from 'fast-check'
import { pack as tarPack } from 'tar-stream'
import yazl from 'yazl'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runImport } from '../../core/import'
import { entryNameProblem } from '../../core/import/guards'
import { CaseDb } from '../../core/store/case-db'
import { mutatedText, runs, seedFiles } from './fuzz-helpers'

let work: string
let caseDir: string
let db: CaseDb
let seeds: { path: string; text: string }[]

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'afterlogin-fuzz-import-'))
  caseDir = join(work, 'case')
  mkdirSync(caseDir)
  db = await CaseDb.open(join(caseDir, 'case.duckdb'))
  seeds = await seedFiles()
}, 30_000)
afterAll(() => {
  db?.close()
  rmSync(work, { recursive: true, force: true })
})

let seq = 0
const write = (name: string, data: Buffer | string): string => {
  const path = join(work, 'in', String(++seq), name)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, data)
  return path
}

const counts = async () => {
  const sql = await db.connect()
  const row = (
    await sql.connection.runAndReadAll('SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM quarantine) AS quarantined')
  ).getRowObjectsJS()[0]
  sql.connection.closeSync()
  return { events: Number(row.events), quarantined: Number(row.quarantined) }
}

/** Nothing but the case file, its WAL and dot-named scratch may appear beside the case; nothing outside `in/`. */
const noStrayFiles = () => {
  expect(readdirSync(work).sort()).toEqual(['case', 'in'])
  expect(readdirSync(caseDir).filter((f) => !/^case\.duckdb(\.wal)?$/.test(f) && !f.startsWith('.'))).toEqual([])
}

const zipOf = async (entries: [string, Buffer][]): Promise<Buffer> => {
  const zip = new yazl.ZipFile()
  for (const [name, data] of entries) zip.addBuffer(data, name)
  zip.end()
  const parts: Buffer[] = []
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) parts.push(chunk)
  return Buffer.concat(parts)
}

describe('the archive entry-name guard', () => {
  const segment = fc.constantFrom('..', '.', 'logs', 'a b', 'C:', 'c:', '', '\\', '..\\..', '%2e%2e', '\u2024\u2024', 'x..y', '…', '~', '$HOME')
  const name = fc
    .tuple(fc.boolean(), fc.array(segment, { minLength: 1, maxLength: 6 }), fc.constantFrom('/', '\\'))
    .map(([abs, segs, sep]) => (abs ? sep : '') + [...segs, 'f.json'].join(sep))

  it('accepts a name only when it stays inside the archive root on POSIX and Windows', () => {
    fc.assert(
      fc.property(name, (n) => {
        const problem = entryNameProblem(n)
        const unified = n.replaceAll('\\', '/')
        const escapes = !posix.resolve('/root/x', unified).startsWith('/root/x/') || !win32.resolve('C:\\root\\x', n).toLowerCase().startsWith('c:\\root\\x\\')
        if (escapes) expect(problem, n).not.toBeNull()
        if (unified.split('/').includes('..')) expect(problem, n).not.toBeNull()
      }),
      runs(500)
    )
  })

  it('zips with hostile entry names: each refused entry is named, the safe ones import, nothing lands outside', async () => {
    const good = Buffer.from(seeds[0].text)
    // Byte patching below works on single-byte names only.
    const asciiName = name.filter((n) => /^[\x20-\x7e]+$/.test(n))
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(asciiName, { minLength: 1, maxLength: 4 }), async (names) => {
        // yazl refuses unsafe names (as it should), so same-length placeholders are patched in the bytes.
        const placeholders = names.map((n, i) => `${String(i).padStart(n.length, 'q')}`.slice(-n.length))
        let zip = (await zipOf([['safe.json', good], ...placeholders.map((p): [string, Buffer] => [p, good])])).toString('latin1')
        names.forEach((n, i) => (zip = zip.replaceAll(placeholders[i], n)))
        const summary = await runImport(db, [write('hostile.zip', Buffer.from(zip, 'latin1'))])
        const byPath = new Map(summary.files.map((f) => [f.path.replace(/^hostile\.zip!/, ''), f]))
        expect(byPath.get('safe.json')?.error).toBeNull()
        for (const n of names) {
          // yauzl reports backslashes as forward slashes (zip names are '/'-separated by spec).
          const f = byPath.get(n) ?? byPath.get(n.replaceAll('\\', '/'))
          expect(f, n).toBeDefined()
          if (entryNameProblem(n)) expect(f!.error, n).toMatch(/refused/)
        }
        noStrayFiles()
      }),
      runs(8)
    )
  })

  it('a traversal name inside a zip inside a zip is refused and named by its full path', async () => {
    const good = Buffer.from(seeds[0].text)
    const inner = Buffer.from(
      (
        await zipOf([
          ['ok.json', good],
          ['zz/evil.json', good]
        ])
      )
        .toString('latin1')
        .replaceAll('zz/evil.json', '../evil.json'),
      'latin1'
    )
    const outer = await zipOf([['inner.zip', inner]])
    const summary = await runImport(db, [write('outer.zip', outer)])
    const byPath = Object.fromEntries(summary.files.map((f) => [f.path, f.error]))
    expect(byPath['outer.zip!inner.zip!ok.json']).toBeNull()
    expect(byPath['outer.zip!inner.zip!../evil.json']).toMatch(/escapes the archive/)
    noStrayFiles()
  })

  it('tar.gz with traversal, absolute and link entries: refused or skipped, never followed', async () => {
    const tar = tarPack()
    const good = seeds[0].text
    tar.entry({ name: 'bundle/ok.json' }, good)
    tar.entry({ name: '../../evil.json' }, good)
    tar.entry({ name: '/etc/afterlogin.json' }, good)
    tar.entry({ name: 'bundle/../../up.json' }, good)
    tar.entry({ name: 'C:\\Windows\\x.json' }, good)
    tar.entry({ name: 'bundle/link.json', type: 'symlink', linkname: '/etc/passwd' })
    tar.finalize()
    const parts: Buffer[] = []
    for await (const chunk of tar as AsyncIterable<Buffer>) parts.push(chunk)
    const summary = await runImport(db, [write('bundle.tar.gz', gzipSync(Buffer.concat(parts)))])
    const byPath = Object.fromEntries(summary.files.map((f) => [f.path.replace(/^bundle\.tar\.gz!/, ''), f.error]))
    expect(byPath['bundle/ok.json']).toBeNull()
    expect(byPath['../../evil.json']).toMatch(/escapes the archive/)
    expect(byPath['/etc/afterlogin.json']).toMatch(/absolute path/)
    expect(byPath['bundle/../../up.json']).toMatch(/escapes the archive/)
    expect(byPath['C:\\Windows\\x.json']).toMatch(/absolute path/)
    expect(Object.keys(byPath).some((p) => p.includes('link.json') && byPath[p] === null)).toBe(false)
    noStrayFiles()
  })
})

describe('big and hostile inputs at their real size, default limits', () => {
  it('refuses a single 200 MB line with a message, and keeps the file beside it', async () => {
    const path = join(work, 'in', 'huge-line.ndjson')
    const out = createWriteStream(path)
    out.write('{"eventType":"user.session.start","published":"2025-01-01T00:00:00Z","pad":"')
    const block = Buffer.alloc(4 * 1024 * 1024, 'a')
    for (let i = 0; i < 50; i++) if (!out.write(block)) await once(out, 'drain')
    out.end('"}\n')
    await once(out, 'finish')
    const before = await counts()
    const summary = await runImport(db, [path, write('ok.json', seeds[0].text)])
    expect(summary.files[0].error).toMatch(/longer than/)
    expect(summary.files[1].error).toBeNull()
    expect((await counts()).events - before.events).toBe(summary.files[1].newEvents)
    rmSync(path)
  }, 60_000)

  it('refuses a zip bomb (64 MB of zeros in a few KB)', async () => {
    const bomb = await zipOf([
      ['zeros.json', Buffer.alloc(64 * 1024 * 1024)],
      ['ok.json', Buffer.from(seeds[0].text)]
    ])
    expect(bomb.length).toBeLessThan(200 * 1024)
    const summary = await runImport(db, [write('bomb.zip', bomb)])
    const byPath = Object.fromEntries(summary.files.map((f) => [f.path, f.error]))
    expect(byPath['bomb.zip!zeros.json']).toMatch(/compression bomb/)
    expect(byPath['bomb.zip!ok.json']).toBeNull()
    noStrayFiles()
  }, 60_000)
})

describe('whole imports of mutated bundles', () => {
  it('always end in events, quarantine or a named error, with the case consistent after each', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.nat().chain((i) => {
            const s = seeds[i % seeds.length]
            return fc.tuple(fc.constant(s.path.split('.').pop()!), mutatedText(s.text.slice(0, 30_000)), fc.constantFrom('plain', 'gz', 'zip'))
          }),
          { minLength: 1, maxLength: 3 }
        ),
        async (files) => {
          const before = await counts()
          const paths: string[] = []
          for (const [ext, text, wrap] of files) {
            if (wrap === 'gz') paths.push(write(`f.${ext}.gz`, gzipSync(Buffer.from(text))))
            else if (wrap === 'zip') paths.push(write('f.zip', await zipOf([[`inner.${ext}`, Buffer.from(text)]])))
            else paths.push(write(`f.${ext}`, text))
          }
          const t0 = performance.now()
          const summary = await runImport(db, paths)
          expect(performance.now() - t0, 'bounded time per bundle').toBeLessThan(15_000)
          expect(summary.files.length).toBeGreaterThanOrEqual(files.length)
          for (const f of summary.files) {
            if (f.error !== null) {
              expect(f.error.trim().length, f.path).toBeGreaterThan(0)
              expect(f.newEvents).toBe(0)
            } else expect(f.events + f.rejected, f.path).toBeGreaterThan(0)
          }
          const after = await counts()
          expect(after.events - before.events).toBe(summary.newEvents)
          const quarantined = summary.files.filter((f) => f.error === null).reduce((n, f) => n + f.rejected, 0)
          expect(after.quarantined - before.quarantined).toBe(quarantined)
          noStrayFiles()
        }
      ),
      runs(6)
    )
  }, 120_000)
})
