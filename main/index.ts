import { app, BrowserWindow, session } from 'electron'
import { join } from 'node:path'
import { Workbench } from '../core/workbench'
import { VERSION } from '../core/version'
import { forwardPush, registerIpc } from './ipc'
import { SafeStorageSecretStore } from './secret-store'
import { windowOptions } from './window-options'

const rendererIndex = join(import.meta.dirname, '../renderer/index.html')
const devUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined

const harden = (): void => {
  // No web permission (camera, notifications, geolocation…) is ever needed.
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, done) => done(false))
  session.defaultSession.setPermissionCheckHandler(() => false)
  app.on('web-contents-created', (_e, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
    contents.on('will-navigate', (event) => event.preventDefault())
    contents.on('will-redirect', (event) => event.preventDefault())
    contents.on('will-attach-webview', (event) => event.preventDefault())
  })
}

const createWindow = (wb: Workbench): void => {
  const { webPreferences, ...frame } = windowOptions(join(import.meta.dirname, '../preload/index.cjs'))
  // The three decisive switches restated literally where the window is made, so a static scanner
  // (Electronegativity, scripts/security-check.mjs) can verify them in the shipped bundle too.
  const win = new BrowserWindow({
    ...frame,
    webPreferences: { ...webPreferences, contextIsolation: true, sandbox: true, nodeIntegration: false }
  })
  const stop = forwardPush(wb, win.webContents)
  win.on('closed', stop)
  win.once('ready-to-show', () => win.show())
  if (devUrl) void win.loadURL(devUrl)
  else void win.loadFile(rendererIndex)
}

app.enableSandbox()
void app.whenReady().then(() => {
  harden()
  const dataDir = app.getPath('userData')
  const secrets = new SafeStorageSecretStore(join(dataDir, 'connector-settings.json'))
  const wb = new Workbench({ dataDir, transport: 'desktop', version: VERSION, secrets })
  registerIpc(wb, rendererIndex, devUrl)
  createWindow(wb)
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow(wb)
  })
  app.on('before-quit', () => wb.close())
})
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
