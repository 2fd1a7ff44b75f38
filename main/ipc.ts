import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron'
import { calls, type CallName, type Outcome } from '../contract'
import { callChannel, pushChannel } from '../contract/call-names'
import { dispatch } from '../core/dispatch'
import type { Workbench } from '../core/workbench'
import { senderAllowed } from './sender'

export const channelFor = callChannel

/**
 * The only way main answers the page: one handler per contract call, each checking the sender
 * frame and zod-parsing the input (inside dispatch) before the core sees it.
 */
export const registerIpc = (wb: Workbench, rendererIndex: string, devUrl?: string): void => {
  for (const name of Object.keys(calls) as CallName[]) {
    ipcMain.handle(channelFor(name), async (event: IpcMainInvokeEvent, input: unknown): Promise<Outcome<unknown>> => {
      if (!senderAllowed(event.senderFrame?.url, rendererIndex, devUrl)) {
        return { ok: false, error: 'request refused: not from the Afterlogin window' }
      }
      return dispatch(wb, name, input)
    })
  }
}

/** Forwards the core's push events to one window. Listeners in the page never see the IPC event. */
export const forwardPush = (wb: Workbench, contents: WebContents): (() => void) =>
  wb.push.onAny((name, payload) => {
    if (!contents.isDestroyed()) contents.send(pushChannel(name), payload)
  })
