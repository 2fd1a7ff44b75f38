import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['./test/helpers/scratch-tmp.ts'],
    setupFiles: ['./test/helpers/scratch-per-file.ts'],
    // Two cores: e2e browsers and DuckDB both want CPU, so keep parallelism modest.
    maxWorkers: 2,
    reporters: ['default', './test/helpers/summary-reporter.ts']
  }
})
