import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startWebMode, tempHome, type WebMode } from '../helpers/web-mode'

// `web --case` on a path with no file: the server says it is creating a new case there (a typo shows at once).
let web: WebMode | undefined
afterAll(() => web?.stop())

describe('afterlogin web --case MISSING', () => {
  it('says it creates a new, empty case, and opens it', async () => {
    const path = join(tempHome('afterlogin-web-case-'), 'typo.duckdb')
    web = await startWebMode({ args: ['--case', path] })
    expect(web.stderr()).toContain(`afterlogin web: no case file at ${path}: creating a new, empty case there`)
    expect(existsSync(path)).toBe(true)
    expect(await web.call('case.info')).toMatchObject({ path, events: 0 })
  })
})
