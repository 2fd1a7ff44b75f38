/**
 * Diagnostics go to stderr so the CLI's stdout stays machine-readable. Never pass secrets here:
 * connector code logs only method, host and status.
 */
const quiet = () => process.env.AFTERLOGIN_QUIET === '1'

export const log = {
  info: (msg: string) => {
    if (!quiet()) process.stderr.write(`afterlogin: ${msg}\n`)
  },
  warn: (msg: string) => {
    if (!quiet()) process.stderr.write(`afterlogin: warning: ${msg}\n`)
  }
}
