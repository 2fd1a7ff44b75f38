import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { runCli } from '../helpers/cli-in-process'
import { runImport } from '../../core/import/index'
import { Workbench } from '../../core/workbench'
import { ROOT } from '../helpers/web-mode'

// The context bundles (test/fixtures/context) imported for real: the stories come from the case's own tables.
const FIXTURES = join(ROOT, 'test', 'fixtures', 'context')
let dir = ''
const cases: Record<string, string> = {}

const run = (argv: string[]): Promise<{ code: number; out: string }> => runCli(argv)

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'afterlogin-story-'))
  for (const bundle of ['hijack-record-geo', 'agents']) {
    const wb = new Workbench({ dataDir: join(dir, 'home'), transport: 'web', version: 'test' })
    await wb.open(join(dir, `${bundle}.duckdb`))
    const summary = await runImport(wb.requireCase().db, [join(FIXTURES, bundle)])
    expect(summary.files.filter((f) => f.error)).toEqual([])
    cases[bundle] = wb.requireCase().db.path
    wb.close()
  }
})

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('afterlogin sessions and the story', () => {
  it('--json: each chain carries its story, the hijack told with identity, start, pivot, actions and response', async () => {
    const { code, out } = await run(['sessions', '--case', cases['hijack-record-geo'], '--json'])
    expect(code).toBe(0)
    const chains = JSON.parse(out) as Array<{ identity: string; story: unknown; findings: unknown[] }>
    expect(chains.length).toBeGreaterThan(0)
    for (const c of chains) {
      expect(typeof c.story).toBe('string')
      expect(c.story).toContain(c.identity)
    }
    const story = chains[0].story as string
    expect(chains[0].identity).toBe('alice.nguyen@acme.example')
    // Where it started, from the record's own geo and network.
    expect(story).toContain('It started in Okta with “User login to Okta”, from San Francisco, United States (192.0.2.44, AS19165 Webpass Inc.)')
    // The pivot: when, and each change from → to, countries by name.
    expect(story).toMatch(/At 16:20 UTC \(20 min in\), the session's context changed with Okta/)
    expect(story).toContain('country United States (US) → Singapore (SG)')
    expect(story).toContain('device macOS Chrome → Windows Chrome')
    // What followed, and why the response.
    expect(story).toMatch(/After the pivot, in Okta: .*Okta API token created/)
    expect(story).toMatch(
      /Recommended: terminating the session \(risk \d+ of 100\)\. Break-glass actions \(credential created\) came together with context anomalies/
    )
    expect(story.split('\n\n').at(-1)).not.toMatch(/\b[a-z]+_[a-z]+\b|terminate-session/)
  })

  it('--story prints each chain headed by identity, id, risk and response; agents name whom they act for', async () => {
    const { code, out } = await run(['sessions', '--case', cases.agents, '--story', '--limit', '3'])
    expect(code).toBe(0)
    const blocks = out.split(/^== /m).filter(Boolean)
    expect(blocks).toHaveLength(3)
    for (const b of blocks) expect(b).toMatch(/^\S.* · c[0-9a-f]+ · risk \d+ · [a-z-]+\n\n\S/)
    expect(out).toMatch(/an AI agent acting for dana\.hr@acme\.example, was active in one app/)
    // Chains without findings or pivot get a short factual story.
    expect(blocks.every((b) => b.trimEnd().endsWith('No finding was raised, so no response is recommended.'))).toBe(true)
    expect(blocks.every((b) => !b.includes('pivot'))).toBe(true)
  })

  it('chains.get carries the same story as sessions --json, in parts', async () => {
    const { out } = await run(['sessions', '--case', cases['hijack-record-geo'], '--json', '--limit', '1'])
    const [top] = JSON.parse(out) as Array<{ id: string; story: string }>
    const wb = new Workbench({ dataDir: join(dir, 'home'), transport: 'web', version: 'test' })
    await wb.open(cases['hijack-record-geo'])
    try {
      const detail = await wb.handlers['chains.get']({ id: top.id })
      expect(detail.story).toBe(top.story)
      expect(detail.storyParts.map((p) => p.kind)).toEqual(['who', 'start', 'pivot', 'after', 'response'])
      expect(detail.storyParts.map((p) => p.text).join('\n\n')).toBe(detail.story)
    } finally {
      wb.close()
    }
  })

  it('refuses --json together with --story', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    try {
      expect((await run(['sessions', '--case', cases.agents, '--json', '--story'])).code).toBe(2)
    } finally {
      err.mockRestore()
    }
  })
})
