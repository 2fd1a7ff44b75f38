import type { PushName } from '../../../contract'
import { CallError, type Transport } from './types'
import { uploadFiles } from './upload'
import { webAuthHeader } from './web-token'

type Listener = (payload: unknown) => void

export const webTransport = (token: string): Transport => {
  const listeners = new Map<string, Set<Listener>>()
  const headers = { Authorization: `Bearer ${token}` }

  // One server-sent-event stream, read with fetch so the token travels in a header, not the URL.
  const pump = async (): Promise<void> => {
    for (;;) {
      try {
        const res = await fetch('/api/events', { headers })
        if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status}`)
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
        let buffer = ''
        for (;;) {
          const { value, done } = await reader.read()
          if (done) break
          buffer += value
          let cut: number
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut)
            buffer = buffer.slice(cut + 2)
            const name = /^event: (.+)$/m.exec(block)?.[1]
            const data = /^data: (.*)$/m.exec(block)?.[1]
            if (name && data !== undefined) for (const fn of listeners.get(name) ?? []) fn(JSON.parse(data))
          }
        }
      } catch {
        // The server went away or restarted: retry quietly.
      }
      await new Promise((r) => setTimeout(r, 1000))
    }
  }
  void pump()

  return {
    kind: 'web',
    async call(name, input) {
      const res = await fetch(`/api/call/${name}`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify(input ?? {})
      })
      const out = (await res.json().catch(() => ({ ok: false, error: `HTTP ${res.status}` }))) as { ok: true; value: unknown } | { ok: false; error: string }
      if (!out.ok) throw new CallError(name, out.error)
      return out.value as never
    },
    on(name, listener) {
      const set = listeners.get(name as PushName) ?? new Set()
      set.add(listener as Listener)
      listeners.set(name, set)
      return () => set.delete(listener as Listener)
    },
    async importInput(files, onUploaded) {
      return { uploads: await uploadFiles(files, onUploaded) }
    }
  }
}

/**
 * Fetches an export's bytes with the launch token (a plain link could not carry it in a header) and hands them
 * to the browser as a download under the file's own name.
 */
export const downloadExport = async (id: string, fileName: string): Promise<void> => {
  const res = await fetch(`/api/export/download?id=${encodeURIComponent(id)}`, { headers: webAuthHeader() })
  if (!res.ok) {
    const out = (await res.json().catch(() => null)) as { error?: string } | null
    throw new Error(out?.error ?? `download failed: HTTP ${res.status}`)
  }
  const url = URL.createObjectURL(await res.blob())
  try {
    const a = document.createElement('a')
    a.href = url
    a.download = fileName
    document.body.append(a)
    a.click()
    a.remove()
  } finally {
    // The click has started the download; the object URL can go once the event loop turns.
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
  }
}
