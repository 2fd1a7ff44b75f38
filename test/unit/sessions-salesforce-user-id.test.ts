import { describe, expect, it } from 'vitest'
import { importedChains } from '../helpers/imported-chains'

// Salesforce event log file rows as JSON (the CSV's columns): the Login row names the user by USER_ID and USER_NAME;
// the ReportExport row, as many event types do, names them by id only, here its 18-character USER_ID_DERIVED.
const ORG = '00D8d000004XLdg'
const login = {
  EVENT_TYPE: 'Login',
  TIMESTAMP: '20260311194534.489',
  REQUEST_ID: '4mKq1-login',
  ORGANIZATION_ID: ORG,
  USER_ID: '0058d00000JvH47',
  USER_NAME: 'marcus.bell@aldgate.example',
  URI: '/saml/SSO',
  LOGIN_STATUS: 'LOGIN_NO_ERROR',
  TIMESTAMP_DERIVED: '2026-03-11T19:45:34.489Z',
  SOURCE_IP: '92.18.77.140',
  CLIENT_IP: '92.18.77.140'
}
const reportExport = {
  EVENT_TYPE: 'ReportExport',
  TIMESTAMP: '20260311195210.824',
  REQUEST_ID: '4mKq2-export',
  ORGANIZATION_ID: ORG,
  USER_ID: '0058d00000JvH47',
  USER_ID_DERIVED: '0058d00000JvH47AAK',
  CLIENT_IP: '92.18.77.140',
  URI: '/00O8d000004AMPV1?export=1&enc=UTF-8&xf=xlsx',
  REPORT_ID_DERIVED: '00O8d000004AMPVEA4',
  TIMESTAMP_DERIVED: '2026-03-11T19:52:10.824Z'
}

describe('a Salesforce user named by id only', () => {
  it('is the user its login row names, whether the id is the 15-character one or the 18-character one', async () => {
    const { source, chains } = await importedChains('salesforce.json', [login, reportExport])
    expect(source).toBe('salesforce')
    expect(chains.map((c) => c.identity)).toEqual(['marcus.bell@aldgate.example'])
    expect(chains[0].events).toBe(2)
  })
})
