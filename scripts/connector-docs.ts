import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { connectorFactsMarkdown, withFacts } from '../core/response/facts-markdown'

// Rewrites the generated connectors section of docs/connectors.md from the connectors' facts tables.
const file = join(import.meta.dirname, '..', 'docs', 'connectors.md')
writeFileSync(file, withFacts(readFileSync(file, 'utf8'), await connectorFactsMarkdown()))
process.stdout.write(`${file} updated\n`)
