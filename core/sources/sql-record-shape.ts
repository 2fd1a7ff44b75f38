import { quoteIdent } from '../store/quote'

/**
 * The part of a record the fast path reads, as the structure DuckDB's from_json parses it into: only the
 * objects, arrays and keys a source declaration names. Each record is parsed once, and each value is read
 * from the resulting struct without a copy (extracting a list of strings cost a copy per path and row).
 *
 * from_json reads as json_extract_string does: keys match exactly, the first of repeated keys wins, an object
 * or array where text is expected comes as its JSON text, numbers as their text, and a value of another shape
 * than the one declared (text where an object is expected, an object where an array is) reads as NULL.
 *
 * Keys enter SQL as identifiers through the one quoting helper; they come from declarations (code), never logs.
 */
type Node = { kind: 'text' } | { kind: 'object'; keys: Map<string, Node> } | { kind: 'list'; element?: Node }
type Kind = Node['kind']

const isIndex = (segment: string): boolean => /^\d+$/.test(segment)

const shaped = (have: Node | undefined, want: Kind, path: string): Node => {
  if (have?.kind === want) return have
  if (have) throw new Error(`${path}: read both as ${have.kind} and as ${want}`)
  return want === 'object' ? { kind: 'object', keys: new Map() } : want === 'list' ? { kind: 'list' } : { kind: 'text' }
}

export class RecordShape {
  private readonly root: Node & { kind: 'object' } = { kind: 'object', keys: new Map() }
  /** The paths read as arrays, with the SQL reading each. */
  readonly lists = new Map<string, string>()

  /**
   * Registers a path and returns the SQL that reads it from the struct column `s`: text, or with `list` the
   * array itself (its elements have the keys registered under `path.0`). Throws when a declaration reads one
   * path as two shapes (text and object, object and array): such a source is not compiled.
   */
  read(path: string, as: 'text' | 'list' = 'text'): string {
    const segments = path.split('.')
    let at: Node = this.root
    let sql = 's'
    segments.forEach((segment, i) => {
      const want: Kind = i === segments.length - 1 ? as : isIndex(segments[i + 1]) ? 'list' : 'object'
      if (isIndex(segment)) {
        if (at.kind !== 'list') throw new Error(`${path}: an index into something other than an array`)
        at = at.element = shaped(at.element, want, path)
        sql += `[${Number(segment) + 1}]`
      } else {
        if (at.kind !== 'object') throw new Error(`${path}: a key of something other than an object`)
        const child = shaped(at.keys.get(segment), want, path)
        at.keys.set(segment, child)
        at = child
        sql += `.${quoteIdent(segment)}`
      }
      if (want === 'list') this.lists.set(segments.slice(0, i + 1).join('.'), sql)
    })
    return sql
  }

  /** from_json's structure argument. */
  type(): string {
    const of = (node: Node | undefined): unknown =>
      !node || node.kind === 'text' ? 'VARCHAR' : node.kind === 'list' ? [of(node.element)] : Object.fromEntries([...node.keys].map(([k, n]) => [k, of(n)]))
    return JSON.stringify(of(this.root))
  }
}
