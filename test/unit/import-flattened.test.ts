import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runImport } from '../../core/import'
import { expandDottedKeys } from '../../core/sources/values'
import { CaseDb } from '../../core/store/case-db'
import { testQuery } from '../helpers/test-queries'

const importFiles = async (files: Record<string, string>) => {
  const dir = mkdtempSync(join(tmpdir(), 'afl-flat-'))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  const db = await CaseDb.open(join(dir, 'case.duckdb'))
  try {
    const summary = await runImport(
      db,
      Object.keys(files).map((n) => join(dir, n))
    )
    const rows = await db.many<Record<string, unknown>>(testQuery('import.test.events'))
    return { summary, rows }
  } finally {
    db.close()
  }
}

describe('exports flattened into dotted keys', () => {
  it('are recognised and mapped as their source: an Okta CSV and an Entra sign-in log from json_normalize', async () => {
    const okta = [
      'uuid,published,eventType,displayMessage,actor.id,actor.type,actor.alternateId,client.ipAddress,client.geographicalContext.city,outcome.result,authenticationContext.externalSessionId,target.0.type,target.0.alternateId',
      'a1,2025-03-04T10:00:00.000Z,user.session.start,User login to Okta,00u1,User,ann@example.org,198.51.100.7,Lyon,SUCCESS,idx123,,',
      'a2,2025-03-04T10:01:00.000Z,user.authentication.sso,User single sign on to app,00u1,User,ann@example.org,198.51.100.7,Lyon,SUCCESS,idx123,AppInstance,Salesforce'
    ].join('\r\n')
    const entra = JSON.stringify({
      id: 's-1',
      createdDateTime: '2025-03-04T10:02:00Z',
      appDisplayName: 'Office 365 Exchange Online',
      userPrincipalName: 'Ann@Example.org',
      ipAddress: '198.51.100.7',
      'status.errorCode': 50126,
      'location.city': 'Lyon',
      sessionId: 'sess-9'
    })
    const { summary, rows } = await importFiles({ 'okta.csv': okta, 'signins.ndjson': entra + '\n' })
    expect(summary.files.map((f) => [f.path, f.source, f.events])).toEqual([
      ['okta.csv', 'okta', 2],
      ['signins.ndjson', 'entra', 1]
    ])
    const by = Object.fromEntries(rows.map((r) => [r.uid, r]))
    expect(by['okta:a2']).toMatchObject({ identity: 'ann@example.org', src_ip: '198.51.100.7', geo_city: 'Lyon', target_name: 'Salesforce' })
    expect(JSON.parse(String(by['okta:a2'].session_keys))).toEqual({ externalSessionId: 'idx123', ssoTargetApp: 'Salesforce' })
    expect(by['entra:s-1']).toMatchObject({ outcome: 'failure', identity: 'ann@example.org', geo_city: 'Lyon', session_key: 'sess-9' })
  })

  it('stay generic, mapped as before, when nesting them names no known source', async () => {
    const ecs = JSON.stringify({ '@timestamp': '2025-03-04T10:00:00Z', 'user.name': 'bob', 'source.ip': '203.0.113.9', 'event.action': 'file-download' })
    const { summary, rows } = await importFiles({ 'app.ndjson': ecs + '\n' })
    expect(summary.files[0]).toMatchObject({ source: 'generic', events: 1 })
    expect(rows[0].raw).toBe(ecs)
  })
})

