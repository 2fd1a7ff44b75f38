import type { BrowserWindowConstructorOptions } from 'electron'

/**
 * The one window's hardening, spelled out and pinned by test/unit/electron-shell.test.ts.
 * Only `import type` from electron here, so tests read it without an Electron binary.
 */
export const webPreferences = (preload: string): NonNullable<BrowserWindowConstructorOptions['webPreferences']> => ({
  preload,
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webviewTag: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  spellcheck: false,
  // Middle-click would otherwise open links in new windows behind setWindowOpenHandler's back.
  disableBlinkFeatures: 'Auxclick'
})

export const windowOptions = (preload: string): BrowserWindowConstructorOptions => ({
  width: 1440,
  height: 900,
  minWidth: 960,
  minHeight: 600,
  backgroundColor: '#0f1115',
  title: 'Afterlogin',
  show: false,
  webPreferences: webPreferences(preload)
})
