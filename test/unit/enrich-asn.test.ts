import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { BlockList } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { asnTable, buildAsnTable, ipv4ToInt, ipv6ToBigInt, loadAsnTable, lookupAsn, type AsnTable } from '../../core/enrich/asn-db'
import { RESERVED_V4_NETS, RESERVED_V6_NETS, enrichIps, isReserved, type PendingIp } from '../../core/enrich/ip-geo'
import { DEFAULT_VPN_ASNS, vpnAsnSet } from '../../core/enrich/vpn-asns'
import { loadPolicies } from '../../core/policies/policies'

const bare = (raw: string): PendingIp => ({ raw, city: null, country: null, lat: null, lon: null })

let table: AsnTable
beforeAll(async () => {
  table = await asnTable()
}, 30_000)

describe('offline ASN lookup over @ip-location-db/asn', () => {
  it('names the networks of well-known public resolvers, IPv4 and IPv6, with ports and brackets stripped', async () => {
    const rows = await enrichIps(['8.8.8.8', '1.1.1.1:443', '9.9.9.9', '[2001:4860:4860::8888]:443', '2606:4700:4700::1111', '::ffff:8.8.4.4'].map(bare), [])
    expect(rows.map((r) => [r.ip, r.asn])).toEqual([
      ['8.8.8.8', 15169],
      ['1.1.1.1', 13335],
      ['9.9.9.9', 19281],
      ['2001:4860:4860::8888', 15169],
      ['2606:4700:4700::1111', 13335],
      ['8.8.4.4', 15169]
    ])
    expect(rows[0].as_org).toMatch(/google/i)
    expect(rows[1].as_org).toMatch(/cloudflare/i)
  })

  it('leaves private, documentation, loopback and link-local ranges without a network', async () => {
    const raws = [
      '10.1.2.3',
      '192.168.1.10:51234',
      '172.16.5.4',
      '100.64.1.1',
      '127.0.0.1',
      '169.254.1.1',
      '192.0.2.1',
      '198.51.100.7',
      '203.0.113.7:51234',
      '2001:db8::1',
      'fe80::1',
      'fd00::1',
      '::1'
    ]
    const rows = await enrichIps(raws.map(bare), [])
    for (const r of rows) expect(r, r.raw).toMatchObject({ origin: 'private', asn: null, as_org: null, country: null, vpn: false })
  })

  it("keeps the log's own geo for an address and still names its network", async () => {
    const [row] = await enrichIps([{ raw: '8.8.8.8', city: 'Mountain View', country: 'United States', lat: 37.386, lon: -122.0838 }], [])
    expect(row).toMatchObject({ origin: 'log', country: 'US', city: 'Mountain View', lat: 37.386, asn: 15169 })
  })

  it('marks VPN exits by AS number from the VPN list, or by organisation name', async () => {
    const [byList, plain] = await enrichIps([bare('1.1.1.1'), bare('9.9.9.9')], [])
    expect(DEFAULT_VPN_ASNS.has(13335)).toBe(true)
    expect(byList.vpn).toBe(true)
    expect(plain.vpn).toBe(false)
    const [custom] = await enrichIps([bare('9.9.9.9')], [], new Set([19281]))
    expect(custom.vpn).toBe(true)
    const [byName] = await enrichIps([bare('8.8.8.8')], ['google'], new Set())
    expect(byName.vpn).toBe(true)
  })

  it('names most of 10k and 200k distinct addresses once the table is loaded (the time is printed, not asserted)', async () => {
    let seed = 7
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32
    const v4 = () => `${1 + Math.floor(rnd() * 222)}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}`
    for (const n of [10_000, 200_000]) {
      const ips = Array.from({ length: n }, (_, i) => (i % 10 === 0 ? `2a0${i % 9}:${(i * 7919).toString(16)}::${i.toString(16)}` : v4()))
      const started = performance.now()
      let named = 0
      for (const ip of ips) if (lookupAsn(table, ip)) named++
      const ms = performance.now() - started
      console.log(`ASN lookup: ${n} distinct IPs in ${ms.toFixed(0)} ms (${named} named)`)
      expect(named).toBeGreaterThan(n * 0.5)
    }
  })
})

