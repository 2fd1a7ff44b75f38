import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONNECTOR_IDS, RESPONSE_ACTIONS } from '../../contract'
import { CONNECTORS } from '../../core/response/connectors'
import { FACTS_END, FACTS_START, connectorFactsMarkdown } from '../../core/response/facts-markdown'

const root = join(import.meta.dirname, '..', '..')

describe('the connectors documentation follows the facts tables', () => {
  it('docs/connectors.md holds exactly the generated section (run `npm run docs:connectors` after changing a connector)', async () => {
    const doc = readFileSync(join(root, 'docs', 'connectors.md'), 'utf8')
    const block = doc.slice(doc.indexOf(FACTS_START), doc.indexOf(FACTS_END) + FACTS_END.length)
    expect(block).toBe(await connectorFactsMarkdown())
  })

  it('names every action of every connector with its permissions and sources', async () => {
    const md = await connectorFactsMarkdown()
    for (const id of CONNECTOR_IDS)
      for (const a of RESPONSE_ACTIONS) {
        const doc = CONNECTORS[id].actions[a]
        if (!doc) continue
        for (const p of doc.permissions) expect(md).toContain(p.replace(/\|/g, '\\|'))
        for (const u of doc.docs) expect(md).toContain(`<${u}>`)
      }
  })

  it('the README carries no hand-kept copy of the per-action table, only the pointer to the generated one', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8')
    expect(readme).not.toMatch(/connector × action/)
    expect(readme).toContain('docs/connectors.md')
  })
})
