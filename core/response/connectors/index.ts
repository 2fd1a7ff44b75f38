import type { ConnectorId } from '../../../contract'
import type { Connector } from '../types'
import { aws } from './aws'
import { entra } from './entra'
import { github } from './github'
import { google } from './google'
import { okta } from './okta'
import { salesforce } from './salesforce'
import { slack } from './slack'
import { ssf } from './ssf'

export const CONNECTORS: Record<ConnectorId, Connector> = { okta, entra, google, slack, github, salesforce, aws, ssf }
