import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWebMode, type WebMode } from '../helpers/web-mode'

let web: WebMode

beforeAll(async () => {
  web = await startWebMode()
})
afterAll(() => web?.stop())

const callApi = (name: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
  fetch(`${web.origin}/api/call/${name}`, {
    method: 'POST',
    body: '{}',
    ...init,
    headers: { 'Content-Type': 'application/json', ...init.headers }
  })

describe('afterlogin web', () => {
  it('prints a 127.0.0.1 URL with a token and serves the page', async () => {
    expect(web.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{20,}$/)
    const page = await fetch(web.origin + '/')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(await page.text()).toContain('<div id="root">')
  })

  it('refuses every API request without the right token', async () => {
    expect((await callApi('app.info')).status).toBe(401)
    expect((await callApi('app.info', { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401)
    expect((await fetch(`${web.origin}/api/events`)).status).toBe(401)
    expect((await fetch(`${web.origin}/api/anything`)).status).toBe(401)
    const ok = await callApi('app.info', { headers: { Authorization: `Bearer ${web.token}` } })
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ ok: true, value: { name: 'Afterlogin', transport: 'web' } })
  })

  it('refuses a foreign Origin (CSRF) even with the token', async () => {
    const res = await callApi('app.info', { headers: { Authorization: `Bearer ${web.token}`, Origin: 'https://evil.example' } })
    expect(res.status).toBe(403)
  })

  it('refuses a foreign Host (DNS rebinding)', async () => {
    const { request } = await import('node:http')
    const status = await new Promise<number>((ok, fail) => {
      const req = request({ host: '127.0.0.1', port: web.port, path: '/', headers: { Host: `rebind.example:${web.port}` } }, (res) => ok(res.statusCode!))
      req.on('error', fail)
      req.end()
    })
    expect(status).toBe(421)
  })

  it('answers bad input with a clear error', async () => {
    const res = await callApi('case.create', {
      headers: { Authorization: `Bearer ${web.token}` },
      body: JSON.stringify({ name: 7 })
    })
    expect(await res.json()).toMatchObject({ ok: false, error: expect.stringMatching(/^case\.create: name:/) })
  })
})
