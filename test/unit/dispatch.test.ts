import { describe, expect, it } from 'vitest'
import { calls } from '../../contract'
import { dispatch } from '../../core/dispatch'
import { Workbench } from '../../core/workbench'
import { tempHome } from '../helpers/web-mode'

const bench = () => new Workbench({ dataDir: tempHome(), transport: 'web', version: 'test' })

describe('contract dispatch', () => {
  it('refuses unknown calls by name', async () => {
    expect(await dispatch(bench(), 'case.delete', {})).toEqual({ ok: false, error: "unknown call 'case.delete'" })
    expect(await dispatch(bench(), 'constructor', {})).toMatchObject({ ok: false })
    expect(await dispatch(bench(), '__proto__', {})).toMatchObject({ ok: false })
  })

  it('rejects bad input with a clear message naming the field', async () => {
    const out = await dispatch(bench(), 'case.create', { name: 42 })
    expect(out).toEqual({ ok: false, error: expect.stringMatching(/^case\.create: name: .*string/i) })
    expect(await dispatch(bench(), 'case.create', { name: '../../etc' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('path separators')
    })
    expect(await dispatch(bench(), 'case.info', { extra: true })).toMatchObject({ ok: false })
  })

  it('turns handler errors into {ok:false}', async () => {
    expect(await dispatch(bench(), 'case.open', { id: 'nope' })).toEqual({ ok: false, error: 'no recent case with id nope' })
  })

  it('creates, lists and reopens a case', async () => {
    const wb = bench()
    const created = await dispatch(wb, 'case.create', { name: 'INC-1 okta reuse' })
    expect(created).toMatchObject({ ok: true, value: { name: 'INC-1 okta reuse', events: 0, sources: [] } })
    const recent = await dispatch(wb, 'case.recent', {})
    expect(recent.ok && (recent.value as { id: string }[]).length).toBe(1)
    const id = created.ok ? (created.value as { id: string }).id : ''
    wb.close()
    const reopened = await dispatch(wb, 'case.open', { id })
    expect(reopened).toMatchObject({ ok: true, value: { id, name: 'INC-1 okta reuse' } })
    wb.close()
  })

  it('declares an input schema for every call and a handler for every declared call', () => {
    const wb = bench()
    for (const name of Object.keys(calls)) expect(typeof (wb.handlers as Record<string, unknown>)[name]).toBe('function')
  })

  it('refuses to switch cases under running background work, and allows it once the work ends', async () => {
    const wb = bench()
    await dispatch(wb, 'case.create', { name: 'first' })
    let finish!: () => void
    void wb.track(new Promise<void>((ok) => (finish = ok)))
    expect(await dispatch(wb, 'case.create', { name: 'second' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('still running')
    })
    finish()
    await wb.settle()
    expect(await dispatch(wb, 'case.create', { name: 'second' })).toMatchObject({ ok: true, value: { name: 'second' } })
    wb.close()
  })
})