describe('reserved ranges', () => {
  it('agrees with node:net BlockList on range edges and random addresses', () => {
    const oracle = new BlockList()
    for (const [net, bits] of RESERVED_V4_NETS) oracle.addSubnet(net, bits, 'ipv4')
    for (const [net, bits] of RESERVED_V6_NETS) oracle.addSubnet(net, bits, 'ipv6')
    const edges = [
      '9.255.255.255',
      '10.0.0.0',
      '10.255.255.255',
      '11.0.0.0',
      '100.63.255.255',
      '100.64.0.0',
      '100.127.255.255',
      '100.128.0.0',
      '172.15.255.255',
      '172.16.0.0',
      '172.31.255.255',
      '172.32.0.0',
      '198.17.255.255',
      '198.19.255.255',
      '198.20.0.0',
      '223.255.255.255',
      '224.0.0.0',
      '255.255.255.255',
      '::1',
      '::2',
      'fbff:ffff::1',
      'fc00::',
      'fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
      'fe00::',
      'fe80::1',
      'febf:ffff::',
      'fec0::',
      '2001:db7:ffff:ffff:ffff:ffff:ffff:ffff',
      '2001:db8::',
      '2001:db8:ffff::1',
      '2001:db9::',
      'ff02::1',
      '64:ff9b::a00:1',
      '64:ff9b:1::1'
    ]
    let seed = 3
    const rnd = (n: number) => Math.floor(((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * n)
    const random = Array.from({ length: 5000 }, (_, i) =>
      i % 2 ? [rnd(256), rnd(256), rnd(256), rnd(256)].join('.') : Array.from({ length: 8 }, () => rnd(0x10000).toString(16)).join(':')
    )
    for (const ip of [...edges, ...random]) expect(isReserved(ip), ip).toBe(oracle.check(ip, ip.includes(':') ? 'ipv6' : 'ipv4'))
    expect(isReserved('::ffff:10.1.2.3')).toBe(true)
    expect(isReserved('not an ip')).toBe(false)
  })
})

describe('ASN table building', () => {
  const v4 = [
    '16777216,16777471,13335,"Cloudflare, Inc."',
    'garbage line',
    '167772160,167772415,0,Unannounced',
    '33554432,33554687,64500,"Quoted ""Name"" LLC"\r',
    '16777472,16777727,64501,Next Door',
    '16777300,16777400,64502,Overlaps the first range',
    '4294967040,4294967295,64503,Top of the space'
  ].join('\n')
  const v6 = ['42540766411282592856903984951653826560,42540766411282592875350729025363378175,64510,Doc-ish', '1,1,64511,Loopback-ish'].join('\n')
  const t = buildAsnTable(v4, v6)

  it('sorts ranges, drops AS0, malformed rows and overlaps, and unquotes names', () => {
    expect(Array.from(t.v4Start)).toEqual([16777216, 16777472, 33554432, 4294967040])
    expect(lookupAsn(t, '1.0.0.0')).toEqual({ asn: 13335, org: 'Cloudflare, Inc.' })
    expect(lookupAsn(t, '1.0.0.255')).toEqual({ asn: 13335, org: 'Cloudflare, Inc.' })
    expect(lookupAsn(t, '1.0.1.0')?.asn).toBe(64501)
    expect(lookupAsn(t, '1.0.2.0')).toBeNull()
    expect(lookupAsn(t, '2.0.0.9')).toEqual({ asn: 64500, org: 'Quoted "Name" LLC' })
    expect(lookupAsn(t, '10.0.0.1')).toBeNull()
    expect(lookupAsn(t, '255.255.255.255')?.asn).toBe(64503)
    expect(lookupAsn(t, '0.0.0.1')).toBeNull()
  })

  it('finds IPv6 ranges by their 128-bit bounds', () => {
    expect(lookupAsn(t, '2001:db8::')?.asn).toBe(64510)
    expect(lookupAsn(t, '2001:db8:0:0:ffff:ffff:ffff:ffff')?.asn).toBe(64510)
    expect(lookupAsn(t, '2001:db8:0:1::')).toBeNull()
    expect(lookupAsn(t, '::1')?.asn).toBe(64511)
    expect(lookupAsn(t, '::2')).toBeNull()
  })

  it('parses address text strictly', () => {
    expect(ipv4ToInt('255.255.255.255')).toBe(4294967295)
    for (const bad of ['256.1.1.1', '1.2.3', '1.2.3.4.5', '1..2.3', '1.2.3.4 ', '', 'a.b.c.d', '1234.1.1.1']) expect(ipv4ToInt(bad), bad).toBeNull()
    expect(ipv6ToBigInt('::')).toBe(0n)
    expect(ipv6ToBigInt('::ffff:1.2.3.4')).toBe(0xffff01020304n)
    expect(ipv6ToBigInt('2001:db8::1')).toBe(0x20010db8000000000000000000000001n)
    expect(ipv6ToBigInt('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toBe((1n << 128n) - 1n)
    expect(ipv6ToBigInt('1.2.3.4')).toBeNull()
    expect(ipv6ToBigInt('2001:db8:::1')).toBeNull()
  })
})

describe('pre-parsed table cache', () => {
  let dir: string
  const saved = process.env.AFTERLOGIN_CACHE_DIR
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'afterlogin-asn-cache-'))
    process.env.AFTERLOGIN_CACHE_DIR = dir
  })
  afterAll(async () => {
    if (saved === undefined) delete process.env.AFTERLOGIN_CACHE_DIR
    else process.env.AFTERLOGIN_CACHE_DIR = saved
    await rm(dir, { recursive: true, force: true })
  })

  it('writes the parsed table once, reads it back, and rebuilds over a damaged cache file', async () => {
    const built = await loadAsnTable()
    const files = await readdir(dir)
    expect(files).toHaveLength(1)
    expect(files[0]).toMatch(/^afterlogin-asn-\d+-[\w.-]+\.v8$/)
    const started = performance.now()
    const cached = await loadAsnTable()
    console.log(`ASN table from cache in ${(performance.now() - started).toFixed(0)} ms (${cached.v4Start.length} IPv4, ${cached.v6Asn.length} IPv6 ranges)`)
    expect(cached.v4Start.length).toBe(built.v4Start.length)
    expect(lookupAsn(cached, '8.8.8.8')?.asn).toBe(15169)
    await writeFile(join(dir, files[0]), 'not a cache')
    expect(lookupAsn(await loadAsnTable(), '2001:4860:4860::8888')?.asn).toBe(15169)
  }, 30_000)
})

