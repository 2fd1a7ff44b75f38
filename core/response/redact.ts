/** Replaces every configured secret (and bearer-looking credentials) in text before it is stored or shown. */
export const redactor = (secrets: string[]): ((text: string) => string) => {
  const known = [...new Set(secrets.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length)
  return (text) => {
    let out = text
    for (const s of known) out = out.split(s).join('[redacted]')
    return out.replace(/\b(Bearer|SSWS)\s+[\w.~+/=-]{8,}/gi, '$1 [redacted]')
  }
}
