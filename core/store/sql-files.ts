/**
 * Every SQL statement of the product lives in queries/ as a file. Vite (electron-vite, the CLI build
 * and vitest alike) inlines them at build time, so a packaged app never reads SQL from disk.
 */
const files = import.meta.glob('../../queries/**/*.sql', { query: '?raw', import: 'default', eager: true }) as Record<string, string>

export interface SqlFile {
  /** Path relative to queries/, e.g. `case/counts.sql`. */
  path: string
  text: string
}

export const sqlFiles = (): SqlFile[] =>
  Object.entries(files)
    .map(([key, text]) => ({ path: key.replace(/^.*\/queries\//, ''), text }))
    .sort((a, b) => a.path.localeCompare(b.path))
