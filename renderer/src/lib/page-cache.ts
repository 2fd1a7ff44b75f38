export interface Page<T> {
  rows: T[]
  total: number
}

export type FetchPage<T> = (offset: number, limit: number) => Promise<Page<T>>

/**
 * Rows of a long list fetched a page at a time around what is on screen (the list never holds the whole table).
 * Stale answers are dropped: a cache is made per query and simply abandoned when the query changes.
 */
export class PageCache<T> {
  private pages = new Map<number, T[]>()
  private loading = new Set<number>()
  private listeners = new Set<() => void>()
  total: number | null = null
  error: string | null = null
  version = 0

  constructor(
    private readonly fetchPage: FetchPage<T>,
    readonly pageSize = 100
  ) {}

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  private changed(): void {
    this.version++
    for (const fn of this.listeners) fn()
  }

  get(index: number): T | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize]
  }

  get loaded(): boolean {
    return this.total !== null
  }

  get busy(): boolean {
    return this.loading.size > 0
  }

  /** Makes sure rows first..last (inclusive) are loaded or on their way. */
  ensure(first: number, last: number): void {
    const from = Math.max(0, Math.floor(first / this.pageSize))
    const to = Math.max(from, Math.floor(last / this.pageSize))
    for (let p = from; p <= to; p++) {
      if (this.pages.has(p) || this.loading.has(p)) continue
      if (this.total !== null && p * this.pageSize >= this.total && p > 0) continue
      this.loading.add(p)
      this.fetchPage(p * this.pageSize, this.pageSize).then(
        (page) => {
          this.loading.delete(p)
          this.pages.set(p, page.rows)
          this.total = page.total
          this.error = null
          this.changed()
        },
        (err: unknown) => {
          this.loading.delete(p)
          this.error = err instanceof Error ? err.message : String(err)
          if (this.total === null) this.total = 0
          this.changed()
        }
      )
    }
  }
}
