/** The one way an identifier (table, column) enters SQL text. Values never do: they are `$params`. */
export const quoteIdent = (name: string): string => {
  if (!name || name.includes('\u0000')) throw new Error('invalid SQL identifier')
  return `"${name.replaceAll('"', '""')}"`
}
