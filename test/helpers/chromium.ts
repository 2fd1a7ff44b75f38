import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

/** AFTERLOGIN_CHROMIUM if set, else Playwright's own build if installed, else Debian's /usr/bin/chromium. */
export const chromiumPath = (): string | undefined => {
  if (process.env.AFTERLOGIN_CHROMIUM) return process.env.AFTERLOGIN_CHROMIUM
  try {
    const own = chromium.executablePath()
    if (own && existsSync(own)) return undefined
  } catch {
    // Playwright's browsers are not installed: fall through.
  }
  return '/usr/bin/chromium'
}

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run']
  })
