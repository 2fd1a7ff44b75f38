import { resolve } from 'node:path'
import { defineConfig } from 'vite'

// The import benchmark runs the real core (SQL files inlined as in the CLI build), as plain Node.
export default defineConfig({
  root: resolve(import.meta.dirname, '..'),
  logLevel: 'warn',
  build: {
    ssr: true,
    outDir: 'out/bench',
    emptyOutDir: true,
    target: 'node20',
    rollupOptions: {
      input: { 'bench-import': resolve(import.meta.dirname, 'bench-import.ts') },
      output: { format: 'esm', entryFileNames: '[name].js' }
    }
  }
})
