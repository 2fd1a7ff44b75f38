import { describe, expect, it } from 'vitest'
import { RecordShape } from '../../core/sources/sql-record-shape'

describe('the structure the fast path parses records into', () => {
  it('declares only what the paths read, and reads each value from the struct', () => {
    const shape = new RecordShape()
    expect(shape.read('actor.alternateId')).toBe('s."actor"."alternateId"')
    expect(shape.read('target', 'list')).toBe('s."target"')
    expect(shape.read('target.0.type')).toBe('s."target"[1]."type"')
    expect(shape.read('request.ipChain.2.ip')).toBe('s."request"."ipChain"[3]."ip"')
    expect(shape.read('say "hi"')).toBe('s."say ""hi"""')
    expect(JSON.parse(shape.type())).toEqual({
      actor: { alternateId: 'VARCHAR' },
      target: [{ type: 'VARCHAR' }],
      request: { ipChain: [{ ip: 'VARCHAR' }] },
      'say "hi"': 'VARCHAR'
    })
    expect([...shape.lists.keys()]).toEqual(['target', 'request.ipChain'])
  })

  it('refuses a path read as two shapes, so that the source is left to the JS reader', () => {
    const shape = new RecordShape()
    shape.read('actor.id')
    expect(() => shape.read('actor')).toThrow(/actor/)
    expect(() => shape.read('actor.0')).toThrow(/object and as list/)
    shape.read('target.0.id')
    expect(() => shape.read('target.name')).toThrow(/list and as object/)
  })
})
