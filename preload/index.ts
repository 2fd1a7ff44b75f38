import { contextBridge, ipcRenderer, webUtils } from 'electron'
import type { PushName } from '../contract'
import { CALL_NAMES, callChannel, pushChannel } from '../contract/call-names'

// The page gets verbs, never ipcRenderer: one named method per contract call on a fixed channel,
// and listeners that receive the payload only (never the IPC event object).
const api = Object.fromEntries(CALL_NAMES.map((name) => [name, (input: unknown) => ipcRenderer.invoke(callChannel(name), input)]))

contextBridge.exposeInMainWorld('afterlogin', {
  calls: api,
  on: (name: PushName, listener: (payload: unknown) => void) => {
    if (typeof name !== 'string' || !/^[\w.]+$/.test(name)) throw new Error('bad event name')
    const channel = pushChannel(name)
    const wrapped = (_event: unknown, payload: unknown) => listener(payload)
    ipcRenderer.on(channel, wrapped)
    return () => ipcRenderer.removeListener(channel, wrapped)
  },
  /** Paths of files the user dropped on the window; the page cannot name any other. */
  pathsOf: (files: File[]) => files.map((f) => webUtils.getPathForFile(f))
})
