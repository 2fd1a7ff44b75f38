// electron-builder afterPack hook: flips Electron's fuses in the packaged binary, then reads them back.
// Runs before electron-builder signs the app, so the signature covers the flipped binary.
import { join } from 'node:path'
import { flipFuses, FuseState, FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses'

/**
 * Every fuse set explicitly: `strictlyRequireAllFuses` fails the build when a newer Electron adds a fuse
 * nobody has decided on yet.
 */
export const FUSES = Object.freeze({
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  // ELECTRON_RUN_AS_NODE would turn the signed app into a general-purpose Node interpreter.
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  // NODE_OPTIONS / NODE_EXTRA_CA_CERTS and --inspect would let anyone with a shell inject code or a CA.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // With OnlyLoadAppFromAsar, integrity validation makes loading unvalidated code impossible (macOS, Windows).
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  // The renderer is loaded with loadFile() and its bundle is an ES module script, which Chromium only
  // loads from file:// with these privileges. Turning this off needs a custom app:// protocol first.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: true,
  [FuseV1Options.WasmTrapHandlers]: true
})

/** The Electron binary electron-builder produced for one platform (the fuse wire lives in it). */
export const electronBinary = (context) => {
  const { appOutDir, electronPlatformName, packager } = context
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return join(appOutDir, `${packager.appInfo.productFilename}.app`)
    case 'win32':
      return join(appOutDir, `${packager.appInfo.productFilename}.exe`)
    case 'linux':
      return join(appOutDir, packager.executableName)
    default:
      throw new Error(`electron-fuses: unknown platform '${electronPlatformName}'`)
  }
}

/** Reads the wire back and names every fuse that does not hold the configured value. */
export const verifyFuses = async (binary, config = FUSES) => {
  const wire = await getCurrentFuseWire(binary)
  const wrong = []
  for (const [key, want] of Object.entries(config)) {
    const index = Number(key)
    if (!Number.isInteger(index)) continue
    const expected = want ? FuseState.ENABLE : FuseState.DISABLE
    if (wire[index] !== expected) wrong.push(FuseV1Options[index])
  }
  if (wrong.length) throw new Error(`electron-fuses: ${binary} still has ${wrong.join(', ')} in the wrong state`)
  return wire
}

export default async function afterPack(context) {
  const binary = electronBinary(context)
  const darwin = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas'
  // Flipping fuses breaks an arm64 ad-hoc signature; re-sign ad hoc when we can (codesign is macOS-only).
  await flipFuses(binary, { ...FUSES, resetAdHocDarwinSignature: darwin && process.platform === 'darwin' })
  await verifyFuses(binary)
  console.log(`  • electron fuses flipped and verified  binary=${binary}`)
}
