import { FuseState, FuseV1Options } from '@electron/fuses'
import { expect } from 'vitest'

/** The fuse states a shipped Afterlogin binary must carry, read from its wire. */
export const expectShippedFuses = (wire: Record<number, number | undefined>): void => {
  expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE)
  expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE)
  expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE)
  expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE)
  expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE)
  expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE)
}
