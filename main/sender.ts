import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * IPC is answered only for the app's own page: the packaged renderer file, or the dev server's origin.
 * Parsed with URL, never substring checks (a `file:///…/index.html.evil` or `http://localhost.evil` must fail).
 */
export const senderAllowed = (frameUrl: string | undefined, rendererIndex: string, devUrl?: string): boolean => {
  if (!frameUrl) return false
  let url: URL
  try {
    url = new URL(frameUrl)
  } catch {
    return false
  }
  if (devUrl) {
    try {
      return url.origin === new URL(devUrl).origin
    } catch {
      return false
    }
  }
  if (url.protocol !== 'file:' || url.host !== '') return false
  try {
    return resolve(fileURLToPath(url)) === resolve(rendererIndex)
  } catch {
    return false
  }
}
