const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Text into HTML text or a quoted attribute value: every markup-significant character escaped. */
export const esc = (value: unknown): string => String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c])

/** A tagged template whose interpolations are escaped unless they are already-built Html. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text
  }
}

export const html = (parts: TemplateStringsArray, ...values: unknown[]): Html =>
  new Html(parts.reduce((out, part, i) => out + part + (i < values.length ? render(values[i]) : ''), ''))

const render = (v: unknown): string => {
  if (v instanceof Html) return v.text
  if (Array.isArray(v)) return v.map(render).join('')
  if (v === null || v === undefined || v === false) return ''
  return esc(v)
}

export const join = (items: Html[], separator = ''): Html => new Html(items.map((i) => i.text).join(separator))
