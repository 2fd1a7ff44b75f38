import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import riskyActions from '../../policies/risky-actions.json'
import { dispatch } from '../../core/dispatch'
import { Workbench } from '../../core/workbench'
import { tempHome } from '../helpers/web-mode'

describe('policies.get', () => {
  it("answers the shipped defaults, then the case's own copy with its path", async () => {
    const wb = new Workbench({ dataDir: tempHome(), transport: 'web', version: 't' })
    expect(await dispatch(wb, 'policies.get', {})).toMatchObject({ ok: false, error: expect.stringContaining('no case is open') })
    await wb.handlers['case.create']({ name: 'policies' })
    const first = await dispatch(wb, 'policies.get', {})
    expect(first).toMatchObject({ ok: true, value: { riskyActions: { origin: 'default' }, vpnAsns: { origin: 'default' } } })
    expect(first.ok && (first.value as { riskyActions: { value: { reads: unknown[] } } }).riskyActions.value.reads.length).toBe(riskyActions.reads.length)

    const own = join(dirname(wb.requireCase().db.path), 'policies', 'risky-actions.json')
    await mkdir(dirname(own), { recursive: true })
    await writeFile(own, JSON.stringify({ ...riskyActions, reads: riskyActions.reads.slice(0, 2) }))
    const second = await dispatch(wb, 'policies.get', {})
    expect(second).toMatchObject({ ok: true, value: { riskyActions: { origin: own }, response: { origin: 'default' } } })
    expect(second.ok && (second.value as { riskyActions: { value: { reads: unknown[] } } }).riskyActions.value.reads.length).toBe(2)

    await writeFile(own, '{')
    expect(await dispatch(wb, 'policies.get', {})).toMatchObject({ ok: false, error: expect.stringContaining('is not valid JSON') })
    wb.close()
  })
})
