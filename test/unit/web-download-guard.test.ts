import { describe, expect, it } from 'vitest'
import { fileInside } from '../../cli/web/guards'

// The export download route serves a recorded export only when its path lies inside the case's exports/ folder.
describe('fileInside', () => {
  const root = '/home/ana/.afterlogin/cases/inc-1/exports'
  const table: Array<[string, boolean]> = [
    [`${root}/report-html-20260101T000000Z.html`, true],
    [`${root}/sub/chains.csv`, true],
    [root, false],
    [`${root}/`, false],
    [`${root}/../case.duckdb`, false],
    [`${root}/../../inc-2/exports/x.csv`, false],
    [`${root}-evil/x.csv`, false],
    ['/etc/passwd', false],
    [`${root}/./../exports/x.csv`, true],
    ['exports/x.csv', false],
    [`${root}/..x.csv`, true]
  ]
  for (const [path, ok] of table) it(`${path} → ${ok}`, () => expect(fileInside(root, path)).toBe(ok))
})