describe("a collector's copy of vendor records", () => {
  const okta = {
    uuid: 'w-1',
    published: '2025-03-04T10:00:00Z',
    eventType: 'user.session.start',
    actor: { id: '00u1', type: 'User', alternateId: 'ann@example.org' },
    authenticationContext: { externalSessionId: 'idxW' }
  }
  const trail = {
    eventVersion: '1.08',
    eventID: 'ct-1',
    eventTime: '2025-03-04T10:05:00Z',
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateAccessKey',
    sourceIPAddress: '198.51.100.7',
    userIdentity: { type: 'IAMUser', userName: 'ann', accessKeyId: 'AKIAEXAMPLE' }
  }

  it('maps the record Splunk, Elastic or Logstash kept, and stores the line as it came', async () => {
    const csvCell = (v: string) => `"${v.replaceAll('"', '""')}"`
    const splunkCsv = ['_time,host,_raw', `2025-03-04T10:00:00.000+0000,okta-ta,${csvCell(JSON.stringify(okta))}`].join('\n')
    const splunkJson = JSON.stringify({ preview: false, result: { _time: '2025-03-04T10:00:00.000+0000', _raw: JSON.stringify({ ...okta, uuid: 'w-2' }) } })
    const elastic = JSON.stringify({ _index: 'logs-aws', _source: { '@timestamp': '2025-03-04T10:05:00Z', event: { original: JSON.stringify(trail) } } })
    const logstash = JSON.stringify({ '@timestamp': '2025-03-04T10:00:00Z', '@version': '1', message: JSON.stringify({ ...okta, uuid: 'w-3' }) })
    const { summary, rows } = await importFiles({
      'export.csv': splunkCsv,
      'search.json': splunkJson + '\n',
      'hits.ndjson': elastic + '\n',
      'shipper.ndjson': logstash + '\n'
    })
    expect(summary.files.map((f) => [f.path, f.source]).sort()).toEqual([
      ['export.csv', 'okta'],
      ['hits.ndjson', 'aws'],
      ['search.json', 'okta'],
      ['shipper.ndjson', 'okta']
    ])
    const by = Object.fromEntries(rows.map((r) => [r.uid, r]))
    expect(Object.keys(by).sort()).toEqual(['aws:ct-1', 'okta:w-1', 'okta:w-2', 'okta:w-3'])
    expect(by['okta:w-1']).toMatchObject({ identity: 'ann@example.org', session_key: 'idxW' })
    expect(by['aws:ct-1']).toMatchObject({ src_ip: '198.51.100.7', session_key: 'AKIAEXAMPLE' })
    expect(by['okta:w-3'].raw).toBe(logstash)
  })

  it('maps the CloudTrail record an EventBridge event carries under detail', async () => {
    const bridged = {
      version: '0',
      id: '6f87d04b-9f74-4f04-a780-7acf4b0a9b38',
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.iam',
      account: '111122223333',
      time: '2025-03-04T10:05:00Z',
      region: 'us-east-1',
      resources: [],
      detail: { ...trail, eventID: 'ct-eb' }
    }
    const { summary, rows } = await importFiles({ 'bridge.ndjson': JSON.stringify(bridged) + '\n' })
    expect(summary.files.map((f) => f.source)).toEqual(['aws'])
    expect(rows.find((r) => r.uid === 'aws:ct-eb')).toMatchObject({ src_ip: '198.51.100.7', session_key: 'AKIAEXAMPLE', source: 'aws' })
  })

  it('maps the vendor record a Splunk HTTP Event Collector payload carries under event', async () => {
    const slack = {
      id: 'a0dadb36-aea7-4378-8c37-2496ae7a5cf4',
      date_create: 1794722384,
      action: 'workflow_responses_csv_download',
      actor: { type: 'user', user: { id: 'W07R', name: 'Rhys', email: 'rhys@acme.example', team: 'T05' } },
      entity: { type: 'workflow', workflow: { id: 'Wf07', name: 'Refund Intake' } },
      context: {
        location: { type: 'workspace', id: 'T05', name: 'Acme', domain: 'acme' },
        ua: 'Mozilla/5.0',
        ip_address: '185.220.101.47',
        session_id: 6698718041317
      }
    }
    const hec = { time: 1794722384, host: 'collector-02', source: 'slack_audit_logs_api', sourcetype: 'slack:audit', index: 'saas_audit', event: slack }
    const { summary, rows } = await importFiles({ 'hec.ndjson': JSON.stringify(hec) + '\n' })
    expect(summary.files.map((f) => f.source)).toEqual(['slack'])
    expect(rows[0]).toMatchObject({ source: 'slack', src_ip: '185.220.101.47', identity: 'rhys@acme.example', actor_type: 'human' })
  })
})

describe('expandDottedKeys', () => {
  it('adds the nesting beside the keys, and changes nothing it did not create', () => {
    const actor = { id: '00u1' }
    const r = { 'actor.alternateId': 'ann', actor, 'client.ipAddress': '198.51.100.7', 'target.0.type': 'AppInstance', 'target.1.type': 'User', name: 'x' }
    const out = expandDottedKeys(r)!
    expect(out['actor']).toBe(actor)
    expect(actor).toEqual({ id: '00u1' })
    expect(JSON.parse(JSON.stringify(out))).toMatchObject({
      client: { ipAddress: '198.51.100.7' },
      target: [{ type: 'AppInstance' }, { type: 'User' }],
      'client.ipAddress': '198.51.100.7'
    })
    expect(expandDottedKeys({ a: 1, b: { 'c.d': 2 } })).toBeNull()
  })

  it('does not reach prototypes', () => {
    const hostile = '{"__proto__.polluted": 1, "constructor.prototype.polluted": 1, "a.__proto__.polluted": 1, "x..y": 1}'
    expect(expandDottedKeys(JSON.parse(hostile))).toBeNull()
    const out = expandDottedKeys(JSON.parse(hostile.replace('{', '{"a.b": 2, ')))!
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(JSON.parse(JSON.stringify(out.a))).toEqual({ b: 2 })
  })
})