describe('VPN list file', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'afterlogin-vpn-'))
  })
  afterAll(async () => rm(dir, { recursive: true, force: true }))

  it("uses the shipped list without a case file, the case's own list when present, and rejects a bad one by name", async () => {
    const casePath = join(dir, 'case.duckdb')
    const policyDir = join(dir, 'policies')
    await mkdir(policyDir, { recursive: true })
    expect(vpnAsnSet((await loadPolicies(null)).vpnAsns)).toEqual(DEFAULT_VPN_ASNS)
    expect(vpnAsnSet((await loadPolicies(casePath)).vpnAsns)).toEqual(DEFAULT_VPN_ASNS)
    await writeFile(join(policyDir, 'vpn-asns.json'), JSON.stringify({ version: 1, kind: 'vpn-asns', asns: [{ asn: 64512, name: 'Corp VPN', kind: 'vpn' }] }))
    const own = await loadPolicies(casePath)
    expect([...vpnAsnSet(own.vpnAsns)]).toEqual([64512])
    expect(own.origin.vpnAsns).toBe(join(policyDir, 'vpn-asns.json'))
    await writeFile(join(policyDir, 'vpn-asns.json'), JSON.stringify({ version: 1, kind: 'vpn-asns', asns: [{ asn: -1, name: 'x', kind: 'vpn' }] }))
    await expect(loadPolicies(casePath)).rejects.toThrow(/vpn-asns\.json is not a valid policy[\s\S]*asns\[0\]\.asn/)
    await writeFile(join(policyDir, 'vpn-asns.json'), '{')
    await expect(loadPolicies(casePath)).rejects.toThrow(/vpn-asns\.json is not valid JSON/)
  })
})
