import { resolve } from 'node:path'
import { defineConfig } from 'vite'

// The CLI (import, sessions, web mode, respond…) is plain Node: an SSR build keeps
// node_modules external and bundles core/, contract/ and the SQL files of queries/.
export default defineConfig({
  root: resolve(import.meta.dirname, '..'),
  build: {
    ssr: true,
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node20',
    sourcemap: true,
    rollupOptions: {
      input: { index: resolve(import.meta.dirname, 'index.ts') },
      output: { format: 'esm', entryFileNames: '[name].js' }
    }
  }
})
