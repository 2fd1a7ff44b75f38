/** mulberry32: small, fast and identical on every platform. */
const prng = (seed: number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Collects each source's raw records while the demo days are played, and draws every random choice from one seed. */
export class Recorder {
  readonly okta: unknown[] = []
  readonly entra: unknown[] = []
  readonly m365: unknown[] = []
  readonly gws: unknown[] = []
  readonly slack: unknown[] = []
  readonly github: unknown[] = []
  readonly aws: unknown[] = []
  readonly sf = {
    Login: [] as Array<Record<string, string>>,
    ReportExport: [] as Array<Record<string, string>>,
    URI: [] as Array<Record<string, string>>,
    Logout: [] as Array<Record<string, string>>
  }
  private readonly rand: () => number

  constructor(seed: number) {
    this.rand = prng(seed)
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rand() * (hi - lo + 1))
  }

  hex(n: number): string {
    let s = ''
    while (s.length < n)
      s += Math.floor(this.rand() * 0x100000000)
        .toString(16)
        .padStart(8, '0')
    return s.slice(0, n)
  }

  uuid(): string {
    const h = this.hex(32)
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
  }
}
