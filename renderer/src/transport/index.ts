import { desktopTransport } from './desktop'
import type { Transport } from './types'
import { webTransport } from './web'
import { takeToken } from './web-token'

export * from './types'

/** Picks the transport once at start: the preload's bridge in the desktop app, HTTP in web mode. */
const detect = (): Transport | null => {
  if (window.afterlogin) return desktopTransport(window.afterlogin)
  const token = takeToken()
  return token ? webTransport(token) : null
}

export const transport: Transport | null = detect()
