import { describe, expect, it } from 'vitest'
import { anomalyLabel, categoryLabel, humanizeId, identityTypeLabel, reasonLabel, responseLabel } from '../../contract/labels'

describe('human labels for ids', () => {
  it('categories, including ones added by the rule engine, read as words', () => {
    expect(categoryLabel('data_export')).toBe('Data export')
    expect(categoryLabel('mail_forwarding')).toBe('Mail forwarding')
    expect(categoryLabel('rule_match')).toBe('Sigma rule match')
    expect(categoryLabel('attempt')).toBe('Attempted action')
    expect(categoryLabel('device_change')).toBe('Context anomaly: new device')
    // An id nobody labelled yet still never shows snake_case.
    expect(categoryLabel('token_replay_suspected')).toBe('Token replay suspected')
    expect(humanizeId('some-new_id')).toBe('Some new id')
  })

  it('responses and identity types', () => {
    expect(responseLabel('terminate-session')).toBe('Terminate session')
    expect(responseLabel('none')).toBe('No action')
    expect(identityTypeLabel('agent')).toBe('AI agent')
    expect(anomalyLabel('ip_change')).toBe('new network')
  })

  it('the scorer’s reasons become sentences; indicators inside them are left alone', () => {
    expect(
      reasonLabel(
        'break-glass credential_created, data_export, mail_forwarding with context anomaly device_change, impossible_travel, ip_change → terminate-session'
      )
    ).toBe('Break-glass credential created, data export, mail forwarding with context anomaly: new device, impossible travel, new network → terminate session')
    expect(reasonLabel('data_export (high, +37): Salesforce report or bulk result exported (20 events)')).toBe(
      'Data export (high, +37): Salesforce report or bulk result exported (20 events)'
    )
    expect(reasonLabel('device_change (medium, +18): New device or browser inside a session: macOS Chrome → Linux Firefox')).toBe(
      'Context anomaly: new device (medium, +18): New device or browser inside a session: macOS Chrome → Linux Firefox'
    )
    expect(reasonLabel('step-up does not apply to a agent identity → revoke-tokens')).toBe(
      'Step-up authentication does not apply to a agent identity → revoke tokens'
    )
    expect(reasonLabel('impossible_travel always recommends terminate-session')).toBe('Context anomaly: impossible travel always recommends terminate session')
    // Hyphenated words and addresses in a title are not ids.
    expect(reasonLabel('mail_forwarding (high, +30): Inbox rule forwards mail to drop-box_relay@evil-mail.example')).toContain(
      'drop-box_relay@evil-mail.example'
    )
    expect(reasonLabel('data_export (high, +30): Report "step-up plan" exported')).toContain('"step-up plan"')
  })
})

describe('source labels', () => {
  it('name the vendors as they write themselves; an unknown source stays as given', async () => {
    const { sourceLabel } = await import('../../contract/labels')
    expect(sourceLabel('google_workspace')).toBe('Google Workspace')
    expect(sourceLabel('m365')).toBe('Microsoft 365')
    expect(sourceLabel('entra')).toBe('Entra ID')
    expect(sourceLabel('custom-siem')).toBe('custom-siem')
  })
})
