/** API page envelopes whose array holds the records: CloudTrail, Graph, Google, Slack, generic. */
export const ENVELOPE_KEYS = new Set(['Records', 'value', 'items', 'entries', 'data', 'events', 'logs', 'results', 'records'])

export interface ScannedRecord {
  raw: string
  /** True when the text ended inside this record (a truncated file). */
  truncated?: boolean
}

export type Shape = 'ndjson' | 'json-array' | 'envelope' | 'json'

const enum C {
  Quote = 34,
  Comma = 44,
  Colon = 58,
  OpenSquare = 91,
  Backslash = 92,
  CloseSquare = 93,
  OpenCurly = 123,
  CloseCurly = 125
}

const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9 || c === 0xfeff

/**
 * Splits JSON text into records without parsing it, so a 2 GB array never becomes one string and each
 * record keeps its verbatim text. Handles a top-level array, an API envelope (`{"Records":[…]}` — the
 * array under a known key is the record list, the rest of the page is dropped), and a sequence of
 * top-level objects (NDJSON, concatenated or pretty-printed). Feed text chunks, collect records.
 */
export class JsonScanner {
  shape: Shape | null = null
  private depth = 0
  private inStr = false
  private esc = false
  /** Depth at which the current container's elements are records: 0 top-level, 1 array, 2 envelope. */
  private recordDepth = 0
  private topValues = 0
  private wrapper = false
  private envelopeDone = false
  private capturing = false
  private primitive = false
  private start = 0
  private parts: string[] = []
  private size = 0
  private keyStart = -1
  private keyBuf = ''
  private lastKey: string | null = null
  private afterColon = false

  constructor(private readonly maxRecord: number) {}

  /** Scans one chunk; returns the records completed in it. Throws when a record passes the size limit. */
  feed(chunk: string, out: ScannedRecord[]): void {
    const n = chunk.length
    for (let i = 0; i < n; i++) {
      const c = chunk.charCodeAt(i)
      if (this.inStr) {
        if (this.esc) this.esc = false
        else if (c === C.Backslash) this.esc = true
        else if (c === C.Quote) {
          this.inStr = false
          if (this.keyStart >= 0) {
            this.lastKey = this.keyBuf + chunk.slice(this.keyStart, i)
            this.keyStart = -1
            this.keyBuf = ''
          }
          if (this.primitive) continue
        }
        continue
      }
      if (isSpace(c)) continue
      // A primitive element (string/number/literal) of a record array ends at `,` or the closing `]`.
      if (this.primitive && this.depth === this.recordDepth && (c === C.Comma || c === C.CloseSquare)) {
        this.finish(chunk, i, out, false)
        this.primitive = false
      }
      switch (c) {
        case C.Quote:
          this.inStr = true
          if (this.depth === 1 && this.wrapper && !this.afterColon) {
            this.keyStart = i + 1
            this.keyBuf = ''
          }
          this.beginIfRecord(i, true)
          break
        case C.OpenCurly:
        case C.OpenSquare:
          if (this.depth === 0) this.openTop(c, i)
          else if (
            this.depth === 1 &&
            this.wrapper &&
            this.afterColon &&
            c === C.OpenSquare &&
            !this.envelopeDone &&
            this.lastKey &&
            ENVELOPE_KEYS.has(this.lastKey)
          ) {
            // The wrapper is an API page: drop it, its array's elements are the records.
            this.capturing = false
            this.parts = []
            this.size = 0
            this.recordDepth = 2
            this.shape = 'envelope'
          } else this.beginIfRecord(i, false)
          this.depth++
          this.afterColon = false
          break
        case C.CloseCurly:
        case C.CloseSquare:
          this.depth--
          if (this.depth < 0) throw new Error('unbalanced JSON: a closing bracket without an opening one')
          if (this.recordDepth === 2 && this.depth === 1 && c === C.CloseSquare) {
            this.envelopeDone = true
            this.recordDepth = 0
          } else if (this.capturing && this.depth === this.recordDepth && !this.primitive) this.finish(chunk, i + 1, out, false)
          if (this.depth === 0) this.closeTop()
          this.afterColon = false
          break
        case C.Colon:
          this.afterColon = true
          break
        case C.Comma:
          this.afterColon = false
          break
        default:
          if (this.depth === 0) throw new Error(`not JSON: unexpected '${String.fromCharCode(c)}' between records`)
          this.beginIfRecord(i, true)
          this.afterColon = false
      }
    }
    this.carry(chunk)
  }

  /** Call at the end of the text; returns a truncated record if the text stopped inside one. */
  end(out: ScannedRecord[]): void {
    if (this.capturing && this.primitive && this.depth === this.recordDepth) {
      this.finish('', 0, out, false)
      return
    }
    if (this.depth > 0 || this.inStr) {
      // In a stream of top-level records (NDJSON) a cut-off last record is one bad record;
      // a single document (array, envelope, object) cut off is a broken file.
      if (this.capturing && this.recordDepth === 0 && this.topValues > 1) {
        out.push({ raw: this.parts.join(''), truncated: true })
        this.parts = []
      } else throw new Error('truncated JSON: the file ends inside its outer array or object')
    }
    if (this.topValues === 0) throw new Error('no JSON value in the file')
  }

  private openTop(c: number, i: number): void {
    this.topValues++
    if (c === C.OpenSquare) {
      this.shape ??= 'json-array'
      this.recordDepth = 1
      return
    }
    // A top-level object: a record (NDJSON, single JSON) unless it turns out to be an envelope.
    this.wrapper = true
    this.envelopeDone = false
    this.recordDepth = 0
    this.capturing = true
    this.start = i
    this.parts = []
    this.size = 0
  }

  private closeTop(): void {
    if (this.topValues > 1 && this.shape === 'json') this.shape = 'ndjson'
    this.shape ??= 'json'
    this.wrapper = false
    this.lastKey = null
    this.recordDepth = 0
  }

  private beginIfRecord(i: number, primitiveOrString: boolean): void {
    if (this.capturing || this.depth !== this.recordDepth || this.recordDepth === 0) return
    this.capturing = true
    this.primitive = primitiveOrString
    this.start = i
    this.parts = []
    this.size = 0
  }

  private finish(chunk: string, end: number, out: ScannedRecord[], truncated: boolean): void {
    if (this.size + end - this.start > this.maxRecord) this.tooLong()
    this.parts.push(chunk.slice(this.start, end))
    out.push({ raw: this.parts.join('').trim(), truncated })
    this.parts = []
    this.size = 0
    this.capturing = false
    this.start = 0
  }

  private tooLong(): never {
    throw new Error(`a record is longer than ${(this.maxRecord / 1048576).toFixed(this.maxRecord < 1048576 ? 2 : 0)} MB: refused`)
  }

  private carry(chunk: string): void {
    if (this.keyStart >= 0) {
      this.keyBuf += chunk.slice(this.keyStart)
      this.keyStart = 0
    }
    if (!this.capturing) return
    const piece = chunk.slice(this.start)
    this.size += piece.length
    if (this.size > this.maxRecord) this.tooLong()
    this.parts.push(piece)
    this.start = 0
  }
}
