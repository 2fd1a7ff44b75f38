import { defaultDataDir } from '../../core/paths'
import { EnvSecretStore } from '../../core/response/secret-store'
import { jwksOf, loadSigningKey } from '../../core/response/ssf-keys'
import { parse, printJson, type Command } from '../command'

export const ssfJwks: Command = {
  name: 'ssf-jwks',
  summary: 'print the JWKS an SSF receiver uses to verify the workbench’s signed events',
  usage: 'afterlogin ssf-jwks',
  async run(argv) {
    parse(argv, {})
    const pem = new EnvSecretStore().get('SSF_SIGNING_KEY')?.value
    printJson(jwksOf(await loadSigningKey(defaultDataDir(), pem)))
    return 0
  }
}
