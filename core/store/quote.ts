/** The one way an identifier (table, column) enters SQL text. Values never do: they are `$params`. */
export const quoteIdent = (name: string): string => {
  if (!name || name.includes('\u0000')) throw new Error('invalid SQL identifier')
  return `"${name.replaceAll('"', '""')}"`
}

/**
 * A text value as an SQL string literal: only for the one statement whose grammar takes no `$param` in that place
 * (ATTACH's file path). DuckDB's standard strings have no backslash escapes; a quote is doubled.
 */
export const quoteLiteral = (value: string): string => {
  if (value.includes('\u0000')) throw new Error('invalid SQL text value')
  return `'${value.replaceAll("'", "''")}'`
}
